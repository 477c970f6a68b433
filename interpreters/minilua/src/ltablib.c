/*
** ltablib.c — minilua's 'table' standard library (Lua 5.4 manual, 6.6),
** written against mlapi.h only.
**
** Element access goes through ml_geti/ml_seti, which honour __index and
** __newindex as in lua5.4, and lengths through mlL_len (honours __len). The
** sort is the same median-of-three quicksort lua5.4 uses, so that elements
** that compare equal end up in the same order as under lua5.4.
*/
#include <limits.h>
#include <time.h>

#include "mlapi.h"

/* What a table argument must support; a non-table passes when its
** metatable provides the corresponding metamethods. */
#define TAB_R 1 /* read (__index) */
#define TAB_W 2 /* write (__newindex) */
#define TAB_L 4 /* length (__len) */
#define TAB_RW (TAB_R | TAB_W)

static int checkfield(ml_State *L, const char *key, int n) {
  ml_pushstring(L, key);
  return ml_rawget(L, -n) != ML_TNIL;
}

static void checktab(ml_State *L, int arg, int what) {
  if (ml_type(L, arg) == ML_TTABLE) return;
  int n = 1;
  if (ml_getmetatable(L, arg) &&
      (!(what & TAB_R) || checkfield(L, "__index", ++n)) &&
      (!(what & TAB_W) || checkfield(L, "__newindex", ++n)) &&
      (!(what & TAB_L) || checkfield(L, "__len", ++n))) {
    ml_pop(L, n); /* the metatable and the fields looked up */
  } else {
    mlL_checktype(L, arg, ML_TTABLE); /* raises the usual type error */
  }
}

static ml_Integer aux_getn(ml_State *L, int arg, int what) {
  checktab(L, arg, what | TAB_L);
  return mlL_len(L, arg);
}

static int tinsert(ml_State *L) {
  ml_Integer pos;
  ml_Integer e = aux_getn(L, 1, TAB_RW);
  e = (ml_Integer)((ml_Unsigned)e + 1u); /* first empty slot */
  switch (ml_gettop(L)) {
    case 2:
      pos = e;
      break;
    case 3:
      pos = mlL_checkinteger(L, 2);
      /* pos must be in [1, e]; one unsigned test covers both ends */
      mlL_argcheck(L, (ml_Unsigned)pos - 1u < (ml_Unsigned)e, 2, "position out of bounds");
      for (ml_Integer i = e; i > pos; i--) { /* shift up */
        ml_geti(L, 1, i - 1);
        ml_seti(L, 1, i);
      }
      break;
    default:
      return mlL_error(L, "wrong number of arguments to 'insert'");
  }
  ml_seti(L, 1, pos); /* the value is on top */
  return 0;
}

static int tremove(ml_State *L) {
  ml_Integer size = aux_getn(L, 1, TAB_RW);
  ml_Integer pos = mlL_optinteger(L, 2, size);
  /* an explicit position must be in [1, size + 1]; lua5.4 (5.4.4) blames
  ** argument #1 for it, and so does minilua to print the same message */
  if (pos != size)
    mlL_argcheck(L, (ml_Unsigned)pos - 1u <= (ml_Unsigned)size, 1, "position out of bounds");
  ml_geti(L, 1, pos); /* the result */
  for (; pos < size; pos++) { /* shift down */
    ml_geti(L, 1, pos + 1);
    ml_seti(L, 1, pos);
  }
  ml_pushnil(L);
  ml_seti(L, 1, pos);
  return 1;
}

static int tmove(ml_State *L) {
  ml_Integer f = mlL_checkinteger(L, 2);
  ml_Integer e = mlL_checkinteger(L, 3);
  ml_Integer t = mlL_checkinteger(L, 4);
  int tt = !ml_isnoneornil(L, 5) ? 5 : 1; /* destination table */
  checktab(L, 1, TAB_R);
  checktab(L, tt, TAB_W);
  if (e >= f) {
    mlL_argcheck(L, f > 0 || e < ML_MAXINTEGER + f, 3, "too many elements to move");
    ml_Integer n = e - f + 1;
    mlL_argcheck(L, t <= ML_MAXINTEGER - n + 1, 4, "destination wrap around");
    /* copy forwards unless the ranges overlap with the destination above
    ** the source in the same table, where that would overwrite the source */
    if (t > e || t <= f || (tt != 1 && !ml_compare(L, 1, tt, ML_OPEQ))) {
      for (ml_Integer i = 0; i < n; i++) {
        ml_geti(L, 1, f + i);
        ml_seti(L, tt, t + i);
      }
    } else {
      for (ml_Integer i = n - 1; i >= 0; i--) {
        ml_geti(L, 1, f + i);
        ml_seti(L, tt, t + i);
      }
    }
  }
  ml_pushvalue(L, tt);
  return 1;
}

static void addfield(ml_State *L, mlL_Buffer *b, ml_Integer i) {
  ml_geti(L, 1, i);
  if (!ml_isstring(L, -1))
    mlL_error(L, "invalid value (%s) at index %I in table for 'concat'", mlL_typename(L, -1), i);
  mlL_addvalue(b);
}

static int tconcat(ml_State *L) {
  mlL_Buffer b;
  ml_Integer last = aux_getn(L, 1, TAB_R);
  size_t lsep;
  const char *sep = mlL_optlstring(L, 2, "", &lsep);
  ml_Integer i = mlL_optinteger(L, 3, 1);
  last = mlL_optinteger(L, 4, last);
  mlL_buffinit(L, &b);
  for (; i < last; i++) {
    addfield(L, &b, i);
    mlL_addlstring(&b, sep, lsep);
  }
  if (i == last) addfield(L, &b, i); /* the last one has no separator */
  mlL_pushresult(&b);
  return 1;
}

static int tpack(ml_State *L) {
  int n = ml_gettop(L);
  ml_createtable(L, n, 1);
  ml_insert(L, 1); /* the table goes below the values */
  for (int i = n; i >= 1; i--) ml_seti(L, 1, i);
  ml_pushinteger(L, n);
  ml_setfield(L, 1, "n");
  return 1;
}

static int tunpack(ml_State *L) {
  ml_Integer i = mlL_optinteger(L, 2, 1);
  ml_Integer e = ml_isnoneornil(L, 3) ? mlL_len(L, 1) : mlL_checkinteger(L, 3);
  if (i > e) return 0;
  ml_Unsigned n = (ml_Unsigned)e - (ml_Unsigned)i; /* count - 1, cannot overflow */
  if (n >= (unsigned int)INT_MAX || !ml_checkstack(L, (int)(++n)))
    return mlL_error(L, "too many results to unpack");
  for (; i < e; i++) ml_geti(L, 1, i);
  ml_geti(L, 1, e); /* separate so that i++ cannot overflow at maxinteger */
  return (int)n;
}

/* ---- sort ---- */

typedef unsigned int IdxT;

/* Intervals at least this long choose a randomised pivot once the partition
** has been seen to be badly unbalanced (protects against quadratic inputs). */
#define RANLIMIT 100u

static unsigned int randomize_pivot(void) {
  clock_t c = clock();
  time_t t = time(NULL);
  return (unsigned int)c + (unsigned int)t;
}

/* Is a[ia] < a[ib] (stack indices), with the comparator at index 2 if any? */
static int sort_comp(ml_State *L, int a, int b) {
  if (ml_isnil(L, 2)) return ml_compare(L, a, b, ML_OPLT);
  ml_pushvalue(L, 2);
  ml_pushvalue(L, a - 1); /* -1 to compensate for the function pushed */
  ml_pushvalue(L, b - 2);
  ml_call(L, 2, 1);
  int res = ml_toboolean(L, -1);
  ml_pop(L, 1);
  return res;
}

/* t[i] = top; t[j] = the value below it; pops both. */
static void set2(ml_State *L, IdxT i, IdxT j) {
  ml_seti(L, 1, i);
  ml_seti(L, 1, j);
}

/* Partitions a[lo..up] around the pivot P, which is on the stack top and
** also stored at a[up - 1]. Returns P's final index. A comparator that is not
** a strict order can walk an index out of the interval; that is reported
** instead of reading outside the array. */
static IdxT partition(ml_State *L, IdxT lo, IdxT up) {
  IdxT i = lo;     /* pre-incremented */
  IdxT j = up - 1; /* pre-decremented */
  for (;;) {
    /* invariant: a[lo .. i] <= P <= a[j .. up] and a[up - 1] == P */
    while (ml_geti(L, 1, ++i), sort_comp(L, -1, -2)) { /* a[i] < P */
      if (i == up - 1) mlL_error(L, "invalid order function for sorting");
      ml_pop(L, 1);
    }
    while (ml_geti(L, 1, --j), sort_comp(L, -3, -1)) { /* P < a[j] */
      if (j < i) mlL_error(L, "invalid order function for sorting");
      ml_pop(L, 1);
    }
    if (j < i) { /* crossed: put the pivot in place */
      ml_pop(L, 1); /* a[j] */
      set2(L, up - 1, i);
      return i;
    }
    set2(L, i, j); /* exchange a[i] and a[j] and go on */
  }
}

static IdxT choose_pivot(IdxT lo, IdxT up, unsigned int rnd) {
  IdxT r4 = (up - lo) / 4; /* a random point in the middle half */
  return rnd % (r4 * 2) + (lo + r4);
}

static void auxsort(ml_State *L, IdxT lo, IdxT up, unsigned int rnd) {
  while (lo < up) { /* the loop replaces the recursion on the larger half */
    IdxT p;
    IdxT n;
    /* order a[lo], a[p], a[up] (median of three) */
    ml_geti(L, 1, lo);
    ml_geti(L, 1, up);
    if (sort_comp(L, -1, -2)) /* a[up] < a[lo] */
      set2(L, lo, up);
    else
      ml_pop(L, 2);
    if (up - lo == 1) break;
    if (up - lo < RANLIMIT || rnd == 0)
      p = (lo + up) / 2;
    else
      p = choose_pivot(lo, up, rnd);
    ml_geti(L, 1, p);
    ml_geti(L, 1, lo);
    if (sort_comp(L, -2, -1)) { /* a[p] < a[lo] */
      set2(L, p, lo);
    } else {
      ml_pop(L, 1);
      ml_geti(L, 1, up);
      if (sort_comp(L, -1, -2)) /* a[up] < a[p] */
        set2(L, p, up);
      else
        ml_pop(L, 2);
    }
    if (up - lo == 2) break;
    ml_geti(L, 1, p); /* the pivot P */
    ml_pushvalue(L, -1);
    ml_geti(L, 1, up - 1);
    set2(L, p, up - 1); /* a[p] = a[up - 1]; a[up - 1] = P; P stays on the stack */
    p = partition(L, lo, up);
    if (p - lo < up - p) { /* recurse into the smaller half */
      auxsort(L, lo, p - 1, rnd);
      n = p - lo;
      lo = p + 1;
    } else {
      auxsort(L, p + 1, up, rnd);
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n) rnd = randomize_pivot(); /* badly unbalanced */
  }
}

static int tsort(ml_State *L) {
  ml_Integer n = aux_getn(L, 1, TAB_RW);
  if (n > 1) {
    mlL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!ml_isnoneornil(L, 2)) mlL_checktype(L, 2, ML_TFUNCTION);
    ml_settop(L, 2); /* sort_comp expects the comparator (or nil) at 2 */
    auxsort(L, 1, (IdxT)n, 0);
  }
  return 0;
}

static const mlL_Reg tablib[] = {
  {"concat", tconcat},
  {"insert", tinsert},
  {"pack", tpack},
  {"unpack", tunpack},
  {"remove", tremove},
  {"move", tmove},
  {"sort", tsort},
  {NULL, NULL}
};

int mlopen_table(ml_State *L) {
  mlL_newlib(L, tablib);
  return 1;
}
