/*
** mldebug.c — debug information for error messages: the current line of a
** frame, names of the values involved in an error ("global 'x'", "local 't'",
** "field 'f'", "upvalue 'u'", "method 'm'", "constant 's'") found by a small
** symbolic execution of the bytecode, and the runtime error raisers that
** prefix "chunk:line:" and call the pcall message handler.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mlcore.h"
#include "mlopcodes.h"

int mlG_getline(const Proto *p, int pc) {
  if (p->lineinfo == NULL || pc < 0 || pc >= p->sizecode) return -1;
  return p->lineinfo[pc];
}

static int currentpc(CallInfo *ci) {
  return (int)(ci->savedpc - ci_func(ci)->p->code) - 1;
}

int mlG_currentline(CallInfo *ci) {
  return mlG_getline(ci_func(ci)->p, currentpc(ci));
}

const char *mlG_getlocalname(const Proto *f, int local_number, int pc) {
  for (int i = 0; i < f->sizelocvars && f->locvars[i].startpc <= pc; i++) {
    if (pc < f->locvars[i].endpc) {
      local_number--;
      if (local_number == 0) return getstr(f->locvars[i].varname);
    }
  }
  return NULL;
}

/* ---- symbolic execution ---- */

static int filterpc(int pc, int jmptarget) {
  return (pc < jmptarget) ? -1 : pc; /* inside a conditional block: unknown */
}

/* The last instruction before lastpc that changed register reg. */
static int findsetreg(const Proto *p, int lastpc, int reg) {
  int setreg = -1;
  int jmptarget = 0;
  if (lastpc > 0 && GET_OPCODE(p->code[lastpc]) == OP_EXTRAARG) lastpc--;
  for (int pc = 0; pc < lastpc; pc++) {
    Instruction i = p->code[pc];
    OpCode op = GET_OPCODE(i);
    int a = GETARG_A(i);
    int change;
    switch (op) {
      case OP_LOADNIL: change = (a <= reg && reg <= a + GETARG_B(i)); break;
      case OP_TFORCALL: change = (reg >= a + 2); break;
      case OP_CALL: case OP_TAILCALL: change = (reg >= a); break;
      case OP_JMP: {
        int dest = pc + 1 + GETARG_sJ(i);
        if (dest <= lastpc && dest > jmptarget) jmptarget = dest;
        change = 0;
        break;
      }
      case OP_SETTABUP: case OP_SETTABLE: case OP_SETI: case OP_SETFIELD: case OP_SETUPVAL:
      case OP_EQ: case OP_LT: case OP_LE: case OP_EQK: case OP_EQI: case OP_LTI: case OP_LEI:
      case OP_GTI: case OP_GEI: case OP_TEST: case OP_SETLIST: case OP_RETURN: case OP_RETURN0:
      case OP_RETURN1: case OP_CLOSE: case OP_TFORPREP: case OP_TFORLOOP: case OP_VARARGPREP:
      case OP_EXTRAARG:
        change = 0;
        break;
      case OP_FORLOOP: case OP_FORPREP: change = (reg >= a && reg <= a + 3); break;
      case OP_SELF: change = (reg == a || reg == a + 1); break;
      default: change = (reg == a); break;
    }
    if (change) setreg = filterpc(pc, jmptarget);
  }
  return setreg;
}

static const char *upvalname(const Proto *p, int uv) {
  TString *s = p->upvalues[uv].name;
  return s == NULL ? "?" : getstr(s);
}

static const char *getobjname(const Proto *p, int lastpc, int reg, const char **name);

static void kname(const Proto *p, int c, const char **name) {
  const TValue *kv = &p->k[c];
  *name = ttisstring(kv) ? svalue(kv) : "?";
}

static void rname(const Proto *p, int pc, int c, const char **name) {
  const char *what = getobjname(p, pc, c, name);
  if (!(what && *what == 'c')) *name = "?"; /* only constants give names */
}

static void rkname(const Proto *p, int pc, Instruction i, const char **name) {
  int c = GETARG_C(i);
  if (GETARG_k(i)) kname(p, c, name);
  else rname(p, pc, c, name);
}

/* "global" when the table is _ENV, else "field" */
static const char *gxf(const Proto *p, int pc, Instruction i, int isup) {
  int t = GETARG_B(i);
  const char *name;
  if (isup) name = upvalname(p, t);
  else getobjname(p, pc, t, &name);
  return (name && strcmp(name, "_ENV") == 0) ? "global" : "field";
}

static const char *getobjname(const Proto *p, int lastpc, int reg, const char **name) {
  *name = mlG_getlocalname(p, reg + 1, lastpc);
  if (*name) return "local";
  int pc = findsetreg(p, lastpc, reg);
  if (pc != -1) {
    Instruction i = p->code[pc];
    switch (GET_OPCODE(i)) {
      case OP_MOVE: {
        int b = GETARG_B(i);
        if (b < GETARG_A(i)) return getobjname(p, pc, b, name);
        break;
      }
      case OP_GETTABUP: kname(p, GETARG_C(i), name); return gxf(p, pc, i, 1);
      case OP_GETTABLE: rname(p, pc, GETARG_C(i), name); return gxf(p, pc, i, 0);
      case OP_GETI: *name = "integer index"; return "field";
      case OP_GETFIELD: kname(p, GETARG_C(i), name); return gxf(p, pc, i, 0);
      case OP_GETUPVAL: *name = upvalname(p, GETARG_B(i)); return "upvalue";
      case OP_LOADK: case OP_LOADKX: {
        int b = (GET_OPCODE(i) == OP_LOADK) ? GETARG_Bx(i) : GETARG_Ax(p->code[pc + 1]);
        if (ttisstring(&p->k[b])) {
          *name = svalue(&p->k[b]);
          return "constant";
        }
        break;
      }
      case OP_SELF: rkname(p, pc, i, name); return "method";
      default: break;
    }
  }
  return NULL;
}

/* The name of the function called by the instruction at the frame's pc. */
static const char *funcnamefromcode(ml_State *L, const Proto *p, int pc, const char **name) {
  Instruction i = p->code[pc];
  TMS tm;
  switch (GET_OPCODE(i)) {
    case OP_CALL: case OP_TAILCALL: return getobjname(p, pc, GETARG_A(i), name);
    case OP_TFORCALL: *name = "for iterator"; return "for iterator";
    case OP_SELF: case OP_GETTABUP: case OP_GETTABLE: case OP_GETI: case OP_GETFIELD: tm = TM_INDEX; break;
    case OP_SETTABUP: case OP_SETTABLE: case OP_SETI: case OP_SETFIELD: tm = TM_NEWINDEX; break;
    case OP_UNM: tm = TM_UNM; break;
    case OP_BNOT: tm = TM_BNOT; break;
    case OP_LEN: tm = TM_LEN; break;
    case OP_CONCAT: tm = TM_CONCAT; break;
    case OP_EQ: tm = TM_EQ; break;
    case OP_LT: case OP_LTI: case OP_GTI: tm = TM_LT; break;
    case OP_LE: case OP_LEI: case OP_GEI: tm = TM_LE; break;
    case OP_ADDI: tm = TM_ADD; break;
    case OP_SHRI: tm = TM_SHR; break;
    case OP_SHLI: tm = TM_SHL; break;
    default: {
      OpCode op = GET_OPCODE(i);
      if (op >= OP_ADDK && op <= OP_BXORK) tm = (TMS)(TM_ADD + (op - OP_ADDK));
      else if (op >= OP_ADD && op <= OP_SHR) tm = (TMS)(TM_ADD + (op - OP_ADD));
      else return NULL;
      break;
    }
  }
  *name = getstr(G(L)->tmname[tm]) + 2;
  return "metamethod";
}

/* namewhat ("global", "method", ...) of the function running in ci, from
** the calling instruction of its caller; NULL if unknown. */
const char *mlG_funcname(ml_State *L, CallInfo *ci, const char **name) {
  *name = NULL;
  if (ci == NULL || ci == &L->base_ci) return NULL;
  if (ci->callstatus & CIST_TAIL) return NULL;
  CallInfo *caller = ci->previous;
  if (caller == NULL || !isLua(caller) || caller == &L->base_ci) return NULL;
  return funcnamefromcode(L, ci_func(caller)->p, currentpc(caller), name);
}

static int isinstack(CallInfo *ci, const TValue *o) {
  TValue *base = ci->func + 1;
  return base <= o && o < ci->top;
}

static const char *getupvalname(CallInfo *ci, const TValue *o, const char **name) {
  LClosure *c = ci_func(ci);
  for (int i = 0; i < c->nupvalues; i++) {
    UpVal *uv = c->upvals[i];
    if (uv->v == o) {
      *name = upvalname(c->p, i);
      return "upvalue";
    }
  }
  return NULL;
}

static const char *varinfo(ml_State *L, const TValue *o) {
  CallInfo *ci = L->ci;
  const char *name = NULL;
  const char *kind = NULL;
  if (isLua(ci) && ci != &L->base_ci) {
    kind = getupvalname(ci, o, &name);
    if (!kind && isinstack(ci, o))
      kind = getobjname(ci_func(ci)->p, currentpc(ci), (int)(o - (ci->func + 1)), &name);
  }
  return kind ? mlO_pushfstring(L, " (%s '%s')", kind, name) : "";
}

void mlG_typeerror(ml_State *L, const TValue *o, const char *op) {
  const char *t = mlT_objtypename(L, o);
  mlG_runerror(L, "attempt to %s a %s value%s", op, t, varinfo(L, o));
}

/* Like lua5.4, a call error names what the calling instruction was doing
** ("for iterator", "metamethod 'add'", "global 'f'"). */
void mlG_callerror(ml_State *L, const TValue *o) {
  CallInfo *ci = L->ci;
  const char *name = NULL;
  const char *kind = NULL;
  if (isLua(ci) && ci != &L->base_ci) kind = funcnamefromcode(L, ci_func(ci)->p, currentpc(ci), &name);
  const char *extra = kind ? mlO_pushfstring(L, " (%s '%s')", kind, name) : varinfo(L, o);
  mlG_runerror(L, "attempt to call a %s value%s", mlT_objtypename(L, o), extra);
}

void mlG_forerror(ml_State *L, const TValue *o, const char *what) {
  mlG_runerror(L, "bad 'for' %s (number expected, got %s)", what, mlT_objtypename(L, o));
}

void mlG_concaterror(ml_State *L, const TValue *p1, const TValue *p2) {
  if (ttisstring(p1) || ttisnumber(p1)) p1 = p2;
  mlG_typeerror(L, p1, "concatenate");
}

void mlG_opinterror(ml_State *L, const TValue *p1, const TValue *p2, const char *msg) {
  if (!ttisnumber(p1)) p2 = p1; /* blame the first operand if it is wrong */
  mlG_typeerror(L, p2, msg);
}

void mlG_tointerror(ml_State *L, const TValue *p1, const TValue *p2) {
  ml_Integer temp;
  if (!ttisnumber(p1) || !mlV_tointeger(p1, &temp, 0)) p2 = p1; /* blame the first if it is wrong */
  mlG_runerror(L, "number%s has no integer representation", varinfo(L, p2));
}

void mlG_ordererror(ml_State *L, const TValue *p1, const TValue *p2) {
  const char *t1 = mlT_objtypename(L, p1);
  const char *t2 = mlT_objtypename(L, p2);
  if (strcmp(t1, t2) == 0) mlG_runerror(L, "attempt to compare two %s values", t1);
  mlG_runerror(L, "attempt to compare %s with %s", t1, t2);
}

const char *mlG_addinfo(ml_State *L, const char *msg, TString *src, int line) {
  char buff[ML_IDSIZE];
  if (src) mlO_chunkid(buff, getstr(src), tsslen(src));
  else { buff[0] = '?'; buff[1] = '\0'; }
  return mlO_pushfstring(L, "%s:%d: %s", buff, line, msg);
}

static void callhandler(ml_State *L, void *ud) {
  (void)ud;
  mlD_call(L, L->top - 2, 1);
}

void mlG_errormsg(ml_State *L) {
  if (L->errfunc != 0) { /* call the message handler of xpcall */
    TValue *errfunc = restorestack(L, L->errfunc);
    setobj(L->top, L->top - 1);
    setobj(L->top - 1, errfunc);
    api_incr_top(L);
    ptrdiff_t saved = L->errfunc;
    CallInfo *ci = L->ci;
    L->errfunc = 0; /* an error inside the handler is not handled again */
    int status = mlD_rawrunprotected(L, callhandler, NULL);
    L->errfunc = saved;
    if (status != ML_OK) {
      L->ci = ci;
      mlD_throw(L, ML_ERRERR);
    }
  }
  mlD_throw(L, ML_ERRRUN);
}

void mlG_runerror(ml_State *L, const char *fmt, ...) {
  CallInfo *ci = L->ci;
  va_list argp;
  va_start(argp, fmt);
  const char *msg = mlO_pushvfstring(L, fmt, argp);
  va_end(argp);
  if (isLua(ci) && ci != &L->base_ci) {
    mlG_addinfo(L, msg, ci_func(ci)->p->source, mlG_currentline(ci));
    setobj(L->top - 2, L->top - 1); /* keep only the message with position */
    L->top--;
  }
  mlG_errormsg(L);
}
