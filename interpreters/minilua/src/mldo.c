/*
** mldo.c — the call machinery and error handling: CallInfo frames, calling
** Lua and C functions (results moved to the function's slot and adjusted to
** the wanted count), __call, errors as longjmp to the innermost protected
** call, pcall's state restoration, and the protected parser.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mllex.h"
#include "mlcore.h"
#include "mlopcodes.h"

void mlD_throw(ml_State *L, int errcode) {
  if (L->errorJmp) {
    L->errorJmp->status = errcode;
    longjmp(L->errorJmp->b, 1);
  }
  const char *msg = (L->top > L->stack && ttisstring(L->top - 1)) ? svalue(L->top - 1) : "?";
  fprintf(stderr, "minilua: PANIC: unprotected error in call to the C API (%s)\n", msg);
  fflush(stderr);
  exit(EXIT_FAILURE);
}

int mlD_rawrunprotected(ml_State *L, Pfunc f, void *ud) {
  int oldnCcalls = L->nCcalls;
  int oldnny = L->nny;
  struct ml_longjmp lj;
  lj.status = ML_OK;
  lj.previous = L->errorJmp;
  L->errorJmp = &lj;
  if (setjmp(lj.b) == 0) f(L, ud);
  L->errorJmp = lj.previous;
  L->nCcalls = oldnCcalls;
  L->nny = oldnny;
  return lj.status;
}

void mlD_seterrorobj(ml_State *L, int errcode, TValue *oldtop) {
  switch (errcode) {
    case ML_ERRMEM: setsvalue(oldtop, G(L)->memerrmsg); break;
    case ML_ERRERR: setsvalue(oldtop, mlS_new(L, "error in error handling")); break;
    default: setobj(oldtop, L->top - 1); break;
  }
  L->top = oldtop + 1;
}

int mlD_pcall(ml_State *L, Pfunc func, void *u, ptrdiff_t old_top, ptrdiff_t ef) {
  CallInfo *old_ci = L->ci;
  ptrdiff_t old_errfunc = L->errfunc;
  int old_stop = G(L)->gcstopem;
  L->errfunc = ef;
  int status = mlD_rawrunprotected(L, func, u);
  if (status == ML_YIELD) mlD_throw(L, ML_YIELD); /* a yield passes through pcall (see mlcorolib.c) */
  if (status != ML_OK) {
    TValue *oldtop = restorestack(L, old_top);
    L->ci = old_ci;
    G(L)->gcstopem = old_stop;
    L->stack_last = L->stack + L->stacksize;
    mlF_close(L, oldtop);
    mlD_seterrorobj(L, status, oldtop);
  }
  L->errfunc = old_errfunc;
  return status;
}

CallInfo *mlE_extendCI(ml_State *L) {
  CallInfo *ci = (CallInfo *)mlM_alloc(L, sizeof(CallInfo));
  L->ci->next = ci;
  ci->previous = L->ci;
  ci->next = NULL;
  return ci;
}

#define next_ci(L) ((L)->ci->next ? (L)->ci->next : mlE_extendCI(L))

static void stackerror(ml_State *L) __attribute__((noreturn));
static void stackerror(ml_State *L) {
  if (L->stack_last == L->stack + L->stacksize) {
    /* lend the spare slots to the error handling; pcall takes them back */
    L->stack_last = L->stack + L->stacksize + ML_EXTRASTACK - 4;
    mlG_runerror(L, "stack overflow");
  }
  mlD_throw(L, ML_ERRERR); /* overflow while handling an overflow */
}

void mlD_checkstack(ml_State *L, int n) {
  if (L->stack_last - L->top <= n) stackerror(L);
  if (L->top + n > L->hw) L->hw = L->top + n;
}

void mlD_inctop(ml_State *L) {
  mlD_checkstack(L, 1);
  api_incr_top(L);
}

/* Replaces a non-function by its __call metamethod, the object becoming the
** first argument. */
void mlD_tryfuncTM(ml_State *L, TValue *func) {
  const TValue *tm = mlT_gettmbyobj(L, func, TM_CALL);
  if (ttisnil(tm)) mlG_callerror(L, func);
  mlD_checkstack(L, 1);
  for (TValue *p = L->top; p > func; p--) setobj(p, p - 1);
  api_incr_top(L);
  setobj(func, tm);
}

static inline void moveresults(ml_State *L, TValue *res, int nres, int wanted) {
  TValue *firstresult = L->top - nres;
  switch (wanted) {
    case 0: L->top = res; return;
    case 1:
      if (nres == 0) setnilvalue(res);
      else setobj(res, firstresult);
      L->top = res + 1;
      return;
    case ML_MULTRET:
      for (int i = 0; i < nres; i++) setobj(res + i, firstresult + i);
      L->top = res + nres;
      return;
    default:
      if (wanted <= nres) {
        for (int i = 0; i < wanted; i++) setobj(res + i, firstresult + i);
      } else {
        int i;
        for (i = 0; i < nres; i++) setobj(res + i, firstresult + i);
        for (; i < wanted; i++) setnilvalue(res + i);
      }
      L->top = res + wanted;
      return;
  }
}

void mlD_poscall(ml_State *L, CallInfo *ci, int nres) {
  L->ci = ci->previous;
  moveresults(L, ci->func, nres, ci->nresults);
}

static int precallC(ml_State *L, TValue *func, int nresults, ml_CFunction f) {
  CallInfo *ci = next_ci(L);
  ci->func = func;
  ci->nresults = nresults;
  ci->callstatus = CIST_C;
  ci->top = L->top + ML_MINSTACK;
  ci->nextraargs = 0;
  if (ci->top > L->stack_last) stackerror(L);
  if (ci->top > L->hw) L->hw = ci->top;
  L->ci = ci;
  int n = f(L);
  mlD_poscall(L, ci, n);
  return n;
}

/* Starts a call: a C function runs to completion here (returns NULL); for a
** Lua function the new frame is returned for the VM to run. */
CallInfo *mlD_precall(ml_State *L, TValue *func, int nresults) {
  for (;;) {
    switch (rawtt(func)) {
      case VT_CCL: precallC(L, func, nresults, clCvalue(func)->f); return NULL;
      case VT_LCF: precallC(L, func, nresults, fvalue(func)); return NULL;
      case VT_LCL: {
        Proto *p = clLvalue(func)->p;
        int narg = (int)(L->top - func) - 1;
        int nfixparams = p->numparams;
        int fsize = p->maxstacksize;
        if (L->stack_last - func <= fsize + narg + 1) stackerror(L);
        CallInfo *ci = next_ci(L);
        ci->func = func;
        ci->nresults = nresults;
        ci->callstatus = 0;
        ci->top = func + 1 + fsize;
        ci->savedpc = p->code;
        ci->nextraargs = 0;
        L->ci = ci;
        for (; narg < nfixparams; narg++) setnilvalue(L->top++);
        if (ci->top > L->hw) L->hw = ci->top;
        return ci;
      }
      default:
        mlD_tryfuncTM(L, func);
        break;
    }
  }
}

/* Past the limit: an error exactly at it, then some headroom for the error
** handling itself, then "error in error handling" (as lua5.4). */
void mlD_checkcstack(ml_State *L) {
  if (L->nCcalls == ML_MAXCCALLS) mlG_runerror(L, "C stack overflow");
  else if (L->nCcalls >= ML_MAXCCALLS / 10 * 11) mlD_throw(L, ML_ERRERR);
}

void mlD_call(ml_State *L, TValue *func, int nresults) {
  if (++L->nCcalls >= ML_MAXCCALLS) mlD_checkcstack(L);
  /* a coroutine cannot yield across this C frame, unless it is a pcall
  ** that knows how to finish without it (CIST_YPCALL) */
  int inc = (L->ci->callstatus & CIST_YPCALL) ? 0 : 1;
  L->nny += inc;
  CallInfo *ci = mlD_precall(L, func, nresults);
  if (ci != NULL) {
    ci->callstatus = CIST_FRESH;
    mlV_execute(L, ci);
  }
  L->nny -= inc;
  L->nCcalls--;
}

/* ---------------- protected parser ---------------- */

struct SParser {
  ZIO *z;
  const char *mode;
  const char *name;
};

static void checkmode(ml_State *L, const char *mode, const char *x) {
  if (mode && strchr(mode, x[0]) == NULL) {
    mlO_pushfstring(L, "attempt to load a %s chunk (mode is '%s')", x, mode);
    mlD_throw(L, ML_ERRSYNTAX);
  }
}

static void f_parser(ml_State *L, void *ud) {
  struct SParser *p = (struct SParser *)ud;
  int c = zgetc(p->z);
  if (c == 0x1b) { /* precompiled chunks are not supported */
    checkmode(L, p->mode, "binary");
    mlO_pushfstring(L, "%s: binary chunks are not supported by minilua", p->name);
    mlD_throw(L, ML_ERRSYNTAX);
  }
  checkmode(L, p->mode, "text");
  LClosure *cl = mlY_parser(L, p->z, p->name, c);
  mlF_initupvals(L, cl);
}

int mlD_protectedparser(ml_State *L, void *z, const char *name, const char *mode) {
  struct SParser p;
  p.z = (ZIO *)z;
  p.name = name;
  p.mode = mode;
  int old_stop = G(L)->gcstopem;
  G(L)->gcstopem = 1; /* objects under construction are not anchored */
  int status = mlD_pcall(L, f_parser, &p, savestack(L, L->top), L->errfunc);
  G(L)->gcstopem = old_stop;
  return status;
}
