/*
** lib_strpack.c — string.pack, string.unpack and string.packsize (Lua 5.4
** manual, 6.4.2), registered by lstrlib.c.
**
** A format is read one option at a time (getdetails), which yields the kind
** of value, its size and the padding needed to align it; the three functions
** share that reader so they agree on layout. Options, limits and error
** messages are lua5.4's: integers of 1 to 16 bytes, alignment up to '!'
** (default 8, the native maximum) and only to powers of two, padding bytes 0.
*/
#include "lib_strpack.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#define MAXINTSIZE 16 /* largest integer size accepted ('i16') */
#define NB CHAR_BIT    /* bits in a byte */
#define MC ((1 << NB) - 1)
#define SZINT ((int)sizeof(ml_Integer))
#define MAXSIZE ((size_t)INT_MAX) /* largest result, as in lstrlib.c */
#define PADBYTE 0x00
#define MAXALIGN 8 /* the strictest native alignment (double, int64) */

typedef enum KOption {
  Kint,       /* signed integer */
  Kuint,      /* unsigned integer */
  Kfloat,     /* C float */
  Knumber,    /* Lua number (double) */
  Kdouble,    /* C double */
  Kchar,      /* fixed-size string */
  Kstring,    /* string with a length prefix */
  Kzstr,      /* zero-terminated string */
  Kpadding,   /* one padding byte */
  Kpaddalign, /* padding to the alignment of the next option */
  Knop        /* no value: endianness, alignment, space */
} KOption;

typedef struct Header {
  ml_State *L;
  int islittle;
  int maxalign;
} Header;

static int native_little(void) {
  const union {
    int dummy;
    char little;
  } u = {1};
  return u.little;
}

static void initheader(ml_State *L, Header *h) {
  h->L = L;
  h->islittle = native_little();
  h->maxalign = 1;
}

static int isdigitc(int c) {
  return '0' <= c && c <= '9';
}

/* An optional decimal count after an option (df when absent). */
static int getnum(const char **fmt, int df) {
  if (!isdigitc(**fmt)) return df;
  int a = 0;
  do {
    a = a * 10 + (*((*fmt)++) - '0');
  } while (isdigitc(**fmt) && a <= ((int)MAXSIZE - 9) / 10);
  return a;
}

static int getnumlimit(Header *h, const char **fmt, int df) {
  int sz = getnum(fmt, df);
  if (sz > MAXINTSIZE || sz <= 0)
    return mlL_error(h->L, "integral size (%d) out of limits [1,%d]", sz, MAXINTSIZE);
  return sz;
}

/* Reads one option; sets *size to the size of its data. */
static KOption getoption(Header *h, const char **fmt, int *size) {
  int opt = *((*fmt)++);
  *size = 0;
  switch (opt) {
    case 'b': *size = (int)sizeof(char); return Kint;
    case 'B': *size = (int)sizeof(char); return Kuint;
    case 'h': *size = (int)sizeof(short); return Kint;
    case 'H': *size = (int)sizeof(short); return Kuint;
    case 'l': *size = (int)sizeof(long); return Kint;
    case 'L': *size = (int)sizeof(long); return Kuint;
    case 'j': *size = (int)sizeof(ml_Integer); return Kint;
    case 'J': *size = (int)sizeof(ml_Integer); return Kuint;
    case 'T': *size = (int)sizeof(size_t); return Kuint;
    case 'f': *size = (int)sizeof(float); return Kfloat;
    case 'n': *size = (int)sizeof(ml_Number); return Knumber;
    case 'd': *size = (int)sizeof(double); return Kdouble;
    case 'i': *size = getnumlimit(h, fmt, (int)sizeof(int)); return Kint;
    case 'I': *size = getnumlimit(h, fmt, (int)sizeof(int)); return Kuint;
    case 's': *size = getnumlimit(h, fmt, (int)sizeof(size_t)); return Kstring;
    case 'c':
      *size = getnum(fmt, -1);
      if (*size == -1) mlL_error(h->L, "missing size for format option 'c'");
      return Kchar;
    case 'z': return Kzstr;
    case 'x': *size = 1; return Kpadding;
    case 'X': return Kpaddalign;
    case ' ': break;
    case '<': h->islittle = 1; break;
    case '>': h->islittle = 0; break;
    case '=': h->islittle = native_little(); break;
    case '!': h->maxalign = getnumlimit(h, fmt, MAXALIGN); break;
    default: mlL_error(h->L, "invalid format option '%c'", opt);
  }
  return Knop;
}

/* Reads one option and computes the padding (*ntoalign) that aligns it at
** offset totalsize. 'X' takes its alignment from the option after it. */
static KOption getdetails(Header *h, size_t totalsize, const char **fmt, int *psize,
                          int *ntoalign) {
  KOption opt = getoption(h, fmt, psize);
  int align = *psize;
  if (opt == Kpaddalign) {
    if (**fmt == '\0' || getoption(h, fmt, &align) == Kchar || align == 0)
      mlL_argerror(h->L, 1, "invalid next option for option 'X'");
  }
  if (align <= 1 || opt == Kchar) {
    *ntoalign = 0;
  } else {
    if (align > h->maxalign) align = h->maxalign;
    if ((align & (align - 1)) != 0)
      mlL_argerror(h->L, 1, "format asks for alignment not power of 2");
    *ntoalign = (align - (int)(totalsize & (size_t)(align - 1))) & (align - 1);
  }
  return opt;
}

/* Appends n as size bytes; bytes beyond a 64-bit integer repeat the sign. */
static void packint(mlL_Buffer *b, ml_Unsigned n, int islittle, int size, int neg) {
  char *buff = mlL_prepbuffsize(b, (size_t)size);
  buff[islittle ? 0 : size - 1] = (char)(n & MC);
  for (int i = 1; i < size; i++) {
    n >>= NB;
    buff[islittle ? i : size - 1 - i] = (char)(n & MC);
  }
  if (neg && size > SZINT) {
    for (int i = SZINT; i < size; i++) buff[islittle ? i : size - 1 - i] = (char)MC;
  }
  mlL_addsize(b, (size_t)size);
}

/* Copies size bytes, reversing them when the requested byte order is not
** the machine's. */
static void copywithendian(char *dest, const char *src, int size, int islittle) {
  if (islittle == native_little()) {
    memcpy(dest, src, (size_t)size);
  } else {
    dest += size - 1;
    while (size-- != 0) *(dest--) = *(src++);
  }
}

int strpack_pack(ml_State *L) {
  mlL_Buffer b;
  Header h;
  const char *fmt = mlL_checkstring(L, 1);
  int arg = 1;
  size_t totalsize = 0;
  initheader(L, &h);
  ml_pushnil(L); /* keeps the buffer apart from the arguments */
  mlL_buffinit(L, &b);
  while (*fmt != '\0') {
    int size, ntoalign;
    KOption opt = getdetails(&h, totalsize, &fmt, &size, &ntoalign);
    totalsize += (size_t)ntoalign + (size_t)size;
    while (ntoalign-- > 0) mlL_addchar(&b, PADBYTE);
    arg++;
    switch (opt) {
      case Kint: {
        ml_Integer n = mlL_checkinteger(L, arg);
        if (size < SZINT) {
          ml_Integer lim = (ml_Integer)1 << ((size * NB) - 1);
          mlL_argcheck(L, -lim <= n && n < lim, arg, "integer overflow");
        }
        packint(&b, (ml_Unsigned)n, h.islittle, size, (n < 0));
        break;
      }
      case Kuint: {
        ml_Integer n = mlL_checkinteger(L, arg);
        if (size < SZINT)
          mlL_argcheck(L, (ml_Unsigned)n < ((ml_Unsigned)1 << (size * NB)), arg,
                       "unsigned overflow");
        packint(&b, (ml_Unsigned)n, h.islittle, size, 0);
        break;
      }
      case Kfloat: {
        float f = (float)mlL_checknumber(L, arg);
        char *buff = mlL_prepbuffsize(&b, sizeof(f));
        copywithendian(buff, (const char *)&f, (int)sizeof(f), h.islittle);
        mlL_addsize(&b, (size_t)size);
        break;
      }
      case Knumber:
      case Kdouble: {
        double f = (double)mlL_checknumber(L, arg);
        char *buff = mlL_prepbuffsize(&b, sizeof(f));
        copywithendian(buff, (const char *)&f, (int)sizeof(f), h.islittle);
        mlL_addsize(&b, (size_t)size);
        break;
      }
      case Kchar: {
        size_t len;
        const char *s = mlL_checklstring(L, arg, &len);
        mlL_argcheck(L, len <= (size_t)size, arg, "string longer than given size");
        mlL_addlstring(&b, s, len);
        while (len++ < (size_t)size) mlL_addchar(&b, PADBYTE);
        break;
      }
      case Kstring: {
        size_t len;
        const char *s = mlL_checklstring(L, arg, &len);
        mlL_argcheck(L, size >= (int)sizeof(size_t) || len < ((size_t)1 << (size * NB)), arg,
                     "string length does not fit in given size");
        packint(&b, (ml_Unsigned)len, h.islittle, size, 0);
        mlL_addlstring(&b, s, len);
        totalsize += len;
        break;
      }
      case Kzstr: {
        size_t len;
        const char *s = mlL_checklstring(L, arg, &len);
        mlL_argcheck(L, strlen(s) == len, arg, "string contains zeros");
        mlL_addlstring(&b, s, len);
        mlL_addchar(&b, '\0');
        totalsize += len + 1;
        break;
      }
      case Kpadding:
        mlL_addchar(&b, PADBYTE);
        /* fall through */
      case Kpaddalign:
      case Knop:
        arg--; /* these consume no argument */
        break;
    }
  }
  mlL_pushresult(&b);
  return 1;
}

int strpack_packsize(ml_State *L) {
  Header h;
  const char *fmt = mlL_checkstring(L, 1);
  size_t totalsize = 0;
  initheader(L, &h);
  while (*fmt != '\0') {
    int size, ntoalign;
    KOption opt = getdetails(&h, totalsize, &fmt, &size, &ntoalign);
    mlL_argcheck(L, opt != Kstring && opt != Kzstr, 1, "variable-length format");
    size += ntoalign;
    mlL_argcheck(L, totalsize <= MAXSIZE - (size_t)size, 1, "format result too large");
    totalsize += (size_t)size;
  }
  ml_pushinteger(L, (ml_Integer)totalsize);
  return 1;
}

/* Reads a size-byte integer; bytes beyond 64 bits must be a sign (or zero)
** extension, or the value does not fit. */
static ml_Integer unpackint(ml_State *L, const char *str, int islittle, int size, int issigned) {
  ml_Unsigned res = 0;
  int limit = (size <= SZINT) ? size : SZINT;
  for (int i = limit - 1; i >= 0; i--) {
    res <<= NB;
    res |= (ml_Unsigned)(unsigned char)str[islittle ? i : size - 1 - i];
  }
  if (size < SZINT) {
    if (issigned) { /* sign-extend */
      ml_Unsigned mask = (ml_Unsigned)1 << (size * NB - 1);
      res = ((res ^ mask) - mask);
    }
  } else if (size > SZINT) {
    int mask = (!issigned || (ml_Integer)res >= 0) ? 0 : MC;
    for (int i = limit; i < size; i++) {
      if ((unsigned char)str[islittle ? i : size - 1 - i] != mask)
        mlL_error(L, "%d-byte integer does not fit into Lua Integer", size);
    }
  }
  return (ml_Integer)res;
}

/* Same clamping as string.sub's start position. */
static size_t posrelat_start(ml_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0) return 1;
  if (pos < -(ml_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

int strpack_unpack(ml_State *L) {
  Header h;
  const char *fmt = mlL_checkstring(L, 1);
  size_t ld;
  const char *data = mlL_checklstring(L, 2, &ld);
  size_t pos = posrelat_start(mlL_optinteger(L, 3, 1), ld) - 1;
  int n = 0;
  mlL_argcheck(L, pos <= ld, 3, "initial position out of string");
  initheader(L, &h);
  while (*fmt != '\0') {
    int size, ntoalign;
    KOption opt = getdetails(&h, pos, &fmt, &size, &ntoalign);
    mlL_argcheck(L, (size_t)ntoalign + (size_t)size <= ld - pos, 2, "data string too short");
    pos += (size_t)ntoalign;
    mlL_checkstack(L, 2, "too many results"); /* the item and the final position */
    n++;
    switch (opt) {
      case Kint:
      case Kuint:
        ml_pushinteger(L, unpackint(L, data + pos, h.islittle, size, (opt == Kint)));
        break;
      case Kfloat: {
        float f;
        copywithendian((char *)&f, data + pos, (int)sizeof(f), h.islittle);
        ml_pushnumber(L, (ml_Number)f);
        break;
      }
      case Knumber:
      case Kdouble: {
        double f;
        copywithendian((char *)&f, data + pos, (int)sizeof(f), h.islittle);
        ml_pushnumber(L, (ml_Number)f);
        break;
      }
      case Kchar:
        ml_pushlstring(L, data + pos, (size_t)size);
        break;
      case Kstring: {
        size_t len = (size_t)unpackint(L, data + pos, h.islittle, size, 0);
        mlL_argcheck(L, len <= ld - pos - (size_t)size, 2, "data string too short");
        ml_pushlstring(L, data + pos + size, len);
        pos += len;
        break;
      }
      case Kzstr: {
        const char *z = memchr(data + pos, '\0', ld - pos);
        mlL_argcheck(L, z != NULL, 2, "unfinished string for format 'z'");
        size_t len = (size_t)(z - (data + pos));
        ml_pushlstring(L, data + pos, len);
        pos += len + 1;
        break;
      }
      case Kpaddalign:
      case Kpadding:
      case Knop:
        n--; /* no value */
        break;
    }
    pos += (size_t)size;
  }
  ml_pushinteger(L, (ml_Integer)pos + 1); /* where reading stopped */
  return n + 1;
}
