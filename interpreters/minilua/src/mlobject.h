/*
** mlobject.h — minilua's value representation and the layout of every heap
** object (strings, tables, closures, prototypes, upvalues, userdata).
**
** A value is a 16-byte TValue: an 8-byte payload and a one-byte tag. The low
** four bits of a tag are the basic Lua type (ML_T* in mlapi.h); the upper bits
** select a variant (integer/float, short/long string, Lua/C closure/light C
** function, false/true); bit 6 marks values that point to collectable objects.
*/
#ifndef MLOBJECT_H
#define MLOBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mlapi.h"
#include "ykts.h"

typedef uint32_t Instruction;

#define BIT_COLLECTABLE (1 << 6)
#define ctb(t) ((t) | BIT_COLLECTABLE)

#define VT_NIL 0
#define VT_FALSE (ML_TBOOLEAN | (0 << 4))
#define VT_TRUE (ML_TBOOLEAN | (1 << 4))
#define VT_LIGHTUD ML_TLIGHTUSERDATA
#define VT_INT (ML_TNUMBER | (0 << 4))
#define VT_FLT (ML_TNUMBER | (1 << 4))
#define VT_SHRSTR ctb(ML_TSTRING | (0 << 4))
#define VT_LNGSTR ctb(ML_TSTRING | (1 << 4))
#define VT_TABLE ctb(ML_TTABLE)
#define VT_LCL ctb(ML_TFUNCTION | (0 << 4))
#define VT_CCL ctb(ML_TFUNCTION | (2 << 4))
#define VT_LCF (ML_TFUNCTION | (1 << 4))
#define VT_UDATA ctb(ML_TUSERDATA)
#define VT_THREAD ctb(ML_TTHREAD)
/* internal objects, never seen by Lua code */
#define VT_PROTO ctb(9)
#define VT_UPVAL ctb(10)

typedef struct GCObject GCObject;
#define GCHEADER \
  GCObject *next; \
  uint8_t tt; \
  uint8_t marked
struct GCObject {
  GCHEADER;
};

typedef union Value {
  GCObject *gc;
  void *p;
  ml_CFunction f;
  ml_Integer i;
  ml_Number n;
} Value;

typedef struct TValue {
  Value v;
  uint8_t tt;
} TValue;

/* ---- tag tests ---- */
#define rawtt(o) ((o)->tt)
#define ttype(o) ((o)->tt & 0x0f)
#define ttisnil(o) ((o)->tt == VT_NIL)
#define ttisfalse(o) ((o)->tt == VT_FALSE)
#define ttistrue(o) ((o)->tt == VT_TRUE)
#define ttisboolean(o) (ttype(o) == ML_TBOOLEAN)
#define l_isfalse(o) ((o)->tt <= VT_FALSE) /* nil or false */
#define ttisnumber(o) (ttype(o) == ML_TNUMBER)
#define ttisinteger(o) ((o)->tt == VT_INT)
#define ttisfloat(o) ((o)->tt == VT_FLT)
#define ttisstring(o) (ttype(o) == ML_TSTRING)
#define ttisshrstring(o) ((o)->tt == VT_SHRSTR)
#define ttislngstring(o) ((o)->tt == VT_LNGSTR)
#define ttistable(o) ((o)->tt == VT_TABLE)
#define ttisfunction(o) (ttype(o) == ML_TFUNCTION)
#define ttisLclosure(o) ((o)->tt == VT_LCL)
#define ttisCclosure(o) ((o)->tt == VT_CCL)
#define ttislcf(o) ((o)->tt == VT_LCF)
#define ttisfulluserdata(o) ((o)->tt == VT_UDATA)
#define ttislightuserdata(o) ((o)->tt == VT_LIGHTUD)
#define ttisthread(o) ((o)->tt == VT_THREAD)
#define iscollectable(o) ((o)->tt & BIT_COLLECTABLE)

/* ---- payload access ---- */
#define ivalue(o) ((o)->v.i)
#define fltvalue(o) ((o)->v.n)
#define nvalue(o) (ttisinteger(o) ? (ml_Number)ivalue(o) : fltvalue(o))
#define gcvalue(o) ((o)->v.gc)
#define pvalue(o) ((o)->v.p)
#define fvalue(o) ((o)->v.f)
#define tsvalue(o) ((TString *)(o)->v.gc)
#define hvalue(o) ((Table *)(o)->v.gc)
#define clLvalue(o) ((LClosure *)(o)->v.gc)
#define clCvalue(o) ((CClosure *)(o)->v.gc)
#define uvalue(o) ((Udata *)(o)->v.gc)
#define thvalue(o) ((ml_State *)(o)->v.gc)
#define svalue(o) (tsvalue(o)->data)

/* ---- setters; TValues are always copied field by field because a table
** node packs its key's tag into the padding of its value (see Node). ---- */
#define setobj(d, s) \
  do { \
    TValue *d_ = (d); \
    const TValue *s_ = (s); \
    d_->v = s_->v; \
    d_->tt = s_->tt; \
  } while (0)
#define setnilvalue(o) ((o)->tt = VT_NIL)
#define setbfvalue(o) ((o)->tt = VT_FALSE)
#define setbtvalue(o) ((o)->tt = VT_TRUE)
#define setbvalue(o, b) ((o)->tt = (b) ? VT_TRUE : VT_FALSE)
#define setivalue(o, x) \
  do { TValue *o_ = (o); o_->v.i = (x); o_->tt = VT_INT; } while (0)
#define setfltvalue(o, x) \
  do { TValue *o_ = (o); o_->v.n = (x); o_->tt = VT_FLT; } while (0)
#define setgcovalue(o, x, t) \
  do { TValue *o_ = (o); o_->v.gc = (GCObject *)(x); o_->tt = (t); } while (0)
#define setsvalue(o, s) setgcovalue(o, s, ((TString *)(s))->tt)
#define sethvalue(o, h) setgcovalue(o, h, VT_TABLE)
#define setclLvalue(o, c) setgcovalue(o, c, VT_LCL)
#define setclCvalue(o, c) setgcovalue(o, c, VT_CCL)
#define setuvalue(o, u) setgcovalue(o, u, VT_UDATA)
#define setthvalue(o, th) setgcovalue(o, th, VT_THREAD)
#define setfvalue(o, fn) \
  do { TValue *o_ = (o); o_->v.f = (fn); o_->tt = VT_LCF; } while (0)
#define setpvalue(o, x) \
  do { TValue *o_ = (o); o_->v.p = (x); o_->tt = VT_LIGHTUD; } while (0)

/* ---- strings ---- */
#define ML_MAXSHORTLEN 40
typedef struct TString {
  GCHEADER;
  uint8_t extra;   /* short: reserved-word index+1; long: 1 if hash computed */
  uint32_t hash;
  size_t len;
  struct TString *hnext; /* chain in the string table (short strings) */
  char data[1];
} TString;
#define getstr(ts) ((ts)->data)
#define tsslen(ts) ((ts)->len)
#define isreserved(ts) ((ts)->tt == VT_SHRSTR && (ts)->extra > 0)

/* ---- tables ---- */
typedef struct Node {
  Value val_;       /* value payload */
  uint8_t tt_;      /* value tag: with val_ this is a TValue prefix */
  uint8_t key_tt;
  int32_t next;     /* offset to the next node of the chain */
  Value key_val;
} Node;
#define gval(n) ((TValue *)(n))
#define gnext(n) ((n)->next)
#define keytt(n) ((n)->key_tt)
#define keyisnil(n) ((n)->key_tt == VT_NIL)
#define keyval(n) ((n)->key_val)

typedef struct Table {
  GCHEADER;
  uint8_t flags;      /* bit set = metamethod known absent (cache) */
  uint8_t lsizenode;  /* log2 of the hash part's size */
  uint32_t asize;     /* size of the array part */
  uint32_t lenhint;   /* last border found in the array part (a hint for '#') */
  TValue *array;
  Node *node;
  Node *lastfree;     /* free positions are all before this */
  struct Table *metatable;
} Table;
#define sizenode(t) (1u << (t)->lsizenode)

/* ---- functions ---- */
typedef struct Upvaldesc {
  struct TString *name;
  uint8_t instack;  /* in the enclosing function's registers? */
  uint8_t idx;      /* register or enclosing upvalue index */
  uint8_t kind;     /* 0 regular, 1 <const> */
} Upvaldesc;

typedef struct LocVar {
  struct TString *varname;
  int startpc; /* first pc where the variable is active */
  int endpc;   /* first pc where it is dead */
} LocVar;

typedef struct Proto {
  GCHEADER;
  uint8_t numparams;
  uint8_t is_vararg;
  uint8_t maxstacksize;
  int sizeupvalues, sizek, sizecode, sizep, sizelocvars;
  int linedefined, lastlinedefined;
  TValue *k;
  Instruction *code;
  struct Proto **p;
  Upvaldesc *upvalues;
  int *lineinfo;      /* source line of each instruction */
  LocVar *locvars;
  TString *source;
  YkLocation *locs;   /* JIT location per instruction: non-null at loop headers */
} Proto;

typedef struct UpVal {
  GCHEADER;
  TValue *v; /* points into the stack while open, to 'value' once closed */
  struct UpVal *opennext; /* open list, ordered by decreasing stack level */
  TValue value;
} UpVal;
#define upisopen(up) ((up)->v != &(up)->value)

typedef struct LClosure {
  GCHEADER;
  uint8_t nupvalues;
  Proto *p;
  UpVal *upvals[1];
} LClosure;

typedef struct CClosure {
  GCHEADER;
  uint8_t nupvalues;
  ml_CFunction f;
  TValue upvalue[1];
} CClosure;

typedef struct Udata {
  GCHEADER;
  Table *metatable;
  size_t len;
  union {
    double d;
    void *p;
    ml_Integer i;
    long double ld;
  } data[1]; /* payload, maximally aligned */
} Udata;
#define udatamem(u) ((void *)(u)->data)

/* ---- numbers ---- */
#define l_castS2U(i) ((ml_Unsigned)(i))
#define l_castU2S(i) ((ml_Integer)(i))
#define intop(op, a, b) l_castU2S(l_castS2U(a) op l_castS2U(b))

#endif
