/*
** mlparse.c — the one-pass compiler: a recursive-descent parser for Lua 5.4
** that emits register-based bytecode (mlopcodes.h) as it parses, one Proto
** per function. Expressions are described by 'expdesc' until they must be
** placed in a register, which lets constants become instruction operands
** (ADDI, ADDK, GETFIELD, EQK, ...) and conditions become jumps. Jump lists
** threaded through the JMP offsets are patched when their target is known.
** Locals live in registers; captured locals are closed by CLOSE at block
** exits (so each loop iteration gets fresh locals). Names not found as
** locals or upvalues are fields of the _ENV upvalue.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mllex.h"
#include "mlcore.h"
#include "mlopcodes.h"

#define NO_JUMP (-1)
#define NO_REG MAXARG_A
#define MAXREGS 255
#define MAXVARS 200
#define MAXUPVAL 255
#define LFIELDS_PER_FLUSH 50

typedef enum {
  VVOID,     /* empty expression list / no value */
  VNIL, VTRUE, VFALSE,
  VK,        /* info = constant index */
  VKFLT,     /* nval */
  VKINT,     /* ival */
  VKSTR,     /* strval */
  VNONRELOC, /* info = result register */
  VLOCAL,    /* var.ridx = register, var.vidx = index in actvar */
  VUPVAL,    /* info = upvalue index */
  VCONST,    /* info = absolute index in actvar (compile-time constant) */
  VINDEXED,  /* ind.t = table register, ind.idx = key register */
  VINDEXUP,  /* ind.t = upvalue, ind.idx = key constant */
  VINDEXI,   /* ind.t = table register, ind.idx = integer key */
  VINDEXSTR, /* ind.t = table register, ind.idx = string key constant */
  VJMP,      /* info = pc of the JMP */
  VRELOC,    /* info = instruction whose A is still to be set */
  VCALL,     /* info = pc of the CALL */
  VVARARG    /* info = pc of the VARARG */
} expkind;

#define vkisvar(k) (VLOCAL <= (k) && (k) <= VINDEXSTR)
#define vkisindexed(k) (VINDEXED <= (k) && (k) <= VINDEXSTR)

typedef struct expdesc {
  expkind k;
  union {
    ml_Integer ival;
    ml_Number nval;
    TString *strval;
    int info;
    struct { short idx; uint8_t t; } ind;
    struct { uint8_t ridx; unsigned short vidx; } var;
  } u;
  int t, f; /* jump lists for "exit when true" / "exit when false" */
} expdesc;

/* kinds of variables */
#define VDKREG 0   /* regular */
#define RDKCONST 1 /* <const> in a register */
#define RDKCTC 2   /* compile-time constant, no register */
#define RDKTOCLOSE 3 /* <close>: read-only; the closing itself is not implemented */

typedef struct Vardesc {
  TValue k;        /* value of a compile-time constant */
  uint8_t kind;
  uint8_t ridx;    /* register */
  short pidx;      /* index in the Proto's locvars */
  TString *name;
} Vardesc;

typedef struct Labeldesc {
  TString *name;
  int pc;
  int line;
  uint8_t nactvar; /* active variables at that position */
  uint8_t close;   /* goto that leaves a scope with captured variables */
} Labeldesc;

typedef struct Labellist {
  Labeldesc *arr;
  int n, size;
} Labellist;

typedef struct Dyndata {
  struct { Vardesc *arr; int n, size; } actvar;
  Labellist gt;
  Labellist label;
} Dyndata;

typedef struct BlockCnt {
  struct BlockCnt *previous;
  int firstlabel;
  int firstgoto;
  uint8_t nactvar;
  uint8_t upval;   /* some variable of the block is captured */
  uint8_t isloop;
} BlockCnt;

typedef struct FuncState {
  Proto *f;
  struct FuncState *prev;
  LexState *ls;
  BlockCnt *bl;
  int pc;          /* next instruction */
  int lasttarget;  /* last jump target (no peephole across it) */
  int nk, np;
  int firstlocal;  /* first local of this function in dyd->actvar */
  int firstlabel;
  short ndebugvars;
  uint8_t nactvar;
  uint8_t nups;
  uint8_t freereg;
  Table *kcache;   /* constant -> index, for strings and integers */
  int sizecode, sizelineinfo;
} FuncState;

static void statement(LexState *ls);
static void expr(LexState *ls, expdesc *v);

/* ======================================================================
** errors and small helpers
** ====================================================================== */

static void semerror(LexState *ls, const char *msg) __attribute__((noreturn));
static void semerror(LexState *ls, const char *msg) {
  ls->t.token = 0; /* no "near <token>" */
  mlG_addinfo(ls->L, msg, ls->source, ls->linenumber);
  mlD_throw(ls->L, ML_ERRSYNTAX);
}

static void error_expected(LexState *ls, int token) __attribute__((noreturn));
static void error_expected(LexState *ls, int token) {
  mlX_syntaxerror(ls, mlO_pushfstring(ls->L, "%s expected", mlX_token2str(ls, token)));
}

static void errorlimit(FuncState *fs, int limit, const char *what) __attribute__((noreturn));
static void errorlimit(FuncState *fs, int limit, const char *what) {
  ml_State *L = fs->ls->L;
  int line = fs->f->linedefined;
  const char *where = (line == 0) ? "main function" : mlO_pushfstring(L, "function at line %d", line);
  const char *msg = mlO_pushfstring(L, "too many %s (limit is %d) in %s", what, limit, where);
  mlX_syntaxerror(fs->ls, msg);
}

static void checklimit(FuncState *fs, int v, int l, const char *what) {
  if (v > l) errorlimit(fs, l, what);
}

static int testnext(LexState *ls, int c) {
  if (ls->t.token == c) {
    mlX_next(ls);
    return 1;
  }
  return 0;
}

static void check(LexState *ls, int c) {
  if (ls->t.token != c) error_expected(ls, c);
}

static void checknext(LexState *ls, int c) {
  check(ls, c);
  mlX_next(ls);
}

#define check_condition(ls, c, msg) \
  do { if (!(c)) mlX_syntaxerror(ls, msg); } while (0)

static void check_match(LexState *ls, int what, int who, int where) {
  if (!testnext(ls, what)) {
    if (where == ls->linenumber) {
      error_expected(ls, what);
    } else {
      mlX_syntaxerror(ls, mlO_pushfstring(ls->L, "%s expected (to close %s at line %d)",
                                          mlX_token2str(ls, what), mlX_token2str(ls, who), where));
    }
  }
}

static TString *str_checkname(LexState *ls) {
  check(ls, TK_NAME);
  TString *ts = ls->t.seminfo.ts;
  mlX_next(ls);
  return ts;
}

/* growable arrays owned by the Proto (freed with it) */
#define growvec(L, v, n, size, t, limit, what) \
  do { \
    if ((n) + 1 > (size)) { \
      int ns_ = (size) < 4 ? 8 : (size) * 2; \
      if (ns_ > (limit)) { \
        if ((n) + 1 > (limit)) mlG_runerror(L, "too many %s (limit is %d)", what, limit); \
        ns_ = (limit); \
      } \
      mlM_reallocvector(L, v, size, ns_, t); \
      (size) = ns_; \
    } \
  } while (0)

/* ======================================================================
** code generation: emitting, jumps
** ====================================================================== */

static int code(FuncState *fs, Instruction i) {
  Proto *f = fs->f;
  ml_State *L = fs->ls->L;
  if (fs->pc + 1 > fs->sizecode) {
    int ns = fs->sizecode < 16 ? 32 : fs->sizecode * 2;
    mlM_reallocvector(L, f->code, fs->sizecode, ns, Instruction);
    mlM_reallocvector(L, f->lineinfo, fs->sizecode, ns, int);
    fs->sizecode = ns;
    f->sizecode = ns;
  }
  f->code[fs->pc] = i;
  f->lineinfo[fs->pc] = fs->ls->lastline;
  return fs->pc++;
}

static void fixline(FuncState *fs, int line) {
  fs->f->lineinfo[fs->pc - 1] = line;
}

static int codeABCk(FuncState *fs, OpCode o, int a, int b, int c, int k) {
  return code(fs, CREATE_ABCk(o, a, b, c, k));
}
#define codeABC(fs, o, a, b, c) codeABCk(fs, o, a, b, c, 0)

static int codeABx(FuncState *fs, OpCode o, int a, unsigned bc) {
  return code(fs, CREATE_ABx(o, a, bc));
}

static int codeAsBx(FuncState *fs, OpCode o, int a, int bc) {
  return code(fs, CREATE_ABx(o, a, (unsigned)(bc + OFFSET_sBx)));
}

static int codesJ(FuncState *fs, OpCode o, int sj) {
  return code(fs, CREATE_sJ(o, sj));
}

static int codeextraarg(FuncState *fs, int a) {
  return code(fs, CREATE_Ax(OP_EXTRAARG, a));
}

static int codeextraarg(FuncState *fs, int a);

static int codek(FuncState *fs, int reg, int k) {
  if (k <= MAXARG_Bx) return codeABx(fs, OP_LOADK, reg, (unsigned)k);
  int p = codeABx(fs, OP_LOADKX, reg, 0);
  codeextraarg(fs, k);
  return p;
}

static int getjump(FuncState *fs, int pc) {
  int offset = GETARG_sJ(fs->f->code[pc]);
  return offset == NO_JUMP ? NO_JUMP : (pc + 1) + offset;
}

static void fixjump(FuncState *fs, int pc, int dest) {
  Instruction *jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  if (!(-OFFSET_sJ <= offset && offset <= MAXARG_sJ - OFFSET_sJ))
    mlX_syntaxerror(fs->ls, "control structure too long");
  SETARG_sJ(*jmp, offset);
}

static void concatjumps(FuncState *fs, int *l1, int l2) {
  if (l2 == NO_JUMP) return;
  if (*l1 == NO_JUMP) {
    *l1 = l2;
  } else {
    int list = *l1, next;
    while ((next = getjump(fs, list)) != NO_JUMP) list = next;
    fixjump(fs, list, l2);
  }
}

static int jump(FuncState *fs) {
  return codesJ(fs, OP_JMP, NO_JUMP);
}

static int getlabel(FuncState *fs) {
  fs->lasttarget = fs->pc;
  return fs->pc;
}

static Instruction *getjumpcontrol(FuncState *fs, int pc) {
  Instruction *pi = &fs->f->code[pc];
  if (pc >= 1) {
    OpCode op = GET_OPCODE(*(pi - 1));
    if (op >= OP_EQ && op <= OP_TESTSET) return pi - 1;
  }
  return pi;
}

/* A TESTSET whose value is not needed (or is already in place) becomes TEST. */
static int patchtestreg(FuncState *fs, int node, int reg) {
  Instruction *i = getjumpcontrol(fs, node);
  if (GET_OPCODE(*i) != OP_TESTSET) return 0;
  if (reg != NO_REG && reg != GETARG_B(*i)) {
    SETARG_A(*i, reg);
  } else {
    *i = CREATE_ABCk(OP_TEST, GETARG_B(*i), 0, 0, GETARG_k(*i));
  }
  return 1;
}

static void removevalues(FuncState *fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list)) patchtestreg(fs, list, NO_REG);
}

static void patchlistaux(FuncState *fs, int list, int vtarget, int reg, int dtarget) {
  while (list != NO_JUMP) {
    int next = getjump(fs, list);
    if (patchtestreg(fs, list, reg)) fixjump(fs, list, vtarget);
    else fixjump(fs, list, dtarget);
    list = next;
  }
}

static void patchlist(FuncState *fs, int list, int target) {
  patchlistaux(fs, list, target, NO_REG, target);
}

static void patchtohere(FuncState *fs, int list) {
  int hr = getlabel(fs);
  patchlist(fs, list, hr);
}

static void codenil(FuncState *fs, int from, int n) {
  int l = from + n - 1;
  if (fs->pc > fs->lasttarget && fs->pc > 0) { /* merge with a previous LOADNIL */
    Instruction *previous = &fs->f->code[fs->pc - 1];
    if (GET_OPCODE(*previous) == OP_LOADNIL) {
      int pfrom = GETARG_A(*previous);
      int pl = pfrom + GETARG_B(*previous);
      if ((pfrom <= from && from <= pl + 1) || (from <= pfrom && pfrom <= l + 1)) {
        if (pfrom < from) from = pfrom;
        if (pl > l) l = pl;
        SETARG_A(*previous, from);
        SETARG_B(*previous, l - from);
        return;
      }
    }
  }
  codeABC(fs, OP_LOADNIL, from, n - 1, 0);
}

static void ret(FuncState *fs, int first, int nret) {
  OpCode op = OP_RETURN;
  if (nret == 0) op = OP_RETURN0;
  else if (nret == 1) op = OP_RETURN1;
  codeABC(fs, op, first, nret + 1, 0);
}

static int condjump(FuncState *fs, OpCode op, int A, int B, int C, int k) {
  codeABCk(fs, op, A, B, C, k);
  return jump(fs);
}

/* ======================================================================
** registers and constants
** ====================================================================== */

static int reglevel(FuncState *fs, int nvar);

static int nvarstack(FuncState *fs) {
  return reglevel(fs, fs->nactvar);
}

static void checkstack(FuncState *fs, int n) {
  int newstack = fs->freereg + n;
  if (newstack > fs->f->maxstacksize) {
    if (newstack >= MAXREGS) mlX_syntaxerror(fs->ls, "function or expression needs too many registers");
    fs->f->maxstacksize = (uint8_t)newstack;
  }
}

static void reserveregs(FuncState *fs, int n) {
  checkstack(fs, n);
  fs->freereg = (uint8_t)(fs->freereg + n);
}

static void freereg(FuncState *fs, int reg) {
  if (reg >= nvarstack(fs)) fs->freereg--;
}

static void freeregs(FuncState *fs, int r1, int r2) {
  if (r1 > r2) { freereg(fs, r1); freereg(fs, r2); }
  else { freereg(fs, r2); freereg(fs, r1); }
}

static void freeexp(FuncState *fs, expdesc *e) {
  if (e->k == VNONRELOC) freereg(fs, e->u.info);
}

static void freeexps(FuncState *fs, expdesc *e1, expdesc *e2) {
  int r1 = (e1->k == VNONRELOC) ? e1->u.info : -1;
  int r2 = (e2->k == VNONRELOC) ? e2->u.info : -1;
  freeregs(fs, r1, r2);
}

static int addk_raw(FuncState *fs, const TValue *v) {
  Proto *f = fs->f;
  ml_State *L = fs->ls->L;
  int oldsize = f->sizek;
  growvec(L, f->k, fs->nk, f->sizek, TValue, MAXARG_Ax, "constants");
  for (int i = oldsize; i < f->sizek; i++) setnilvalue(&f->k[i]);
  setobj(&f->k[fs->nk], v);
  return fs->nk++;
}

/* strings and integers are looked up in a cache table; other constants
** (floats, booleans, nil) are few and found by a scan */
static int addk(FuncState *fs, const TValue *v) {
  ml_State *L = fs->ls->L;
  if (ttisstring(v) || ttisinteger(v)) {
    const TValue *idx = mlH_get(fs->kcache, v);
    if (ttisinteger(idx)) return (int)ivalue(idx);
    int k = addk_raw(fs, v);
    TValue kv;
    setivalue(&kv, k);
    TValue *slot = mlH_set(L, fs->kcache, v);
    setobj(slot, &kv);
    return k;
  }
  for (int i = 0; i < fs->nk; i++) {
    const TValue *o = &fs->f->k[i];
    if (o->tt == v->tt && (ttisnil(v) || ttisboolean(v) ||
                           (ttisfloat(v) && memcmp(&o->v.n, &v->v.n, sizeof(ml_Number)) == 0)))
      return i;
  }
  return addk_raw(fs, v);
}

static int stringK(FuncState *fs, TString *s) { TValue o; setsvalue(&o, s); return addk(fs, &o); }
static int intK(FuncState *fs, ml_Integer n) { TValue o; setivalue(&o, n); return addk(fs, &o); }
static int fltK(FuncState *fs, ml_Number r) { TValue o; setfltvalue(&o, r); return addk(fs, &o); }
static int boolF(FuncState *fs) { TValue o; setbfvalue(&o); return addk(fs, &o); }
static int boolT(FuncState *fs) { TValue o; setbtvalue(&o); return addk(fs, &o); }
static int nilK(FuncState *fs) { TValue o; setnilvalue(&o); return addk(fs, &o); }

static int fitsC(ml_Integer i) { return l_castS2U(i) + OFFSET_sC <= (ml_Unsigned)MAXARG_C; }
static int fitsBx(ml_Integer i) { return -OFFSET_sBx <= i && i <= MAXARG_Bx - OFFSET_sBx; }

static void loadint(FuncState *fs, int reg, ml_Integer i) {
  if (fitsBx(i)) codeAsBx(fs, OP_LOADI, reg, (int)i);
  else codek(fs, reg, intK(fs, i));
}

static void loadflt(FuncState *fs, int reg, ml_Number f) {
  ml_Integer fi;
  if (mlV_flttointns(f, &fi, 0) && fitsBx(fi) && !(f == 0 && signbit(f))) codeAsBx(fs, OP_LOADF, reg, (int)fi);
  else codek(fs, reg, fltK(fs, f));
}

/* ======================================================================
** expressions to registers
** ====================================================================== */

static void init_exp(expdesc *e, expkind k, int i) {
  e->f = e->t = NO_JUMP;
  e->k = k;
  e->u.info = i;
}

static void codestring(expdesc *e, TString *s) {
  e->f = e->t = NO_JUMP;
  e->k = VKSTR;
  e->u.strval = s;
}

static int hasjumps(expdesc *e) { return e->t != e->f; }

static Vardesc *getlocalvardesc(FuncState *fs, int vidx) {
  return &fs->ls->dyd->actvar.arr[fs->firstlocal + vidx];
}

static int reglevel(FuncState *fs, int nvar) {
  while (nvar-- > 0) {
    Vardesc *vd = getlocalvardesc(fs, nvar);
    if (vd->kind != RDKCTC) return vd->ridx + 1;
  }
  return 0;
}

/* the constant value of an expression, if it has one known at compile time */
static int tonumeral(const expdesc *e, TValue *v) {
  if (hasjumps((expdesc *)e)) return 0;
  switch (e->k) {
    case VKINT: if (v) setivalue(v, e->u.ival); return 1;
    case VKFLT: if (v) setfltvalue(v, e->u.nval); return 1;
    default: return 0;
  }
}

static void const2exp(const TValue *v, expdesc *e) {
  switch (rawtt(v)) {
    case VT_INT: e->k = VKINT; e->u.ival = ivalue(v); break;
    case VT_FLT: e->k = VKFLT; e->u.nval = fltvalue(v); break;
    case VT_FALSE: e->k = VFALSE; break;
    case VT_TRUE: e->k = VTRUE; break;
    case VT_NIL: e->k = VNIL; break;
    default: e->k = VKSTR; e->u.strval = tsvalue(v); break;
  }
}

static void setreturns(FuncState *fs, expdesc *e, int nresults) {
  Instruction *pc = &fs->f->code[e->u.info];
  if (e->k == VCALL) {
    SETARG_C(*pc, nresults + 1);
  } else { /* VVARARG */
    SETARG_C(*pc, nresults + 1);
    SETARG_A(*pc, fs->freereg);
    reserveregs(fs, 1);
  }
}

static void setmultret(FuncState *fs, expdesc *e) { setreturns(fs, e, ML_MULTRET); }

static void setoneret(FuncState *fs, expdesc *e) {
  if (e->k == VCALL) {
    e->k = VNONRELOC;
    e->u.info = GETARG_A(fs->f->code[e->u.info]);
  } else if (e->k == VVARARG) {
    SETARG_C(fs->f->code[e->u.info], 2);
    e->k = VRELOC;
  }
}

static void dischargevars(FuncState *fs, expdesc *e) {
  switch (e->k) {
    case VCONST: const2exp(&fs->ls->dyd->actvar.arr[e->u.info].k, e); break;
    case VLOCAL: e->u.info = e->u.var.ridx; e->k = VNONRELOC; break;
    case VUPVAL: e->u.info = codeABC(fs, OP_GETUPVAL, 0, e->u.info, 0); e->k = VRELOC; break;
    case VINDEXUP: e->u.info = codeABC(fs, OP_GETTABUP, 0, e->u.ind.t, e->u.ind.idx); e->k = VRELOC; break;
    case VINDEXI:
      freereg(fs, e->u.ind.t);
      e->u.info = codeABC(fs, OP_GETI, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXSTR:
      freereg(fs, e->u.ind.t);
      e->u.info = codeABC(fs, OP_GETFIELD, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXED:
      freeregs(fs, e->u.ind.t, e->u.ind.idx);
      e->u.info = codeABC(fs, OP_GETTABLE, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VVARARG: case VCALL: setoneret(fs, e); break;
    default: break;
  }
}

static void discharge2reg(FuncState *fs, expdesc *e, int reg) {
  dischargevars(fs, e);
  switch (e->k) {
    case VNIL: codenil(fs, reg, 1); break;
    case VFALSE: codeABC(fs, OP_LOADFALSE, reg, 0, 0); break;
    case VTRUE: codeABC(fs, OP_LOADTRUE, reg, 0, 0); break;
    case VKSTR: codek(fs, reg, stringK(fs, e->u.strval)); break;
    case VK: codek(fs, reg, e->u.info); break;
    case VKFLT: loadflt(fs, reg, e->u.nval); break;
    case VKINT: loadint(fs, reg, e->u.ival); break;
    case VRELOC: SETARG_A(fs->f->code[e->u.info], reg); break;
    case VNONRELOC:
      if (reg != e->u.info) codeABC(fs, OP_MOVE, reg, e->u.info, 0);
      break;
    default: return; /* VJMP: nothing to do yet */
  }
  e->u.info = reg;
  e->k = VNONRELOC;
}

static void discharge2anyreg(FuncState *fs, expdesc *e) {
  if (e->k != VNONRELOC) {
    reserveregs(fs, 1);
    discharge2reg(fs, e, fs->freereg - 1);
  }
}

static int code_loadbool(FuncState *fs, int A, OpCode op) {
  getlabel(fs);
  return codeABC(fs, op, A, 0, 0);
}

static int need_value(FuncState *fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list)) {
    Instruction i = *getjumpcontrol(fs, list);
    if (GET_OPCODE(i) != OP_TESTSET) return 1;
  }
  return 0;
}

static void exp2reg(FuncState *fs, expdesc *e, int reg) {
  discharge2reg(fs, e, reg);
  if (e->k == VJMP) concatjumps(fs, &e->t, e->u.info);
  if (hasjumps(e)) {
    int final, p_f = NO_JUMP, p_t = NO_JUMP;
    if (need_value(fs, e->t) || need_value(fs, e->f)) {
      int fj = (e->k == VJMP) ? NO_JUMP : jump(fs);
      p_f = code_loadbool(fs, reg, OP_LFALSESKIP);
      p_t = code_loadbool(fs, reg, OP_LOADTRUE);
      patchtohere(fs, fj);
    }
    final = getlabel(fs);
    patchlistaux(fs, e->f, final, reg, p_f);
    patchlistaux(fs, e->t, final, reg, p_t);
  }
  e->f = e->t = NO_JUMP;
  e->u.info = reg;
  e->k = VNONRELOC;
}

static void exp2nextreg(FuncState *fs, expdesc *e) {
  dischargevars(fs, e);
  freeexp(fs, e);
  reserveregs(fs, 1);
  exp2reg(fs, e, fs->freereg - 1);
}

static int exp2anyreg(FuncState *fs, expdesc *e) {
  dischargevars(fs, e);
  if (e->k == VNONRELOC) {
    if (!hasjumps(e)) return e->u.info;
    if (e->u.info >= nvarstack(fs)) { /* a temporary: put the final result there */
      exp2reg(fs, e, e->u.info);
      return e->u.info;
    }
  }
  exp2nextreg(fs, e);
  return e->u.info;
}

static void exp2anyregup(FuncState *fs, expdesc *e) {
  if (e->k != VUPVAL || hasjumps(e)) exp2anyreg(fs, e);
}

static void exp2val(FuncState *fs, expdesc *e) {
  if (hasjumps(e)) exp2anyreg(fs, e);
  else dischargevars(fs, e);
}

/* Tries to make e a constant operand (index fits in 8 bits). */
static int exp2K(FuncState *fs, expdesc *e) {
  if (!hasjumps(e)) {
    int info;
    switch (e->k) {
      case VTRUE: info = boolT(fs); break;
      case VFALSE: info = boolF(fs); break;
      case VNIL: info = nilK(fs); break;
      case VKINT: info = intK(fs, e->u.ival); break;
      case VKFLT: info = fltK(fs, e->u.nval); break;
      case VKSTR: info = stringK(fs, e->u.strval); break;
      case VK: info = e->u.info; break;
      default: return 0;
    }
    if (info <= MAXARG_C) {
      e->k = VK;
      e->u.info = info;
      return 1;
    }
  }
  return 0;
}

static int exp2RK(FuncState *fs, expdesc *e) {
  if (exp2K(fs, e)) return 1;
  exp2anyreg(fs, e);
  return 0;
}

static void codeABRK(FuncState *fs, OpCode o, int a, int b, expdesc *ec) {
  int k = exp2RK(fs, ec);
  codeABCk(fs, o, a, b, ec->u.info, k);
}

static void storevar(FuncState *fs, expdesc *var, expdesc *ex) {
  switch (var->k) {
    case VLOCAL:
      freeexp(fs, ex);
      exp2reg(fs, ex, var->u.var.ridx);
      return;
    case VUPVAL: {
      int e = exp2anyreg(fs, ex);
      codeABC(fs, OP_SETUPVAL, e, var->u.info, 0);
      break;
    }
    case VINDEXUP: codeABRK(fs, OP_SETTABUP, var->u.ind.t, var->u.ind.idx, ex); break;
    case VINDEXI: codeABRK(fs, OP_SETI, var->u.ind.t, var->u.ind.idx, ex); break;
    case VINDEXSTR: codeABRK(fs, OP_SETFIELD, var->u.ind.t, var->u.ind.idx, ex); break;
    case VINDEXED: codeABRK(fs, OP_SETTABLE, var->u.ind.t, var->u.ind.idx, ex); break;
    default: break;
  }
  freeexp(fs, ex);
}

static void codeself(FuncState *fs, expdesc *e, expdesc *key) {
  exp2anyreg(fs, e);
  int ereg = e->u.info;
  freeexp(fs, e);
  e->u.info = fs->freereg;
  e->k = VNONRELOC;
  reserveregs(fs, 2);
  codeABRK(fs, OP_SELF, e->u.info, ereg, key);
  freeexp(fs, key);
}

static int isKstr(FuncState *fs, expdesc *e) {
  return e->k == VK && !hasjumps(e) && e->u.info <= MAXARG_B && ttisshrstring(&fs->f->k[e->u.info]);
}

static int isCint(expdesc *e) {
  return e->k == VKINT && !hasjumps(e) && l_castS2U(e->u.ival) <= (ml_Unsigned)MAXARG_C;
}

static int isSCint(expdesc *e) {
  return e->k == VKINT && !hasjumps(e) && fitsC(e->u.ival);
}

static void str2K(FuncState *fs, expdesc *e) {
  e->u.info = stringK(fs, e->u.strval);
  e->k = VK;
}

/* t[k]: t is already in a register or an upvalue */
static void indexed(FuncState *fs, expdesc *t, expdesc *k) {
  if (k->k == VKSTR) str2K(fs, k);
  if (t->k == VUPVAL && !isKstr(fs, k)) exp2anyreg(fs, t);
  if (t->k == VUPVAL) {
    int temp = t->u.info;
    t->u.ind.t = (uint8_t)temp;
    t->u.ind.idx = (short)k->u.info;
    t->k = VINDEXUP;
  } else {
    t->u.ind.t = (uint8_t)((t->k == VLOCAL) ? t->u.var.ridx : t->u.info);
    if (isKstr(fs, k)) {
      t->u.ind.idx = (short)k->u.info;
      t->k = VINDEXSTR;
    } else if (isCint(k)) {
      t->u.ind.idx = (short)k->u.ival;
      t->k = VINDEXI;
    } else {
      t->u.ind.idx = (short)exp2anyreg(fs, k);
      t->k = VINDEXED;
    }
  }
}

/* ======================================================================
** conditions
** ====================================================================== */

static void negatecondition(FuncState *fs, expdesc *e) {
  Instruction *pc = getjumpcontrol(fs, e->u.info);
  SETARG_k(*pc, GETARG_k(*pc) ^ 1);
}

static int jumponcond(FuncState *fs, expdesc *e, int cond) {
  if (e->k == VRELOC) {
    Instruction ie = fs->f->code[e->u.info];
    if (GET_OPCODE(ie) == OP_NOT) { /* 'not x': test x with the opposite condition */
      fs->pc--;
      return condjump(fs, OP_TEST, GETARG_B(ie), 0, 0, !cond);
    }
  }
  discharge2anyreg(fs, e);
  freeexp(fs, e);
  return condjump(fs, OP_TESTSET, NO_REG, e->u.info, 0, cond);
}

static void goiftrue(FuncState *fs, expdesc *e) {
  int pc;
  dischargevars(fs, e);
  switch (e->k) {
    case VJMP: negatecondition(fs, e); pc = e->u.info; break;
    case VK: case VKFLT: case VKINT: case VKSTR: case VTRUE: pc = NO_JUMP; break;
    default: pc = jumponcond(fs, e, 0); break;
  }
  concatjumps(fs, &e->f, pc);
  patchtohere(fs, e->t);
  e->t = NO_JUMP;
}

static void goiffalse(FuncState *fs, expdesc *e) {
  int pc;
  dischargevars(fs, e);
  switch (e->k) {
    case VJMP: pc = e->u.info; break;
    case VNIL: case VFALSE: pc = NO_JUMP; break;
    default: pc = jumponcond(fs, e, 1); break;
  }
  concatjumps(fs, &e->t, pc);
  patchtohere(fs, e->f);
  e->f = NO_JUMP;
}

static void codenot(FuncState *fs, expdesc *e) {
  switch (e->k) {
    case VNIL: case VFALSE: e->k = VTRUE; break;
    case VK: case VKFLT: case VKINT: case VKSTR: case VTRUE: e->k = VFALSE; break;
    case VJMP: negatecondition(fs, e); break;
    case VRELOC: case VNONRELOC: {
      discharge2anyreg(fs, e);
      freeexp(fs, e);
      e->u.info = codeABC(fs, OP_NOT, 0, e->u.info, 0);
      e->k = VRELOC;
      break;
    }
    default: break;
  }
  { int temp = e->f; e->f = e->t; e->t = temp; }
  removevalues(fs, e->f);
  removevalues(fs, e->t);
}

/* ======================================================================
** operators
** ====================================================================== */

typedef enum {
  OPR_ADD, OPR_SUB, OPR_MUL, OPR_MOD, OPR_POW, OPR_DIV, OPR_IDIV,
  OPR_BAND, OPR_BOR, OPR_BXOR, OPR_SHL, OPR_SHR,
  OPR_CONCAT,
  OPR_EQ, OPR_LT, OPR_LE, OPR_NE, OPR_GT, OPR_GE,
  OPR_AND, OPR_OR,
  OPR_NOBINOPR
} BinOpr;

typedef enum { OPR_MINUS, OPR_BNOT, OPR_NOT, OPR_LEN, OPR_NOUNOPR } UnOpr;

#define foldbinop(op) ((op) <= OPR_SHR)

static int validop(int op, TValue *v1, TValue *v2) {
  switch (op) {
    case ARITH_BAND: case ARITH_BOR: case ARITH_BXOR: case ARITH_SHL: case ARITH_SHR: case ARITH_BNOT: {
      ml_Integer i;
      return mlV_tointeger(v1, &i, 0) && mlV_tointeger(v2, &i, 0);
    }
    case ARITH_DIV: case ARITH_IDIV: case ARITH_MOD:
      return nvalue(v2) != 0;
    default: return 1;
  }
}

static int constfolding(FuncState *fs, int op, expdesc *e1, const expdesc *e2) {
  TValue v1, v2, res;
  if (!tonumeral(e1, &v1) || !tonumeral(e2, &v2) || !validop(op, &v1, &v2)) return 0;
  if (!mlV_rawarith(fs->ls->L, op, &v1, &v2, &res)) return 0;
  if (ttisinteger(&res)) {
    e1->k = VKINT;
    e1->u.ival = ivalue(&res);
  } else {
    ml_Number n = fltvalue(&res);
    if (n != n || n == 0) return 0; /* keep NaN and (-)0 out of constants */
    e1->k = VKFLT;
    e1->u.nval = n;
  }
  return 1;
}

static void codeunexpval(FuncState *fs, OpCode op, expdesc *e, int line) {
  int r = exp2anyreg(fs, e);
  freeexp(fs, e);
  e->u.info = codeABC(fs, op, 0, r, 0);
  e->k = VRELOC;
  fixline(fs, line);
}

static void prefix(FuncState *fs, UnOpr op, expdesc *e, int line) {
  static const expdesc ef = {VKINT, {0}, NO_JUMP, NO_JUMP};
  dischargevars(fs, e);
  switch (op) {
    case OPR_MINUS: case OPR_BNOT:
      if (constfolding(fs, op == OPR_MINUS ? ARITH_UNM : ARITH_BNOT, e, &ef)) break;
      /* fallthrough */
    case OPR_LEN:
      codeunexpval(fs, op == OPR_MINUS ? OP_UNM : op == OPR_BNOT ? OP_BNOT : OP_LEN, e, line);
      break;
    case OPR_NOT: codenot(fs, e); break;
    default: break;
  }
}

static int isnumeralK(FuncState *fs, expdesc *e) {
  /* numeric constant that can be an 8-bit K operand */
  TValue v;
  if (!tonumeral(e, &v)) return 0;
  int k = addk(fs, &v);
  if (k > MAXARG_C) return 0;
  e->k = VK;
  e->u.info = k;
  return 1;
}

static void infix(FuncState *fs, BinOpr op, expdesc *v) {
  dischargevars(fs, v);
  switch (op) {
    case OPR_AND: goiftrue(fs, v); break;
    case OPR_OR: goiffalse(fs, v); break;
    case OPR_CONCAT: exp2nextreg(fs, v); break;
    case OPR_ADD: case OPR_SUB: case OPR_MUL: case OPR_DIV: case OPR_IDIV: case OPR_MOD: case OPR_POW:
    case OPR_BAND: case OPR_BOR: case OPR_BXOR: case OPR_SHL: case OPR_SHR:
      if (!tonumeral(v, NULL)) exp2anyreg(fs, v);
      break;
    case OPR_EQ: case OPR_NE:
      if (!tonumeral(v, NULL)) exp2RK(fs, v);
      break;
    case OPR_LT: case OPR_LE: case OPR_GT: case OPR_GE:
      if (!isSCint(v)) exp2anyreg(fs, v);
      break;
    default: break;
  }
}

static void codeconcat(FuncState *fs, expdesc *e1, expdesc *e2, int line) {
  Instruction *ie2 = &fs->f->code[fs->pc - 1];
  if (fs->pc > fs->lasttarget && GET_OPCODE(*ie2) == OP_CONCAT && GETARG_A(*ie2) == e1->u.info + 1) {
    int n = GETARG_B(*ie2); /* merge with the following concatenation */
    freeexp(fs, e2);
    SETARG_A(*ie2, e1->u.info);
    SETARG_B(*ie2, n + 1);
  } else {
    codeABC(fs, OP_CONCAT, e1->u.info, 2, 0);
    freeexp(fs, e2);
    fixline(fs, line);
  }
}

static void finishbinexpval(FuncState *fs, expdesc *e1, expdesc *e2, OpCode op, int v2, int flip, int line) {
  int v1 = exp2anyreg(fs, e1);
  int pc = codeABCk(fs, op, 0, v1, v2, flip); /* k: operands swapped (metamethods see the source order) */
  freeexps(fs, e1, e2);
  e1->u.info = pc;
  e1->k = VRELOC;
  fixline(fs, line);
}

static void swapexps(expdesc *e1, expdesc *e2) {
  expdesc temp = *e1;
  *e1 = *e2;
  *e2 = temp;
}

static void codearith(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2, int line) {
  int flip = 0;
  /* commutative operators with a constant first operand: swap */
  if ((opr == OPR_ADD || opr == OPR_MUL) && tonumeral(e1, NULL) && !tonumeral(e2, NULL)) {
    swapexps(e1, e2);
    flip = 1;
  }
  if (opr == OPR_ADD && isSCint(e2)) {
    finishbinexpval(fs, e1, e2, OP_ADDI, int2sC((int)e2->u.ival), flip, line);
    return;
  }
  if (opr == OPR_SHR && isSCint(e2)) {
    finishbinexpval(fs, e1, e2, OP_SHRI, int2sC((int)e2->u.ival), flip, line);
    return;
  }
  if (opr == OPR_SHL && isSCint(e1) && !tonumeral(e2, NULL)) { /* imm << x */
    int imm = (int)e1->u.ival;
    swapexps(e1, e2);
    finishbinexpval(fs, e1, e2, OP_SHLI, int2sC(imm), 0, line);
    return;
  }
  if (opr != OPR_SHL && opr != OPR_SHR && isnumeralK(fs, e2)) {
    finishbinexpval(fs, e1, e2, (OpCode)(OP_ADDK + opr), e2->u.info, flip, line);
    return;
  }
  if (flip) swapexps(e1, e2); /* restore the original order */
  int v2 = exp2anyreg(fs, e2);
  finishbinexpval(fs, e1, e2, (OpCode)(OP_ADD + opr), v2, 0, line);
}

static void codeorder(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2) {
  int r1, r2;
  OpCode op;
  if (opr == OPR_GT || opr == OPR_GE) { /* a > b  <=>  b < a */
    swapexps(e1, e2);
    opr = (opr == OPR_GT) ? OPR_LT : OPR_LE;
  }
  if (isSCint(e2)) {
    r1 = exp2anyreg(fs, e1);
    r2 = int2sC((int)e2->u.ival);
    op = (opr == OPR_LT) ? OP_LTI : OP_LEI;
  } else if (isSCint(e1)) { /* imm < x  <=>  x > imm */
    r1 = exp2anyreg(fs, e2);
    r2 = int2sC((int)e1->u.ival);
    op = (opr == OPR_LT) ? OP_GTI : OP_GEI;
  } else {
    r1 = exp2anyreg(fs, e1);
    r2 = exp2anyreg(fs, e2);
    op = (opr == OPR_LT) ? OP_LT : OP_LE;
  }
  freeexps(fs, e1, e2);
  e1->u.info = condjump(fs, op, r1, r2, 0, 1);
  e1->k = VJMP;
}

static void codeeq(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2) {
  int r1, r2;
  OpCode op;
  if (e1->k != VNONRELOC) { /* e1 is a constant: swap */
    swapexps(e1, e2);
  }
  r1 = exp2anyreg(fs, e1);
  if (isSCint(e2)) {
    op = OP_EQI;
    r2 = int2sC((int)e2->u.ival);
  } else if (exp2RK(fs, e2)) {
    op = OP_EQK;
    r2 = e2->u.info;
  } else {
    op = OP_EQ;
    r2 = exp2anyreg(fs, e2);
  }
  freeexps(fs, e1, e2);
  e1->u.info = condjump(fs, op, r1, r2, 0, (opr == OPR_EQ));
  e1->k = VJMP;
}

static void posfix(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2, int line) {
  dischargevars(fs, e2);
  if (foldbinop(opr) && constfolding(fs, (int)opr, e1, e2)) return;
  switch (opr) {
    case OPR_AND:
      concatjumps(fs, &e2->f, e1->f);
      *e1 = *e2;
      break;
    case OPR_OR:
      concatjumps(fs, &e2->t, e1->t);
      *e1 = *e2;
      break;
    case OPR_CONCAT:
      exp2nextreg(fs, e2);
      codeconcat(fs, e1, e2, line);
      break;
    case OPR_EQ: case OPR_NE: codeeq(fs, opr, e1, e2); break;
    case OPR_LT: case OPR_LE: case OPR_GT: case OPR_GE: codeorder(fs, opr, e1, e2); break;
    default: codearith(fs, opr, e1, e2, line); break;
  }
}

/* ======================================================================
** variables, scopes, labels
** ====================================================================== */

static short registerlocalvar(LexState *ls, FuncState *fs, TString *varname) {
  Proto *f = fs->f;
  int oldsize = f->sizelocvars;
  growvec(ls->L, f->locvars, fs->ndebugvars, f->sizelocvars, LocVar, 32767, "local variables");
  for (int i = oldsize; i < f->sizelocvars; i++) f->locvars[i].varname = NULL;
  f->locvars[fs->ndebugvars].varname = varname;
  f->locvars[fs->ndebugvars].startpc = fs->pc;
  return fs->ndebugvars++;
}

static int new_localvar(LexState *ls, TString *name) {
  FuncState *fs = ls->fs;
  Dyndata *dyd = ls->dyd;
  checklimit(fs, dyd->actvar.n + 1 - fs->firstlocal, MAXVARS, "local variables");
  if (dyd->actvar.n + 1 > dyd->actvar.size) {
    int ns = dyd->actvar.size ? dyd->actvar.size * 2 : 32;
    Vardesc *na = realloc(dyd->actvar.arr, sizeof(Vardesc) * (size_t)ns);
    if (!na) mlD_throw(ls->L, ML_ERRMEM);
    dyd->actvar.arr = na;
    dyd->actvar.size = ns;
  }
  Vardesc *var = &dyd->actvar.arr[dyd->actvar.n++];
  var->kind = VDKREG;
  var->name = name;
  setnilvalue(&var->k);
  return dyd->actvar.n - 1 - fs->firstlocal;
}

#define new_localvarliteral(ls, v) new_localvar(ls, mlX_newstring(ls, "" v, sizeof(v) - 1))

static LocVar *localdebuginfo(FuncState *fs, int vidx) {
  Vardesc *vd = getlocalvardesc(fs, vidx);
  if (vd->kind == RDKCTC) return NULL;
  return &fs->f->locvars[vd->pidx];
}

static void init_var(FuncState *fs, expdesc *e, int vidx) {
  e->f = e->t = NO_JUMP;
  e->k = VLOCAL;
  e->u.var.vidx = (unsigned short)vidx;
  e->u.var.ridx = getlocalvardesc(fs, vidx)->ridx;
}

static void check_readonly(LexState *ls, expdesc *e) {
  FuncState *fs = ls->fs;
  TString *varname = NULL;
  switch (e->k) {
    case VCONST: varname = ls->dyd->actvar.arr[e->u.info].name; break;
    case VLOCAL: {
      Vardesc *vardesc = getlocalvardesc(fs, e->u.var.vidx);
      if (vardesc->kind != VDKREG) varname = vardesc->name;
      break;
    }
    case VUPVAL: {
      Upvaldesc *up = &fs->f->upvalues[e->u.info];
      if (up->kind != VDKREG) varname = up->name;
      break;
    }
    default: return;
  }
  if (varname) semerror(ls, mlO_pushfstring(ls->L, "attempt to assign to const variable '%s'", getstr(varname)));
}

static void adjustlocalvars(LexState *ls, int nvars) {
  FuncState *fs = ls->fs;
  int reglev = nvarstack(fs);
  for (int i = 0; i < nvars; i++) {
    int vidx = fs->nactvar++;
    Vardesc *var = getlocalvardesc(fs, vidx);
    var->ridx = (uint8_t)reglev++;
    var->pidx = registerlocalvar(ls, fs, var->name);
  }
}

static void removevars(FuncState *fs, int tolevel) {
  fs->ls->dyd->actvar.n -= (fs->nactvar - tolevel);
  while (fs->nactvar > tolevel) {
    LocVar *var = localdebuginfo(fs, --fs->nactvar);
    if (var) var->endpc = fs->pc;
  }
}

static int searchupvalue(FuncState *fs, TString *name) {
  Upvaldesc *up = fs->f->upvalues;
  for (int i = 0; i < fs->nups; i++)
    if (up[i].name == name) return i;
  return -1;
}

static Upvaldesc *allocupvalue(FuncState *fs) {
  Proto *f = fs->f;
  int oldsize = f->sizeupvalues;
  checklimit(fs, fs->nups + 1, MAXUPVAL, "upvalues");
  growvec(fs->ls->L, f->upvalues, fs->nups, f->sizeupvalues, Upvaldesc, MAXUPVAL, "upvalues");
  for (int i = oldsize; i < f->sizeupvalues; i++) f->upvalues[i].name = NULL;
  return &f->upvalues[fs->nups++];
}

static int newupvalue(FuncState *fs, TString *name, expdesc *v) {
  Upvaldesc *up = allocupvalue(fs);
  FuncState *prev = fs->prev;
  if (v->k == VLOCAL) {
    up->instack = 1;
    up->idx = v->u.var.ridx;
    up->kind = getlocalvardesc(prev, v->u.var.vidx)->kind;
  } else {
    up->instack = 0;
    up->idx = (uint8_t)v->u.info;
    up->kind = prev->f->upvalues[v->u.info].kind;
  }
  up->name = name;
  return fs->nups - 1;
}

static int searchvar(FuncState *fs, TString *n, expdesc *var) {
  for (int i = fs->nactvar - 1; i >= 0; i--) {
    Vardesc *vd = getlocalvardesc(fs, i);
    if (n == vd->name) {
      if (vd->kind == RDKCTC) init_exp(var, VCONST, fs->firstlocal + i);
      else init_var(fs, var, i);
      return var->k;
    }
  }
  return -1;
}

static void markupval(FuncState *fs, int level) {
  BlockCnt *bl = fs->bl;
  while (bl->nactvar > level) bl = bl->previous;
  bl->upval = 1;
}

static void singlevaraux(FuncState *fs, TString *n, expdesc *var, int base) {
  if (fs == NULL) {
    init_exp(var, VVOID, 0); /* a global */
    return;
  }
  int v = searchvar(fs, n, var);
  if (v >= 0) {
    if (v == VLOCAL && !base) markupval(fs, var->u.var.vidx);
    return;
  }
  int idx = searchupvalue(fs, n);
  if (idx < 0) {
    singlevaraux(fs->prev, n, var, 0);
    if (var->k == VLOCAL || var->k == VUPVAL) idx = newupvalue(fs, n, var);
    else return; /* global or compile-time constant */
  }
  init_exp(var, VUPVAL, idx);
}

static void singlevar(LexState *ls, expdesc *var) {
  TString *varname = str_checkname(ls);
  FuncState *fs = ls->fs;
  singlevaraux(fs, varname, var, 1);
  if (var->k == VVOID) { /* global: _ENV[varname] */
    expdesc key;
    singlevaraux(fs, ls->envn, var, 1);
    exp2anyregup(fs, var);
    codestring(&key, varname);
    indexed(fs, var, &key);
  }
}

static void adjust_assign(LexState *ls, int nvars, int nexps, expdesc *e) {
  FuncState *fs = ls->fs;
  int needed = nvars - nexps;
  if (e->k == VCALL || e->k == VVARARG) {
    int extra = needed + 1;
    if (extra < 0) extra = 0;
    setreturns(fs, e, extra);
  } else {
    if (e->k != VVOID) exp2nextreg(fs, e);
    if (needed > 0) codenil(fs, fs->freereg, needed);
  }
  if (needed > 0) reserveregs(fs, needed);
  else fs->freereg = (uint8_t)(fs->freereg + needed);
}

static void jumpscopeerror(LexState *ls, Labeldesc *gt) __attribute__((noreturn));
static void jumpscopeerror(LexState *ls, Labeldesc *gt) {
  const char *varname = getstr(getlocalvardesc(ls->fs, gt->nactvar)->name);
  const char *msg = "<goto %s> at line %d jumps into the scope of local '%s'";
  msg = mlO_pushfstring(ls->L, msg, getstr(gt->name), gt->line, varname);
  semerror(ls, msg);
}

static int newlabelentry(LexState *ls, Labellist *l, TString *name, int line, int pc) {
  int n = l->n;
  if (n + 1 > l->size) {
    int ns = l->size ? l->size * 2 : 16;
    Labeldesc *na = realloc(l->arr, sizeof(Labeldesc) * (size_t)ns);
    if (!na) mlD_throw(ls->L, ML_ERRMEM);
    l->arr = na;
    l->size = ns;
  }
  l->arr[n].name = name;
  l->arr[n].line = line;
  l->arr[n].nactvar = ls->fs->nactvar;
  l->arr[n].close = 0;
  l->arr[n].pc = pc;
  l->n = n + 1;
  return n;
}

static int newgotoentry(LexState *ls, TString *name, int line, int pc) {
  return newlabelentry(ls, &ls->dyd->gt, name, line, pc);
}

/* Resolves the pending gotos to a new label; returns whether one of them
** needs its upvalues closed. */
static int solvegotos(LexState *ls, Labeldesc *lb) {
  Labellist *gl = &ls->dyd->gt;
  int i = ls->fs->bl->firstgoto;
  int needsclose = 0;
  while (i < gl->n) {
    if (gl->arr[i].name == lb->name) {
      Labeldesc *gt = &gl->arr[i];
      needsclose |= gt->close;
      if (gt->nactvar < lb->nactvar) jumpscopeerror(ls, gt);
      patchlist(ls->fs, gt->pc, lb->pc);
      for (int j = i; j < gl->n - 1; j++) gl->arr[j] = gl->arr[j + 1];
      gl->n--;
    } else {
      i++;
    }
  }
  return needsclose;
}

static int createlabel(LexState *ls, TString *name, int line, int last) {
  FuncState *fs = ls->fs;
  Labellist *ll = &ls->dyd->label;
  int l = newlabelentry(ls, ll, name, line, getlabel(fs));
  if (last) ll->arr[l].nactvar = fs->bl->nactvar; /* a label at a block's end: locals are out of scope */
  if (solvegotos(ls, &ll->arr[l])) {
    codeABC(fs, OP_CLOSE, nvarstack(fs), 0, 0);
    return 1;
  }
  return 0;
}

/* Pending gotos of a closing block move to the enclosing block. */
static void movegotosout(FuncState *fs, BlockCnt *bl) {
  Labellist *gl = &fs->ls->dyd->gt;
  for (int i = bl->firstgoto; i < gl->n; i++) {
    Labeldesc *gt = &gl->arr[i];
    if (reglevel(fs, gt->nactvar) > reglevel(fs, bl->nactvar)) gt->close |= bl->upval;
    gt->nactvar = bl->nactvar;
  }
}

static void enterblock(FuncState *fs, BlockCnt *bl, uint8_t isloop) {
  bl->isloop = isloop;
  bl->nactvar = fs->nactvar;
  bl->firstlabel = fs->ls->dyd->label.n;
  bl->firstgoto = fs->ls->dyd->gt.n;
  bl->upval = 0;
  bl->previous = fs->bl;
  fs->bl = bl;
}

static void undefgoto(LexState *ls, Labeldesc *gt) __attribute__((noreturn));
static void undefgoto(LexState *ls, Labeldesc *gt) {
  const char *msg;
  if (strcmp(getstr(gt->name), "break") == 0) {
    msg = mlO_pushfstring(ls->L, "break outside loop at line %d", gt->line);
  } else {
    msg = mlO_pushfstring(ls->L, "no visible label '%s' for <goto> at line %d", getstr(gt->name), gt->line);
  }
  semerror(ls, msg);
}

static void leaveblock(FuncState *fs) {
  BlockCnt *bl = fs->bl;
  LexState *ls = fs->ls;
  int hasclose = 0;
  int stklevel = reglevel(fs, bl->nactvar);
  removevars(fs, bl->nactvar);
  if (bl->isloop) hasclose = createlabel(ls, mlS_new(ls->L, "break"), 0, 0);
  if (!hasclose && bl->previous && bl->upval) codeABC(fs, OP_CLOSE, stklevel, 0, 0);
  fs->freereg = (uint8_t)stklevel;
  ls->dyd->label.n = bl->firstlabel;
  fs->bl = bl->previous;
  if (bl->previous) {
    movegotosout(fs, bl);
  } else if (bl->firstgoto < ls->dyd->gt.n) {
    undefgoto(ls, &ls->dyd->gt.arr[bl->firstgoto]);
  }
}

/* ======================================================================
** functions
** ====================================================================== */

static Proto *addprototype(LexState *ls) {
  ml_State *L = ls->L;
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  if (fs->np >= f->sizep) {
    int oldsize = f->sizep;
    growvec(L, f->p, fs->np, f->sizep, Proto *, MAXARG_Bx, "functions");
    for (int i = oldsize; i < f->sizep; i++) f->p[i] = NULL;
  }
  Proto *clp = mlF_newproto(L);
  f->p[fs->np++] = clp;
  return clp;
}

static void codeclosure(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs->prev;
  init_exp(v, VRELOC, codeABx(fs, OP_CLOSURE, 0, (unsigned)(fs->np - 1)));
  exp2nextreg(fs, v);
}

static void open_func(LexState *ls, FuncState *fs, BlockCnt *bl) {
  Proto *f = fs->f;
  fs->prev = ls->fs;
  fs->ls = ls;
  ls->fs = fs;
  fs->pc = 0;
  fs->lasttarget = 0;
  fs->freereg = 0;
  fs->nk = 0;
  fs->np = 0;
  fs->nups = 0;
  fs->ndebugvars = 0;
  fs->nactvar = 0;
  fs->firstlocal = ls->dyd->actvar.n;
  fs->firstlabel = ls->dyd->label.n;
  fs->bl = NULL;
  fs->sizecode = 0;
  fs->kcache = mlH_new(ls->L);
  f->source = ls->source;
  f->maxstacksize = 2;
  enterblock(fs, bl, 0);
}

#define shrinkvec(L, v, oldn, n, t) mlM_reallocvector(L, v, oldn, n, t)

/* Converts RETURN0/RETURN1 of vararg functions to RETURN, and creates the
** JIT locations: one at the target of each backward jump (FORLOOP,
** TFORLOOP, a JMP back), where mlV_execute reaches its control point. */
static void finishcode(FuncState *fs) {
  Proto *p = fs->f;
  ml_State *L = fs->ls->L;
  p->locs = mlM_newvector(L, fs->pc, YkLocation);
  for (int i = 0; i < fs->pc; i++) p->locs[i] = yk_location_null();
  for (int i = 0; i < fs->pc; i++) {
    Instruction *pc = &p->code[i];
    switch (GET_OPCODE(*pc)) {
      case OP_RETURN0: case OP_RETURN1:
        if (p->is_vararg) SET_OPCODE(*pc, OP_RETURN);
        break;
      case OP_FORLOOP: case OP_TFORLOOP: {
        int target = i + 1 - GETARG_Bx(*pc);
        if (target >= 0 && yk_location_is_null(p->locs[target])) p->locs[target] = yk_location_new();
        break;
      }
      case OP_JMP: {
        int target = i + 1 + GETARG_sJ(*pc);
        if (target <= i && target >= 0 && yk_location_is_null(p->locs[target]))
          p->locs[target] = yk_location_new();
        break;
      }
      default: break;
    }
  }
}

static void close_func(LexState *ls) {
  ml_State *L = ls->L;
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  ret(fs, nvarstack(fs), 0);
  leaveblock(fs);
  finishcode(fs);
  shrinkvec(L, f->code, fs->sizecode, fs->pc, Instruction);
  shrinkvec(L, f->lineinfo, fs->sizecode, fs->pc, int);
  f->sizecode = fs->pc;
  shrinkvec(L, f->k, f->sizek, fs->nk, TValue);
  f->sizek = fs->nk;
  shrinkvec(L, f->p, f->sizep, fs->np, Proto *);
  f->sizep = fs->np;
  shrinkvec(L, f->locvars, f->sizelocvars, fs->ndebugvars, LocVar);
  f->sizelocvars = fs->ndebugvars;
  shrinkvec(L, f->upvalues, f->sizeupvalues, fs->nups, Upvaldesc);
  f->sizeupvalues = fs->nups;
  ls->fs = fs->prev;
}

/* ======================================================================
** grammar: expressions
** ====================================================================== */

static int block_follow(LexState *ls, int withuntil) {
  switch (ls->t.token) {
    case TK_ELSE: case TK_ELSEIF: case TK_END: case TK_EOS: return 1;
    case TK_UNTIL: return withuntil;
    default: return 0;
  }
}

static void statlist(LexState *ls) {
  while (!block_follow(ls, 1)) {
    if (ls->t.token == TK_RETURN) {
      statement(ls);
      return;
    }
    statement(ls);
  }
}

static void fieldsel(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs;
  expdesc key;
  exp2anyregup(fs, v);
  mlX_next(ls); /* skip '.' or ':' */
  codestring(&key, str_checkname(ls));
  indexed(fs, v, &key);
}

static void yindex(LexState *ls, expdesc *v) {
  mlX_next(ls); /* skip '[' */
  expr(ls, v);
  exp2val(ls->fs, v);
  checknext(ls, ']');
}

typedef struct ConsControl {
  expdesc v;   /* last list item read */
  expdesc *t;  /* table descriptor */
  int nh;      /* number of record elements */
  int na;      /* number of array elements already stored */
  int tostore; /* number of array elements pending */
} ConsControl;

static void codesetlist(FuncState *fs, int base, int nelems, int tostore) {
  if (tostore == ML_MULTRET) tostore = 0;
  codeABC(fs, OP_SETLIST, base, tostore, 0);
  codeextraarg(fs, nelems);
  fs->freereg = (uint8_t)(base + 1);
}

static void recfield(LexState *ls, ConsControl *cc) {
  FuncState *fs = ls->fs;
  int reg = ls->fs->freereg;
  expdesc tab, key, val;
  if (ls->t.token == TK_NAME) {
    codestring(&key, str_checkname(ls));
  } else {
    yindex(ls, &key);
  }
  cc->nh++;
  checknext(ls, '=');
  tab = *cc->t;
  indexed(fs, &tab, &key);
  expr(ls, &val);
  storevar(fs, &tab, &val);
  fs->freereg = (uint8_t)reg;
}

static void closelistfield(FuncState *fs, ConsControl *cc) {
  if (cc->v.k == VVOID) return;
  exp2nextreg(fs, &cc->v);
  cc->v.k = VVOID;
  if (cc->tostore == LFIELDS_PER_FLUSH) {
    codesetlist(fs, cc->t->u.info, cc->na, cc->tostore);
    cc->na += cc->tostore;
    cc->tostore = 0;
  }
}

static void lastlistfield(FuncState *fs, ConsControl *cc) {
  if (cc->tostore == 0) return;
  if (cc->v.k == VCALL || cc->v.k == VVARARG) {
    setmultret(fs, &cc->v);
    codesetlist(fs, cc->t->u.info, cc->na, ML_MULTRET);
    cc->na--;
  } else {
    if (cc->v.k != VVOID) exp2nextreg(fs, &cc->v);
    codesetlist(fs, cc->t->u.info, cc->na, cc->tostore);
  }
  cc->na += cc->tostore;
}

static void listfield(LexState *ls, ConsControl *cc) {
  expr(ls, &cc->v);
  cc->tostore++;
}

static void field(LexState *ls, ConsControl *cc) {
  switch (ls->t.token) {
    case TK_NAME:
      if (mlX_lookahead(ls) != '=') listfield(ls, cc);
      else recfield(ls, cc);
      break;
    case '[': recfield(ls, cc); break;
    default: listfield(ls, cc); break;
  }
}

static void constructor(LexState *ls, expdesc *t) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  int pc = codeABC(fs, OP_NEWTABLE, 0, 0, 0);
  ConsControl cc;
  cc.na = cc.nh = cc.tostore = 0;
  cc.t = t;
  init_exp(t, VNONRELOC, fs->freereg);
  reserveregs(fs, 1);
  init_exp(&cc.v, VVOID, 0);
  checknext(ls, '{');
  do {
    if (ls->t.token == '}') break;
    closelistfield(fs, &cc);
    field(ls, &cc);
  } while (testnext(ls, ',') || testnext(ls, ';'));
  check_match(ls, '}', '{', line);
  lastlistfield(fs, &cc);
  Instruction *ip = &fs->f->code[pc];
  SETARG_A(*ip, t->u.info);
  SETARG_B(*ip, cc.nh > MAXARG_B ? MAXARG_B : cc.nh);
  SETARG_C(*ip, cc.na > MAXARG_C ? MAXARG_C : cc.na);
}

static void setvararg(FuncState *fs, int nparams) {
  fs->f->is_vararg = 1;
  codeABC(fs, OP_VARARGPREP, nparams, 0, 0);
}

static void parlist(LexState *ls) {
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  int nparams = 0;
  int isvararg = 0;
  if (ls->t.token != ')') {
    do {
      switch (ls->t.token) {
        case TK_NAME:
          new_localvar(ls, str_checkname(ls));
          nparams++;
          break;
        case TK_DOTS:
          mlX_next(ls);
          isvararg = 1;
          break;
        default: mlX_syntaxerror(ls, "<name> or '...' expected");
      }
    } while (!isvararg && testnext(ls, ','));
  }
  adjustlocalvars(ls, nparams);
  f->numparams = (uint8_t)fs->nactvar;
  if (isvararg) setvararg(fs, f->numparams);
  reserveregs(fs, fs->nactvar);
}

static void body(LexState *ls, expdesc *e, int ismethod, int line) {
  FuncState new_fs;
  BlockCnt bl;
  new_fs.f = addprototype(ls);
  new_fs.f->linedefined = line;
  open_func(ls, &new_fs, &bl);
  if (ismethod) {
    new_localvarliteral(ls, "self");
    adjustlocalvars(ls, 1);
  }
  checknext(ls, '(');
  parlist(ls);
  checknext(ls, ')');
  statlist(ls);
  new_fs.f->lastlinedefined = ls->linenumber;
  check_match(ls, TK_END, TK_FUNCTION, line);
  codeclosure(ls, e);
  close_func(ls);
}

static int explist(LexState *ls, expdesc *v) {
  int n = 1;
  expr(ls, v);
  while (testnext(ls, ',')) {
    exp2nextreg(ls->fs, v);
    expr(ls, v);
    n++;
  }
  return n;
}

static void funcargs(LexState *ls, expdesc *f, int line) {
  FuncState *fs = ls->fs;
  expdesc args;
  int base, nparams;
  switch (ls->t.token) {
    case '(': {
      mlX_next(ls);
      if (ls->t.token == ')') args.k = VVOID;
      else {
        explist(ls, &args);
        if (args.k == VCALL || args.k == VVARARG) setmultret(fs, &args);
      }
      check_match(ls, ')', '(', line);
      break;
    }
    case '{': constructor(ls, &args); break;
    case TK_STRING:
      codestring(&args, ls->t.seminfo.ts);
      mlX_next(ls);
      break;
    default: mlX_syntaxerror(ls, "function arguments expected");
  }
  base = f->u.info;
  if (args.k == VCALL || args.k == VVARARG) {
    nparams = ML_MULTRET;
  } else {
    if (args.k != VVOID) exp2nextreg(fs, &args);
    nparams = fs->freereg - (base + 1);
  }
  init_exp(f, VCALL, codeABC(fs, OP_CALL, base, nparams + 1, 2));
  fixline(fs, line);
  fs->freereg = (uint8_t)(base + 1);
}

static void primaryexp(LexState *ls, expdesc *v) {
  switch (ls->t.token) {
    case '(': {
      int line = ls->linenumber;
      mlX_next(ls);
      expr(ls, v);
      check_match(ls, ')', '(', line);
      dischargevars(ls->fs, v);
      return;
    }
    case TK_NAME: singlevar(ls, v); return;
    default: mlX_syntaxerror(ls, "unexpected symbol");
  }
}

static void suffixedexp(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  primaryexp(ls, v);
  for (;;) {
    switch (ls->t.token) {
      case '.': fieldsel(ls, v); break;
      case '[': {
        expdesc key;
        exp2anyregup(fs, v);
        yindex(ls, &key);
        indexed(fs, v, &key);
        break;
      }
      case ':': {
        expdesc key;
        mlX_next(ls);
        codestring(&key, str_checkname(ls));
        codeself(fs, v, &key);
        funcargs(ls, v, line);
        break;
      }
      case '(': case TK_STRING: case '{':
        exp2nextreg(fs, v);
        funcargs(ls, v, line);
        break;
      default: return;
    }
  }
}

static void simpleexp(LexState *ls, expdesc *v) {
  switch (ls->t.token) {
    case TK_FLT: init_exp(v, VKFLT, 0); v->u.nval = ls->t.seminfo.r; break;
    case TK_INT: init_exp(v, VKINT, 0); v->u.ival = ls->t.seminfo.i; break;
    case TK_STRING: codestring(v, ls->t.seminfo.ts); break;
    case TK_NIL: init_exp(v, VNIL, 0); break;
    case TK_TRUE: init_exp(v, VTRUE, 0); break;
    case TK_FALSE: init_exp(v, VFALSE, 0); break;
    case TK_DOTS: {
      FuncState *fs = ls->fs;
      check_condition(ls, fs->f->is_vararg, "cannot use '...' outside a vararg function");
      init_exp(v, VVARARG, codeABC(fs, OP_VARARG, 0, 0, 1));
      break;
    }
    case '{': constructor(ls, v); return;
    case TK_FUNCTION: mlX_next(ls); body(ls, v, 0, ls->linenumber); return;
    default: suffixedexp(ls, v); return;
  }
  mlX_next(ls);
}

static UnOpr getunopr(int op) {
  switch (op) {
    case TK_NOT: return OPR_NOT;
    case '-': return OPR_MINUS;
    case '~': return OPR_BNOT;
    case '#': return OPR_LEN;
    default: return OPR_NOUNOPR;
  }
}

static BinOpr getbinopr(int op) {
  switch (op) {
    case '+': return OPR_ADD;
    case '-': return OPR_SUB;
    case '*': return OPR_MUL;
    case '%': return OPR_MOD;
    case '^': return OPR_POW;
    case '/': return OPR_DIV;
    case TK_IDIV: return OPR_IDIV;
    case '&': return OPR_BAND;
    case '|': return OPR_BOR;
    case '~': return OPR_BXOR;
    case TK_SHL: return OPR_SHL;
    case TK_SHR: return OPR_SHR;
    case TK_CONCAT: return OPR_CONCAT;
    case TK_NE: return OPR_NE;
    case TK_EQ: return OPR_EQ;
    case '<': return OPR_LT;
    case TK_LE: return OPR_LE;
    case '>': return OPR_GT;
    case TK_GE: return OPR_GE;
    case TK_AND: return OPR_AND;
    case TK_OR: return OPR_OR;
    default: return OPR_NOBINOPR;
  }
}

static const struct { uint8_t left, right; } priority[] = {
  {10, 10}, {10, 10},          /* + - */
  {11, 11}, {11, 11},          /* * % */
  {14, 13},                    /* ^ (right associative) */
  {11, 11}, {11, 11},          /* / // */
  {6, 6}, {4, 4}, {5, 5},      /* & | ~ */
  {7, 7}, {7, 7},              /* << >> */
  {9, 8},                      /* .. (right associative) */
  {3, 3}, {3, 3}, {3, 3},      /* == < <= */
  {3, 3}, {3, 3}, {3, 3},      /* ~= > >= */
  {2, 2}, {1, 1}               /* and or */
};
#define UNARY_PRIORITY 12

/* Parser recursion shares the C-level budget with C calls, as in lua5.4. */
static void enterlevel(LexState *ls) {
  if (++ls->L->nCcalls >= ML_MAXCCALLS) mlD_checkcstack(ls->L);
}
#define leavelevel(ls) ((ls)->L->nCcalls--)

static BinOpr subexpr(LexState *ls, expdesc *v, int limit) {
  BinOpr op;
  UnOpr uop;
  enterlevel(ls);
  uop = getunopr(ls->t.token);
  if (uop != OPR_NOUNOPR) {
    int line = ls->linenumber;
    mlX_next(ls);
    subexpr(ls, v, UNARY_PRIORITY);
    prefix(ls->fs, uop, v, line);
  } else {
    simpleexp(ls, v);
  }
  op = getbinopr(ls->t.token);
  while (op != OPR_NOBINOPR && priority[op].left > limit) {
    expdesc v2;
    BinOpr nextop;
    int line = ls->linenumber;
    mlX_next(ls);
    infix(ls->fs, op, v);
    nextop = subexpr(ls, &v2, priority[op].right);
    posfix(ls->fs, op, v, &v2, line);
    op = nextop;
  }
  leavelevel(ls);
  return op;
}

static void expr(LexState *ls, expdesc *v) {
  subexpr(ls, v, 0);
}

/* ======================================================================
** grammar: statements
** ====================================================================== */

static void block(LexState *ls) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 0);
  statlist(ls);
  leaveblock(fs);
}

struct LHS_assign {
  struct LHS_assign *prev;
  expdesc v;
};

/* In a multiple assignment, a table or key register that is also assigned
** to must be copied first so the indexing uses the old value. */
static void check_conflict(LexState *ls, struct LHS_assign *lh, expdesc *v) {
  FuncState *fs = ls->fs;
  int extra = fs->freereg;
  int conflict = 0;
  for (; lh; lh = lh->prev) {
    if (vkisindexed(lh->v.k)) {
      if (lh->v.k == VINDEXUP) {
        if (v->k == VUPVAL && lh->v.u.ind.t == v->u.info) {
          conflict = 1;
          lh->v.k = VINDEXSTR;
          lh->v.u.ind.t = (uint8_t)extra;
        }
      } else {
        if (v->k == VLOCAL && lh->v.u.ind.t == v->u.var.ridx) {
          conflict = 1;
          lh->v.u.ind.t = (uint8_t)extra;
        }
        if (lh->v.k == VINDEXED && v->k == VLOCAL && lh->v.u.ind.idx == v->u.var.ridx) {
          conflict = 1;
          lh->v.u.ind.idx = (short)extra;
        }
      }
    }
  }
  if (conflict) {
    if (v->k == VLOCAL) codeABC(fs, OP_MOVE, extra, v->u.var.ridx, 0);
    else codeABC(fs, OP_GETUPVAL, extra, v->u.info, 0);
    reserveregs(fs, 1);
  }
}

static void restassign(LexState *ls, struct LHS_assign *lh, int nvars) {
  expdesc e;
  check_condition(ls, vkisvar(lh->v.k), "syntax error");
  check_readonly(ls, &lh->v);
  if (testnext(ls, ',')) {
    struct LHS_assign nv;
    nv.prev = lh;
    suffixedexp(ls, &nv.v);
    if (!vkisindexed(nv.v.k)) check_conflict(ls, lh, &nv.v);
    enterlevel(ls);
    restassign(ls, &nv, nvars + 1);
    leavelevel(ls);
  } else {
    checknext(ls, '=');
    int nexps = explist(ls, &e);
    if (nexps != nvars) {
      adjust_assign(ls, nvars, nexps, &e);
    } else {
      setoneret(ls->fs, &e);
      storevar(ls->fs, &lh->v, &e);
      return;
    }
  }
  init_exp(&e, VNONRELOC, ls->fs->freereg - 1);
  storevar(ls->fs, &lh->v, &e);
}

static int cond(LexState *ls) {
  expdesc v;
  expr(ls, &v);
  if (v.k == VNIL) v.k = VFALSE;
  goiftrue(ls->fs, &v);
  return v.f;
}

static void gotostat(LexState *ls) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  TString *name = str_checkname(ls);
  Labellist *ll = &ls->dyd->label;
  Labeldesc *lb = NULL;
  for (int i = fs->firstlabel; i < ll->n; i++)
    if (ll->arr[i].name == name) { lb = &ll->arr[i]; break; }
  if (lb == NULL) {
    newgotoentry(ls, name, line, jump(fs));
  } else {
    /* backward jump: close the upvalues of the variables it leaves */
    int lblevel = reglevel(fs, lb->nactvar);
    if (nvarstack(fs) > lblevel) codeABC(fs, OP_CLOSE, lblevel, 0, 0);
    patchlist(fs, jump(fs), lb->pc);
  }
}

static void breakstat(LexState *ls) {
  int line = ls->linenumber;
  mlX_next(ls);
  newgotoentry(ls, mlS_new(ls->L, "break"), line, jump(ls->fs));
}

static void checkrepeated(LexState *ls, TString *name) {
  Labellist *ll = &ls->dyd->label;
  for (int i = ls->fs->firstlabel; i < ll->n; i++) {
    if (ll->arr[i].name == name) {
      const char *msg = "label '%s' already defined on line %d";
      semerror(ls, mlO_pushfstring(ls->L, msg, getstr(name), ll->arr[i].line));
    }
  }
}

static void labelstat(LexState *ls, TString *name, int line) {
  checknext(ls, TK_DBCOLON);
  while (ls->t.token == ';' || ls->t.token == TK_DBCOLON) statement(ls); /* skip other no-op statements */
  checkrepeated(ls, name);
  createlabel(ls, name, line, block_follow(ls, 0));
}

static void whilestat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  mlX_next(ls);
  int whileinit = getlabel(fs);
  int condexit = cond(ls);
  enterblock(fs, &bl, 1);
  checknext(ls, TK_DO);
  block(ls);
  patchlist(fs, jump(fs), whileinit);
  check_match(ls, TK_END, TK_WHILE, line);
  leaveblock(fs);
  patchtohere(fs, condexit);
}

static void repeatstat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  int repeat_init = getlabel(fs);
  BlockCnt bl1, bl2;
  enterblock(fs, &bl1, 1);
  enterblock(fs, &bl2, 0);
  mlX_next(ls);
  statlist(ls);
  check_match(ls, TK_UNTIL, TK_REPEAT, line);
  int condexit = cond(ls); /* the body's locals are visible here */
  leaveblock(fs);
  if (bl2.upval) { /* the jump back must close the body's upvalues */
    int exit = jump(fs);
    patchtohere(fs, condexit);
    codeABC(fs, OP_CLOSE, reglevel(fs, bl2.nactvar), 0, 0);
    condexit = jump(fs);
    patchtohere(fs, exit);
  }
  patchlist(fs, condexit, repeat_init);
  leaveblock(fs);
}

static void exp1(LexState *ls) {
  expdesc e;
  expr(ls, &e);
  exp2nextreg(ls->fs, &e);
}

static void fixforjump(FuncState *fs, int pc, int dest, int back) {
  Instruction *jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  if (back) offset = -offset;
  if (offset > MAXARG_Bx) mlX_syntaxerror(fs->ls, "control structure too long");
  SETARG_Bx(*jmp, (unsigned)offset);
}

static void forbody(LexState *ls, int base, int line, int nvars, int isgen) {
  static const OpCode forprep[2] = {OP_FORPREP, OP_TFORPREP};
  static const OpCode forloop[2] = {OP_FORLOOP, OP_TFORLOOP};
  BlockCnt bl;
  FuncState *fs = ls->fs;
  checknext(ls, TK_DO);
  int prep = codeABx(fs, forprep[isgen], base, 0);
  enterblock(fs, &bl, 0);
  adjustlocalvars(ls, nvars);
  reserveregs(fs, nvars);
  block(ls);
  leaveblock(fs);
  fixforjump(fs, prep, getlabel(fs), 0);
  if (isgen) {
    codeABC(fs, OP_TFORCALL, base, 0, nvars);
    fixline(fs, line);
  }
  int endfor = codeABx(fs, forloop[isgen], base, 0);
  fixforjump(fs, endfor, prep + 1, 1);
  fixline(fs, line);
}

static void fornum(LexState *ls, TString *varname, int line) {
  FuncState *fs = ls->fs;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvar(ls, varname);
  checknext(ls, '=');
  exp1(ls);
  checknext(ls, ',');
  exp1(ls);
  if (testnext(ls, ',')) {
    exp1(ls);
  } else {
    loadint(fs, fs->freereg, 1);
    reserveregs(fs, 1);
  }
  adjustlocalvars(ls, 3);
  forbody(ls, base, line, 1, 0);
}

static void forlist(LexState *ls, TString *indexname) {
  FuncState *fs = ls->fs;
  expdesc e;
  int nvars = 5; /* iterator, state, control, closing, first declared variable */
  int base = fs->freereg;
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvar(ls, indexname);
  while (testnext(ls, ',')) {
    new_localvar(ls, str_checkname(ls));
    nvars++;
  }
  checknext(ls, TK_IN);
  int line = ls->linenumber;
  adjust_assign(ls, 4, explist(ls, &e), &e);
  adjustlocalvars(ls, 4);
  checkstack(fs, 3);
  forbody(ls, base, line, nvars - 4, 1);
}

static void forstat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 1);
  mlX_next(ls);
  TString *varname = str_checkname(ls);
  switch (ls->t.token) {
    case '=': fornum(ls, varname, line); break;
    case ',': case TK_IN: forlist(ls, varname); break;
    default: mlX_syntaxerror(ls, "'=' or 'in' expected");
  }
  check_match(ls, TK_END, TK_FOR, line);
  leaveblock(fs);
}

static void test_then_block(LexState *ls, int *escapelist) {
  BlockCnt bl;
  FuncState *fs = ls->fs;
  expdesc v;
  int jf;
  mlX_next(ls); /* skip IF or ELSEIF */
  expr(ls, &v);
  checknext(ls, TK_THEN);
  if (ls->t.token == TK_BREAK) { /* 'if x then break' : jump directly */
    int line = ls->linenumber;
    goiffalse(ls->fs, &v);
    mlX_next(ls);
    enterblock(fs, &bl, 0);
    newgotoentry(ls, mlS_new(ls->L, "break"), line, v.t);
    while (testnext(ls, ';')) {}
    if (block_follow(ls, 0)) {
      leaveblock(fs);
      return;
    }
    jf = jump(fs);
  } else {
    goiftrue(ls->fs, &v);
    enterblock(fs, &bl, 0);
    jf = v.f;
  }
  statlist(ls);
  leaveblock(fs);
  if (ls->t.token == TK_ELSE || ls->t.token == TK_ELSEIF) concatjumps(fs, escapelist, jump(fs));
  patchtohere(fs, jf);
}

static void ifstat(LexState *ls, int line) {
  int escapelist = NO_JUMP;
  test_then_block(ls, &escapelist);
  while (ls->t.token == TK_ELSEIF) test_then_block(ls, &escapelist);
  if (testnext(ls, TK_ELSE)) block(ls);
  check_match(ls, TK_END, TK_IF, line);
  patchtohere(ls->fs, escapelist);
}

static void localfunc(LexState *ls) {
  expdesc b;
  FuncState *fs = ls->fs;
  int fvar = fs->nactvar;
  new_localvar(ls, str_checkname(ls));
  adjustlocalvars(ls, 1);
  body(ls, &b, 0, ls->linenumber);
  localdebuginfo(fs, fvar)->startpc = fs->pc;
}

static int getlocalattribute(LexState *ls) {
  if (testnext(ls, '<')) {
    const char *attr = getstr(str_checkname(ls));
    checknext(ls, '>');
    if (strcmp(attr, "const") == 0) return RDKCONST;
    if (strcmp(attr, "close") == 0) return RDKTOCLOSE; /* accepted; __close is never called */
    semerror(ls, mlO_pushfstring(ls->L, "unknown attribute '%s'", attr));
  }
  return VDKREG;
}

static int exp2const(FuncState *fs, const expdesc *e, TValue *v) {
  if (hasjumps((expdesc *)e)) return 0;
  switch (e->k) {
    case VFALSE: setbfvalue(v); return 1;
    case VTRUE: setbtvalue(v); return 1;
    case VNIL: setnilvalue(v); return 1;
    case VKSTR: setsvalue(v, e->u.strval); return 1;
    case VCONST: setobj(v, &fs->ls->dyd->actvar.arr[e->u.info].k); return 1;
    default: return tonumeral(e, v);
  }
}

static void localstat(LexState *ls) {
  FuncState *fs = ls->fs;
  Vardesc *var;
  int vidx, kind;
  int nvars = 0, nexps;
  int toclose = 0;
  expdesc e;
  do {
    vidx = new_localvar(ls, str_checkname(ls));
    kind = getlocalattribute(ls);
    getlocalvardesc(fs, vidx)->kind = (uint8_t)kind;
    if (kind == RDKTOCLOSE) {
      if (toclose) semerror(ls, "multiple to-be-closed variables in local list");
      toclose = 1;
    }
    nvars++;
  } while (testnext(ls, ','));
  if (testnext(ls, '=')) {
    nexps = explist(ls, &e);
  } else {
    e.k = VVOID;
    nexps = 0;
  }
  var = getlocalvardesc(fs, vidx); /* last variable */
  if (nvars == nexps && var->kind == RDKCONST && exp2const(fs, &e, &var->k)) {
    var->kind = RDKCTC; /* a compile-time constant: no register */
    adjustlocalvars(ls, nvars - 1);
    fs->nactvar++;
  } else {
    adjust_assign(ls, nvars, nexps, &e);
    adjustlocalvars(ls, nvars);
  }
}

static int funcname(LexState *ls, expdesc *v) {
  int ismethod = 0;
  singlevar(ls, v);
  while (ls->t.token == '.') fieldsel(ls, v);
  if (ls->t.token == ':') {
    ismethod = 1;
    fieldsel(ls, v);
  }
  return ismethod;
}

static void funcstat(LexState *ls, int line) {
  expdesc v, b;
  mlX_next(ls);
  int ismethod = funcname(ls, &v);
  body(ls, &b, ismethod, line);
  check_readonly(ls, &v);
  storevar(ls->fs, &v, &b);
  fixline(ls->fs, line);
}

static void exprstat(LexState *ls) {
  FuncState *fs = ls->fs;
  struct LHS_assign v;
  suffixedexp(ls, &v.v);
  if (ls->t.token == '=' || ls->t.token == ',') {
    v.prev = NULL;
    restassign(ls, &v, 1);
  } else {
    check_condition(ls, v.v.k == VCALL, "syntax error");
    Instruction *inst = &fs->f->code[v.v.u.info];
    SETARG_C(*inst, 1); /* no results */
  }
}

static void retstat(LexState *ls) {
  FuncState *fs = ls->fs;
  expdesc e;
  int nret;
  int first = nvarstack(fs);
  if (block_follow(ls, 1) || ls->t.token == ';') {
    nret = 0;
  } else {
    nret = explist(ls, &e);
    if (e.k == VCALL || e.k == VVARARG) {
      setmultret(fs, &e);
      if (e.k == VCALL && nret == 1) { /* tail call */
        SET_OPCODE(fs->f->code[e.u.info], OP_TAILCALL);
      }
      nret = ML_MULTRET;
    } else {
      if (nret == 1) {
        first = exp2anyreg(fs, &e);
      } else {
        exp2nextreg(fs, &e);
      }
    }
  }
  ret(fs, first, nret);
  testnext(ls, ';');
}

static void statement(LexState *ls) {
  int line = ls->linenumber;
  enterlevel(ls);
  switch (ls->t.token) {
    case ';': mlX_next(ls); break;
    case TK_IF: ifstat(ls, line); break;
    case TK_WHILE: whilestat(ls, line); break;
    case TK_DO:
      mlX_next(ls);
      block(ls);
      check_match(ls, TK_END, TK_DO, line);
      break;
    case TK_FOR: forstat(ls, line); break;
    case TK_REPEAT: repeatstat(ls, line); break;
    case TK_FUNCTION: funcstat(ls, line); break;
    case TK_LOCAL:
      mlX_next(ls);
      if (testnext(ls, TK_FUNCTION)) localfunc(ls);
      else localstat(ls);
      break;
    case TK_DBCOLON:
      mlX_next(ls);
      labelstat(ls, str_checkname(ls), line);
      break;
    case TK_RETURN:
      mlX_next(ls);
      retstat(ls);
      break;
    case TK_BREAK: breakstat(ls); break;
    case TK_GOTO:
      mlX_next(ls);
      gotostat(ls);
      break;
    default: exprstat(ls); break;
  }
  ls->fs->freereg = (uint8_t)nvarstack(ls->fs);
  leavelevel(ls);
}

/* ======================================================================
** entry point
** ====================================================================== */

static void mainfunc(LexState *ls, FuncState *fs) {
  BlockCnt bl;
  open_func(ls, fs, &bl);
  setvararg(fs, 0);
  /* the main function's only upvalue is _ENV, given by the loader */
  Upvaldesc *env = allocupvalue(fs);
  env->instack = 1;
  env->idx = 0;
  env->kind = VDKREG;
  env->name = ls->envn;
  mlX_next(ls);
  statlist(ls);
  check(ls, TK_EOS);
  close_func(ls);
}

/* Compiles a chunk; the result is a closure with one (unset) upvalue, left
** on the stack. The caller keeps the collector stopped while this runs. */
LClosure *mlY_parser(ml_State *L, ZIO *z, const char *name, int firstchar) {
  LexState lexstate;
  FuncState funcstate;
  Dyndata dyd;
  memset(&dyd, 0, sizeof dyd);
  memset(&lexstate, 0, sizeof lexstate);
  LClosure *cl = mlF_newLclosure(L, 1);
  setclLvalue(L->top, cl);
  api_incr_top(L);
  funcstate.f = cl->p = mlF_newproto(L);
  TString *src = mlS_new(L, name);
  funcstate.f->source = src;
  lexstate.buff = NULL;
  lexstate.buffsize = 0;
  lexstate.dyd = &dyd;
  mlX_setinput(L, &lexstate, z, src, firstchar);
  struct ml_longjmp *volatile prevjmp = L->errorJmp;
  struct ml_longjmp lj;
  lj.status = ML_OK;
  lj.previous = prevjmp;
  L->errorJmp = &lj;
  if (setjmp(lj.b) == 0) mainfunc(&lexstate, &funcstate);
  L->errorJmp = prevjmp;
  free(lexstate.buff);
  free(dyd.actvar.arr);
  free(dyd.gt.arr);
  free(dyd.label.arr);
  if (lj.status != ML_OK) mlD_throw(L, lj.status); /* free the buffers, then propagate */
  return cl;
}
