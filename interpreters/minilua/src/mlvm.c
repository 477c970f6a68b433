/*
** mlvm.c — the bytecode interpreter (mlV_execute: one function, one plain
** `switch` per instruction) and the semantics it relies on: number
** conversions, arithmetic with Lua's integer/float rules, comparisons,
** indexing with __index/__newindex chains, concatenation, length, and
** metamethod lookup and calls.
**
** Lua-to-Lua calls and returns do not recurse in C: the loop switches to the
** callee's frame ('startfunc') and back ('returning'). Fast paths (integer
** and float arithmetic, array and short-string table access) are inline;
** everything that may call a metamethod or raise an error goes through
** Protect, which records the pc (for error positions) and sets L->top above
** the frame's registers (so calls made from there cannot clobber them).
*/
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlcore.h"
#include "mlopcodes.h"

#define MAXTAGLOOP 2000

const char *const ml_opnames[NUM_OPCODES] = {
#define ML_OPNAME(name) #name,
  ML_OPCODES(ML_OPNAME)
#undef ML_OPNAME
};

const char *const ml_typenames[] = {
  "no value", "nil", "boolean", "userdata", "number", "string", "table", "function",
  "userdata", "thread", "upvalue", "proto"
};

/* ================= metamethods ================= */

const TValue *mlT_gettm(Table *events, TMS event, TString *ename) {
  const TValue *tm = mlH_getshortstr(events, ename);
  if (ttisnil(tm)) {
    if (event < 8) events->flags |= (uint8_t)(1u << event); /* cache the absence */
    return NULL;
  }
  return tm;
}

const TValue *mlT_gettmbyobj(ml_State *L, const TValue *o, TMS event) {
  Table *mt;
  switch (ttype(o)) {
    case ML_TTABLE: mt = hvalue(o)->metatable; break;
    case ML_TUSERDATA: mt = ttisfulluserdata(o) ? uvalue(o)->metatable : G(L)->mt[ML_TLIGHTUSERDATA]; break;
    default: mt = G(L)->mt[ttype(o)];
  }
  return mt ? mlH_getshortstr(mt, G(L)->tmname[event]) : &L->nilvalue;
}

/* The type name for messages: __name of the metatable if it is a string. */
const char *mlT_objtypename(ml_State *L, const TValue *o) {
  Table *mt = NULL;
  if (ttistable(o)) mt = hvalue(o)->metatable;
  else if (ttisfulluserdata(o)) mt = uvalue(o)->metatable;
  if (mt) {
    const TValue *name = mlH_getshortstr(mt, mlS_new(L, "__name"));
    if (ttisstring(name)) return getstr(tsvalue(name));
  }
  return ttypename(ttype(o));
}

static void callTM(ml_State *L, const TValue *f, const TValue *p1, const TValue *p2, const TValue *p3) {
  TValue *func = L->top;
  setobj(func, f);
  setobj(func + 1, p1);
  setobj(func + 2, p2);
  setobj(func + 3, p3);
  L->top = func + 4;
  mlD_checkstack(L, 0);
  mlD_call(L, func, 0);
}

void mlT_callTMres(ml_State *L, const TValue *f, const TValue *p1, const TValue *p2, TValue *res) {
  TValue *func = L->top; /* the stack never moves: 'res' stays valid */
  setobj(func, f);
  setobj(func + 1, p1);
  setobj(func + 2, p2);
  L->top = func + 3;
  mlD_checkstack(L, 0);
  mlD_call(L, func, 1);
  setobj(res, L->top - 1);
  L->top--;
}

static int callbinTM(ml_State *L, const TValue *p1, const TValue *p2, TValue *res, TMS event) {
  const TValue *tm = mlT_gettmbyobj(L, p1, event);
  if (ttisnil(tm)) tm = mlT_gettmbyobj(L, p2, event);
  if (ttisnil(tm)) return 0;
  mlT_callTMres(L, tm, p1, p2, res);
  return 1;
}

static void trybinTM(ml_State *L, const TValue *p1, const TValue *p2, TValue *res, TMS event) {
  if (!callbinTM(L, p1, p2, res, event)) {
    switch (event) {
      case TM_BAND: case TM_BOR: case TM_BXOR: case TM_SHL: case TM_SHR: case TM_BNOT:
        if (ttisnumber(p1) && ttisnumber(p2)) mlG_tointerror(L, p1, p2);
        mlG_opinterror(L, p1, p2, "perform bitwise operation on");
      default:
        mlG_opinterror(L, p1, p2, "perform arithmetic on");
    }
  }
}

/* ================= numbers ================= */

static int l_strton(const TValue *obj, TValue *result) {
  if (!ttisstring(obj)) return 0;
  TString *st = tsvalue(obj);
  return (size_t)mlO_str2num(getstr(st), result) == tsslen(st) + 1;
}

int mlV_tonumber_(const TValue *obj, ml_Number *n) {
  TValue v;
  if (ttisinteger(obj)) { *n = (ml_Number)ivalue(obj); return 1; }
  if (ttisfloat(obj)) { *n = fltvalue(obj); return 1; }
  if (l_strton(obj, &v)) { *n = nvalue(&v); return 1; }
  return 0;
}

int mlV_tointeger(const TValue *obj, ml_Integer *p, int mode) {
  TValue v;
  if (l_strton(obj, &v)) obj = &v;
  if (ttisinteger(obj)) { *p = ivalue(obj); return 1; }
  if (ttisfloat(obj)) return mlV_flttointns(fltvalue(obj), p, mode);
  return 0;
}

static int tointegerns(const TValue *obj, ml_Integer *p) {
  if (ttisinteger(obj)) { *p = ivalue(obj); return 1; }
  if (ttisfloat(obj)) return mlV_flttointns(fltvalue(obj), p, 0);
  return 0;
}

ml_Integer mlV_idiv(ml_State *L, ml_Integer m, ml_Integer n) {
  if (l_castS2U(n) + 1u <= 1u) { /* n is 0 or -1 */
    if (n == 0) mlG_runerror(L, "attempt to divide by zero");
    return intop(-, 0, m); /* avoid overflow of MININTEGER // -1 */
  }
  ml_Integer q = m / n;
  if ((m ^ n) < 0 && m % n != 0) q -= 1; /* round towards minus infinity */
  return q;
}

ml_Integer mlV_mod(ml_State *L, ml_Integer m, ml_Integer n) {
  if (l_castS2U(n) + 1u <= 1u) {
    if (n == 0) mlG_runerror(L, "attempt to perform 'n%%0'");
    return 0;
  }
  ml_Integer r = m % n;
  if (r != 0 && (r ^ n) < 0) r += n;
  return r;
}

ml_Number mlV_modf(ml_State *L, ml_Number m, ml_Number n) {
  (void)L;
  ml_Number r = fmod(m, n);
  if ((r > 0) ? n < 0 : (r < 0 && n > 0)) r += n; /* signs differ: floor, not trunc */
  return r;
}

#define NBITS 64
ml_Integer mlV_shiftl(ml_Integer x, ml_Integer y) {
  if (y < 0) {
    if (y <= -NBITS) return 0;
    return (ml_Integer)((ml_Unsigned)x >> (ml_Unsigned)(-y));
  }
  if (y >= NBITS) return 0;
  return (ml_Integer)((ml_Unsigned)x << (ml_Unsigned)y);
}

static ml_Integer intarith(ml_State *L, int op, ml_Integer v1, ml_Integer v2) {
  switch (op) {
    case ARITH_ADD: return intop(+, v1, v2);
    case ARITH_SUB: return intop(-, v1, v2);
    case ARITH_MUL: return intop(*, v1, v2);
    case ARITH_MOD: return mlV_mod(L, v1, v2);
    case ARITH_IDIV: return mlV_idiv(L, v1, v2);
    case ARITH_BAND: return intop(&, v1, v2);
    case ARITH_BOR: return intop(|, v1, v2);
    case ARITH_BXOR: return intop(^, v1, v2);
    case ARITH_SHL: return mlV_shiftl(v1, v2);
    case ARITH_SHR: return mlV_shiftl(v1, intop(-, 0, v2));
    case ARITH_UNM: return intop(-, 0, v1);
    case ARITH_BNOT: return intop(^, ~l_castS2U(0), v1);
    default: return 0;
  }
}

static ml_Number numarith(ml_State *L, int op, ml_Number v1, ml_Number v2) {
  switch (op) {
    case ARITH_ADD: return v1 + v2;
    case ARITH_SUB: return v1 - v2;
    case ARITH_MUL: return v1 * v2;
    case ARITH_DIV: return v1 / v2;
    case ARITH_POW: return (v2 == 2) ? v1 * v1 : pow(v1, v2);
    case ARITH_IDIV: return floor(v1 / v2);
    case ARITH_UNM: return -v1;
    case ARITH_MOD: return mlV_modf(L, v1, v2);
    default: return 0;
  }
}

/* Arithmetic without metamethods (strings are converted); 0 if impossible. */
int mlV_rawarith(ml_State *L, int op, const TValue *p1, const TValue *p2, TValue *res) {
  switch (op) {
    case ARITH_BAND: case ARITH_BOR: case ARITH_BXOR: case ARITH_SHL: case ARITH_SHR: case ARITH_BNOT: {
      ml_Integer i1, i2;
      if (tointegerns(p1, &i1) && tointegerns(p2, &i2)) {
        setivalue(res, intarith(L, op, i1, i2));
        return 1;
      }
      return 0;
    }
    case ARITH_DIV: case ARITH_POW: {
      ml_Number n1, n2;
      if (ttisnumber(p1) && ttisnumber(p2)) {
        n1 = nvalue(p1);
        n2 = nvalue(p2);
        setfltvalue(res, numarith(L, op, n1, n2));
        return 1;
      }
      return 0;
    }
    default: {
      /* strings are not converted here: lua5.4 does string arithmetic
      ** through the string metatable's __add, __sub, ... */
      if (ttisinteger(p1) && ttisinteger(p2)) {
        setivalue(res, intarith(L, op, ivalue(p1), ivalue(p2)));
        return 1;
      }
      ml_Number n1, n2;
      if (ttisnumber(p1) && ttisnumber(p2)) {
        n1 = nvalue(p1);
        n2 = nvalue(p2);
        setfltvalue(res, numarith(L, op, n1, n2));
        return 1;
      }
      return 0;
    }
  }
}

void mlV_arith(ml_State *L, int op, const TValue *p1, const TValue *p2, TValue *res) {
  TValue tmp;
  if (mlV_rawarith(L, op, p1, p2, &tmp)) {
    setobj(res, &tmp);
    return;
  }
  trybinTM(L, p1, p2, res, (TMS)(op + TM_ADD));
}

/* ================= comparisons ================= */

static int l_strcmp(const TString *ls, const TString *rs) {
  size_t ll = tsslen(ls), lr = tsslen(rs);
  int temp = memcmp(getstr(ls), getstr(rs), ll < lr ? ll : lr);
  if (temp != 0) return temp;
  return (ll < lr) ? -1 : (ll > lr) ? 1 : 0;
}

/* integer i < float f, exactly */
static int LTintfloat(ml_Integer i, ml_Number f) {
  if (-(1LL << 53) <= i && i <= (1LL << 53)) return (ml_Number)i < f;
  ml_Integer fi;
  if (mlV_flttointns(f, &fi, 2)) return i < fi; /* ceil(f) */
  return f > 0;
}

static int LEintfloat(ml_Integer i, ml_Number f) {
  if (-(1LL << 53) <= i && i <= (1LL << 53)) return (ml_Number)i <= f;
  ml_Integer fi;
  if (mlV_flttointns(f, &fi, 1)) return i <= fi; /* floor(f) */
  return f > 0;
}

static int LTfloatint(ml_Number f, ml_Integer i) {
  if (-(1LL << 53) <= i && i <= (1LL << 53)) return f < (ml_Number)i;
  ml_Integer fi;
  if (mlV_flttointns(f, &fi, 1)) return fi < i;
  return f < 0;
}

static int LEfloatint(ml_Number f, ml_Integer i) {
  if (-(1LL << 53) <= i && i <= (1LL << 53)) return f <= (ml_Number)i;
  ml_Integer fi;
  if (mlV_flttointns(f, &fi, 2)) return fi <= i;
  return f < 0;
}

static int LTnum(const TValue *l, const TValue *r) {
  if (ttisinteger(l)) {
    if (ttisinteger(r)) return ivalue(l) < ivalue(r);
    return LTintfloat(ivalue(l), fltvalue(r));
  }
  if (ttisfloat(r)) return fltvalue(l) < fltvalue(r);
  return LTfloatint(fltvalue(l), ivalue(r));
}

static int LEnum(const TValue *l, const TValue *r) {
  if (ttisinteger(l)) {
    if (ttisinteger(r)) return ivalue(l) <= ivalue(r);
    return LEintfloat(ivalue(l), fltvalue(r));
  }
  if (ttisfloat(r)) return fltvalue(l) <= fltvalue(r);
  return LEfloatint(fltvalue(l), ivalue(r));
}

static int callorderTM(ml_State *L, const TValue *p1, const TValue *p2, TMS event) {
  TValue res;
  setnilvalue(&res);
  if (callbinTM(L, p1, p2, &res, event)) return !l_isfalse(&res);
  /* like lua5.4 built with LUA_COMPAT_LT_LE: a <= b as not (b < a) */
  if (event == TM_LE && callbinTM(L, p2, p1, &res, TM_LT)) return l_isfalse(&res);
  mlG_ordererror(L, p1, p2);
}

int mlV_lessthan(ml_State *L, const TValue *l, const TValue *r) {
  if (ttisnumber(l) && ttisnumber(r)) return LTnum(l, r);
  if (ttisstring(l) && ttisstring(r)) return l_strcmp(tsvalue(l), tsvalue(r)) < 0;
  return callorderTM(L, l, r, TM_LT);
}

int mlV_lessequal(ml_State *L, const TValue *l, const TValue *r) {
  if (ttisnumber(l) && ttisnumber(r)) return LEnum(l, r);
  if (ttisstring(l) && ttisstring(r)) return l_strcmp(tsvalue(l), tsvalue(r)) <= 0;
  return callorderTM(L, l, r, TM_LE);
}

int mlV_equalobj(ml_State *L, const TValue *t1, const TValue *t2) {
  const TValue *tm;
  if (rawtt(t1) != rawtt(t2)) {
    if (ttype(t1) != ttype(t2) || ttype(t1) != ML_TNUMBER) return 0;
    ml_Integer i1, i2;
    return (mlV_tointeger(t1, &i1, 0) && mlV_tointeger(t2, &i2, 0) && i1 == i2);
  }
  switch (rawtt(t1)) {
    case VT_NIL: case VT_FALSE: case VT_TRUE: return 1;
    case VT_INT: return ivalue(t1) == ivalue(t2);
    case VT_FLT: return fltvalue(t1) == fltvalue(t2);
    case VT_LIGHTUD: return pvalue(t1) == pvalue(t2);
    case VT_LCF: return fvalue(t1) == fvalue(t2);
    case VT_SHRSTR: return tsvalue(t1) == tsvalue(t2);
    case VT_LNGSTR: return mlS_eqlngstr(tsvalue(t1), tsvalue(t2));
    case VT_UDATA:
      if (uvalue(t1) == uvalue(t2)) return 1;
      if (L == NULL) return 0;
      tm = fasttm(L, uvalue(t1)->metatable, TM_EQ);
      if (tm == NULL) tm = fasttm(L, uvalue(t2)->metatable, TM_EQ);
      break;
    case VT_TABLE:
      if (hvalue(t1) == hvalue(t2)) return 1;
      if (L == NULL) return 0;
      tm = fasttm(L, hvalue(t1)->metatable, TM_EQ);
      if (tm == NULL) tm = fasttm(L, hvalue(t2)->metatable, TM_EQ);
      break;
    default: return gcvalue(t1) == gcvalue(t2);
  }
  if (tm == NULL) return 0;
  TValue res;
  setnilvalue(&res);
  mlT_callTMres(L, tm, t1, t2, &res);
  return !l_isfalse(&res);
}

/* ================= indexing ================= */

/* 'slot' is NULL when t is not a table, else the (nil) raw result. */
void mlV_finishget(ml_State *L, const TValue *t, const TValue *key, TValue *val, const TValue *slot) {
  for (int loop = 0; loop < MAXTAGLOOP; loop++) {
    const TValue *tm;
    if (slot == NULL) {
      tm = mlT_gettmbyobj(L, t, TM_INDEX);
      if (ttisnil(tm)) mlG_typeerror(L, t, "index");
    } else {
      tm = fasttm(L, hvalue(t)->metatable, TM_INDEX);
      if (tm == NULL) {
        setnilvalue(val);
        return;
      }
    }
    if (ttisfunction(tm)) {
      mlT_callTMres(L, tm, t, key, val);
      return;
    }
    t = tm;
    if (ttistable(t)) {
      /* method lookups through class tables: keep them on the fast path */
      slot = ttisshrstring(key) ? mlH_fastgetshortstr(hvalue(t), tsvalue(key)) : mlH_get(hvalue(t), key);
      if (!ttisnil(slot)) {
        setobj(val, slot);
        return;
      }
    } else {
      slot = NULL;
    }
  }
  mlG_runerror(L, "'__index' chain too long; possible loop");
}

void mlV_gettable(ml_State *L, const TValue *t, const TValue *key, TValue *val) {
  if (ttistable(t)) {
    const TValue *slot = mlH_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj(val, slot);
      return;
    }
    mlV_finishget(L, t, key, val, slot);
  } else {
    mlV_finishget(L, t, key, val, NULL);
  }
}

static void finishset(ml_State *L, const TValue *t, const TValue *key, const TValue *val, const TValue *slot) {
  for (int loop = 0; loop < MAXTAGLOOP; loop++) {
    const TValue *tm;
    if (slot != NULL) {
      Table *h = hvalue(t);
      tm = fasttm(L, h->metatable, TM_NEWINDEX);
      if (tm == NULL) {
        mlH_finishset(L, h, key, slot, val);
        h->flags = 0;
        return;
      }
    } else {
      tm = mlT_gettmbyobj(L, t, TM_NEWINDEX);
      if (ttisnil(tm)) mlG_typeerror(L, t, "index");
    }
    if (ttisfunction(tm)) {
      callTM(L, tm, t, key, val);
      return;
    }
    t = tm;
    if (ttistable(t)) {
      slot = mlH_get(hvalue(t), key);
      if (!ttisnil(slot)) {
        setobj((TValue *)slot, val);
        return;
      }
    } else {
      slot = NULL;
    }
  }
  mlG_runerror(L, "'__newindex' chain too long; possible loop");
}

void mlV_settable(ml_State *L, const TValue *t, const TValue *key, const TValue *val) {
  if (ttistable(t)) {
    const TValue *slot = mlH_get(hvalue(t), key);
    if (!ttisnil(slot)) {
      setobj((TValue *)slot, val);
      return;
    }
    finishset(L, t, key, val, slot);
  } else {
    finishset(L, t, key, val, NULL);
  }
}

/* ================= concatenation and length ================= */

#define cvt2str(o) ttisnumber(o)
#define tostring(L, o) (ttisstring(o) || (cvt2str(o) && (mlO_tostring(L, o), 1)))

/* Concatenates the 'total' values at the top, leaving the result in the
** first one's slot. Runs of strings and numbers are joined in one copy. */
void mlV_concat(ml_State *L, int total) {
  do {
    TValue *top = L->top;
    int n = 2;
    if (!(ttisstring(top - 2) || cvt2str(top - 2)) || !tostring(L, top - 1)) {
      if (!callbinTM(L, top - 2, top - 1, top - 2, TM_CONCAT)) {
        mlG_concaterror(L, top - 2, top - 1);
      }
    } else if (tsslen(tsvalue(top - 1)) == 0) {
      (void)tostring(L, top - 2);
    } else if (ttisstring(top - 2) && tsslen(tsvalue(top - 2)) == 0) {
      setobj(top - 2, top - 1);
    } else {
      size_t tl = tsslen(tsvalue(top - 1));
      for (n = 1; n < total && tostring(L, top - n - 1); n++) {
        size_t l = tsslen(tsvalue(top - n - 1));
        if (l >= ((size_t)-1) / 2 - tl) mlG_runerror(L, "string length overflow");
        tl += l;
      }
      TString *ts;
      if (tl <= ML_MAXSHORTLEN) {
        char buff[ML_MAXSHORTLEN];
        size_t off = 0;
        for (int j = n; j > 0; j--) {
          TString *s = tsvalue(top - j);
          memcpy(buff + off, getstr(s), tsslen(s));
          off += tsslen(s);
        }
        ts = mlS_newlstr(L, buff, tl);
      } else {
        ts = mlS_createlngstrobj(L, tl);
        size_t off = 0;
        for (int j = n; j > 0; j--) {
          TString *s = tsvalue(top - j);
          memcpy(getstr(ts) + off, getstr(s), tsslen(s));
          off += tsslen(s);
        }
      }
      setsvalue(top - n, ts);
    }
    total -= n - 1;
    L->top -= n - 1;
  } while (total > 1);
}

void mlV_objlen(ml_State *L, TValue *ra, const TValue *rb) {
  const TValue *tm;
  switch (rawtt(rb)) {
    case VT_TABLE: {
      Table *h = hvalue(rb);
      tm = fasttm(L, h->metatable, TM_LEN);
      if (tm) break;
      setivalue(ra, (ml_Integer)mlH_getn(h));
      return;
    }
    case VT_SHRSTR: case VT_LNGSTR: setivalue(ra, (ml_Integer)tsslen(tsvalue(rb))); return;
    default:
      tm = mlT_gettmbyobj(L, rb, TM_LEN);
      if (ttisnil(tm)) mlG_typeerror(L, rb, "get length of");
      break;
  }
  mlT_callTMres(L, tm, rb, rb, ra);
}

/* ================= numeric for ================= */

/* Integer loop limit: clipped to the integer range; returns 1 to skip the loop. */
static int forlimit(ml_State *L, ml_Integer init, const TValue *lim, ml_Integer *p, ml_Integer step) {
  if (!mlV_tointeger(lim, p, (step < 0 ? 2 : 1))) {
    ml_Number flim;
    if (!tonumber(lim, &flim)) mlG_forerror(L, lim, "limit");
    if (flim != flim) return 1; /* NaN: never runs */
    if (flim > 0) {
      if (step < 0) return 1;
      *p = ML_MAXINTEGER;
    } else {
      if (step > 0) return 1;
      *p = ML_MININTEGER;
    }
  }
  return step > 0 ? init > *p : init < *p;
}

/* Prepares a numeric loop; returns 1 to skip it. Integer loops keep the
** iteration count in ra+1 so they cannot overflow. */
static int forprep(ml_State *L, TValue *ra) {
  TValue *pinit = ra, *plimit = ra + 1, *pstep = ra + 2;
  if (ttisinteger(pinit) && ttisinteger(pstep)) {
    ml_Integer init = ivalue(pinit), step = ivalue(pstep), limit;
    if (step == 0) mlG_runerror(L, "'for' step is zero");
    setivalue(ra + 3, init);
    if (forlimit(L, init, plimit, &limit, step)) return 1;
    ml_Unsigned count;
    if (step > 0) {
      count = l_castS2U(limit) - l_castS2U(init);
      if (step != 1) count /= l_castS2U(step);
    } else {
      count = l_castS2U(init) - l_castS2U(limit);
      count /= l_castS2U(-(step + 1)) + 1u;
    }
    setivalue(plimit, l_castU2S(count));
    return 0;
  }
  ml_Number init, flimit, step;
  if (!tonumber(plimit, &flimit)) mlG_forerror(L, plimit, "limit");
  if (!tonumber(pstep, &step)) mlG_forerror(L, pstep, "step");
  if (!tonumber(pinit, &init)) mlG_forerror(L, pinit, "initial value");
  if (step == 0) mlG_runerror(L, "'for' step is zero");
  if (step > 0 ? flimit < init : init < flimit) return 1;
  setfltvalue(plimit, flimit);
  setfltvalue(pstep, step);
  setfltvalue(ra, init);
  setfltvalue(ra + 3, init);
  return 0;
}

static int floatforloop(TValue *ra) {
  ml_Number step = fltvalue(ra + 2);
  ml_Number limit = fltvalue(ra + 1);
  ml_Number idx = fltvalue(ra) + step;
  if (step > 0 ? idx <= limit : limit <= idx) {
    setfltvalue(ra, idx);
    setfltvalue(ra + 3, idx);
    return 1;
  }
  return 0;
}

/* ================= the interpreter ================= */

static void pushclosure(ml_State *L, Proto *p, UpVal **encup, TValue *base, TValue *ra) {
  int nup = p->sizeupvalues;
  Upvaldesc *uv = p->upvalues;
  LClosure *ncl = mlF_newLclosure(L, nup);
  ncl->p = p;
  setclLvalue(ra, ncl);
  for (int i = 0; i < nup; i++) {
    if (uv[i].instack) ncl->upvals[i] = mlF_findupval(L, base + uv[i].idx);
    else ncl->upvals[i] = encup[uv[i].idx];
  }
}

static void setlist(ml_State *L, TValue *ra, int n, unsigned last) {
  Table *h = hvalue(ra);
  if (last > h->asize) {
    unsigned hsize = (h->lastfree == NULL) ? 0 : sizenode(h);
    mlH_resize(L, h, last, hsize);
  }
  for (; n > 0; n--) {
    setobj(&h->array[last - 1], ra + n);
    last--;
  }
}

#define RA(i) (base + GETARG_A(i))
#define RB(i) (base + GETARG_B(i))
#define RC(i) (base + GETARG_C(i))
#define KB(i) (k + GETARG_B(i))
#define KC(i) (k + GETARG_C(i))
#define RKC(i) (GETARG_k(i) ? k + GETARG_C(i) : base + GETARG_C(i))

#define savepc() (ci->savedpc = pc)
#define savestate() (savepc(), L->top = ci->top)
#define Protect(exp) \
  do { savestate(); exp; } while (0)
#define checkGC() \
  do { if (gcdue(L)) { savestate(); mlC_step(L); } } while (0)

/* A function's bytecode never changes once it is compiled, so fetching an
** instruction is idempotent: with `pc` promoted at the dispatch, a trace
** knows every instruction it runs, and everything decoded from it, as a
** constant (ykts.h). In a plain build YK_IDEMPOTENT is empty, and in the
** interpreter built by ykts cc the call is inlined all the same. */
YK_IDEMPOTENT static Instruction fetch(const Instruction *pc) { return *pc; }

/* A function's constants never change either. Reading one through these two
** idempotent functions, at an address promoted to a constant (`k` is a
** constant only once it is promoted: it is loaded from the closure), gives
** the trace its value and tag as constants: `x + 1` adds 1 and checks no tag.
** KCONST copies the constant into a local TValue; the slow paths still pass
** the constant's own address (`k + C`), so the copy never escapes and stays
** in registers. */
YK_IDEMPOTENT static uint64_t kword(const TValue *o) {
  uint64_t w;
  memcpy(&w, &o->v, sizeof w);
  return w;
}
YK_IDEMPOTENT static int ktag(const TValue *o) { return o->tt; }
#define KCONST(kv, idx) \
  TValue kv; \
  do { \
    const TValue *kp_ = (const TValue *)yk_promote((void *)k) + (idx); \
    uint64_t w_ = kword(kp_); \
    memcpy(&(kv).v, &w_, sizeof w_); \
    (kv).tt = (uint8_t)ktag(kp_); \
  } while (0)

/* A taken backward jump goes through the control point (`backedge` in
** mlV_execute): loop headers, the targets of backward jumps, are where the
** JIT's locations are (finishcode in mlparse.c), and the rest of the
** dispatch pays nothing for it. */
#define dojump(i) \
  do { int sj_ = GETARG_sJ(i); pc += sj_; if (sj_ < 0) goto backedge; } while (0)
#define donextjump() \
  do { int sj_ = GETARG_sJ(fetch(pc)) + 1; pc += sj_; if (sj_ <= 0) goto backedge; } while (0)
#define docondjump(cond) \
  do { if ((cond) != GETARG_k(i)) pc++; else donextjump(); } while (0)

#define tonumberns(o, n) \
  (ttisfloat(o) ? ((n) = fltvalue(o), 1) : ttisinteger(o) ? ((n) = (ml_Number)ivalue(o), 1) : 0)

/* arithmetic with a register or constant second operand */
#define op_arith_aux(v1, v2, s2, iop, fop, arop) \
  do { \
    if (ttisinteger(v1) && ttisinteger(v2)) { \
      ml_Integer i1_ = ivalue(v1), i2_ = ivalue(v2); \
      setivalue(ra, iop); \
    } else { \
      ml_Number n1_, n2_; \
      if (tonumberns(v1, n1_) && tonumberns(v2, n2_)) { \
        setfltvalue(ra, fop); \
      } else { \
        Protect(GETARG_k(i) ? mlV_arith(L, arop, s2, v1, ra) : mlV_arith(L, arop, v1, s2, ra)); \
      } \
    } \
  } while (0)

#define op_float_aux(v1, v2, s2, fop, arop) \
  do { \
    ml_Number n1_, n2_; \
    if (tonumberns(v1, n1_) && tonumberns(v2, n2_)) { \
      setfltvalue(ra, fop); \
    } else { \
      Protect(mlV_arith(L, arop, v1, s2, ra)); \
    } \
  } while (0)

#define op_bitwise_aux(v1, v2, s2, iop, arop) \
  do { \
    ml_Integer i1_, i2_; \
    if (tointegerns(v1, &i1_) && tointegerns(v2, &i2_)) { \
      setivalue(ra, iop); \
    } else { \
      Protect(mlV_arith(L, arop, v1, s2, ra)); \
    } \
  } while (0)

/* % and // : the integer fast path needs no saved state unless the divisor
** is 0 (error) or -1 (overflow-safe path) */
#define op_modidiv_aux(v1, v2, s2, isidiv, arop) \
  do { \
    if (ttisinteger(v1) && ttisinteger(v2)) { \
      ml_Integer a_ = ivalue(v1), b_ = ivalue(v2); \
      if (l_castS2U(b_) + 1u <= 1u) { \
        Protect(setivalue(ra, isidiv ? mlV_idiv(L, a_, b_) : mlV_mod(L, a_, b_))); \
      } else if (isidiv) { \
        ml_Integer q_ = a_ / b_; \
        if ((a_ ^ b_) < 0 && a_ % b_ != 0) q_ -= 1; \
        setivalue(ra, q_); \
      } else { \
        ml_Integer r_ = a_ % b_; \
        if (r_ != 0 && (r_ ^ b_) < 0) r_ += b_; \
        setivalue(ra, r_); \
      } \
    } else { \
      ml_Number n1_, n2_; \
      if (tonumberns(v1, n1_) && tonumberns(v2, n2_)) { \
        setfltvalue(ra, isidiv ? floor(n1_ / n2_) : mlV_modf(L, n1_, n2_)); \
      } else { \
        Protect(GETARG_k(i) ? mlV_arith(L, arop, s2, v1, ra) : mlV_arith(L, arop, v1, s2, ra)); \
      } \
    } \
  } while (0)

/* A call to a Lua closure: the callee's frame is set up here and the loop
** switches to it (no C recursion). Falls through for anything else. */
#define luacall(fn, nres) \
  do { \
    TValue *fn_ = (fn); \
    if (ttisLclosure(fn_)) { \
      Proto *np_ = clLvalue(fn_)->p; \
      int narg_ = (int)(L->top - fn_) - 1; \
      if (L->stack_last - fn_ > np_->maxstacksize + narg_ + 1) { \
        CallInfo *nci_ = ci->next ? ci->next : mlE_extendCI(L); \
        nci_->func = fn_; \
        nci_->nresults = (nres); \
        nci_->callstatus = 0; \
        nci_->top = fn_ + 1 + np_->maxstacksize; \
        nci_->savedpc = np_->code; \
        nci_->nextraargs = 0; \
        L->ci = nci_; \
        for (; narg_ < np_->numparams; narg_++) setnilvalue(L->top++); \
        if (nci_->top > L->hw) L->hw = nci_->top; \
        ci = nci_; \
        goto startfunc; \
      } \
    } \
  } while (0)

_Static_assert(sizeof(YkLocation) == 2 * sizeof(Instruction), "locbase assumes 8-byte locations and 4-byte instructions");

void mlV_execute(ml_State *L, CallInfo *ci) {
  LClosure *cl;
  Proto *p;
  TValue *k;
  TValue *base;
  const Instruction *pc;
  const Instruction *code;
  /* &p->locs[pc - code] is locbase + 2 * pc (a location per instruction,
  ** twice its size): one value for the control point's address, not two
  ** (code and locs). */
  uintptr_t locbase;
  YkMT *mt = G(L)->jitmt;
  int n;
startfunc:
returning:
  cl = clLvalue(ci->func);
  p = cl->p;
  k = p->k;
  code = p->code;
  locbase = (uintptr_t)p->locs - 2 * (uintptr_t)code;
  pc = ci->savedpc;
  base = ci->func + 1;
  for (;;) {
    pc = (const Instruction *)yk_promote((void *)pc);
    Instruction i = fetch(pc++);
    TValue *ra = RA(i);
    switch (GET_OPCODE(i)) {
      case OP_MOVE: setobj(ra, RB(i)); break;
      case OP_LOADI: setivalue(ra, (ml_Integer)GETARG_sBx(i)); break;
      case OP_LOADF: setfltvalue(ra, (ml_Number)GETARG_sBx(i)); break;
      case OP_LOADK: { KCONST(kc_, GETARG_Bx(i)); setobj(ra, &kc_); break; }
      case OP_LOADKX: { KCONST(kc_, GETARG_Ax(fetch(pc))); setobj(ra, &kc_); pc++; break; }
      case OP_LOADFALSE: setbfvalue(ra); break;
      case OP_LFALSESKIP: setbfvalue(ra); pc++; break;
      case OP_LOADTRUE: setbtvalue(ra); break;
      case OP_LOADNIL: {
        int b = GETARG_B(i);
        do { setnilvalue(ra++); } while (b--);
        break;
      }
      case OP_GETUPVAL: setobj(ra, cl->upvals[GETARG_B(i)]->v); break;
      case OP_SETUPVAL: setobj(cl->upvals[GETARG_B(i)]->v, ra); break;
      case OP_GETTABUP: {
        TValue *upval = cl->upvals[GETARG_B(i)]->v;
        TValue *rc = KC(i);
        if (ttistable(upval)) {
          const TValue *slot = mlH_fastgetshortstr(hvalue(upval), tsvalue(rc));
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          Protect(mlV_finishget(L, upval, rc, ra, slot));
        } else {
          Protect(mlV_finishget(L, upval, rc, ra, NULL));
        }
        break;
      }
      case OP_GETTABLE: {
        TValue *rb = RB(i), *rc = RC(i);
        if (ttistable(rb)) {
          Table *h = hvalue(rb);
          const TValue *slot;
          if (ttisinteger(rc)) {
            ml_Integer key = ivalue(rc);
            if (l_castS2U(key) - 1u < h->asize) slot = &h->array[key - 1];
            else slot = mlH_fastgetint(h, key);
          } else {
            slot = mlH_get(h, rc);
          }
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          Protect(mlV_finishget(L, rb, rc, ra, slot));
        } else {
          Protect(mlV_finishget(L, rb, rc, ra, NULL));
        }
        break;
      }
      case OP_GETI: {
        TValue *rb = RB(i);
        int c = GETARG_C(i);
        if (ttistable(rb)) {
          const TValue *slot = mlH_fastgetint(hvalue(rb), c);
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          TValue key;
          setivalue(&key, c);
          Protect(mlV_finishget(L, rb, &key, ra, slot));
        } else {
          TValue key;
          setivalue(&key, c);
          Protect(mlV_finishget(L, rb, &key, ra, NULL));
        }
        break;
      }
      case OP_GETFIELD: {
        TValue *rb = RB(i), *rc = KC(i);
        if (ttistable(rb)) {
          const TValue *slot = mlH_fastgetshortstr(hvalue(rb), tsvalue(rc));
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          Protect(mlV_finishget(L, rb, rc, ra, slot));
        } else {
          Protect(mlV_finishget(L, rb, rc, ra, NULL));
        }
        break;
      }
      case OP_SETTABUP: {
        TValue *upval = cl->upvals[GETARG_A(i)]->v;
        TValue *rb = KB(i), *rc = RKC(i);
        if (ttistable(upval)) {
          TValue *slot = (TValue *)mlH_fastgetshortstr(hvalue(upval), tsvalue(rb));
          if (!ttisnil(slot)) { setobj(slot, rc); break; }
        }
        Protect(mlV_settable(L, upval, rb, rc));
        break;
      }
      case OP_SETTABLE: {
        TValue *rb = RB(i), *rc = RKC(i);
        if (ttistable(ra)) {
          Table *h = hvalue(ra);
          TValue *slot;
          if (ttisinteger(rb)) {
            ml_Integer key = ivalue(rb);
            if (l_castS2U(key) - 1u < h->asize) slot = &h->array[key - 1];
            else slot = (TValue *)mlH_fastgetint(h, key);
          } else {
            slot = (TValue *)mlH_get(h, rb);
          }
          if (!ttisnil(slot)) { setobj(slot, rc); break; }
        }
        Protect(mlV_settable(L, ra, rb, rc));
        break;
      }
      case OP_SETI: {
        int b = GETARG_B(i);
        TValue *rc = RKC(i);
        if (ttistable(ra)) {
          TValue *slot = (TValue *)mlH_fastgetint(hvalue(ra), b);
          if (!ttisnil(slot)) { setobj(slot, rc); break; }
        }
        TValue key;
        setivalue(&key, b);
        Protect(mlV_settable(L, ra, &key, rc));
        break;
      }
      case OP_SETFIELD: {
        TValue *rb = KB(i), *rc = RKC(i);
        if (ttistable(ra)) {
          TValue *slot = (TValue *)mlH_fastgetshortstr(hvalue(ra), tsvalue(rb));
          if (!ttisnil(slot)) { setobj(slot, rc); break; }
        }
        Protect(mlV_settable(L, ra, rb, rc));
        break;
      }
      case OP_NEWTABLE: {
        int b = GETARG_B(i), c = GETARG_C(i);
        savestate();
        Table *t = mlH_new(L);
        sethvalue(ra, t);
        if (b != 0 || c != 0) mlH_resize(L, t, (unsigned)c, (unsigned)b);
        checkGC();
        break;
      }
      case OP_SELF: {
        /* R[A+1] may be R[B]: it gets the same value, so rb stays valid
        ** (and keeps its name for error messages) */
        TValue *rb = RB(i);
        TValue *rc = RKC(i);
        setobj(ra + 1, rb);
        if (ttistable(rb)) {
          const TValue *slot = ttisshrstring(rc) ? mlH_fastgetshortstr(hvalue(rb), tsvalue(rc))
                                                 : mlH_getstr(hvalue(rb), tsvalue(rc));
          if (!ttisnil(slot)) { setobj(ra, slot); break; }
          Protect(mlV_finishget(L, rb, rc, ra, slot));
        } else {
          Protect(mlV_finishget(L, rb, rc, ra, NULL));
        }
        break;
      }
      case OP_ADDI: {
        TValue *v1 = RB(i);
        int imm = GETARG_sC(i);
        if (ttisinteger(v1)) {
          setivalue(ra, intop(+, ivalue(v1), imm));
        } else if (ttisfloat(v1)) {
          setfltvalue(ra, fltvalue(v1) + (ml_Number)imm);
        } else {
          TValue iv;
          setivalue(&iv, imm);
          Protect(GETARG_k(i) ? mlV_arith(L, ARITH_ADD, &iv, v1, ra) : mlV_arith(L, ARITH_ADD, v1, &iv, ra));
        }
        break;
      }
      case OP_ADDK: { KCONST(kc_, GETARG_C(i)); op_arith_aux(RB(i), &kc_, KC(i), intop(+, i1_, i2_), n1_ + n2_, ARITH_ADD); break; }
      case OP_SUBK: { KCONST(kc_, GETARG_C(i)); op_arith_aux(RB(i), &kc_, KC(i), intop(-, i1_, i2_), n1_ - n2_, ARITH_SUB); break; }
      case OP_MULK: { KCONST(kc_, GETARG_C(i)); op_arith_aux(RB(i), &kc_, KC(i), intop(*, i1_, i2_), n1_ * n2_, ARITH_MUL); break; }
      case OP_MODK: { KCONST(kc_, GETARG_C(i)); op_modidiv_aux(RB(i), &kc_, KC(i), 0, ARITH_MOD); break; }
      case OP_POWK: { KCONST(kc_, GETARG_C(i)); op_float_aux(RB(i), &kc_, KC(i), (n2_ == 2 ? n1_ * n1_ : pow(n1_, n2_)), ARITH_POW); break; }
      case OP_DIVK: { KCONST(kc_, GETARG_C(i)); op_float_aux(RB(i), &kc_, KC(i), n1_ / n2_, ARITH_DIV); break; }
      case OP_IDIVK: { KCONST(kc_, GETARG_C(i)); op_modidiv_aux(RB(i), &kc_, KC(i), 1, ARITH_IDIV); break; }
      case OP_BANDK: { KCONST(kc_, GETARG_C(i)); op_bitwise_aux(RB(i), &kc_, KC(i), intop(&, i1_, i2_), ARITH_BAND); break; }
      case OP_BORK: { KCONST(kc_, GETARG_C(i)); op_bitwise_aux(RB(i), &kc_, KC(i), intop(|, i1_, i2_), ARITH_BOR); break; }
      case OP_BXORK: { KCONST(kc_, GETARG_C(i)); op_bitwise_aux(RB(i), &kc_, KC(i), intop(^, i1_, i2_), ARITH_BXOR); break; }
      case OP_SHRI: {
        TValue *rb = RB(i);
        int ic = GETARG_sC(i);
        ml_Integer ib;
        if (tointegerns(rb, &ib)) {
          setivalue(ra, mlV_shiftl(ib, -ic));
        } else {
          TValue iv;
          setivalue(&iv, ic);
          Protect(mlV_arith(L, ARITH_SHR, rb, &iv, ra));
        }
        break;
      }
      case OP_SHLI: {
        TValue *rb = RB(i);
        int ic = GETARG_sC(i);
        ml_Integer ib;
        if (tointegerns(rb, &ib)) {
          setivalue(ra, mlV_shiftl(ic, ib));
        } else {
          TValue iv;
          setivalue(&iv, ic);
          Protect(mlV_arith(L, ARITH_SHL, &iv, rb, ra));
        }
        break;
      }
      case OP_ADD: op_arith_aux(RB(i), RC(i), RC(i), intop(+, i1_, i2_), n1_ + n2_, ARITH_ADD); break;
      case OP_SUB: op_arith_aux(RB(i), RC(i), RC(i), intop(-, i1_, i2_), n1_ - n2_, ARITH_SUB); break;
      case OP_MUL: op_arith_aux(RB(i), RC(i), RC(i), intop(*, i1_, i2_), n1_ * n2_, ARITH_MUL); break;
      case OP_MOD: op_modidiv_aux(RB(i), RC(i), RC(i), 0, ARITH_MOD); break;
      case OP_POW: op_float_aux(RB(i), RC(i), RC(i), (n2_ == 2 ? n1_ * n1_ : pow(n1_, n2_)), ARITH_POW); break;
      case OP_DIV: op_float_aux(RB(i), RC(i), RC(i), n1_ / n2_, ARITH_DIV); break;
      case OP_IDIV: op_modidiv_aux(RB(i), RC(i), RC(i), 1, ARITH_IDIV); break;
      case OP_BAND: op_bitwise_aux(RB(i), RC(i), RC(i), intop(&, i1_, i2_), ARITH_BAND); break;
      case OP_BOR: op_bitwise_aux(RB(i), RC(i), RC(i), intop(|, i1_, i2_), ARITH_BOR); break;
      case OP_BXOR: op_bitwise_aux(RB(i), RC(i), RC(i), intop(^, i1_, i2_), ARITH_BXOR); break;
      case OP_SHL: op_bitwise_aux(RB(i), RC(i), RC(i), mlV_shiftl(i1_, i2_), ARITH_SHL); break;
      case OP_SHR: op_bitwise_aux(RB(i), RC(i), RC(i), mlV_shiftl(i1_, intop(-, 0, i2_)), ARITH_SHR); break;
      case OP_UNM: {
        TValue *rb = RB(i);
        if (ttisinteger(rb)) setivalue(ra, intop(-, 0, ivalue(rb)));
        else if (ttisfloat(rb)) setfltvalue(ra, -fltvalue(rb));
        else Protect(mlV_arith(L, ARITH_UNM, rb, rb, ra));
        break;
      }
      case OP_BNOT: {
        TValue *rb = RB(i);
        ml_Integer ib;
        if (tointegerns(rb, &ib)) setivalue(ra, intop(^, ~l_castS2U(0), ib));
        else Protect(mlV_arith(L, ARITH_BNOT, rb, rb, ra));
        break;
      }
      case OP_NOT: {
        TValue *rb = RB(i);
        if (l_isfalse(rb)) setbtvalue(ra);
        else setbfvalue(ra);
        break;
      }
      case OP_LEN: {
        TValue *rb = RB(i);
        if (ttistable(rb) && hvalue(rb)->metatable == NULL) {
          setivalue(ra, (ml_Integer)mlH_getn(hvalue(rb)));
        } else if (ttisstring(rb)) {
          setivalue(ra, (ml_Integer)tsslen(tsvalue(rb)));
        } else {
          Protect(mlV_objlen(L, ra, rb));
        }
        break;
      }
      case OP_CONCAT: {
        int nv = GETARG_B(i);
        savepc();
        L->top = ra + nv;
        mlV_concat(L, nv);
        L->top = ci->top;
        checkGC();
        break;
      }
      case OP_CLOSE: Protect(mlF_close(L, ra)); break;
      case OP_JMP: dojump(i); break;
      case OP_EQ: {
        TValue *rb = RB(i);
        int cond;
        if (ttisinteger(ra) && ttisinteger(rb)) cond = (ivalue(ra) == ivalue(rb));
        else if (rawtt(ra) == VT_SHRSTR && rawtt(rb) == VT_SHRSTR) cond = (tsvalue(ra) == tsvalue(rb));
        else Protect(cond = mlV_equalobj(L, ra, rb));
        docondjump(cond);
        break;
      }
      case OP_LT: {
        TValue *rb = RB(i);
        int cond;
        if (ttisinteger(ra) && ttisinteger(rb)) cond = (ivalue(ra) < ivalue(rb));
        else if (ttisnumber(ra) && ttisnumber(rb)) cond = LTnum(ra, rb);
        else Protect(cond = mlV_lessthan(L, ra, rb));
        docondjump(cond);
        break;
      }
      case OP_LE: {
        TValue *rb = RB(i);
        int cond;
        if (ttisinteger(ra) && ttisinteger(rb)) cond = (ivalue(ra) <= ivalue(rb));
        else if (ttisnumber(ra) && ttisnumber(rb)) cond = LEnum(ra, rb);
        else Protect(cond = mlV_lessequal(L, ra, rb));
        docondjump(cond);
        break;
      }
      case OP_EQK: {
        TValue *rb = KB(i);
        int cond = mlV_rawequalobj(ra, rb);
        docondjump(cond);
        break;
      }
      case OP_EQI: {
        int cond;
        int im = GETARG_sB(i);
        if (ttisinteger(ra)) cond = (ivalue(ra) == im);
        else if (ttisfloat(ra)) cond = (fltvalue(ra) == (ml_Number)im);
        else cond = 0;
        docondjump(cond);
        break;
      }
#define op_orderI(iop, fop, flip, slow) \
  do { \
    int cond; \
    int im = GETARG_sB(i); \
    if (ttisinteger(ra)) cond = (ivalue(ra) iop im); \
    else if (ttisfloat(ra)) cond = (fltvalue(ra) fop (ml_Number)im); \
    else { \
      TValue iv; \
      setivalue(&iv, im); \
      Protect(cond = flip ? slow(L, &iv, ra) : slow(L, ra, &iv)); \
    } \
    docondjump(cond); \
  } while (0)
      case OP_LTI: op_orderI(<, <, 0, mlV_lessthan); break;
      case OP_LEI: op_orderI(<=, <=, 0, mlV_lessequal); break;
      case OP_GTI: op_orderI(>, >, 1, mlV_lessthan); break;
      case OP_GEI: op_orderI(>=, >=, 1, mlV_lessequal); break;
      case OP_TEST: {
        int cond = !l_isfalse(ra);
        docondjump(cond);
        break;
      }
      case OP_TESTSET: {
        TValue *rb = RB(i);
        if (l_isfalse(rb) == GETARG_k(i)) pc++;
        else {
          setobj(ra, rb);
          donextjump();
        }
        break;
      }
      case OP_CALL: {
        int b = GETARG_B(i);
        int nresults = GETARG_C(i) - 1;
        if (b != 0) L->top = ra + b;
        savepc();
        luacall(ra, nresults);
        CallInfo *newci = mlD_precall(L, ra, nresults);
        if (newci != NULL) {
          ci = newci;
          goto startfunc;
        }
        break;
      }
      case OP_TAILCALL: {
        int b = GETARG_B(i);
        if (b != 0) L->top = ra + b;
        else b = (int)(L->top - ra);
        savepc();
        if (L->openupval != NULL && L->openupval->v >= base) mlF_close(L, base);
        while (!ttisLclosure(ra)) {
          if (ttisfunction(ra)) { /* a C function: call it, then return its results */
            mlD_precall(L, ra, ML_MULTRET);
            n = (int)(L->top - ra);
            goto doreturn;
          }
          mlD_tryfuncTM(L, ra); /* __call: the object becomes the first argument */
          b++;
        }
        {
          TValue *func = ci->func;
          if (p->is_vararg) func -= ci->nextraargs + p->numparams + 1;
          for (int j = 0; j < b; j++) setobj(func + j, ra + j);
          L->top = func + b;
          Proto *np = clLvalue(func)->p;
          int narg = b - 1;
          if (L->stack_last - func <= np->maxstacksize + narg + 1) Protect(mlG_runerror(L, "stack overflow"));
          for (; narg < np->numparams; narg++) setnilvalue(L->top++);
          ci->func = func;
          ci->top = func + 1 + np->maxstacksize;
          ci->savedpc = np->code;
          ci->nextraargs = 0;
          ci->callstatus |= CIST_TAIL;
          if (ci->top > L->hw) L->hw = ci->top;
          goto startfunc;
        }
      }
      case OP_RETURN: {
        n = GETARG_B(i) - 1;
        if (n < 0) n = (int)(L->top - ra);
      doreturn:
        savepc();
        if (L->openupval != NULL && L->openupval->v >= base) mlF_close(L, base);
        if (p->is_vararg) ci->func -= ci->nextraargs + p->numparams + 1;
        L->top = ra + n;
        mlD_poscall(L, ci, n);
        if (ci->callstatus & CIST_FRESH) return;
        ci = L->ci;
        goto returning;
      }
      case OP_RETURN0: {
        if (L->openupval != NULL && L->openupval->v >= base) mlF_close(L, base);
        int nres = ci->nresults;
        L->ci = ci->previous;
        L->top = ci->func;
        for (; nres > 0; nres--) setnilvalue(L->top++);
        if (ci->callstatus & CIST_FRESH) return;
        ci = L->ci;
        goto returning;
      }
      case OP_RETURN1: {
        if (L->openupval != NULL && L->openupval->v >= base) mlF_close(L, base);
        int nres = ci->nresults;
        L->ci = ci->previous;
        if (nres == 0) {
          L->top = ci->func;
        } else {
          setobj(ci->func, ra);
          L->top = ci->func + 1;
          for (; nres > 1; nres--) setnilvalue(L->top++);
        }
        if (ci->callstatus & CIST_FRESH) return;
        ci = L->ci;
        goto returning;
      }
      case OP_FORLOOP: {
        if (ttisinteger(ra + 2)) {
          ml_Unsigned count = l_castS2U(ivalue(ra + 1));
          if (count > 0) {
            ml_Integer step = ivalue(ra + 2);
            ml_Integer idx = ivalue(ra);
            setivalue(ra + 1, l_castU2S(count - 1));
            idx = intop(+, idx, step);
            setivalue(ra, idx);
            setivalue(ra + 3, idx);
            pc -= GETARG_Bx(i);
            goto backedge;
          }
        } else if (floatforloop(ra)) {
          pc -= GETARG_Bx(i);
          goto backedge;
        }
        break;
      }
      case OP_FORPREP: {
        int skip;
        Protect(skip = forprep(L, ra));
        if (skip) pc += GETARG_Bx(i) + 1;
        break;
      }
      case OP_TFORPREP: pc += GETARG_Bx(i); break;
      case OP_TFORCALL: { /* a call like CALL: results land in ra+4.., TFORLOOP follows */
        setobj(ra + 4, ra);
        setobj(ra + 5, ra + 1);
        setobj(ra + 6, ra + 2);
        L->top = ra + 4 + 3;
        savepc();
        luacall(ra + 4, GETARG_C(i));
        CallInfo *newci = mlD_precall(L, ra + 4, GETARG_C(i));
        if (newci != NULL) {
          ci = newci;
          goto startfunc;
        }
        L->top = ci->top;
        break;
      }
      case OP_TFORLOOP: {
        if (!ttisnil(ra + 4)) {
          setobj(ra + 2, ra + 4);
          pc -= GETARG_Bx(i);
          goto backedge;
        }
        break;
      }
      case OP_SETLIST: {
        int nv = GETARG_B(i);
        unsigned last = (unsigned)GETARG_Ax(fetch(pc));
        pc++;
        if (nv == 0) nv = (int)(L->top - ra) - 1;
        else L->top = ci->top;
        last += (unsigned)nv;
        savepc();
        setlist(L, ra, nv, last);
        L->top = ci->top;
        break;
      }
      case OP_CLOSURE: {
        Proto *np = p->p[GETARG_Bx(i)];
        savestate();
        pushclosure(L, np, cl->upvals, base, ra);
        checkGC();
        break;
      }
      case OP_VARARG: {
        int wanted = GETARG_C(i) - 1;
        int nextra = ci->nextraargs;
        if (wanted < 0) {
          wanted = nextra;
          L->top = ra;
          Protect(mlD_checkstack(L, nextra));
          L->top = ra + nextra;
        }
        int j;
        for (j = 0; j < wanted && j < nextra; j++) setobj(ra + j, ci->func - nextra + j);
        for (; j < wanted; j++) setnilvalue(ra + j);
        break;
      }
      case OP_VARARGPREP: {
        int nfix = GETARG_A(i);
        TValue *func = ci->func;
        int actual = (int)(L->top - func) - 1;
        int nextra = actual - nfix;
        ci->nextraargs = nextra;
        savepc();
        if (L->stack_last - L->top <= p->maxstacksize + nfix + 1) mlG_runerror(L, "stack overflow");
        setobj(L->top, func);
        L->top++;
        for (int j = 1; j <= nfix; j++) {
          setobj(L->top, func + j);
          L->top++;
          setnilvalue(func + j);
        }
        ci->func += actual + 1;
        ci->top += actual + 1;
        if (ci->top > L->hw) L->hw = ci->top;
        base = ci->func + 1;
        break;
      }
      case OP_EXTRAARG:
      default:
        savepc();
        mlG_runerror(L, "minilua: bad instruction %s at pc %d", ml_opnames[GET_OPCODE(i)] ? ml_opnames[GET_OPCODE(i)] : "?",
                     (int)(pc - code - 1));
    }
    continue;
  backedge:
    yk_mt_control_point(mt, (YkLocation *)(locbase + 2 * (uintptr_t)pc));
  }
}
