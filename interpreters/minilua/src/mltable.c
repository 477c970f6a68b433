/*
** mltable.c — Lua tables: an array part for the keys 1..asize and a hash
** part of chained nodes kept inside one vector (Brent's variation: a node
** that is not in its main position is moved when its slot is claimed).
** When the hash part is full the table is rehashed: the integer keys are
** counted and the array part takes the largest power of two n such that
** more than n/2 of the slots 1..n would be used.
*/
#include <math.h>
#include <string.h>

#include "mlcore.h"

#define VT_DEADKEY 11 /* key of a removed entry whose object may be gone */
#define MAXABITS 30
#define MAXASIZE (1u << MAXABITS)
#define MAXHBITS 30

const TValue ml_absentkey = {{0}, VT_NIL};

static Node dummynode_ = {{0}, VT_NIL, VT_NIL, 0, {0}};
#define dummynode (&dummynode_)
#define isdummy(t) ((t)->lastfree == NULL)

static inline unsigned mixptr(const void *p) {
  uintptr_t u = (uintptr_t)p;
  return (unsigned)((u >> 4) ^ (u >> 17));
}

static inline unsigned hashint(const Table *t, ml_Integer i) {
  uint64_t u = (uint64_t)i;
  return (unsigned)(u ^ (u >> 32)) & (sizenode(t) - 1);
}

static unsigned hashflt(ml_Number n) {
  uint64_t u;
  memcpy(&u, &n, sizeof u);
  u *= 0x9E3779B97F4A7C15ull;
  return (unsigned)(u >> 32);
}

static Node *mainposition(const Table *t, int ktt, const Value *kv) {
  unsigned mask = sizenode(t) - 1;
  switch (ktt) {
    case VT_INT: return &t->node[hashint(t, kv->i)];
    case VT_FLT: return &t->node[hashflt(kv->n) & mask];
    case VT_SHRSTR: return &t->node[((TString *)kv->gc)->hash & mask];
    case VT_LNGSTR: return &t->node[mlS_hashlong((TString *)kv->gc) & mask];
    case VT_FALSE: return &t->node[0];
    case VT_TRUE: return &t->node[1 & mask];
    case VT_LCF: return &t->node[mixptr((const void *)kv->f) & mask];
    default: return &t->node[mixptr(kv->p) & mask];
  }
}

static inline Node *mainpositionfromnode(const Table *t, Node *nd) {
  return mainposition(t, keytt(nd), &keyval(nd));
}

/* ---- lookups ---- */

const TValue *mlH_getshortstr(Table *t, TString *key) {
  return mlH_fastgetshortstr(t, key);
}

static const TValue *getint_hash(Table *t, ml_Integer key) {
  Node *n = &t->node[hashint(t, key)];
  for (;;) {
    if (keytt(n) == VT_INT && keyval(n).i == key) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &ml_absentkey;
    n += nx;
  }
}

const TValue *mlH_getint(Table *t, ml_Integer key) {
  if (l_castS2U(key) - 1u < t->asize) return &t->array[key - 1];
  return getint_hash(t, key);
}

static int equalkey(const TValue *k1, const Node *n2, int deadok) {
  if (rawtt(k1) != keytt(n2)) {
    if (deadok && keytt(n2) == VT_DEADKEY && iscollectable(k1))
      return gcvalue(k1) == keyval(n2).gc;
    return 0;
  }
  switch (keytt(n2)) {
    case VT_NIL: case VT_FALSE: case VT_TRUE: return 1;
    case VT_INT: return ivalue(k1) == keyval(n2).i;
    case VT_FLT: return fltvalue(k1) == keyval(n2).n;
    case VT_LIGHTUD: return pvalue(k1) == keyval(n2).p;
    case VT_LCF: return fvalue(k1) == keyval(n2).f;
    case VT_LNGSTR: return mlS_eqlngstr(tsvalue(k1), (TString *)keyval(n2).gc);
    default: return gcvalue(k1) == keyval(n2).gc;
  }
}

static const TValue *getgeneric(Table *t, const TValue *key, int deadok) {
  Node *n = mainposition(t, rawtt(key), &key->v);
  for (;;) {
    if (equalkey(key, n, deadok)) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &ml_absentkey;
    n += nx;
  }
}

const TValue *mlH_getstr(Table *t, TString *key) {
  if (key->tt == VT_SHRSTR) return mlH_getshortstr(t, key);
  TValue ko;
  setsvalue(&ko, key);
  return getgeneric(t, &ko, 0);
}

const TValue *mlH_get(Table *t, const TValue *key) {
  switch (rawtt(key)) {
    case VT_SHRSTR: return mlH_getshortstr(t, tsvalue(key));
    case VT_INT: return mlH_getint(t, ivalue(key));
    case VT_NIL: return &ml_absentkey;
    case VT_FLT: {
      ml_Integer k;
      if (mlV_flttointns(fltvalue(key), &k, 0)) return mlH_getint(t, k);
      return getgeneric(t, key, 0);
    }
    default: return getgeneric(t, key, 0);
  }
}

/* ---- resizing ---- */

static unsigned ceillog2(unsigned x) {
  unsigned l = 0;
  x--;
  while (x >= 256) { l += 8; x >>= 8; }
  while (x > 0) { l++; x >>= 1; }
  return l;
}

static void setnodevector(ml_State *L, Table *t, unsigned size) {
  if (size == 0) {
    t->node = dummynode;
    t->lsizenode = 0;
    t->lastfree = NULL;
  } else {
    unsigned lsize = ceillog2(size);
    if (lsize > MAXHBITS) mlG_runerror(L, "table overflow");
    size = 1u << lsize;
    t->node = mlM_newvector(L, size, Node);
    for (unsigned i = 0; i < size; i++) {
      Node *n = &t->node[i];
      gnext(n) = 0;
      n->key_tt = VT_NIL;
      n->tt_ = VT_NIL;
    }
    t->lsizenode = (uint8_t)lsize;
    t->lastfree = &t->node[size];
  }
}

static TValue *newkey(ml_State *L, Table *t, const TValue *key);

static void reinsert(ml_State *L, Node *old, unsigned oldsize, Table *t) {
  for (unsigned j = 0; j < oldsize; j++) {
    Node *old_n = old + j;
    if (!ttisnil(gval(old_n))) {
      TValue k;
      k.v = keyval(old_n);
      k.tt = keytt(old_n);
      TValue *slot = (TValue *)mlH_get(t, &k);
      if (isabstkey(slot)) slot = newkey(L, t, &k);
      setobj(slot, gval(old_n));
    }
  }
}

void mlH_resize(ml_State *L, Table *t, unsigned newasize, unsigned nhsize) {
  unsigned oldasize = t->asize;
  Node *oldnode = t->node;
  unsigned oldhsize = isdummy(t) ? 0 : sizenode(t);
  /* new hash part first (may raise an error before anything changed) */
  setnodevector(L, t, nhsize);
  Node *newnode = t->node;
  uint8_t newlsize = t->lsizenode;
  Node *newlastfree = t->lastfree;
  if (newasize < oldasize) {
    /* the vanishing array slice goes to the new hash part */
    t->asize = newasize;
    for (unsigned i = newasize; i < oldasize; i++) {
      if (!ttisnil(&t->array[i])) {
        TValue k;
        setivalue(&k, (ml_Integer)i + 1);
        TValue *slot = newkey(L, t, &k);
        setobj(slot, &t->array[i]);
      }
    }
  }
  TValue *newarray = (TValue *)mlM_realloc(L, t->array, oldasize * sizeof(TValue), newasize * sizeof(TValue));
  t->array = newarray;
  t->asize = newasize;
  for (unsigned i = oldasize; i < newasize; i++) setnilvalue(&t->array[i]);
  t->node = newnode;
  t->lsizenode = newlsize;
  t->lastfree = newlastfree;
  reinsert(L, oldnode, oldhsize, t);
  if (oldhsize > 0) mlM_freearray(L, oldnode, oldhsize, Node);
}

static int countint(ml_Integer key, unsigned *nums) {
  if (l_castS2U(key) - 1u < MAXASIZE) {
    nums[ceillog2((unsigned)key)]++;
    return 1;
  }
  return 0;
}

static unsigned numusearray(const Table *t, unsigned *nums) {
  unsigned lg, ttlg, ause = 0, i = 1;
  for (lg = 0, ttlg = 1; lg <= MAXABITS; lg++, ttlg *= 2) {
    unsigned lc = 0, lim = ttlg;
    if (lim > t->asize) {
      lim = t->asize;
      if (i > lim) break;
    }
    for (; i <= lim; i++)
      if (!ttisnil(&t->array[i - 1])) lc++;
    nums[lg] += lc;
    ause += lc;
  }
  return ause;
}

static unsigned numusehash(const Table *t, unsigned *nums, unsigned *pna) {
  unsigned totaluse = 0, ause = 0;
  if (isdummy(t)) return 0;
  unsigned i = sizenode(t);
  while (i--) {
    Node *n = &t->node[i];
    if (!ttisnil(gval(n))) {
      if (keytt(n) == VT_INT) ause += (unsigned)countint(keyval(n).i, nums);
      totaluse++;
    }
  }
  *pna += ause;
  return totaluse;
}

static unsigned computesizes(unsigned nums[], unsigned *pna) {
  unsigned a = 0, na = 0, optimal = 0;
  unsigned twotoi = 1;
  for (int i = 0; twotoi > 0 && *pna > twotoi / 2; i++, twotoi *= 2) {
    a += nums[i];
    if (a > twotoi / 2) {
      optimal = twotoi;
      na = a;
    }
  }
  *pna = na;
  return optimal;
}

static void rehash(ml_State *L, Table *t, const TValue *ek) {
  unsigned nums[MAXABITS + 1];
  for (int i = 0; i <= MAXABITS; i++) nums[i] = 0;
  unsigned na = numusearray(t, nums);
  unsigned totaluse = na;
  totaluse += numusehash(t, nums, &na);
  if (ttisinteger(ek)) na += (unsigned)countint(ivalue(ek), nums);
  totaluse++;
  unsigned asize = computesizes(nums, &na);
  mlH_resize(L, t, asize, totaluse - na);
}

/* ---- insertion ---- */

static Node *getfreepos(Table *t) {
  if (!isdummy(t)) {
    while (t->lastfree > t->node) {
      t->lastfree--;
      if (keyisnil(t->lastfree)) return t->lastfree;
    }
  }
  return NULL;
}

/* Inserts a key known to be absent and returns its (nil) value slot. */
static TValue *newkey(ml_State *L, Table *t, const TValue *key) {
  TValue aux;
  if (ttisnil(key)) mlG_runerror(L, "table index is nil");
  if (ttisfloat(key)) {
    ml_Number f = fltvalue(key);
    ml_Integer k;
    if (mlV_flttointns(f, &k, 0)) {
      setivalue(&aux, k);
      key = &aux;
    } else if (f != f) {
      mlG_runerror(L, "table index is NaN");
    }
  }
  if (ttisinteger(key) && l_castS2U(ivalue(key)) - 1u < t->asize) return &t->array[ivalue(key) - 1];
  Node *mp = mainposition(t, rawtt(key), &key->v);
  if (!ttisnil(gval(mp)) || isdummy(t)) {
    Node *f = getfreepos(t);
    if (f == NULL) {
      rehash(L, t, key);
      TValue *slot = (TValue *)mlH_get(t, key);
      if (!isabstkey(slot)) return slot;
      return newkey(L, t, key);
    }
    Node *othern = mainpositionfromnode(t, mp);
    if (othern != mp) {
      /* the occupant is not in its main position: move it to the free slot */
      while (othern + gnext(othern) != mp) othern += gnext(othern);
      gnext(othern) = (int32_t)(f - othern);
      *f = *mp;
      if (gnext(mp) != 0) {
        gnext(f) += (int32_t)(mp - f);
        gnext(mp) = 0;
      }
      setnilvalue(gval(mp));
    } else {
      /* the new key goes to the free position, chained after mp */
      if (gnext(mp) != 0) gnext(f) = (int32_t)((mp + gnext(mp)) - f);
      gnext(mp) = (int32_t)(f - mp);
      mp = f;
    }
  }
  mp->key_tt = rawtt(key);
  mp->key_val = key->v;
  return gval(mp);
}

TValue *mlH_set(ml_State *L, Table *t, const TValue *key) {
  const TValue *p = mlH_get(t, key);
  if (!isabstkey(p)) return (TValue *)p;
  return newkey(L, t, key);
}

void mlH_setint(ml_State *L, Table *t, ml_Integer key, const TValue *value) {
  const TValue *p = mlH_getint(t, key);
  TValue *cell;
  if (isabstkey(p)) {
    TValue k;
    setivalue(&k, key);
    cell = newkey(L, t, &k);
  } else {
    cell = (TValue *)p;
  }
  setobj(cell, value);
}

/* Stores a value after a failed fast lookup ('slot' is absent or a nil slot). */
void mlH_finishset(ml_State *L, Table *t, const TValue *key, const TValue *slot, const TValue *value) {
  TValue *cell = isabstkey(slot) ? newkey(L, t, key) : (TValue *)slot;
  setobj(cell, value);
}

Table *mlH_new(ml_State *L) {
  Table *t = (Table *)mlC_newobj(L, VT_TABLE, sizeof(Table));
  t->metatable = NULL;
  t->flags = 0;
  t->array = NULL;
  t->asize = 0;
  t->lenhint = 0;
  setnodevector(L, t, 0);
  return t;
}

void mlH_free(ml_State *L, Table *t) {
  if (!isdummy(t)) mlM_freearray(L, t->node, sizenode(t), Node);
  mlM_freearray(L, t->array, t->asize, TValue);
  mlM_free(L, t, sizeof(Table));
}

/* ---- length (a border) ---- */

static ml_Unsigned hash_search(Table *t, ml_Unsigned j) {
  ml_Unsigned i;
  if (j == 0) j++;
  do {
    i = j;
    if (j <= l_castS2U(ML_MAXINTEGER) / 2) j *= 2;
    else {
      j = (ml_Unsigned)ML_MAXINTEGER;
      if (ttisnil(mlH_getint(t, (ml_Integer)j))) break;
      return j;
    }
  } while (!ttisnil(mlH_getint(t, (ml_Integer)j)));
  while (j - i > 1u) {
    ml_Unsigned m = (i + j) / 2;
    if (ttisnil(mlH_getint(t, (ml_Integer)m))) j = m;
    else i = m;
  }
  return i;
}

/* Outlined for traces (YK_OUTLINE): which path the border search takes
 * depends on the table's size and its last appends, so inlined into a trace
 * it became guards that failed on the next table (deltablue's collections:
 * 248,583 deopts of one guard, the first iteration every time). */
YK_OUTLINE ml_Unsigned mlH_getn(Table *t) {
  unsigned limit = t->asize;
  if (limit > 0 && ttisnil(&t->array[limit - 1])) {
    /* the border is in the array part; appends move it by one at a time */
    unsigned h = t->lenhint;
    if (h < limit && (h == 0 || !ttisnil(&t->array[h - 1]))) {
      if (ttisnil(&t->array[h])) return h;
      if (h + 1 < limit && ttisnil(&t->array[h + 1])) return t->lenhint = h + 1;
    }
    unsigned i = 0, j = limit;
    while (j - i > 1u) {
      unsigned m = (i + j) / 2;
      if (ttisnil(&t->array[m - 1])) j = m;
      else i = m;
    }
    return t->lenhint = i;
  }
  if (isdummy(t) || ttisnil(mlH_getint(t, (ml_Integer)limit + 1))) return limit;
  return hash_search(t, limit);
}

/* ---- traversal ---- */

static unsigned findindex(ml_State *L, Table *t, TValue *key) {
  if (ttisnil(key)) return 0;
  if (ttisinteger(key) && l_castS2U(ivalue(key)) - 1u < t->asize) return (unsigned)ivalue(key);
  TValue aux;
  if (ttisfloat(key)) {
    ml_Integer k;
    if (mlV_flttointns(fltvalue(key), &k, 0)) {
      if (l_castS2U(k) - 1u < t->asize) return (unsigned)k;
      setivalue(&aux, k);
      key = &aux;
    }
  }
  const TValue *n = getgeneric(t, key, 1);
  if (isabstkey(n)) mlG_runerror(L, "invalid key to 'next'");
  unsigned i = (unsigned)((Node *)n - t->node);
  return (i + 1) + t->asize;
}

int mlH_next(ml_State *L, Table *t, TValue *key) {
  unsigned asize = t->asize;
  unsigned i = findindex(L, t, key);
  for (; i < asize; i++) {
    if (!ttisnil(&t->array[i])) {
      setivalue(key, (ml_Integer)i + 1);
      setobj(key + 1, &t->array[i]);
      return 1;
    }
  }
  if (isdummy(t)) return 0;
  for (i -= asize; i < sizenode(t); i++) {
    Node *n = &t->node[i];
    if (!ttisnil(gval(n))) {
      key->v = keyval(n);
      key->tt = keytt(n);
      setobj(key + 1, gval(n));
      return 1;
    }
  }
  return 0;
}

/* Called by the collector: removed entries must not keep their keys alive,
** so their keys become dead (kept only for identity in 'next'). */
void mlH_clearkeys(Table *t);
void mlH_clearkeys(Table *t) {
  if (isdummy(t)) return;
  for (unsigned i = 0; i < sizenode(t); i++) {
    Node *n = &t->node[i];
    if (ttisnil(gval(n)) && (keytt(n) & BIT_COLLECTABLE)) n->key_tt = VT_DEADKEY;
  }
}

int mlV_flttointns(ml_Number n, ml_Integer *p, int mode) {
  ml_Number f = floor(n);
  if (n != f) {
    if (mode == 0) return 0;
    else if (mode == 2) f += 1;
  }
  if (f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
    *p = (ml_Integer)f;
    return 1;
  }
  return 0;
}
