/*
** mlcore.h — the interpreter state and the internal interfaces between
** minilua's core modules (strings, tables, GC, lexer/parser, calls, VM,
** debug info). Library code never includes this file: it uses mlapi.h.
*/
#ifndef MLCORE_H
#define MLCORE_H

#include <setjmp.h>

#include "mlobject.h"

/* The value stack is allocated once at its maximum size: the untouched part
** costs address space, not memory, and no pointer into it ever moves. */
#define ML_MAXSTACK 1000000
#define ML_COSTACK 200000     /* a coroutine's stack */
#define ML_YIELD 1            /* thread status of a suspended coroutine */
#define ML_EXTRASTACK 64      /* slack above the limit for error handling */
#define ML_MAXCCALLS 200      /* nested C calls / parser levels */

/* metamethod events; the arithmetic ones follow the ML_OP order below */
typedef enum {
  TM_INDEX, TM_NEWINDEX, TM_GC, TM_MODE, TM_LEN, TM_EQ,
  TM_ADD, TM_SUB, TM_MUL, TM_MOD, TM_POW, TM_DIV, TM_IDIV,
  TM_BAND, TM_BOR, TM_BXOR, TM_SHL, TM_SHR, TM_UNM, TM_BNOT,
  TM_LT, TM_LE, TM_CONCAT, TM_CALL, TM_CLOSE, TM_N
} TMS;

/* arithmetic operators, in opcode order (ADD..SHR) */
enum { ARITH_ADD, ARITH_SUB, ARITH_MUL, ARITH_MOD, ARITH_POW, ARITH_DIV, ARITH_IDIV,
       ARITH_BAND, ARITH_BOR, ARITH_BXOR, ARITH_SHL, ARITH_SHR, ARITH_UNM, ARITH_BNOT };

/* CallInfo status bits */
#define CIST_C 1      /* a C function's frame */
#define CIST_FRESH 2  /* the outermost Lua frame of one ml_execute invocation */
#define CIST_TAIL 4   /* entered by a tail call */
#define CIST_YPCALL 8 /* a pcall/xpcall whose body may yield (see mlcorolib.c) */

typedef struct CallInfo {
  TValue *func;       /* the function's slot; registers start at func+1 */
  TValue *top;        /* top of this frame */
  struct CallInfo *previous, *next;
  const Instruction *savedpc;
  int nresults;       /* wanted results, or ML_MULTRET */
  int nextraargs;     /* vararg functions: number of extra arguments */
  unsigned callstatus;
  /* CIST_YPCALL frames: what finishing the pcall needs if its C frame is gone */
  int pcallextra;         /* values below 'true' in the frame (xpcall: 2) */
  ptrdiff_t pcallfunc;    /* stack offset of the called function */
  ptrdiff_t pcalloldef;   /* message handler to restore */
} CallInfo;

struct ml_longjmp {
  struct ml_longjmp *previous;
  jmp_buf b;
  volatile int status;
};

typedef struct stringtable {
  TString **hash;
  int nuse;
  int size;
} stringtable;

/* State shared by all threads (the main one and coroutines). */
typedef struct global_State {
  /* memory and GC */
  size_t totalbytes;
  size_t GCthreshold;
  GCObject *allgc;
  GCObject **gray;
  size_t graysize, graycount;
  int gcrunning;
  int gcstopem;         /* collection blocked (parser running, or collecting) */
  int gcpause;          /* threshold = live * gcpause / 100 */
  stringtable strt;
  TValue l_registry;
  Table *mt[ML_TTHREAD + 1];  /* metatables of the basic types */
  TString *tmname[TM_N];
  TString *memerrmsg;
  struct ml_State *mainthread;
  struct ml_State *threads;   /* all coroutines (list through 'nextthread') */
  YkMT *jitmt;
} global_State;

/* A thread: the main one or a coroutine. */
struct ml_State {
  GCHEADER;
  uint8_t status;       /* coroutines: CO_* */
  TValue *top;          /* first free slot */
  CallInfo *ci;         /* the running function's frame */
  TValue *stack;
  TValue *stack_last;   /* end of usable stack */
  size_t stacksize;     /* slots reserved (usable ones plus the spare) */
  TValue *hw;           /* slots above this were never written since the last GC */
  CallInfo base_ci;
  UpVal *openupval;
  struct ml_longjmp *errorJmp;
  ptrdiff_t errfunc;    /* stack offset of the message handler, or 0 */
  int nCcalls;
  int nny;              /* non-yieldable nested calls */
  int nyield;           /* values passed by the last yield */
  global_State *g;
  struct ml_State *nextthread;
  TValue nilvalue;      /* read-only nil, also the "none" marker of the API */
};

#define G(L) ((L)->g)
#define G_registry(L) hvalue(&G(L)->l_registry)
#define savestack(L, p) ((char *)(p) - (char *)(L)->stack)
#define restorestack(L, n) ((TValue *)((char *)(L)->stack + (n)))
#define isLua(ci) (!((ci)->callstatus & CIST_C))
#define ci_func(ci) clLvalue((ci)->func)

/* ---- mlgc.c: memory and objects ---- */
void *mlM_realloc(ml_State *L, void *block, size_t osize, size_t nsize);
#define mlM_alloc(L, n) mlM_realloc(L, NULL, 0, (n))
#define mlM_free(L, p, n) mlM_realloc(L, (p), (n), 0)
#define mlM_newvector(L, n, t) ((t *)mlM_alloc(L, (size_t)(n) * sizeof(t)))
#define mlM_freearray(L, p, n, t) mlM_free(L, (p), (size_t)(n) * sizeof(t))
#define mlM_reallocvector(L, v, oldn, n, t) \
  ((v) = (t *)mlM_realloc(L, v, (size_t)(oldn) * sizeof(t), (size_t)(n) * sizeof(t)))
GCObject *mlC_newobj(ml_State *L, int tt, size_t sz);
void mlC_fullgc(ml_State *L);
void mlC_step(ml_State *L);
void mlC_freeall(ml_State *L);
/* -DML_GCSTRESS collects at every safe point: a test mode for anchoring bugs */
#ifdef ML_GCSTRESS
#define gcdue(L) 1
#else
#define gcdue(L) (G(L)->totalbytes >= G(L)->GCthreshold)
#endif
#define mlC_checkGC(L) \
  do { if (gcdue(L)) mlC_step(L); } while (0)
Proto *mlF_newproto(ml_State *L);
LClosure *mlF_newLclosure(ml_State *L, int nup);
CClosure *mlF_newCclosure(ml_State *L, int nup);
UpVal *mlF_findupval(ml_State *L, TValue *level);
void mlF_initupvals(ml_State *L, LClosure *cl);
void mlF_close(ml_State *L, TValue *level);
Udata *mlS_newudata(ml_State *L, size_t s);

/* ---- mlstring.c ---- */
void mlS_init(ml_State *L);
TString *mlS_newlstr(ml_State *L, const char *str, size_t l);
TString *mlS_new(ml_State *L, const char *str);
TString *mlS_createlngstrobj(ml_State *L, size_t l); /* uninitialised contents */
void mlS_remove(ml_State *L, TString *ts);
void mlS_resize(ml_State *L, int newsize);
uint32_t mlS_hashlong(TString *ts);
int mlS_eqlngstr(TString *a, TString *b);
#define eqshrstr(a, b) ((a) == (b))
int mlO_str2num(const char *s, TValue *o); /* returns size+1 or 0 */
int mlO_tostringbuff(const TValue *obj, char *buff); /* number to text, returns length */
void mlO_tostring(ml_State *L, TValue *obj); /* converts a number in place to a string */
const char *mlO_pushvfstring(ml_State *L, const char *fmt, va_list argp);
const char *mlO_pushfstring(ml_State *L, const char *fmt, ...);
void mlO_chunkid(char *out, const char *source, size_t srclen);
#define ML_IDSIZE 60
int mlO_hexavalue(int c);
int mlO_utf8esc(char *buff, unsigned long x);
#define UTF8BUFFSZ 8

/* ---- mltable.c ---- */
Table *mlH_new(ml_State *L);
void mlH_free(ml_State *L, Table *t);
void mlH_resize(ml_State *L, Table *t, unsigned nasize, unsigned nhsize);
const TValue *mlH_getint(Table *t, ml_Integer key);
const TValue *mlH_getshortstr(Table *t, TString *key);
const TValue *mlH_getstr(Table *t, TString *key);
const TValue *mlH_get(Table *t, const TValue *key);
TValue *mlH_set(ml_State *L, Table *t, const TValue *key); /* slot for key, created if absent */
void mlH_setint(ml_State *L, Table *t, ml_Integer key, const TValue *value);
void mlH_finishset(ml_State *L, Table *t, const TValue *key, const TValue *slot, const TValue *value);
ml_Unsigned mlH_getn(Table *t);
int mlH_next(ml_State *L, Table *t, TValue *key); /* key slot, value at key+1 */
extern const TValue ml_absentkey;
#define isabstkey(v) ((v) == &ml_absentkey)

/* Inline lookups for the interpreter's fast paths (mltable.c has the rest). */
static inline const TValue *mlH_fastgetshortstr(const Table *t, const TString *key) {
  const Node *n = &t->node[key->hash & (sizenode(t) - 1)];
  for (;;) {
    if (keytt(n) == VT_SHRSTR && keyval(n).gc == (const GCObject *)key) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &ml_absentkey;
    n += nx;
  }
}
static inline const TValue *mlH_fastgetint(Table *t, ml_Integer key) {
  if (l_castS2U(key) - 1u < t->asize) return &t->array[key - 1];
  return mlH_getint(t, key);
}
int mlV_flttointns(ml_Number n, ml_Integer *p, int mode); /* mode 0: exact, 1: floor, 2: ceil */

/* ---- mldo.c: stack, calls and errors ---- */
typedef void (*Pfunc)(ml_State *L, void *ud);
void mlD_throw(ml_State *L, int errcode) __attribute__((noreturn));
int mlD_rawrunprotected(ml_State *L, Pfunc f, void *ud);
int mlD_pcall(ml_State *L, Pfunc func, void *u, ptrdiff_t oldtop, ptrdiff_t ef);
void mlD_checkstack(ml_State *L, int n);
void mlD_call(ml_State *L, TValue *func, int nresults);
CallInfo *mlD_precall(ml_State *L, TValue *func, int nresults);
int mlD_pretailcall(ml_State *L, CallInfo *ci, TValue *func, int narg1, int delta);
void mlD_poscall(ml_State *L, CallInfo *ci, int nres);
void mlD_seterrorobj(ml_State *L, int errcode, TValue *oldtop);
int mlD_protectedparser(ml_State *L, void *z, const char *name, const char *mode);
CallInfo *mlE_extendCI(ml_State *L);
void mlD_tryfuncTM(ml_State *L, TValue *func);
void mlD_inctop(ml_State *L);
void mlD_checkcstack(ml_State *L);

/* ---- mltm (in mlvm.c): metamethods ---- */
const TValue *mlT_gettm(Table *events, TMS event, TString *ename);
const TValue *mlT_gettmbyobj(ml_State *L, const TValue *o, TMS event);
const char *mlT_objtypename(ml_State *L, const TValue *o);
extern const char *const ml_typenames[];
#define ttypename(x) ml_typenames[(x) + 1]
#define fasttm(L, et, e) \
  ((et) == NULL ? NULL : ((et)->flags & (1u << (e))) ? NULL : mlT_gettm(et, e, G(L)->tmname[e]))

/* ---- mlvm.c ---- */
void mlV_execute(ml_State *L, CallInfo *ci);
int mlV_tonumber_(const TValue *obj, ml_Number *n);
int mlV_tointeger(const TValue *obj, ml_Integer *p, int mode);
int mlV_equalobj(ml_State *L, const TValue *t1, const TValue *t2); /* L NULL: raw */
int mlV_lessthan(ml_State *L, const TValue *l, const TValue *r);
int mlV_lessequal(ml_State *L, const TValue *l, const TValue *r);
void mlV_finishget(ml_State *L, const TValue *t, const TValue *key, TValue *val, const TValue *slot);
void mlV_gettable(ml_State *L, const TValue *t, const TValue *key, TValue *val);
void mlV_settable(ml_State *L, const TValue *t, const TValue *key, const TValue *val);
void mlV_concat(ml_State *L, int total);
void mlV_objlen(ml_State *L, TValue *ra, const TValue *rb);
void mlV_arith(ml_State *L, int op, const TValue *p1, const TValue *p2, TValue *res);
int mlV_rawarith(ml_State *L, int op, const TValue *p1, const TValue *p2, TValue *res);
ml_Integer mlV_idiv(ml_State *L, ml_Integer m, ml_Integer n);
ml_Integer mlV_mod(ml_State *L, ml_Integer m, ml_Integer n);
ml_Number mlV_modf(ml_State *L, ml_Number m, ml_Number n);
ml_Integer mlV_shiftl(ml_Integer x, ml_Integer y);
void mlT_callTMres(ml_State *L, const TValue *f, const TValue *p1, const TValue *p2, TValue *res);
#define mlV_rawequalobj(t1, t2) mlV_equalobj(NULL, t1, t2)
#define tonumber(o, n) (ttisfloat(o) ? (*(n) = fltvalue(o), 1) : mlV_tonumber_(o, n))
#define tointeger(o, i) (ttisinteger(o) ? (*(i) = ivalue(o), 1) : mlV_tointeger(o, i, 0))

/* ---- mldebug.c ---- */
int mlG_getline(const Proto *p, int pc);
int mlG_currentline(CallInfo *ci);
void mlG_runerror(ml_State *L, const char *fmt, ...) __attribute__((noreturn));
void mlG_typeerror(ml_State *L, const TValue *o, const char *opname) __attribute__((noreturn));
void mlG_callerror(ml_State *L, const TValue *o) __attribute__((noreturn));
void mlG_forerror(ml_State *L, const TValue *o, const char *what) __attribute__((noreturn));
void mlG_concaterror(ml_State *L, const TValue *p1, const TValue *p2) __attribute__((noreturn));
void mlG_opinterror(ml_State *L, const TValue *p1, const TValue *p2, const char *msg) __attribute__((noreturn));
void mlG_tointerror(ml_State *L, const TValue *p1, const TValue *p2) __attribute__((noreturn));
void mlG_ordererror(ml_State *L, const TValue *p1, const TValue *p2) __attribute__((noreturn));
void mlG_errormsg(ml_State *L) __attribute__((noreturn));
const char *mlG_addinfo(ml_State *L, const char *msg, TString *src, int line);
const char *mlG_funcname(ml_State *L, CallInfo *ci, const char **name); /* namewhat for the function running in ci */
const char *mlG_getlocalname(const Proto *p, int local_number, int pc);

/* ---- mlparse.c ---- */
typedef struct ZIO ZIO;
LClosure *mlY_parser(ml_State *L, ZIO *z, const char *name, int firstchar);

/* ---- mlapi.c helpers shared with the base library ---- */
TValue *ml_index2value(ml_State *L, int idx);
void ml_setupvalue_env(ml_State *L, LClosure *cl); /* upvalue 1 := globals */
ml_State *ml_newstate(void);
int mlE_initstack(ml_State *L, size_t size);
int mlopen_coroutine(ml_State *L);
int mlopen_debug(ml_State *L);
void mlE_freestack(ml_State *L);
void ml_close(ml_State *L);
int ml_load(ml_State *L, const char *(*reader)(ml_State *, void *, size_t *), void *data,
            const char *chunkname, const char *mode);

#define api_incr_top(L) \
  do { (L)->top++; if ((L)->top > (L)->hw) (L)->hw = (L)->top; } while (0)

#endif
