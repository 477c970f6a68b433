/*
** mlgc.c — memory accounting, object creation and the garbage collector.
**
** Every allocation goes through mlM_realloc, which keeps 'totalbytes'. The
** collector is a stop-the-world mark & sweep: when totalbytes passes
** GCthreshold at a safe point (mlC_checkGC), everything reachable from the
** roots (stack, registry, type metatables, open upvalues) is marked using an
** explicit gray stack, then the object list is swept. The next threshold is
** the live size times gcpause/100, as PUC Lua's pause. Weak tables (__mode)
** and finalizers (__gc) are not implemented: __mode is treated as strong.
** This file also creates and frees function objects (prototypes, closures,
** upvalues) and closes upvalues.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlcore.h"

#define MARKBIT 1
#define FIXEDBIT 0x80
#define ismarked(o) ((o)->marked & (MARKBIT | FIXEDBIT))
#define GCMINTHRESHOLD (256 * 1024)

void mlH_clearkeys(Table *t);

void *mlM_realloc(ml_State *L, void *block, size_t osize, size_t nsize) {
  if (nsize == 0) {
    free(block);
    G(L)->totalbytes -= osize;
    return NULL;
  }
  void *nb = realloc(block, nsize);
  if (nb == NULL) {
    if (G(L)->gcrunning && !G(L)->gcstopem) { /* try to free something and retry */
      mlC_fullgc(L);
      nb = realloc(block, nsize);
    }
    if (nb == NULL) mlD_throw(L, ML_ERRMEM);
  }
  G(L)->totalbytes += nsize - osize;
  return nb;
}

GCObject *mlC_newobj(ml_State *L, int tt, size_t sz) {
  GCObject *o = (GCObject *)mlM_alloc(L, sz);
  o->tt = (uint8_t)tt;
  o->marked = 0;
  o->next = G(L)->allgc;
  G(L)->allgc = o;
  return o;
}

/* ---------------- function objects ---------------- */

Proto *mlF_newproto(ml_State *L) {
  Proto *f = (Proto *)mlC_newobj(L, VT_PROTO, sizeof(Proto));
  f->k = NULL; f->sizek = 0;
  f->p = NULL; f->sizep = 0;
  f->code = NULL; f->sizecode = 0;
  f->lineinfo = NULL;
  f->locs = NULL;
  f->upvalues = NULL; f->sizeupvalues = 0;
  f->numparams = 0; f->is_vararg = 0; f->maxstacksize = 0;
  f->locvars = NULL; f->sizelocvars = 0;
  f->linedefined = 0; f->lastlinedefined = 0;
  f->source = NULL;
  return f;
}

static void freeproto(ml_State *L, Proto *f) {
  if (f->locs) {
    for (int i = 0; i < f->sizecode; i++)
      if (!yk_location_is_null(f->locs[i])) yk_location_drop(f->locs[i]);
    mlM_freearray(L, f->locs, f->sizecode, YkLocation);
  }
  mlM_freearray(L, f->code, f->sizecode, Instruction);
  mlM_freearray(L, f->lineinfo, f->sizecode, int);
  mlM_freearray(L, f->p, f->sizep, Proto *);
  mlM_freearray(L, f->k, f->sizek, TValue);
  mlM_freearray(L, f->locvars, f->sizelocvars, LocVar);
  mlM_freearray(L, f->upvalues, f->sizeupvalues, Upvaldesc);
  mlM_free(L, f, sizeof(Proto));
}

#define sizeLclosure(n) (offsetof(LClosure, upvals) + sizeof(UpVal *) * ((n) > 0 ? (size_t)(n) : 1))
#define sizeCclosure(n) (offsetof(CClosure, upvalue) + sizeof(TValue) * ((n) > 0 ? (size_t)(n) : 1))

LClosure *mlF_newLclosure(ml_State *L, int n) {
  LClosure *c = (LClosure *)mlC_newobj(L, VT_LCL, sizeLclosure(n));
  c->p = NULL;
  c->nupvalues = (uint8_t)n;
  while (n--) c->upvals[n] = NULL;
  return c;
}

CClosure *mlF_newCclosure(ml_State *L, int n) {
  CClosure *c = (CClosure *)mlC_newobj(L, VT_CCL, sizeCclosure(n));
  c->nupvalues = (uint8_t)n;
  return c;
}

static UpVal *newupval(ml_State *L) {
  UpVal *uv = (UpVal *)mlC_newobj(L, VT_UPVAL, sizeof(UpVal));
  uv->v = &uv->value;
  setnilvalue(&uv->value);
  uv->opennext = NULL;
  return uv;
}

void mlF_initupvals(ml_State *L, LClosure *cl) {
  for (int i = 0; i < cl->nupvalues; i++) cl->upvals[i] = newupval(L);
}

/* The open upvalue for a stack slot, created if needed (the list is sorted
** by decreasing level, so the search stops early). */
UpVal *mlF_findupval(ml_State *L, TValue *level) {
  UpVal **pp = &L->openupval;
  UpVal *p;
  while ((p = *pp) != NULL && p->v >= level) {
    if (p->v == level) return p;
    pp = &p->opennext;
  }
  UpVal *uv = (UpVal *)mlC_newobj(L, VT_UPVAL, sizeof(UpVal));
  uv->v = level;
  uv->opennext = *pp;
  *pp = uv;
  return uv;
}

void mlF_close(ml_State *L, TValue *level) {
  UpVal *uv;
  while ((uv = L->openupval) != NULL && uv->v >= level) {
    L->openupval = uv->opennext;
    setobj(&uv->value, uv->v);
    uv->v = &uv->value;
  }
}

/* ---------------- marking ---------------- */

static void pushgray(ml_State *L, GCObject *o) {
  if (G(L)->graycount == G(L)->graysize) {
    size_t ns = G(L)->graysize ? G(L)->graysize * 2 : 1024;
    GCObject **ng = realloc(G(L)->gray, ns * sizeof(GCObject *));
    if (ng == NULL) { fprintf(stderr, "minilua: out of memory in the collector\n"); abort(); }
    G(L)->gray = ng;
    G(L)->graysize = ns;
  }
  G(L)->gray[G(L)->graycount++] = o;
}

static inline void markobject(ml_State *L, GCObject *o) {
  if (o == NULL || ismarked(o)) return;
  o->marked |= MARKBIT;
  if (o->tt == VT_SHRSTR || o->tt == VT_LNGSTR) return; /* no references */
  pushgray(L, o);
}

static inline void markvalue(ml_State *L, const TValue *v) {
  if (iscollectable(v)) markobject(L, gcvalue(v));
}

static void markthread(ml_State *L, ml_State *th);

static void traversetable(ml_State *L, Table *t) {
  markobject(L, (GCObject *)t->metatable);
  for (unsigned i = 0; i < t->asize; i++) markvalue(L, &t->array[i]);
  if (t->lastfree == NULL) return;
  mlH_clearkeys(t);
  unsigned n = sizenode(t);
  for (unsigned i = 0; i < n; i++) {
    Node *nd = &t->node[i];
    if (!ttisnil(gval(nd))) {
      if (nd->key_tt & BIT_COLLECTABLE) markobject(L, keyval(nd).gc);
      markvalue(L, gval(nd));
    }
  }
}

static void traverseproto(ml_State *L, Proto *f) {
  markobject(L, (GCObject *)f->source);
  for (int i = 0; i < f->sizek; i++) markvalue(L, &f->k[i]);
  for (int i = 0; i < f->sizeupvalues; i++) markobject(L, (GCObject *)f->upvalues[i].name);
  for (int i = 0; i < f->sizep; i++) markobject(L, (GCObject *)f->p[i]);
  for (int i = 0; i < f->sizelocvars; i++) markobject(L, (GCObject *)f->locvars[i].varname);
}

static void propagate(ml_State *L) {
  while (G(L)->graycount > 0) {
    GCObject *o = G(L)->gray[--G(L)->graycount];
    switch (o->tt) {
      case VT_TABLE: traversetable(L, (Table *)o); break;
      case VT_LCL: {
        LClosure *cl = (LClosure *)o;
        markobject(L, (GCObject *)cl->p);
        for (int i = 0; i < cl->nupvalues; i++) markobject(L, (GCObject *)cl->upvals[i]);
        break;
      }
      case VT_CCL: {
        CClosure *cl = (CClosure *)o;
        for (int i = 0; i < cl->nupvalues; i++) markvalue(L, &cl->upvalue[i]);
        break;
      }
      case VT_PROTO: traverseproto(L, (Proto *)o); break;
      case VT_UPVAL: {
        UpVal *uv = (UpVal *)o;
        if (!upisopen(uv)) markvalue(L, uv->v); /* open ones: the stack is a root */
        break;
      }
      case VT_UDATA: markobject(L, (GCObject *)((Udata *)o)->metatable); break;
      case VT_THREAD: markthread(L, (ml_State *)o); break;
      default: break;
    }
  }
}

/* A thread's stack is marked up to its highest live slot; slots above it
** that may have been written since the last collection are cleared, so a
** stale reference can never survive its object (see 'hw' in ml_State). */
static void markthread(ml_State *L, ml_State *th) {
  if (th->stack == NULL) return;
  TValue *lim = th->top;
  for (CallInfo *ci = th->ci; ci != NULL; ci = ci->previous)
    if (ci->top > lim) lim = ci->top;
  for (TValue *o = th->stack; o < lim; o++) markvalue(L, o);
  TValue *hw = th->hw > th->top ? th->hw : th->top;
  for (TValue *o = lim; o < hw; o++) setnilvalue(o);
  th->hw = lim;
  for (UpVal *uv = th->openupval; uv != NULL; uv = uv->opennext) markobject(L, (GCObject *)uv);
}

/* A dead coroutine's open upvalues that are still in use keep their
** current values, which live on its stack: mark those values, then close
** the upvalues before the stack goes away. */
static void closedeadthreads(ml_State *L) {
  for (ml_State *th = G(L)->threads; th != NULL; th = th->nextthread) {
    if (ismarked(th)) continue;
    for (UpVal *uv = th->openupval; uv != NULL; uv = uv->opennext)
      if (ismarked(uv)) markvalue(L, uv->v);
  }
  propagate(L);
  for (ml_State *th = G(L)->threads; th != NULL; th = th->nextthread)
    if (!ismarked(th) && th->stack != NULL) mlF_close(th, th->stack);
}

static void freeobj(ml_State *L, GCObject *o) {
  switch (o->tt) {
    case VT_SHRSTR:
      mlS_remove(L, (TString *)o);
      mlM_free(L, o, offsetof(TString, data) + ((TString *)o)->len + 1);
      break;
    case VT_LNGSTR: mlM_free(L, o, offsetof(TString, data) + ((TString *)o)->len + 1); break;
    case VT_TABLE: mlH_free(L, (Table *)o); break;
    case VT_LCL: mlM_free(L, o, sizeLclosure(((LClosure *)o)->nupvalues)); break;
    case VT_CCL: mlM_free(L, o, sizeCclosure(((CClosure *)o)->nupvalues)); break;
    case VT_PROTO: freeproto(L, (Proto *)o); break;
    case VT_UPVAL: /* never open here: live threads mark theirs, dead ones were closed */
      mlM_free(L, o, sizeof(UpVal));
      break;
    case VT_THREAD: {
      ml_State *th = (ml_State *)o;
      ml_State **pp = &G(L)->threads;
      while (*pp != th) pp = &(*pp)->nextthread;
      *pp = th->nextthread;
      th->openupval = NULL;
      mlE_freestack(th);
      G(L)->totalbytes -= 1024; /* the nominal stack charge of newthread */
      mlM_free(L, o, sizeof(ml_State));
      break;
    }
    case VT_UDATA: mlM_free(L, o, offsetof(Udata, data) + ((Udata *)o)->len); break;
    default: fprintf(stderr, "minilua: freeobj: bad object tag %d\n", o->tt); abort();
  }
}

static void sweep(ml_State *L) {
  GCObject **p = &G(L)->allgc;
  GCObject *o;
  while ((o = *p) != NULL) {
    if (ismarked(o)) {
      o->marked &= (uint8_t)~MARKBIT;
      p = &o->next;
    } else {
      *p = o->next;
      freeobj(L, o);
    }
  }
}

void mlC_fullgc(ml_State *L) {
  if (G(L)->gcstopem) return;
  G(L)->gcstopem = 1;
  markthread(L, G(L)->mainthread);
  markvalue(L, &G(L)->l_registry);
  for (int i = 0; i <= ML_TTHREAD; i++) markobject(L, (GCObject *)G(L)->mt[i]);
  propagate(L);
  closedeadthreads(L);
  sweep(L);
  if (G(L)->strt.nuse < G(L)->strt.size / 4 && G(L)->strt.size > 256) mlS_resize(L, G(L)->strt.size / 2);
  size_t live = G(L)->totalbytes;
  size_t th = live / 100 * (size_t)G(L)->gcpause;
  G(L)->GCthreshold = th < GCMINTHRESHOLD ? GCMINTHRESHOLD : th;
  G(L)->gcstopem = 0;
}

void mlC_step(ml_State *L) {
  if (!G(L)->gcrunning) {
    G(L)->GCthreshold = G(L)->totalbytes + GCMINTHRESHOLD;
    return;
  }
  mlC_fullgc(L);
}

void mlC_freeall(ml_State *L) {
  GCObject *o = G(L)->allgc;
  L->openupval = NULL;
  for (ml_State *th = G(L)->threads; th != NULL; th = th->nextthread) th->openupval = NULL;
  while (o != NULL) {
    GCObject *n = o->next;
    if (o->tt == VT_SHRSTR) mlM_free(L, o, offsetof(TString, data) + ((TString *)o)->len + 1);
    else freeobj(L, o);
    o = n;
  }
  G(L)->allgc = NULL;
  free(G(L)->gray);
  G(L)->gray = NULL;
}
