/*
** mlopcodes.h — minilua's bytecode: instruction encoding and the opcode list.
**
** An instruction is 32 bits:  op:7 | A:8 | k:1 | B:8 | C:8, or op | A | Bx:17
** (sBx signed by excess), or op | sJ:25 (signed jump). R[x] is register x of
** the current frame, K[x] constant x, RK(x) is K[x] if the k bit is set and
** R[x] otherwise. Comparison instructions are always followed by a JMP: when
** the comparison's result differs from k the JMP is skipped.
*/
#ifndef MLOPCODES_H
#define MLOPCODES_H

#include "mlobject.h"

#define SIZE_OP 7
#define SIZE_A 8
#define SIZE_B 8
#define SIZE_C 8
#define SIZE_Bx (SIZE_C + SIZE_B + 1)
#define SIZE_sJ (SIZE_Bx + SIZE_A)
#define POS_OP 0
#define POS_A (POS_OP + SIZE_OP)
#define POS_k (POS_A + SIZE_A)
#define POS_B (POS_k + 1)
#define POS_C (POS_B + SIZE_B)
#define POS_Bx POS_k
#define POS_sJ POS_A

#define MAXARG_A ((1 << SIZE_A) - 1)
#define MAXARG_B ((1 << SIZE_B) - 1)
#define MAXARG_C ((1 << SIZE_C) - 1)
#define MAXARG_Bx ((1 << SIZE_Bx) - 1)
#define OFFSET_sBx (MAXARG_Bx >> 1)
#define MAXARG_sJ ((1 << SIZE_sJ) - 1)
#define OFFSET_sJ (MAXARG_sJ >> 1)
#define OFFSET_sC (MAXARG_C >> 1)
#define MAXARG_Ax ((1 << (32 - SIZE_OP)) - 1)

#define MASK1(n, p) ((~((~(Instruction)0) << (n))) << (p))
#define getarg(i, pos, size) ((int)(((i) >> (pos)) & MASK1(size, 0)))
#define setarg(i, v, pos, size) \
  ((i) = (((i) & ~MASK1(size, pos)) | ((((Instruction)(v)) << (pos)) & MASK1(size, pos))))

#define GET_OPCODE(i) ((OpCode)(((i) >> POS_OP) & MASK1(SIZE_OP, 0)))
#define SET_OPCODE(i, o) setarg(i, o, POS_OP, SIZE_OP)
#define GETARG_A(i) getarg(i, POS_A, SIZE_A)
#define SETARG_A(i, v) setarg(i, v, POS_A, SIZE_A)
#define GETARG_B(i) getarg(i, POS_B, SIZE_B)
#define SETARG_B(i, v) setarg(i, v, POS_B, SIZE_B)
#define GETARG_sB(i) (GETARG_B(i) - OFFSET_sC)
#define GETARG_C(i) getarg(i, POS_C, SIZE_C)
#define SETARG_C(i, v) setarg(i, v, POS_C, SIZE_C)
#define GETARG_sC(i) (GETARG_C(i) - OFFSET_sC)
#define GETARG_k(i) getarg(i, POS_k, 1)
#define SETARG_k(i, v) setarg(i, v, POS_k, 1)
#define GETARG_Bx(i) getarg(i, POS_Bx, SIZE_Bx)
#define SETARG_Bx(i, v) setarg(i, v, POS_Bx, SIZE_Bx)
#define GETARG_sBx(i) (GETARG_Bx(i) - OFFSET_sBx)
#define SETARG_sBx(i, b) SETARG_Bx((i), (unsigned int)((b) + OFFSET_sBx))
#define GETARG_sJ(i) (getarg(i, POS_sJ, SIZE_sJ) - OFFSET_sJ)
#define SETARG_sJ(i, j) setarg(i, (unsigned int)((j) + OFFSET_sJ), POS_sJ, SIZE_sJ)
#define GETARG_Ax(i) getarg(i, POS_A, 32 - SIZE_OP)

#define CREATE_ABCk(o, a, b, c, k) \
  ((((Instruction)(o)) << POS_OP) | (((Instruction)(a)) << POS_A) | \
   (((Instruction)(b)) << POS_B) | (((Instruction)(c)) << POS_C) | \
   (((Instruction)(k)) << POS_k))
#define CREATE_ABx(o, a, bc) \
  ((((Instruction)(o)) << POS_OP) | (((Instruction)(a)) << POS_A) | \
   (((Instruction)(bc)) << POS_Bx))
#define CREATE_sJ(o, j) \
  ((((Instruction)(o)) << POS_OP) | (((Instruction)((j) + OFFSET_sJ)) << POS_sJ))
#define CREATE_Ax(o, a) ((((Instruction)(o)) << POS_OP) | (((Instruction)(a)) << POS_A))

#define int2sC(i) ((i) + OFFSET_sC)

/* The list is written once; the enum and the names table come from it. */
#define ML_OPCODES(X) \
  X(MOVE)      /* A B     R[A] := R[B] */ \
  X(LOADI)     /* A sBx   R[A] := sBx */ \
  X(LOADF)     /* A sBx   R[A] := (float)sBx */ \
  X(LOADK)     /* A Bx    R[A] := K[Bx] */ \
  X(LOADKX)    /* A       R[A] := K[extra arg] */ \
  X(LOADFALSE) /* A       R[A] := false */ \
  X(LFALSESKIP)/* A       R[A] := false; pc++ */ \
  X(LOADTRUE)  /* A       R[A] := true */ \
  X(LOADNIL)   /* A B     R[A..A+B] := nil */ \
  X(GETUPVAL)  /* A B     R[A] := Up[B] */ \
  X(SETUPVAL)  /* A B     Up[B] := R[A] */ \
  X(GETTABUP)  /* A B C   R[A] := Up[B][K[C]:shortstring] */ \
  X(GETTABLE)  /* A B C   R[A] := R[B][R[C]] */ \
  X(GETI)      /* A B C   R[A] := R[B][C] */ \
  X(GETFIELD)  /* A B C   R[A] := R[B][K[C]:shortstring] */ \
  X(SETTABUP)  /* A B C   Up[A][K[B]:shortstring] := RK(C) */ \
  X(SETTABLE)  /* A B C   R[A][R[B]] := RK(C) */ \
  X(SETI)      /* A B C   R[A][B] := RK(C) */ \
  X(SETFIELD)  /* A B C   R[A][K[B]:shortstring] := RK(C) */ \
  X(NEWTABLE)  /* A B C   R[A] := {} with B hash slots and C array slots (hints) */ \
  X(SELF)      /* A B C   R[A+1] := R[B]; R[A] := R[B][RK(C):string] */ \
  X(ADDI)      /* A B sC  R[A] := R[B] + sC */ \
  X(ADDK)      /* A B C   R[A] := R[B] + K[C]:number  (and so on) */ \
  X(SUBK) X(MULK) X(MODK) X(POWK) X(DIVK) X(IDIVK) \
  X(BANDK) X(BORK) X(BXORK) \
  X(SHRI)      /* A B sC  R[A] := R[B] >> sC */ \
  X(SHLI)      /* A B sC  R[A] := sC << R[B] */ \
  X(ADD)       /* A B C   R[A] := R[B] + R[C]  (and so on) */ \
  X(SUB) X(MUL) X(MOD) X(POW) X(DIV) X(IDIV) \
  X(BAND) X(BOR) X(BXOR) X(SHL) X(SHR) \
  X(UNM) X(BNOT) X(NOT) X(LEN) /* A B  R[A] := op R[B] */ \
  X(CONCAT)    /* A B     R[A] := R[A].. ... ..R[A+B-1] */ \
  X(CLOSE)     /* A       close upvalues >= R[A] */ \
  X(JMP)       /* sJ      pc += sJ */ \
  X(EQ)        /* A B k   if ((R[A] == R[B]) ~= k) then pc++ */ \
  X(LT) X(LE)  \
  X(EQK)       /* A B k   if ((R[A] == K[B]) ~= k) then pc++ */ \
  X(EQI)       /* A sB k  if ((R[A] == sB) ~= k) then pc++ (C: 1 if float) */ \
  X(LTI) X(LEI) X(GTI) X(GEI) \
  X(TEST)      /* A k     if (not R[A] == k) then pc++ */ \
  X(TESTSET)   /* A B k   if (not R[B] == k) then pc++ else R[A] := R[B] */ \
  X(CALL)      /* A B C   R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1]) */ \
  X(TAILCALL)  /* A B     return R[A](R[A+1], ... ,R[A+B-1]) */ \
  X(RETURN)    /* A B     return R[A], ... ,R[A+B-2] */ \
  X(RETURN0)   \
  X(RETURN1)   \
  X(FORLOOP)   /* A Bx    update counters; if loop continues then pc -= Bx */ \
  X(FORPREP)   /* A Bx    check values and prepare counters; if not to run then pc += Bx+1 */ \
  X(TFORPREP)  /* A Bx    pc += Bx */ \
  X(TFORCALL)  /* A C     R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2]) */ \
  X(TFORLOOP)  /* A Bx    if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx } */ \
  X(SETLIST)   /* A B     R[A][Ax+i] := R[A+i], 1 <= i <= B (Ax in the next EXTRAARG) */ \
  X(CLOSURE)   /* A Bx    R[A] := closure(KPROTO[Bx]) */ \
  X(VARARG)    /* A C     R[A], R[A+1], ..., R[A+C-2] = vararg */ \
  X(VARARGPREP)/* A       adjust the frame for a vararg function */ \
  X(EXTRAARG)  /* Ax      extra argument of the previous instruction */

#define ML_OPENUM(name) OP_##name,
typedef enum { ML_OPCODES(ML_OPENUM) NUM_OPCODES } OpCode;
#undef ML_OPENUM

extern const char *const ml_opnames[NUM_OPCODES];

/* arithmetic opcode order is the order of the ML_OP* / TM_* arithmetic enums */
#define ISK(op) ((op) >= OP_ADDK && (op) <= OP_BXORK)

#endif
