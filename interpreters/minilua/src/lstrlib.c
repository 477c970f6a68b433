/*
** lstrlib.c — minilua's 'string' standard library (Lua 5.4 manual, 6.4),
** written against mlapi.h only.
**
** Basic functions, string.format, and the pattern-based functions (find,
** match, gmatch, gsub) whose matching engine lives in lib_pattern.c. Index
** arithmetic, format checks and error messages follow lua5.4 (5.4.4) so that
** minilua prints what lua5.4 prints. string.pack/unpack/packsize are in
** lib_strpack.c. The opener also gives strings their metatable
** (lib_strarith.c): __index = this table plus the arithmetic metamethods
** through which Lua 5.4 converts strings to numbers.
*/
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib_pattern.h"
#include "lib_strarith.h"
#include "lib_strpack.h"
#include "mlapi.h"

#define uchar(c) ((unsigned char)(c))

/* Largest string these functions build, as in lua5.4 (INT_MAX on 64-bit). */
#define MAXSIZE ((size_t)INT_MAX)

/* ---- index translation ---- */

/* A start position: negative counts from the end, out-of-range clamps to 1. */
static size_t posrelat_start(ml_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0) return 1;
  if (pos < -(ml_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

/* An end position (argument arg, default def), clamped to [0, len]. */
static size_t getendpos(ml_State *L, int arg, ml_Integer def, size_t len) {
  ml_Integer pos = mlL_optinteger(L, arg, def);
  if (pos > (ml_Integer)len) return len;
  if (pos >= 0) return (size_t)pos;
  if (pos < -(ml_Integer)len) return 0;
  return len + (size_t)pos + 1;
}

/* ---- basic functions ---- */

static int str_len(ml_State *L) {
  size_t l;
  mlL_checklstring(L, 1, &l);
  ml_pushinteger(L, (ml_Integer)l);
  return 1;
}

static int str_sub(ml_State *L) {
  size_t l;
  const char *s = mlL_checklstring(L, 1, &l);
  size_t start = posrelat_start(mlL_checkinteger(L, 2), l);
  size_t end = getendpos(L, 3, -1, l);
  if (start <= end)
    ml_pushlstring(L, s + start - 1, (end - start) + 1);
  else
    ml_pushliteral(L, "");
  return 1;
}

static int str_reverse(ml_State *L) {
  size_t l;
  mlL_Buffer b;
  const char *s = mlL_checklstring(L, 1, &l);
  char *p = mlL_buffinitsize(L, &b, l);
  for (size_t i = 0; i < l; i++) p[i] = s[l - i - 1];
  mlL_pushresultsize(&b, l);
  return 1;
}

static int str_lower(ml_State *L) {
  size_t l;
  mlL_Buffer b;
  const char *s = mlL_checklstring(L, 1, &l);
  char *p = mlL_buffinitsize(L, &b, l);
  for (size_t i = 0; i < l; i++) p[i] = (char)tolower(uchar(s[i]));
  mlL_pushresultsize(&b, l);
  return 1;
}

static int str_upper(ml_State *L) {
  size_t l;
  mlL_Buffer b;
  const char *s = mlL_checklstring(L, 1, &l);
  char *p = mlL_buffinitsize(L, &b, l);
  for (size_t i = 0; i < l; i++) p[i] = (char)toupper(uchar(s[i]));
  mlL_pushresultsize(&b, l);
  return 1;
}

static int str_rep(ml_State *L) {
  size_t l, lsep;
  const char *s = mlL_checklstring(L, 1, &l);
  ml_Integer n = mlL_checkinteger(L, 2);
  const char *sep = mlL_optlstring(L, 3, "", &lsep);
  if (n <= 0 || l + lsep == 0) { /* nothing to repeat */
    ml_pushliteral(L, "");
  } else if (l + lsep < l || l + lsep > MAXSIZE / (size_t)n) {
    return mlL_error(L, "resulting string too large");
  } else {
    size_t totallen = (size_t)n * l + (size_t)(n - 1) * lsep;
    mlL_Buffer b;
    char *p = mlL_buffinitsize(L, &b, totallen);
    while (n-- > 1) { /* the last copy has no separator */
      memcpy(p, s, l);
      p += l;
      if (lsep > 0) {
        memcpy(p, sep, lsep);
        p += lsep;
      }
    }
    memcpy(p, s, l);
    mlL_pushresultsize(&b, totallen);
  }
  return 1;
}

static int str_byte(ml_State *L) {
  size_t l;
  const char *s = mlL_checklstring(L, 1, &l);
  ml_Integer pi = mlL_optinteger(L, 2, 1);
  size_t posi = posrelat_start(pi, l);
  size_t pose = getendpos(L, 3, pi, l);
  if (posi > pose) return 0;
  if (pose - posi >= (size_t)INT_MAX) return mlL_error(L, "string slice too long");
  int n = (int)(pose - posi) + 1;
  mlL_checkstack(L, n, "string slice too long");
  for (int i = 0; i < n; i++) ml_pushinteger(L, uchar(s[posi + (size_t)i - 1]));
  return n;
}

static int str_char(ml_State *L) {
  int n = ml_gettop(L);
  mlL_Buffer b;
  char *p = mlL_buffinitsize(L, &b, (size_t)n);
  for (int i = 1; i <= n; i++) {
    ml_Unsigned c = (ml_Unsigned)mlL_checkinteger(L, i);
    mlL_argcheck(L, c <= (ml_Unsigned)UCHAR_MAX, i, "value out of range");
    p[i - 1] = (char)uchar(c);
  }
  mlL_pushresultsize(&b, (size_t)n);
  return 1;
}

/* ---- string.format ---- */

/* Flags each conversion accepts (lua5.4 rejects the others). */
#define FLAGS_FLOAT "-+ #0"
#define FLAGS_HEX "-#0"
#define FLAGS_INT "-+ 0"
#define FLAGS_UNSIGNED "-0"
#define FLAGS_CHAR "-"

/* A conversion spec ('%' flags width precision letter) must be shorter than
** this; lua5.4 reports "invalid format (too long)" otherwise. */
#define MAX_FORMAT 32
/* Room for one formatted item: "%99.99f" of the largest double is about 410
** characters. */
#define MAX_ITEM 512

/* Copies the spec starting after '%' into form ("%..." and the conversion
** letter) and returns a pointer to the conversion letter in strfrmt. */
static const char *getformat(ml_State *L, const char *strfrmt, const char *strfrmt_end,
                             char *form) {
  size_t len = 0;
  /* flags, width and precision; '0' counts as a flag */
  while (strfrmt + len < strfrmt_end && strchr(FLAGS_FLOAT "123456789.", strfrmt[len]) &&
         strfrmt[len] != '\0')
    len++;
  len++; /* the conversion letter (or whatever character is there) */
  if (len >= MAX_FORMAT - 10) mlL_error(L, "invalid format (too long)");
  const char *conv = strfrmt + len - 1; /* may be strfrmt_end: no letter */
  *(form++) = '%';
  if (conv == strfrmt_end) len--;
  memcpy(form, strfrmt, len);
  form[len] = '\0';
  return conv;
}

static const char *skip2digits(const char *s) {
  if (isdigit(uchar(*s))) {
    s++;
    if (isdigit(uchar(*s))) s++; /* at most two digits */
  }
  return s;
}

/* Checks a spec against the conversion's allowed flags; width and precision
** are at most two digits each, and precision only where it is meaningful. */
static void checkformat(ml_State *L, const char *form, const char *flags, int precision) {
  const char *spec = form + 1; /* skip '%' */
  spec += strspn(spec, flags);
  if (*spec != '0') { /* a width cannot start with '0' */
    spec = skip2digits(spec);
    if (*spec == '.' && precision) {
      spec++;
      spec = skip2digits(spec);
    }
  }
  if (!isalpha(uchar(*spec))) mlL_error(L, "invalid conversion specification: '%s'", form);
}

/* Inserts a length modifier before the conversion letter ("%5d" -> "%5lld"). */
static void addlenmod(char *form, const char *lenmod) {
  size_t l = strlen(form);
  size_t lm = strlen(lenmod);
  char spec = form[l - 1];
  strcpy(form + l - 1, lenmod);
  form[l + lm - 1] = spec;
  form[l + lm] = '\0';
}

/* %q of a string: a Lua literal that reads back as the same bytes. */
static void addquoted(mlL_Buffer *b, const char *s, size_t len) {
  mlL_addchar(b, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = uchar(s[i]);
    if (c == '"' || c == '\\' || c == '\n') {
      mlL_addchar(b, '\\');
      mlL_addchar(b, (char)c);
    } else if (iscntrl(c)) {
      char buff[10];
      /* a following digit would extend a short \ddd escape */
      if (i + 1 < len && isdigit(uchar(s[i + 1])))
        snprintf(buff, sizeof(buff), "\\%03d", (int)c);
      else
        snprintf(buff, sizeof(buff), "\\%d", (int)c);
      mlL_addstring(b, buff);
    } else {
      mlL_addchar(b, (char)c);
    }
  }
  mlL_addchar(b, '"');
}

/* %q of a float: hexadecimal, which reads back exactly; the infinities and
** NaN have no literal and get expressions that evaluate to them. */
static int quotefloat(char *buff, ml_Number n) {
  if (n == (ml_Number)HUGE_VAL) {
    strcpy(buff, "1e9999");
  } else if (n == -(ml_Number)HUGE_VAL) {
    strcpy(buff, "-1e9999");
  } else if (n != n) {
    strcpy(buff, "(0/0)");
  } else {
    int nb = snprintf(buff, MAX_ITEM, "%a", n);
    /* a locale with another decimal point must not leak into a literal */
    if (memchr(buff, '.', (size_t)nb) == NULL) {
      char *ppoint = memchr(buff, ',', (size_t)nb);
      if (ppoint) *ppoint = '.';
    }
    return nb;
  }
  return (int)strlen(buff);
}

static void addliteral(ml_State *L, mlL_Buffer *b, int arg) {
  switch (ml_type(L, arg)) {
    case ML_TSTRING: {
      size_t len;
      const char *s = ml_tolstring(L, arg, &len);
      addquoted(b, s, len);
      break;
    }
    case ML_TNUMBER: {
      char *buff = mlL_prepbuffsize(b, MAX_ITEM);
      int nb;
      if (!ml_isinteger(L, arg)) {
        nb = quotefloat(buff, ml_tonumber(L, arg));
      } else {
        ml_Integer n = ml_tointeger(L, arg);
        /* mininteger has no decimal literal (it would read as a float) */
        const char *format = (n == ML_MININTEGER) ? "0x%llx" : "%lld";
        nb = snprintf(buff, MAX_ITEM, format, (long long)n);
      }
      mlL_addsize(b, (size_t)nb);
      break;
    }
    case ML_TNIL:
    case ML_TBOOLEAN:
      mlL_tolstring(L, arg, NULL);
      mlL_addvalue(b);
      break;
    default:
      mlL_argerror(L, arg, "value has no literal form");
  }
}

static int str_format(ml_State *L) {
  int top = ml_gettop(L);
  int arg = 1;
  size_t sfl;
  const char *strfrmt = mlL_checklstring(L, arg, &sfl);
  const char *strfrmt_end = strfrmt + sfl;
  const char *flags;
  mlL_Buffer b;
  mlL_buffinit(L, &b);
  while (strfrmt < strfrmt_end) {
    if (*strfrmt != '%') {
      mlL_addchar(&b, *strfrmt++);
      continue;
    }
    if (++strfrmt < strfrmt_end && *strfrmt == '%') { /* %% */
      mlL_addchar(&b, *strfrmt++);
      continue;
    }
    char form[MAX_FORMAT];
    char *buff = mlL_prepbuffsize(&b, MAX_ITEM);
    int nb = 0;
    /* lua5.4 checks for the argument before looking at the spec */
    if (++arg > top) return mlL_argerror(L, arg, "no value");
    strfrmt = getformat(L, strfrmt, strfrmt_end, form);
    int conv = strfrmt < strfrmt_end ? uchar(*strfrmt++) : '\0';
    switch (conv) {
      case 'c':
        checkformat(L, form, FLAGS_CHAR, 0);
        nb = snprintf(buff, MAX_ITEM, form, (int)mlL_checkinteger(L, arg));
        break;
      case 'd':
      case 'i':
        flags = FLAGS_INT;
        goto intcase;
      case 'u':
        flags = FLAGS_UNSIGNED;
        goto intcase;
      case 'o':
      case 'x':
      case 'X':
        flags = FLAGS_HEX;
      intcase: {
        ml_Integer n = mlL_checkinteger(L, arg);
        checkformat(L, form, flags, 1);
        addlenmod(form, "ll");
        nb = snprintf(buff, MAX_ITEM, form, (long long)n);
        break;
      }
      case 'a':
      case 'A':
        checkformat(L, form, FLAGS_FLOAT, 1);
        nb = snprintf(buff, MAX_ITEM, form, mlL_checknumber(L, arg));
        break;
      case 'f':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        ml_Number n = mlL_checknumber(L, arg);
        checkformat(L, form, FLAGS_FLOAT, 1);
        nb = snprintf(buff, MAX_ITEM, form, n);
        break;
      }
      case 'p': {
        const void *p = ml_topointer(L, arg);
        checkformat(L, form, FLAGS_CHAR, 0);
        if (p == NULL) { /* values without identity print as "(null)" */
          p = "(null)";
          form[strlen(form) - 1] = 's';
        }
        nb = snprintf(buff, MAX_ITEM, form, p);
        break;
      }
      case 'q':
        if (form[2] != '\0') return mlL_error(L, "specifier '%%q' cannot have modifiers");
        addliteral(L, &b, arg);
        break;
      case 's': {
        size_t l;
        const char *s = mlL_tolstring(L, arg, &l); /* __tostring, __name */
        if (form[2] == '\0') { /* no modifiers: keep the whole string */
          mlL_addvalue(&b);
        } else {
          mlL_argcheck(L, l == strlen(s), arg, "string contains zeros");
          checkformat(L, form, FLAGS_CHAR, 1);
          if (strchr(form, '.') == NULL && l >= 100) {
            mlL_addvalue(&b); /* no precision and too long to pad: keep it */
          } else {
            nb = snprintf(buff, MAX_ITEM, form, s);
            ml_pop(L, 1);
          }
        }
        break;
      }
      default:
        return mlL_error(L, "invalid conversion '%s' to 'format'", form);
    }
    mlL_addsize(&b, (size_t)nb);
  }
  mlL_pushresult(&b);
  return 1;
}

/* ---- pattern-based functions ---- */

/* Plain substring search (memmem without relying on a GNU extension). */
static const char *lmemfind(const char *s1, size_t l1, const char *s2, size_t l2) {
  if (l2 == 0) return s1; /* the empty string is everywhere */
  if (l2 > l1) return NULL;
  const char *init;
  l2--; /* the first character is found with memchr */
  l1 = l1 - l2;
  while (l1 > 0 && (init = memchr(s1, *s2, l1)) != NULL) {
    init++;
    if (memcmp(init, s2 + 1, l2) == 0) return init - 1;
    l1 -= (size_t)(init - s1);
    s1 = init;
  }
  return NULL;
}

static int str_find_aux(ml_State *L, int find) {
  size_t ls, lp;
  const char *s = mlL_checklstring(L, 1, &ls);
  const char *p = mlL_checklstring(L, 2, &lp);
  size_t init = posrelat_start(mlL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) { /* starts after the end: nothing to find */
    ml_pushnil(L);
    return 1;
  }
  if (find && (ml_toboolean(L, 4) || pat_nospecials(p, lp))) {
    const char *s2 = lmemfind(s + init, ls - init, p, lp);
    if (s2) {
      ml_pushinteger(L, (s2 - s) + 1);
      ml_pushinteger(L, (ml_Integer)((size_t)(s2 - s) + lp));
      return 2;
    }
  } else {
    MatchState ms;
    const char *s1 = s + init;
    int anchor = (lp > 0 && *p == '^');
    if (anchor) {
      p++;
      lp--;
    }
    pat_prepstate(&ms, L, s, ls, p, lp);
    do {
      const char *res;
      pat_reprepstate(&ms);
      if ((res = pat_match(&ms, s1, p)) != NULL) {
        if (find) {
          ml_pushinteger(L, (s1 - s) + 1);
          ml_pushinteger(L, res - s);
          return pat_push_captures(&ms, NULL, 0) + 2;
        }
        return pat_push_captures(&ms, s1, res);
      }
    } while (s1++ < ms.src_end && !anchor);
  }
  ml_pushnil(L);
  return 1;
}

static int str_find(ml_State *L) {
  return str_find_aux(L, 1);
}

static int str_match(ml_State *L) {
  return str_find_aux(L, 0);
}

/* The iterator state of string.gmatch, kept in a userdata upvalue. The
** subject and pattern are upvalues too, which keeps them alive. */
typedef struct GMatchState {
  const char *src;       /* where the next attempt starts */
  const char *p;         /* the pattern */
  const char *lastmatch; /* end of the previous match */
  MatchState ms;
} GMatchState;

static int gmatch_aux(ml_State *L) {
  GMatchState *gm = (GMatchState *)ml_touserdata(L, ml_upvalueindex(3));
  gm->ms.L = L;
  for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
    const char *e;
    pat_reprepstate(&gm->ms);
    /* 5.4: a match may not end where the previous one ended, so an empty
    ** match right after a match is skipped */
    if ((e = pat_match(&gm->ms, src, gm->p)) != NULL && e != gm->lastmatch) {
      gm->src = gm->lastmatch = e;
      return pat_push_captures(&gm->ms, src, e);
    }
  }
  return 0;
}

static int str_gmatch(ml_State *L) {
  size_t ls, lp;
  const char *s = mlL_checklstring(L, 1, &ls);
  const char *p = mlL_checklstring(L, 2, &lp);
  size_t init = posrelat_start(mlL_optinteger(L, 3, 1), ls) - 1;
  ml_settop(L, 2); /* subject and pattern become upvalues 1 and 2 */
  GMatchState *gm = (GMatchState *)ml_newuserdatauv(L, sizeof(GMatchState), 0);
  if (init > ls) init = ls + 1; /* start after the end: no matches */
  pat_prepstate(&gm->ms, L, s, ls, p, lp);
  gm->src = s + init;
  gm->p = p;
  gm->lastmatch = NULL;
  ml_pushcclosure(L, gmatch_aux, 3);
  return 1;
}

/* Appends the expansion of a replacement string ('%0'-'%9', '%%'). */
static void add_s(MatchState *ms, mlL_Buffer *b, const char *s, const char *e) {
  size_t l;
  ml_State *L = ms->L;
  const char *news = ml_tolstring(L, 3, &l);
  const char *p;
  while ((p = memchr(news, '%', l)) != NULL) {
    mlL_addlstring(b, news, (size_t)(p - news));
    p++; /* skip the '%' */
    int c = (p < news + l) ? uchar(*p) : '\0';
    if (c == '%') {
      mlL_addchar(b, '%');
    } else if (c == '0') {
      mlL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit(c)) {
      const char *cap;
      ptrdiff_t resl = pat_get_onecapture(ms, c - '1', s, e, &cap);
      if (resl == PAT_CAP_POSITION)
        mlL_addvalue(b); /* the position was pushed */
      else
        mlL_addlstring(b, cap, (size_t)resl);
    } else {
      mlL_error(L, "invalid use of '%c' in replacement string", '%');
    }
    l -= (size_t)(p + 1 - news);
    news = p + 1;
  }
  mlL_addlstring(b, news, l);
}

/* Appends the replacement for the match [s, e); returns whether the text
** changed (a nil/false result from a table or function keeps the match). */
static int add_value(MatchState *ms, mlL_Buffer *b, const char *s, const char *e, int tr) {
  ml_State *L = ms->L;
  switch (tr) {
    case ML_TFUNCTION: {
      ml_pushvalue(L, 3);
      int n = pat_push_captures(ms, s, e);
      ml_call(L, n, 1);
      break;
    }
    case ML_TTABLE:
      pat_push_onecapture(ms, 0, s, e);
      ml_gettable(L, 3);
      break;
    default: /* a string or a number */
      add_s(ms, b, s, e);
      return 1;
  }
  if (!ml_toboolean(L, -1)) {
    ml_pop(L, 1);
    mlL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!ml_isstring(L, -1))
    return mlL_error(L, "invalid replacement value (a %s)", mlL_typename(L, -1));
  mlL_addvalue(b);
  return 1;
}

static int str_gsub(ml_State *L) {
  size_t srcl, lp;
  const char *src = mlL_checklstring(L, 1, &srcl);
  const char *p = mlL_checklstring(L, 2, &lp);
  const char *lastmatch = NULL;
  int tr = ml_type(L, 3);
  ml_Integer max_s = mlL_optinteger(L, 4, (ml_Integer)srcl + 1);
  int anchor = (lp > 0 && *p == '^');
  ml_Integer n = 0;
  int changed = 0;
  MatchState ms;
  mlL_Buffer b;
  mlL_argexpected(L, tr == ML_TNUMBER || tr == ML_TSTRING || tr == ML_TFUNCTION || tr == ML_TTABLE,
                  3, "string/function/table");
  mlL_buffinit(L, &b);
  if (anchor) {
    p++;
    lp--;
  }
  pat_prepstate(&ms, L, src, srcl, p, lp);
  while (n < max_s) {
    const char *e;
    pat_reprepstate(&ms);
    if ((e = pat_match(&ms, src, p)) != NULL && e != lastmatch) {
      n++;
      changed = add_value(&ms, &b, src, e, tr) | changed;
      src = lastmatch = e;
    } else if (src < ms.src_end) {
      mlL_addchar(&b, *src++); /* no match here: copy one character */
    } else {
      break;
    }
    if (anchor) break;
  }
  if (!changed) {
    ml_pushvalue(L, 1); /* unchanged: return the original string */
  } else {
    mlL_addlstring(&b, src, (size_t)(ms.src_end - src));
    mlL_pushresult(&b);
  }
  ml_pushinteger(L, n);
  return 2;
}

static const mlL_Reg strlib[] = {
  {"byte", str_byte},
  {"char", str_char},
  {"find", str_find},
  {"format", str_format},
  {"gmatch", str_gmatch},
  {"gsub", str_gsub},
  {"len", str_len},
  {"lower", str_lower},
  {"match", str_match},
  {"rep", str_rep},
  {"reverse", str_reverse},
  {"sub", str_sub},
  {"upper", str_upper},
  {"pack", strpack_pack},
  {"packsize", strpack_packsize},
  {"unpack", strpack_unpack},
  {NULL, NULL}
};

int mlopen_string(ml_State *L) {
  mlL_newlib(L, strlib);
  strarith_setmetatable(L);
  return 1;
}
