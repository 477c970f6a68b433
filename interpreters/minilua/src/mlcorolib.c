/*
** mlcorolib.c — coroutines: thread objects and the coroutine library
** (create, resume, yield, status, wrap, isyieldable, running, close).
**
** A coroutine has its own value stack and frames but runs on the C stack of
** whoever resumes it. yield unwinds the coroutine's C frames with a longjmp
** back to resume, leaving its Lua frames in place; the next resume finishes
** the yield call (its results are the resume arguments) and continues the
** interrupted Lua frame in a new mlV_execute. pcall and xpcall mark their
** frames so that they can be finished without their C part (see unroll and
** recover); any other C frame that calls Lua (metamethods, iterators of
** generic for written in C, sort comparators...) cannot be crossed: yield
** fails there with "attempt to yield across a C-call boundary".
*/
#include <string.h>

#include "mlcore.h"

static ml_State *newthread(ml_State *L) {
  ml_State *co = (ml_State *)mlC_newobj(L, VT_THREAD, sizeof(ml_State));
  GCObject *next = co->next;
  memset(co, 0, sizeof(ml_State));
  co->next = next;
  co->tt = VT_THREAD;
  co->g = G(L);
  co->nextthread = G(L)->threads;
  G(L)->threads = co;
  G(L)->totalbytes += 1024; /* a nominal charge for the stack's touched pages (see freeobj) */
  if (!mlE_initstack(co, ML_COSTACK)) mlD_throw(L, ML_ERRMEM);
  return co;
}

static ml_State *getco(ml_State *L) {
  TValue *o = ml_index2value(L, 1);
  if (!ttisthread(o)) mlL_typeerror(L, 1, "coroutine");
  return thvalue(o);
}

/* Moves n values from the top of 'from' to the top of 'to'. */
static void xmove(ml_State *from, ml_State *to, int n) {
  from->top -= n;
  for (int i = 0; i < n; i++) {
    setobj(to->top, from->top + i);
    api_incr_top(to);
  }
}

static int isdead(ml_State *co) {
  return co->status > ML_YIELD ||
         (co->status == ML_OK && co->ci == &co->base_ci && co->top == co->stack + 1);
}

/* Runs the interrupted frames of a resumed coroutine to the end (or to the
** next yield). A C frame met here is a pcall whose C part is gone: its
** body has returned, so the pcall is finished as it would have been. */
static void unroll(ml_State *co, void *ud) {
  (void)ud;
  while (co->ci != &co->base_ci) {
    CallInfo *ci = co->ci;
    if (isLua(ci)) {
      mlV_execute(co, ci);
    } else { /* CIST_YPCALL: "true" and the body's results */
      ci->callstatus &= ~(unsigned)CIST_YPCALL;
      co->errfunc = ci->pcalloldef;
      int n = (int)(co->top - (ci->func + 1)) - ci->pcallextra;
      mlD_poscall(co, ci, n);
    }
  }
}

static void resume_body(ml_State *co, void *ud) {
  int n = *(int *)ud;
  if (co->status == ML_OK) { /* start: the function is below the arguments */
    CallInfo *ci = mlD_precall(co, co->top - n - 1, ML_MULTRET);
    if (ci != NULL) {
      ci->callstatus |= CIST_FRESH;
      mlV_execute(co, ci);
    }
  } else { /* finish the pending yield call, then continue its callers */
    co->status = ML_OK;
    mlD_poscall(co, co->ci, n);
    unroll(co, NULL);
  }
}

static CallInfo *findpcall(ml_State *co) {
  for (CallInfo *ci = co->ci; ci != NULL && ci != &co->base_ci; ci = ci->previous)
    if (ci->callstatus & CIST_YPCALL) return ci;
  return NULL;
}

/* An error reached resume through a pcall whose C frame was unwound by a
** yield: do what that pcall would have done (close upvalues, keep the error
** object, return false and it), then go on with its caller. */
static int recover(ml_State *co, int status) {
  CallInfo *ci;
  while (status > ML_YIELD && (ci = findpcall(co)) != NULL) {
    TValue *oldtop = restorestack(co, ci->pcallfunc);
    co->ci = ci;
    co->stack_last = co->stack + co->stacksize;
    mlF_close(co, oldtop);
    mlD_seterrorobj(co, status, oldtop);
    co->errfunc = ci->pcalloldef;
    co->nny = 0;
    ci->callstatus &= ~(unsigned)CIST_YPCALL;
    setbfvalue(co->top);
    setobj(co->top + 1, co->top - 1);
    co->top += 2;
    mlD_poscall(co, ci, 2);
    status = mlD_rawrunprotected(co, unroll, NULL);
  }
  return status;
}

/* Resumes co with narg values from L; leaves the results (or the error
** message) on L and returns their count, or -1 after an error. */
static int auxresume(ml_State *L, ml_State *co, int narg) {
  if (co == L || (co->status == ML_OK && co->ci != &co->base_ci)) {
    ml_pushliteral(L, "cannot resume non-suspended coroutine");
    return -1;
  }
  if (isdead(co)) {
    ml_pushliteral(L, "cannot resume dead coroutine");
    return -1;
  }
  if (co->stack_last - co->top <= narg + ML_MINSTACK) {
    ml_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  xmove(L, co, narg);
  co->nCcalls = L->nCcalls + 1;
  if (co->nCcalls >= ML_MAXCCALLS) {
    co->nCcalls = 0;
    mlG_runerror(L, "C stack overflow");
  }
  int status = mlD_rawrunprotected(co, resume_body, &narg);
  if (status > ML_YIELD) status = recover(co, status);
  int nres;
  if (status == ML_OK) {
    nres = (int)(co->top - (co->stack + 1));
  } else if (status == ML_YIELD) {
    co->status = ML_YIELD;
    nres = co->nyield;
  } else { /* error: the coroutine is dead, its message goes to L */
    co->status = (uint8_t)status;
    mlF_close(co, co->stack);
    if (status == ML_ERRMEM || status == ML_ERRERR) {
      TString *msg = (status == ML_ERRMEM) ? G(co)->memerrmsg : mlS_new(co, "error in error handling");
      setsvalue(co->top, msg);
      api_incr_top(co);
    }
    co->ci = &co->base_ci;
    if (!ml_checkstack(L, 1)) mlG_runerror(L, "stack overflow");
    setobj(L->top, co->top - 1); /* the message stays in co too, for close() */
    api_incr_top(L);
    return -1;
  }
  if (!ml_checkstack(L, nres + 1)) mlG_runerror(L, "too many results to resume");
  xmove(co, L, nres);
  if (status == ML_OK) co->top = co->stack + 1; /* finished: now dead */
  return nres;
}

static int luaB_cocreate(ml_State *L) {
  mlL_checktype(L, 1, ML_TFUNCTION);
  ml_State *co = newthread(L);
  setthvalue(L->top, co);
  api_incr_top(L);
  setobj(co->top, ml_index2value(L, 1)); /* the body waits on the new stack */
  api_incr_top(co);
  mlC_checkGC(L);
  return 1;
}

static int luaB_coresume(ml_State *L) {
  ml_State *co = getco(L);
  int r = auxresume(L, co, ml_gettop(L) - 1);
  if (r < 0) {
    ml_pushboolean(L, 0);
    ml_insert(L, -2);
    return 2;
  }
  ml_pushboolean(L, 1);
  ml_insert(L, -(r + 1));
  return r + 1;
}

static int auxwrap(ml_State *L) {
  ml_State *co = thvalue(ml_index2value(L, ml_upvalueindex(1)));
  int r = auxresume(L, co, ml_gettop(L));
  if (r < 0) {
    if (ml_type(L, -1) == ML_TSTRING) { /* add the caller's position, as lua5.4 */
      mlL_where(L, 1);
      ml_insert(L, -2);
      ml_concat(L, 2);
    }
    return ml_error(L);
  }
  return r;
}

static int luaB_cowrap(ml_State *L) {
  luaB_cocreate(L);
  ml_pushcclosure(L, auxwrap, 1);
  return 1;
}

static int luaB_yield(ml_State *L) {
  if (L == G(L)->mainthread) return mlL_error(L, "attempt to yield from outside a coroutine");
  if (L->nny > 0) return mlL_error(L, "attempt to yield across a C-call boundary");
  L->nyield = ml_gettop(L);
  mlD_throw(L, ML_YIELD); /* back to auxresume; this frame stays for the next resume */
  return 0;
}

static const char *const statname[] = {"running", "suspended", "normal", "dead"};

static int auxstatus(ml_State *L, ml_State *co) {
  if (L == co) return 0;
  if (co->status == ML_YIELD) return 1;
  if (co->status != ML_OK) return 3;
  if (co->ci != &co->base_ci) return 2; /* it resumed someone else */
  if (co->top == co->stack + 1) return 3;
  return 1; /* not started */
}

static int luaB_costatus(ml_State *L) {
  ml_State *co = getco(L);
  ml_pushstring(L, statname[auxstatus(L, co)]);
  return 1;
}

static int luaB_yieldable(ml_State *L) {
  ml_State *co = ml_isnone(L, 1) ? L : getco(L);
  ml_pushboolean(L, co != G(L)->mainthread && co->nny == 0);
  return 1;
}

static int luaB_corunning(ml_State *L) {
  setthvalue(L->top, L);
  api_incr_top(L);
  ml_pushboolean(L, L == G(L)->mainthread);
  return 2;
}

static int luaB_close(ml_State *L) {
  ml_State *co = getco(L);
  int st = auxstatus(L, co);
  if (st == 1 || st == 3) {
    int errored = co->status > ML_YIELD;
    mlF_close(co, co->stack);
    co->ci = &co->base_ci;
    if (errored) { /* false and the error object */
      ml_pushboolean(L, 0);
      setobj(L->top, co->top - 1);
      api_incr_top(L);
      co->status = ML_OK;
      co->top = co->stack + 1;
      return 2;
    }
    co->status = ML_OK;
    co->top = co->stack + 1;
    ml_pushboolean(L, 1);
    return 1;
  }
  return mlL_error(L, "cannot close a %s coroutine", statname[st]);
}

static const mlL_Reg co_funcs[] = {
  {"create", luaB_cocreate}, {"resume", luaB_coresume}, {"running", luaB_corunning},
  {"status", luaB_costatus}, {"wrap", luaB_cowrap}, {"yield", luaB_yield},
  {"isyieldable", luaB_yieldable}, {"close", luaB_close}, {NULL, NULL}
};

int mlopen_coroutine(ml_State *L);
int mlopen_coroutine(ml_State *L) {
  mlL_newlib(L, co_funcs);
  return 1;
}
