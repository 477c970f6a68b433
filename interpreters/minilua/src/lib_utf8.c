/*
** lib_utf8.c — minilua's 'utf8' standard library (Lua 5.4 manual, 6.5),
** written against mlapi.h only; the core registers mlopen_utf8 (lib_utf8.h)
** in mlL_openlibs.
**
** Decoding accepts the original UTF-8 of up to six bytes (code points up to
** 2^31 - 1) and rejects overlong forms; the strict mode (the default) also
** rejects surrogates and code points above U+10FFFF, and the 'lax' argument
** lifts that, as in lua5.4. Positions, iteration and error messages follow
** lua5.4 (5.4.4), including utf8.codes skipping stray continuation bytes.
*/
#include "lib_utf8.h"

#include <limits.h>

#define MAXUNICODE 0x10FFFFu
#define MAXUTF 0x7FFFFFFFu
#define MSG_INVALID "invalid UTF-8 code"

typedef unsigned int utfint;

#define iscont(p) ((*(p)&0xC0) == 0x80)

/* A relative position: negative counts from the end, too negative is 0. */
static ml_Integer u_posrelat(ml_Integer pos, size_t len) {
  if (pos >= 0) return pos;
  if (0u - (size_t)pos > len) return 0;
  return (ml_Integer)len + pos + 1;
}

/* Decodes the sequence at s (a Lua string, so '\0'-terminated: the
** terminator is never a continuation byte and stops a truncated sequence).
** Returns the position after it, or NULL when it is invalid. */
static const char *utf8_decode(const char *s, utfint *val, int strict) {
  /* the smallest value that needs count continuation bytes (overlong check) */
  static const utfint limits[] = {~(utfint)0, 0x80, 0x800, 0x10000u, 0x200000u, 0x4000000u};
  unsigned int c = (unsigned char)s[0];
  utfint res = 0;
  if (c < 0x80) {
    res = c;
  } else {
    int count = 0;
    for (; c & 0x40; c <<= 1) { /* each leading 1 bit after the first: one more byte */
      unsigned int cc = (unsigned char)s[++count];
      if ((cc & 0xC0) != 0x80) return NULL;
      res = (res << 6) | (cc & 0x3F);
    }
    res |= ((utfint)(c & 0x7F) << (count * 5)); /* the bits of the first byte */
    if (count > 5 || res > MAXUTF || res < limits[count]) return NULL;
    s += count;
  }
  if (strict && (res > MAXUNICODE || (0xD800u <= res && res <= 0xDFFFu))) return NULL;
  if (val) *val = res;
  return s + 1;
}

/* utf8.len(s [, i [, j [, lax]]]): the number of characters in s[i..j], or
** fail and the position of the first invalid byte. */
static int utflen(ml_State *L) {
  ml_Integer n = 0;
  size_t len;
  const char *s = mlL_checklstring(L, 1, &len);
  ml_Integer posi = u_posrelat(mlL_optinteger(L, 2, 1), len);
  ml_Integer posj = u_posrelat(mlL_optinteger(L, 3, -1), len);
  int lax = ml_toboolean(L, 4);
  mlL_argcheck(L, 1 <= posi && --posi <= (ml_Integer)len, 2, "initial position out of bounds");
  mlL_argcheck(L, --posj < (ml_Integer)len, 3, "final position out of bounds");
  while (posi <= posj) {
    const char *s1 = utf8_decode(s + posi, NULL, !lax);
    if (s1 == NULL) {
      ml_pushnil(L);
      ml_pushinteger(L, posi + 1);
      return 2;
    }
    posi = s1 - s;
    n++;
  }
  ml_pushinteger(L, n);
  return 1;
}

/* utf8.codepoint(s [, i [, j [, lax]]]): the code points starting in s[i..j]. */
static int codepoint(ml_State *L) {
  size_t len;
  const char *s = mlL_checklstring(L, 1, &len);
  ml_Integer posi = u_posrelat(mlL_optinteger(L, 2, 1), len);
  ml_Integer pose = u_posrelat(mlL_optinteger(L, 3, posi), len);
  int lax = ml_toboolean(L, 4);
  mlL_argcheck(L, posi >= 1, 2, "out of bounds");
  mlL_argcheck(L, pose <= (ml_Integer)len, 3, "out of bounds");
  if (posi > pose) return 0;
  if (pose - posi >= INT_MAX) return mlL_error(L, "string slice too long");
  int n = (int)(pose - posi) + 1; /* at most this many results */
  mlL_checkstack(L, n, "string slice too long");
  n = 0;
  const char *se = s + pose;
  for (s += posi - 1; s < se;) {
    utfint code;
    s = utf8_decode(s, &code, !lax);
    if (s == NULL) return mlL_error(L, MSG_INVALID);
    ml_pushinteger(L, code);
    n++;
  }
  return n;
}

/* Encodes x (at most MAXUTF) into buff; returns the number of bytes. */
static int utf8_encode(char *buff, utfint x) {
  if (x < 0x80) {
    buff[0] = (char)x;
    return 1;
  }
  char tmp[8];
  int n = 0;
  unsigned int mfb = 0x3f; /* the largest value that still fits in the first byte */
  do {                     /* continuation bytes, last first */
    tmp[n++] = (char)(0x80 | (x & 0x3f));
    x >>= 6;
    mfb >>= 1; /* each continuation byte leaves one bit less in the first */
  } while (x > mfb);
  tmp[n++] = (char)((~mfb << 1) | x); /* the first byte: length prefix and bits */
  for (int i = 0; i < n; i++) buff[i] = tmp[n - 1 - i];
  return n;
}

static void addutfchar(ml_State *L, mlL_Buffer *b, int arg) {
  ml_Unsigned code = (ml_Unsigned)mlL_checkinteger(L, arg);
  mlL_argcheck(L, code <= MAXUTF, arg, "value out of range");
  char buff[8];
  int n = utf8_encode(buff, (utfint)code);
  mlL_addlstring(b, buff, (size_t)n);
}

/* utf8.char(...): the concatenated encodings of the code points. */
static int utfchar(ml_State *L) {
  int n = ml_gettop(L);
  mlL_Buffer b;
  mlL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) addutfchar(L, &b, i);
  mlL_pushresult(&b);
  return 1;
}

/* utf8.offset(s, n [, i]): the byte position where the n-th character
** (counting from position i) starts; n = 0 finds the start of the character
** containing byte i. */
static int byteoffset(ml_State *L) {
  size_t len;
  const char *s = mlL_checklstring(L, 1, &len);
  ml_Integer n = mlL_checkinteger(L, 2);
  ml_Integer posi = (n >= 0) ? 1 : (ml_Integer)len + 1;
  posi = u_posrelat(mlL_optinteger(L, 3, posi), len);
  mlL_argcheck(L, 1 <= posi && --posi <= (ml_Integer)len, 3, "position out of bounds");
  if (n == 0) {
    while (posi > 0 && iscont(s + posi)) posi--;
  } else {
    if (iscont(s + posi)) return mlL_error(L, "initial position is a continuation byte");
    if (n < 0) {
      while (n < 0 && posi > 0) { /* back to the start of the previous character */
        do {
          posi--;
        } while (posi > 0 && iscont(s + posi));
        n++;
      }
    } else {
      n--; /* the first character is the one at posi */
      while (n > 0 && posi < (ml_Integer)len) {
        do {
          posi++;
        } while (iscont(s + posi)); /* stops at the terminating '\0' at the latest */
        n--;
      }
    }
  }
  if (n == 0)
    ml_pushinteger(L, posi + 1);
  else
    ml_pushnil(L); /* no such character */
  return 1;
}

/* The iterator of utf8.codes: control value = position of the previous
** character (0 at the start). Continuation bytes after it are skipped. */
static int iter_aux(ml_State *L, int strict) {
  size_t len;
  const char *s = mlL_checklstring(L, 1, &len);
  ml_Unsigned n = (ml_Unsigned)ml_tointeger(L, 2);
  if (n < len) {
    while (iscont(s + n)) n++;
  }
  if (n >= len) return 0; /* done (also when the control value was negative) */
  utfint code;
  const char *next = utf8_decode(s + n, &code, strict);
  if (next == NULL) return mlL_error(L, MSG_INVALID);
  ml_pushinteger(L, (ml_Integer)n + 1);
  ml_pushinteger(L, code);
  return 2;
}

static int iter_auxstrict(ml_State *L) {
  return iter_aux(L, 1);
}

static int iter_auxlax(ml_State *L) {
  return iter_aux(L, 0);
}

static int iter_codes(ml_State *L) {
  int lax = ml_toboolean(L, 2);
  mlL_checkstring(L, 1);
  ml_pushcfunction(L, lax ? iter_auxlax : iter_auxstrict);
  ml_pushvalue(L, 1);
  ml_pushinteger(L, 0);
  return 3;
}

/* Matches exactly one UTF-8 byte sequence (assuming valid UTF-8). */
#define UTF8PATT "[\0-\x7F\xC2-\xFD][\x80-\xBF]*"

static const mlL_Reg funcs[] = {
  {"offset", byteoffset},
  {"codepoint", codepoint},
  {"char", utfchar},
  {"len", utflen},
  {"codes", iter_codes},
  {NULL, NULL}
};

int mlopen_utf8(ml_State *L) {
  mlL_newlib(L, funcs);
  ml_pushlstring(L, UTF8PATT, sizeof(UTF8PATT) / sizeof(char) - 1);
  ml_setfield(L, -2, "charpattern");
  return 1;
}
