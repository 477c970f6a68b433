/*
** mlstring.c — strings: the interning table for short strings (so equal
** short strings are the same object and compare by pointer), long strings
** with lazily computed hashes, and the conversions between numbers and text
** (tostring, tonumber, pushfstring's formats, chunk ids for messages).
*/
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlcore.h"

#define MINSTRTABSIZE 128

static uint32_t hashbytes(const char *str, size_t l, uint32_t seed) {
  uint32_t h = seed ^ (uint32_t)l;
  for (; l > 0; l--) h ^= ((h << 5) + (h >> 2) + (uint8_t)(str[l - 1]));
  return h;
}

uint32_t mlS_hashlong(TString *ts) {
  if (!ts->extra) {
    ts->hash = hashbytes(getstr(ts), ts->len, 0x2545F491u);
    ts->extra = 1;
  }
  return ts->hash;
}

int mlS_eqlngstr(TString *a, TString *b) {
  return a == b || (a->len == b->len && memcmp(getstr(a), getstr(b), a->len) == 0);
}

void mlS_resize(ml_State *L, int newsize) {
  stringtable *tb = &G(L)->strt;
  TString **nh = mlM_newvector(L, newsize, TString *);
  memset(nh, 0, sizeof(TString *) * (size_t)newsize);
  for (int i = 0; i < tb->size; i++) {
    TString *p = tb->hash[i];
    while (p) {
      TString *hnext = p->hnext;
      unsigned h = p->hash & (unsigned)(newsize - 1);
      p->hnext = nh[h];
      nh[h] = p;
      p = hnext;
    }
  }
  if (tb->hash) mlM_freearray(L, tb->hash, tb->size, TString *);
  tb->hash = nh;
  tb->size = newsize;
}

void mlS_init(ml_State *L) {
  mlS_resize(L, MINSTRTABSIZE);
  G(L)->memerrmsg = mlS_new(L, "not enough memory");
  G(L)->memerrmsg->marked |= 0x80; /* fixed: never collected */
}

static TString *createstrobj(ml_State *L, size_t l, int tag, uint32_t h) {
  size_t totalsize = offsetof(TString, data) + l + 1;
  TString *ts = (TString *)mlC_newobj(L, tag, totalsize);
  ts->hash = h;
  ts->extra = 0;
  ts->len = l;
  ts->hnext = NULL;
  getstr(ts)[l] = '\0';
  return ts;
}

TString *mlS_createlngstrobj(ml_State *L, size_t l) {
  return createstrobj(L, l, VT_LNGSTR, 0);
}

void mlS_remove(ml_State *L, TString *ts) {
  stringtable *tb = &G(L)->strt;
  TString **p = &tb->hash[ts->hash & (unsigned)(tb->size - 1)];
  while (*p != ts) p = &(*p)->hnext;
  *p = (*p)->hnext;
  tb->nuse--;
}

static TString *internshrstr(ml_State *L, const char *str, size_t l) {
  stringtable *tb = &G(L)->strt;
  uint32_t h = hashbytes(str, l, 0x2545F491u);
  TString **list = &tb->hash[h & (unsigned)(tb->size - 1)];
  for (TString *ts = *list; ts != NULL; ts = ts->hnext) {
    if (l == ts->len && memcmp(str, getstr(ts), l) == 0) return ts;
  }
  if (tb->nuse >= tb->size) {
    mlS_resize(L, tb->size * 2);
    list = &tb->hash[h & (unsigned)(tb->size - 1)];
  }
  TString *ts = createstrobj(L, l, VT_SHRSTR, h);
  memcpy(getstr(ts), str, l);
  ts->hnext = *list;
  *list = ts;
  tb->nuse++;
  return ts;
}

/* Outlined for traces (YK_OUTLINE): the hash loop runs once per byte and
 * the intern table's chain walk depends on what is already there, so
 * inlined into a trace they became guards on the string's length and on
 * the chain that failed for the next string (json's string-building loop:
 * side traces of 1,385 recorded blocks through here, 0.7 s to compile). */
YK_OUTLINE TString *mlS_newlstr(ml_State *L, const char *str, size_t l) {
  if (l <= ML_MAXSHORTLEN) return internshrstr(L, str, l);
  TString *ts = mlS_createlngstrobj(L, l);
  memcpy(getstr(ts), str, l);
  return ts;
}

TString *mlS_new(ml_State *L, const char *str) {
  return mlS_newlstr(L, str, strlen(str));
}

Udata *mlS_newudata(ml_State *L, size_t s) {
  Udata *u = (Udata *)mlC_newobj(L, VT_UDATA, offsetof(Udata, data) + s);
  u->len = s;
  u->metatable = NULL;
  return u;
}

/* ---------------- numbers <-> text ---------------- */

int mlO_hexavalue(int c) {
  if (isdigit(c)) return c - '0';
  return (tolower(c) - 'a') + 10;
}

static int isneg(const char **s) {
  if (**s == '-') { (*s)++; return 1; }
  if (**s == '+') (*s)++;
  return 0;
}

/* Integer literal (decimal or hex); decimal overflow fails so the text is
** read as a float instead, hex wraps around as in Lua. */
static const char *l_str2int(const char *s, ml_Integer *result) {
  ml_Unsigned a = 0;
  int empty = 1;
  while (isspace((unsigned char)*s)) s++;
  int neg = isneg(&s);
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    for (; isxdigit((unsigned char)*s); s++) {
      a = a * 16 + (ml_Unsigned)mlO_hexavalue(*s);
      empty = 0;
    }
  } else {
    const ml_Unsigned maxby10 = (ml_Unsigned)(ML_MAXINTEGER / 10);
    const int maxlastd = (int)(ML_MAXINTEGER % 10);
    for (; isdigit((unsigned char)*s); s++) {
      int d = *s - '0';
      if (a >= maxby10 && (a > maxby10 || d > maxlastd + neg)) return NULL;
      a = a * 10 + (ml_Unsigned)d;
      empty = 0;
    }
  }
  while (isspace((unsigned char)*s)) s++;
  if (empty || *s != '\0') return NULL;
  *result = l_castU2S(neg ? 0u - a : a);
  return s;
}

static const char *l_str2d(const char *s, ml_Number *result) {
  const char *pmode = strpbrk(s, ".xXnN");
  int mode = pmode ? (tolower((unsigned char)*pmode)) : 0;
  if (mode == 'n') return NULL; /* reject 'inf' and 'nan' */
  char *endptr;
  *result = strtod(s, &endptr);
  if (endptr == s) return NULL;
  while (isspace((unsigned char)*endptr)) endptr++;
  return (*endptr == '\0') ? endptr : NULL;
}

int mlO_str2num(const char *s, TValue *o) {
  ml_Integer i;
  ml_Number n;
  const char *e;
  if ((e = l_str2int(s, &i)) != NULL) {
    setivalue(o, i);
  } else if ((e = l_str2d(s, &n)) != NULL) {
    setfltvalue(o, n);
  } else {
    return 0;
  }
  return (int)(e - s) + 1;
}

int mlO_tostringbuff(const TValue *obj, char *buff) {
  int len;
  if (ttisinteger(obj)) {
    len = snprintf(buff, 44, "%lld", (long long)ivalue(obj));
  } else {
    len = snprintf(buff, 44, "%.14g", fltvalue(obj));
    if (buff[strspn(buff, "-0123456789")] == '\0') { /* looks like an int? */
      buff[len++] = '.';
      buff[len++] = '0';
      buff[len] = '\0';
    }
  }
  return len;
}

void mlO_tostring(ml_State *L, TValue *obj) {
  char buff[48];
  int len = mlO_tostringbuff(obj, buff);
  setsvalue(obj, mlS_newlstr(L, buff, (size_t)len));
}

int mlO_utf8esc(char *buff, unsigned long x) {
  int n = 1; /* number of bytes put in buffer (backwards) */
  if (x < 0x80) {
    buff[UTF8BUFFSZ - 1] = (char)x;
  } else {
    unsigned int mfb = 0x3f;
    do {
      buff[UTF8BUFFSZ - (n++)] = (char)(0x80 | (x & 0x3f));
      x >>= 6;
      mfb >>= 1;
    } while (x > mfb);
    buff[UTF8BUFFSZ - n] = (char)((~mfb << 1) | x);
  }
  return n;
}

/* Builds the formatted string in a C buffer and pushes it. */
const char *mlO_pushvfstring(ml_State *L, const char *fmt, va_list argp) {
  size_t cap = 128, n = 0;
  char *b = malloc(cap);
  if (!b) mlD_throw(L, ML_ERRMEM);
#define ENSURE(k) \
  do { \
    if (n + (k) + 1 > cap) { \
      while (n + (k) + 1 > cap) cap *= 2; \
      char *nb = realloc(b, cap); \
      if (!nb) { free(b); mlD_throw(L, ML_ERRMEM); } \
      b = nb; \
    } \
  } while (0)
#define ADDS(s, l) do { size_t l_ = (l); ENSURE(l_); memcpy(b + n, (s), l_); n += l_; } while (0)
  const char *e;
  while ((e = strchr(fmt, '%')) != NULL) {
    ADDS(fmt, (size_t)(e - fmt));
    char tmp[64];
    switch (e[1]) {
      case 's': {
        const char *s = va_arg(argp, char *);
        if (s == NULL) s = "(null)";
        ADDS(s, strlen(s));
        break;
      }
      case 'c': tmp[0] = (char)va_arg(argp, int); ADDS(tmp, 1); break;
      case 'd': { int l = snprintf(tmp, sizeof tmp, "%d", va_arg(argp, int)); ADDS(tmp, (size_t)l); break; }
      case 'I': { TValue o; setivalue(&o, (ml_Integer)va_arg(argp, ml_Integer)); int l = mlO_tostringbuff(&o, tmp); ADDS(tmp, (size_t)l); break; }
      case 'f': { TValue o; setfltvalue(&o, (ml_Number)va_arg(argp, double)); int l = mlO_tostringbuff(&o, tmp); ADDS(tmp, (size_t)l); break; }
      case 'p': { int l = snprintf(tmp, sizeof tmp, "%p", va_arg(argp, void *)); ADDS(tmp, (size_t)l); break; }
      case 'U': { char bf[UTF8BUFFSZ]; int l = mlO_utf8esc(bf, (unsigned long)va_arg(argp, long)); ADDS(bf + UTF8BUFFSZ - l, (size_t)l); break; }
      case '%': ADDS("%", 1); break;
      default: free(b); mlG_runerror(L, "invalid option '%%%c' to 'ml_pushfstring'", e[1]);
    }
    fmt = e + 2;
  }
  ADDS(fmt, strlen(fmt));
#undef ADDS
#undef ENSURE
  TString *ts = mlS_newlstr(L, b, n);
  free(b);
  setsvalue(L->top, ts);
  api_incr_top(L);
  return getstr(ts);
}

const char *mlO_pushfstring(ml_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  const char *msg = mlO_pushvfstring(L, fmt, argp);
  va_end(argp);
  return msg;
}

/* The chunk id used in messages: "=name" as is, "@file" as the file name,
** a source string as [string "first line..."]. */
void mlO_chunkid(char *out, const char *source, size_t srclen) {
  size_t bufflen = ML_IDSIZE;
  if (*source == '=') {
    if (srclen <= bufflen) memcpy(out, source + 1, srclen);
    else { memcpy(out, source + 1, bufflen - 1); out[bufflen - 1] = '\0'; }
  } else if (*source == '@') {
    if (srclen <= bufflen) memcpy(out, source + 1, srclen);
    else { /* keep the end of the file name */
      memcpy(out, "...", 3);
      bufflen -= 3;
      memcpy(out + 3, source + 1 + srclen - bufflen, bufflen);
    }
  } else { /* [string "source"] */
    const char *nl = strchr(source, '\n');
    const char *pre = "[string \"", *pos = "\"]", *dots = "...";
    size_t n = strlen(pre);
    memcpy(out, pre, n);
    bufflen -= strlen(pre) + strlen(dots) + strlen(pos) + 1;
    if (srclen < bufflen && nl == NULL) {
      memcpy(out + n, source, srclen);
      n += srclen;
    } else {
      if (nl != NULL) srclen = (size_t)(nl - source);
      if (srclen > bufflen) srclen = bufflen;
      memcpy(out + n, source, srclen);
      n += srclen;
      memcpy(out + n, dots, 3);
      n += 3;
    }
    memcpy(out + n, pos, 3);
  }
}
