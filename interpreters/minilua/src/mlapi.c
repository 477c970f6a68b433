/*
** mlapi.c — the C API of mlapi.h (ml_* functions): stack manipulation,
** conversions, pushing, table access with and without metamethods, calls
** and protected calls, loading chunks; plus creating and closing a state.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mllex.h"
#include "mlcore.h"
#include "mlopcodes.h"

#define ML_RIDX_GLOBALS 2

/* The slot for a stack index or pseudo-index; &L->nilvalue means "none". */
TValue *ml_index2value(ml_State *L, int idx) {
  CallInfo *ci = L->ci;
  if (idx > 0) {
    TValue *o = ci->func + idx;
    if (o >= L->top) return &L->nilvalue;
    return o;
  } else if (idx > ML_REGISTRYINDEX) {
    return L->top + idx;
  } else if (idx == ML_REGISTRYINDEX) {
    return &G(L)->l_registry;
  } else {
    idx = ML_REGISTRYINDEX - idx;
    if (ttisCclosure(ci->func)) {
      CClosure *f = clCvalue(ci->func);
      return (idx <= f->nupvalues) ? &f->upvalue[idx - 1] : &L->nilvalue;
    }
    return &L->nilvalue;
  }
}

static TValue *globals(ml_State *L) {
  return (TValue *)mlH_getint(G_registry(L), ML_RIDX_GLOBALS);
}

/* ---------------- stack ---------------- */

int ml_absindex(ml_State *L, int idx) {
  return (idx > 0 || idx <= ML_REGISTRYINDEX) ? idx : (int)(L->top - L->ci->func) + idx;
}

int ml_gettop(ml_State *L) {
  return (int)(L->top - (L->ci->func + 1));
}

void ml_settop(ml_State *L, int idx) {
  CallInfo *ci = L->ci;
  if (idx >= 0) {
    TValue *newtop = ci->func + 1 + idx;
    while (L->top < newtop) setnilvalue(L->top++);
    L->top = newtop;
    if (L->top > L->hw) L->hw = L->top;
  } else {
    L->top += idx + 1;
  }
}

static void reverse(TValue *from, TValue *to) {
  for (; from < to; from++, to--) {
    TValue temp;
    setobj(&temp, from);
    setobj(from, to);
    setobj(to, &temp);
  }
}

void ml_rotate(ml_State *L, int idx, int n) {
  TValue *t = L->top - 1;
  TValue *p = ml_index2value(L, idx);
  TValue *m = (n >= 0 ? t - n : p - n - 1);
  reverse(p, m);
  reverse(m + 1, t);
  reverse(p, t);
}

void ml_copy(ml_State *L, int fromidx, int toidx) {
  TValue *fr = ml_index2value(L, fromidx);
  TValue *to = ml_index2value(L, toidx);
  setobj(to, fr);
}

void ml_pushvalue(ml_State *L, int idx) {
  setobj(L->top, ml_index2value(L, idx));
  api_incr_top(L);
}

int ml_checkstack(ml_State *L, int n) {
  CallInfo *ci = L->ci;
  if (L->stack_last - L->top <= n) return 0;
  if (ci->top < L->top + n) ci->top = L->top + n;
  if (ci->top > L->hw) L->hw = ci->top;
  return 1;
}

/* ---------------- access ---------------- */

int ml_type(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  return (o == &L->nilvalue) ? ML_TNONE : ttype(o);
}

const char *ml_typename(ml_State *L, int t) {
  (void)L;
  return ttypename(t);
}

int ml_iscfunction(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  return ttislcf(o) || ttisCclosure(o);
}

int ml_isinteger(ml_State *L, int idx) {
  return ttisinteger(ml_index2value(L, idx));
}

int ml_isnumber(ml_State *L, int idx) {
  ml_Number n;
  return tonumber(ml_index2value(L, idx), &n);
}

int ml_isstring(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  return ttisstring(o) || ttisnumber(o);
}

int ml_isuserdata(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  return ttisfulluserdata(o) || ttislightuserdata(o);
}

int ml_rawequal(ml_State *L, int index1, int index2) {
  const TValue *o1 = ml_index2value(L, index1);
  const TValue *o2 = ml_index2value(L, index2);
  return (o1 != &L->nilvalue && o2 != &L->nilvalue) ? mlV_rawequalobj(o1, o2) : 0;
}

int ml_compare(ml_State *L, int index1, int index2, int op) {
  const TValue *o1 = ml_index2value(L, index1);
  const TValue *o2 = ml_index2value(L, index2);
  if (o1 == &L->nilvalue || o2 == &L->nilvalue) return 0;
  switch (op) {
    case ML_OPEQ: return mlV_equalobj(L, o1, o2);
    case ML_OPLT: return mlV_lessthan(L, o1, o2);
    case ML_OPLE: return mlV_lessequal(L, o1, o2);
    default: return 0;
  }
}

size_t ml_stringtonumber(ml_State *L, const char *s) {
  size_t sz = (size_t)mlO_str2num(s, L->top);
  if (sz != 0) api_incr_top(L);
  return sz;
}

ml_Number ml_tonumberx(ml_State *L, int idx, int *pisnum) {
  ml_Number n = 0;
  int isnum = tonumber(ml_index2value(L, idx), &n);
  if (pisnum) *pisnum = isnum;
  return isnum ? n : 0;
}

ml_Integer ml_tointegerx(ml_State *L, int idx, int *pisnum) {
  ml_Integer res = 0;
  int isnum = tointeger(ml_index2value(L, idx), &res);
  if (pisnum) *pisnum = isnum;
  return isnum ? res : 0;
}

int ml_toboolean(ml_State *L, int idx) {
  return !l_isfalse(ml_index2value(L, idx));
}

const char *ml_tolstring(ml_State *L, int idx, size_t *len) {
  TValue *o = ml_index2value(L, idx);
  if (!ttisstring(o)) {
    if (!ttisnumber(o)) {
      if (len) *len = 0;
      return NULL;
    }
    mlO_tostring(L, o);
    mlC_checkGC(L);
    o = ml_index2value(L, idx);
  }
  if (len) *len = tsslen(tsvalue(o));
  return svalue(o);
}

ml_Unsigned ml_rawlen(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  switch (rawtt(o)) {
    case VT_SHRSTR: case VT_LNGSTR: return tsslen(tsvalue(o));
    case VT_UDATA: return uvalue(o)->len;
    case VT_TABLE: return mlH_getn(hvalue(o));
    default: return 0;
  }
}

void *ml_touserdata(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  if (ttisfulluserdata(o)) return udatamem(uvalue(o));
  if (ttislightuserdata(o)) return pvalue(o);
  return NULL;
}

const void *ml_topointer(ml_State *L, int idx) {
  const TValue *o = ml_index2value(L, idx);
  switch (rawtt(o)) {
    case VT_LCF: return (const void *)(size_t)fvalue(o);
    case VT_UDATA: case VT_LIGHTUD: return ml_touserdata(L, idx);
    default: return iscollectable(o) ? (const void *)gcvalue(o) : NULL;
  }
}

/* ---------------- push ---------------- */

void ml_pushnil(ml_State *L) { setnilvalue(L->top); api_incr_top(L); }
void ml_pushnumber(ml_State *L, ml_Number n) { setfltvalue(L->top, n); api_incr_top(L); }
void ml_pushinteger(ml_State *L, ml_Integer n) { setivalue(L->top, n); api_incr_top(L); }
void ml_pushboolean(ml_State *L, int b) { setbvalue(L->top, b); api_incr_top(L); }
void ml_pushlightuserdata(ml_State *L, void *p) { setpvalue(L->top, p); api_incr_top(L); }

const char *ml_pushlstring(ml_State *L, const char *s, size_t len) {
  TString *ts = (len == 0) ? mlS_new(L, "") : mlS_newlstr(L, s, len);
  setsvalue(L->top, ts);
  api_incr_top(L);
  mlC_checkGC(L);
  return getstr(ts);
}

const char *ml_pushstring(ml_State *L, const char *s) {
  if (s == NULL) {
    setnilvalue(L->top);
    api_incr_top(L);
    return NULL;
  }
  TString *ts = mlS_new(L, s);
  setsvalue(L->top, ts);
  api_incr_top(L);
  mlC_checkGC(L);
  return getstr(ts);
}

const char *ml_pushvfstring(ml_State *L, const char *fmt, va_list argp) {
  const char *ret = mlO_pushvfstring(L, fmt, argp);
  mlC_checkGC(L);
  return ret;
}

const char *ml_pushfstring(ml_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  const char *ret = mlO_pushvfstring(L, fmt, argp);
  va_end(argp);
  mlC_checkGC(L);
  return ret;
}

void ml_pushcclosure(ml_State *L, ml_CFunction fn, int n) {
  if (n == 0) {
    setfvalue(L->top, fn);
    api_incr_top(L);
  } else {
    CClosure *cl = mlF_newCclosure(L, n);
    cl->f = fn;
    L->top -= n;
    while (n--) setobj(&cl->upvalue[n], L->top + n);
    setclCvalue(L->top, cl);
    api_incr_top(L);
    mlC_checkGC(L);
  }
}

/* ---------------- get ---------------- */

static int auxgetstr(ml_State *L, const TValue *t, const char *k) {
  TString *str = mlS_new(L, k);
  setsvalue(L->top, str);
  api_incr_top(L);
  mlV_gettable(L, t, L->top - 1, L->top - 1);
  return ttype(L->top - 1);
}

int ml_getglobal(ml_State *L, const char *name) {
  return auxgetstr(L, globals(L), name);
}

int ml_gettable(ml_State *L, int idx) {
  TValue *t = ml_index2value(L, idx);
  mlV_gettable(L, t, L->top - 1, L->top - 1);
  return ttype(L->top - 1);
}

int ml_getfield(ml_State *L, int idx, const char *k) {
  return auxgetstr(L, ml_index2value(L, idx), k);
}

int ml_geti(ml_State *L, int idx, ml_Integer n) {
  TValue *t = ml_index2value(L, idx);
  TValue key;
  setivalue(&key, n);
  if (ttistable(t)) {
    const TValue *slot = mlH_getint(hvalue(t), n);
    if (!ttisnil(slot)) {
      setobj(L->top, slot);
      api_incr_top(L);
      return ttype(L->top - 1);
    }
  }
  setnilvalue(L->top);
  api_incr_top(L);
  mlV_gettable(L, t, &key, L->top - 1);
  return ttype(L->top - 1);
}

int ml_rawget(ml_State *L, int idx) {
  Table *t = hvalue(ml_index2value(L, idx));
  const TValue *val = mlH_get(t, L->top - 1);
  setobj(L->top - 1, val);
  return ttype(L->top - 1);
}

int ml_rawgeti(ml_State *L, int idx, ml_Integer n) {
  Table *t = hvalue(ml_index2value(L, idx));
  setobj(L->top, mlH_getint(t, n));
  api_incr_top(L);
  return ttype(L->top - 1);
}

void ml_createtable(ml_State *L, int narray, int nrec) {
  Table *t = mlH_new(L);
  sethvalue(L->top, t);
  api_incr_top(L);
  if (narray > 0 || nrec > 0) mlH_resize(L, t, (unsigned)narray, (unsigned)nrec);
  mlC_checkGC(L);
}

void *ml_newuserdatauv(ml_State *L, size_t size, int nuvalue) {
  (void)nuvalue;
  Udata *u = mlS_newudata(L, size);
  setuvalue(L->top, u);
  api_incr_top(L);
  mlC_checkGC(L);
  return udatamem(u);
}

int ml_getmetatable(ml_State *L, int objindex) {
  const TValue *obj = ml_index2value(L, objindex);
  Table *mt;
  switch (ttype(obj)) {
    case ML_TTABLE: mt = hvalue(obj)->metatable; break;
    case ML_TUSERDATA: mt = ttisfulluserdata(obj) ? uvalue(obj)->metatable : G(L)->mt[ML_TLIGHTUSERDATA]; break;
    default: mt = (obj == &L->nilvalue) ? NULL : G(L)->mt[ttype(obj)]; break;
  }
  if (mt == NULL) return 0;
  sethvalue(L->top, mt);
  api_incr_top(L);
  return 1;
}

/* ---------------- set ---------------- */

static void auxsetstr(ml_State *L, const TValue *t, const char *k) {
  TString *str = mlS_new(L, k);
  setsvalue(L->top, str);
  api_incr_top(L);
  mlV_settable(L, t, L->top - 1, L->top - 2);
  L->top -= 2;
}

void ml_setglobal(ml_State *L, const char *name) {
  auxsetstr(L, globals(L), name);
}

void ml_settable(ml_State *L, int idx) {
  TValue *t = ml_index2value(L, idx);
  mlV_settable(L, t, L->top - 2, L->top - 1);
  L->top -= 2;
}

void ml_setfield(ml_State *L, int idx, const char *k) {
  auxsetstr(L, ml_index2value(L, idx), k);
}

void ml_seti(ml_State *L, int idx, ml_Integer n) {
  TValue *t = ml_index2value(L, idx);
  TValue key;
  setivalue(&key, n);
  mlV_settable(L, t, &key, L->top - 1);
  L->top--;
}

void ml_rawset(ml_State *L, int idx) {
  Table *t = hvalue(ml_index2value(L, idx));
  TValue *slot = mlH_set(L, t, L->top - 2);
  setobj(slot, L->top - 1);
  t->flags = 0;
  L->top -= 2;
}

void ml_rawseti(ml_State *L, int idx, ml_Integer n) {
  Table *t = hvalue(ml_index2value(L, idx));
  mlH_setint(L, t, n, L->top - 1);
  L->top--;
}

int ml_setmetatable(ml_State *L, int objindex) {
  TValue *obj = ml_index2value(L, objindex);
  Table *mt = ttisnil(L->top - 1) ? NULL : hvalue(L->top - 1);
  switch (ttype(obj)) {
    case ML_TTABLE: hvalue(obj)->metatable = mt; break;
    case ML_TUSERDATA:
      if (ttisfulluserdata(obj)) uvalue(obj)->metatable = mt;
      else G(L)->mt[ML_TLIGHTUSERDATA] = mt;
      break;
    default: G(L)->mt[ttype(obj)] = mt; break;
  }
  L->top--;
  return 1;
}

/* ---------------- calls ---------------- */

void ml_callk(ml_State *L, int nargs, int nresults) {
  TValue *func = L->top - (nargs + 1);
  mlD_call(L, func, nresults);
  if (nresults == ML_MULTRET && L->ci->top < L->top) L->ci->top = L->top;
}

struct CallS {
  TValue *func;
  int nresults;
};

static void f_call(ml_State *L, void *ud) {
  struct CallS *c = (struct CallS *)ud;
  mlD_call(L, c->func, c->nresults);
}

int ml_pcall(ml_State *L, int nargs, int nresults, int errfunc) {
  struct CallS c;
  ptrdiff_t func = 0;
  if (errfunc != 0) func = savestack(L, ml_index2value(L, errfunc));
  c.func = L->top - (nargs + 1);
  c.nresults = nresults;
  int status = mlD_pcall(L, f_call, &c, savestack(L, c.func), func);
  if (nresults == ML_MULTRET && L->ci->top < L->top) L->ci->top = L->top;
  return status;
}

int ml_error(ml_State *L) {
  mlG_errormsg(L);
  return 0;
}

int ml_next(ml_State *L, int idx) {
  Table *t = hvalue(ml_index2value(L, idx));
  int more = mlH_next(L, t, L->top - 1);
  if (more) api_incr_top(L);
  else L->top -= 1;
  return more;
}

void ml_len(ml_State *L, int idx) {
  TValue *t = ml_index2value(L, idx);
  setnilvalue(L->top);
  api_incr_top(L); /* the result's slot, visible to the collector */
  mlV_objlen(L, L->top - 1, t);
}

void ml_concat(ml_State *L, int n) {
  if (n > 1) {
    mlV_concat(L, n);
  } else if (n == 0) {
    setsvalue(L->top, mlS_newlstr(L, "", 0));
    api_incr_top(L);
  }
  mlC_checkGC(L);
}

/* ---------------- loading ---------------- */

int ml_load(ml_State *L, ml_Reader reader, void *data, const char *chunkname, const char *mode) {
  ZIO z;
  z.L = L;
  z.reader = reader;
  z.data = data;
  z.n = 0;
  z.p = NULL;
  if (!chunkname) chunkname = "?";
  int status = mlD_protectedparser(L, &z, chunkname, mode);
  if (status == ML_OK) {
    LClosure *f = clLvalue(L->top - 1);
    if (f->nupvalues >= 1) setobj(f->upvals[0]->v, globals(L));
  }
  return status;
}

/* ---------------- state ---------------- */

static const char *const tmnames[TM_N] = {
  "__index", "__newindex", "__gc", "__mode", "__len", "__eq",
  "__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv",
  "__band", "__bor", "__bxor", "__shl", "__shr", "__unm", "__bnot",
  "__lt", "__le", "__concat", "__call", "__close"
};

/* Sets up a thread's stack of 'size' usable slots (plus spare ones for
** error handling) and its base frame. */
/* Stacks are mapped, not malloc'ed: the pages are zero (nil) and only
** those touched cost memory. Coroutine stacks are kept in a small cache
** for reuse; a stack goes back clean (all nil up to its high-water mark). */
#define STACKCACHE 256
static TValue *stackcache[STACKCACHE];
static int nstackcache = 0;

static TValue *allocstack(size_t slots) {
  if (slots == ML_COSTACK + ML_EXTRASTACK && nstackcache > 0) return stackcache[--nstackcache];
  void *p = mmap(NULL, slots * sizeof(TValue), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : (TValue *)p;
}

static void freestack(TValue *stack, size_t slots, TValue *used) {
  if (slots == ML_COSTACK + ML_EXTRASTACK && nstackcache < STACKCACHE) {
    memset(stack, 0, (size_t)((char *)used - (char *)stack));
    stackcache[nstackcache++] = stack;
    return;
  }
  munmap(stack, slots * sizeof(TValue));
}

int mlE_initstack(ml_State *L, size_t size) {
  L->stack = allocstack(size + ML_EXTRASTACK);
  if (L->stack == NULL) return 0;
  L->stacksize = size;
  L->stack_last = L->stack + size;
  L->top = L->stack;
  setnilvalue(L->top++); /* the base frame's function slot */
  L->ci = &L->base_ci;
  L->base_ci.func = L->stack;
  L->base_ci.top = L->top + ML_MINSTACK;
  L->base_ci.callstatus = CIST_C;
  L->base_ci.previous = L->base_ci.next = NULL;
  L->base_ci.nresults = 0;
  L->hw = L->base_ci.top;
  L->openupval = NULL;
  L->errorJmp = NULL;
  L->errfunc = 0;
  L->nCcalls = 0;
  L->nny = 0;
  L->status = 0;
  setnilvalue(&L->nilvalue);
  return 1;
}

void mlE_freestack(ml_State *L) {
  CallInfo *ci = L->base_ci.next;
  while (ci) {
    CallInfo *next = ci->next;
    mlM_free(L, ci, sizeof(CallInfo));
    ci = next;
  }
  L->base_ci.next = NULL;
  if (L->stack != NULL) {
    TValue *used = L->hw > L->top ? L->hw : L->top;
    if (used > L->stack + L->stacksize + ML_EXTRASTACK) used = L->stack + L->stacksize + ML_EXTRASTACK;
    freestack(L->stack, L->stacksize + ML_EXTRASTACK, L->stack_last > L->stack + L->stacksize ? L->stack + L->stacksize + ML_EXTRASTACK : used);
  }
  L->stack = NULL;
}

ml_State *ml_newstate(void) {
  ml_State *L = calloc(1, sizeof(ml_State));
  global_State *g = calloc(1, sizeof(global_State));
  if (L == NULL || g == NULL || !mlE_initstack(L, ML_MAXSTACK)) {
    free(L);
    free(g);
    return NULL;
  }
  L->g = g;
  L->tt = VT_THREAD;
  L->marked = 0x80; /* the main thread is never collected */
  g->mainthread = L;
  g->gcpause = 200;
  g->GCthreshold = 1024 * 1024;
  g->gcstopem = 1; /* no collection before the state is complete */
  g->gcrunning = 1;
  g->jitmt = yk_mt_new(NULL);
  mlS_init(L);
  for (int i = 0; i < TM_N; i++) {
    G(L)->tmname[i] = mlS_new(L, tmnames[i]);
    G(L)->tmname[i]->marked |= 0x80;
  }
  mlX_init(L);
  Table *registry = mlH_new(L);
  sethvalue(&G(L)->l_registry, registry);
  TValue gt;
  sethvalue(&gt, mlH_new(L));
  mlH_setint(L, registry, ML_RIDX_GLOBALS, &gt);
  g->gcstopem = 0;
  return L;
}

void ml_close(ml_State *L) {
  global_State *g = G(L);
  L = g->mainthread;
  L->ci = &L->base_ci;
  mlF_close(L, L->stack);
  mlC_freeall(L);
  mlE_freestack(L);
  free(g->strt.hash);
  yk_mt_shutdown(g->jitmt);
  free(g);
  free(L);
}

void ml_exitprocess(ml_State *L, int status) {
  (void)L;
  fflush(stdout);
  fflush(stderr);
  exit(status);
}
