/*
** loslib.c — minilua's 'os' standard library (Lua 5.4 manual, 6.9), written
** against mlapi.h only.
**
** Dates go through the C library (mktime, localtime_r/gmtime_r, strftime)
** as in lua5.4; os.date accepts exactly the C99 conversion specifiers lua5.4
** accepts and reports the others with the same message.
*/
/* localtime_r, gmtime_r, mkstemp are POSIX, not ISO C */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mlapi.h"

/* Valid strftime conversions: single letters, then (after "||") the two-
** letter E and O modified forms of C99. */
#define STRFTIME_OPTIONS \
  "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%" \
  "||" "EcECExEXEyEY" "OdOeOHOIOmOMOSOuOUOVOwOWOy"

/* Room for one strftime conversion. */
#define SIZETIMEFMT 250

static int os_execute(ml_State *L) {
  const char *cmd = mlL_optstring(L, 1, NULL);
  errno = 0;
  int stat = system(cmd);
  if (cmd != NULL) return mlL_execresult(L, stat);
  ml_pushboolean(L, stat); /* os.execute(): is a shell available? */
  return 1;
}

static int os_remove(ml_State *L) {
  const char *filename = mlL_checkstring(L, 1);
  return mlL_fileresult(L, remove(filename) == 0, filename);
}

static int os_rename(ml_State *L) {
  const char *fromname = mlL_checkstring(L, 1);
  const char *toname = mlL_checkstring(L, 2);
  return mlL_fileresult(L, rename(fromname, toname) == 0, NULL);
}

static int os_tmpname(ml_State *L) {
  char buff[32];
  strcpy(buff, "/tmp/lua_XXXXXX");
  int fd = mkstemp(buff); /* creates the file, which avoids a race on the name */
  if (fd == -1) return mlL_error(L, "unable to generate a unique filename");
  close(fd);
  ml_pushstring(L, buff);
  return 1;
}

static int os_getenv(ml_State *L) {
  ml_pushstring(L, getenv(mlL_checkstring(L, 1))); /* NULL pushes nil */
  return 1;
}

static int os_clock(ml_State *L) {
  ml_pushnumber(L, ((ml_Number)clock()) / (ml_Number)CLOCKS_PER_SEC);
  return 1;
}

/* ---- time and date ---- */

static void setfield(ml_State *L, const char *key, int value, int delta) {
  ml_pushinteger(L, (ml_Integer)value + delta);
  ml_setfield(L, -2, key);
}

static void setboolfield(ml_State *L, const char *key, int value) {
  if (value < 0) return; /* unknown: leave the field absent */
  ml_pushboolean(L, value);
  ml_setfield(L, -2, key);
}

/* Fills the table on the top with the fields of a struct tm. */
static void setallfields(ml_State *L, struct tm *stm) {
  setfield(L, "year", stm->tm_year, 1900);
  setfield(L, "month", stm->tm_mon, 1);
  setfield(L, "day", stm->tm_mday, 0);
  setfield(L, "hour", stm->tm_hour, 0);
  setfield(L, "min", stm->tm_min, 0);
  setfield(L, "sec", stm->tm_sec, 0);
  setfield(L, "yday", stm->tm_yday, 1);
  setfield(L, "wday", stm->tm_wday, 1);
  setboolfield(L, "isdst", stm->tm_isdst);
}

static int getboolfield(ml_State *L, const char *key) {
  int res = (ml_getfield(L, -1, key) == ML_TNIL) ? -1 : ml_toboolean(L, -1);
  ml_pop(L, 1);
  return res;
}

/* Reads field key of the table on the top as a C int, minus delta. A missing
** field takes the default d; d < 0 means the field is required. */
static int getfield(ml_State *L, const char *key, int d, int delta) {
  int isnum;
  int t = ml_getfield(L, -1, key);
  ml_Integer res = ml_tointegerx(L, -1, &isnum);
  if (!isnum) {
    if (t != ML_TNIL) return mlL_error(L, "field '%s' is not an integer", key);
    if (d < 0) return mlL_error(L, "field '%s' missing in date table", key);
    res = d;
  } else {
    if (!(res >= 0 ? res - delta <= INT_MAX : INT_MIN + delta <= res))
      return mlL_error(L, "field '%s' is out-of-bound", key);
    res -= delta;
  }
  ml_pop(L, 1);
  return (int)res;
}

/* Checks the conversion starting at conv (after the '%') against the valid
** options and copies it to buff; returns the position after it. */
static const char *checkoption(ml_State *L, const char *conv, ptrdiff_t convlen, char *buff) {
  const char *option = STRFTIME_OPTIONS;
  int oplen = 1; /* options are grouped by length, separated by '|' */
  for (; *option != '\0' && oplen <= convlen; option += oplen) {
    if (*option == '|') {
      oplen++;
    } else if (memcmp(conv, option, (size_t)oplen) == 0) {
      memcpy(buff, conv, (size_t)oplen);
      buff[oplen] = '\0';
      return conv + oplen;
    }
  }
  mlL_argerror(L, 1, ml_pushfstring(L, "invalid conversion specifier '%%%s'", conv));
  return conv;
}

static time_t l_checktime(ml_State *L, int arg) {
  ml_Integer t = mlL_checkinteger(L, arg);
  mlL_argcheck(L, (time_t)t == t, arg, "time out-of-bounds");
  return (time_t)t;
}

static int os_date(ml_State *L) {
  size_t slen;
  const char *s = mlL_optlstring(L, 1, "%c", &slen);
  time_t t = ml_isnoneornil(L, 2) ? time(NULL) : l_checktime(L, 2);
  const char *se = s + slen;
  struct tm tmr, *stm;
  if (*s == '!') { /* UTC */
    stm = gmtime_r(&t, &tmr);
    s++;
  } else {
    stm = localtime_r(&t, &tmr);
  }
  if (stm == NULL) return mlL_error(L, "date result cannot be represented in this installation");
  if (strcmp(s, "*t") == 0) {
    ml_createtable(L, 0, 9);
    setallfields(L, stm);
  } else {
    char cc[4]; /* '%', up to two option characters, '\0' */
    mlL_Buffer b;
    cc[0] = '%';
    mlL_buffinit(L, &b);
    while (s < se) {
      if (*s != '%') {
        mlL_addchar(&b, *s++);
      } else {
        char *buff = mlL_prepbuffsize(&b, SIZETIMEFMT);
        s++;
        s = checkoption(L, s, se - s, cc + 1);
        size_t reslen = strftime(buff, SIZETIMEFMT, cc, stm);
        mlL_addsize(&b, reslen);
      }
    }
    mlL_pushresult(&b);
  }
  return 1;
}

static int os_time(ml_State *L) {
  time_t t;
  if (ml_isnoneornil(L, 1)) {
    t = time(NULL);
  } else {
    struct tm ts;
    mlL_checktype(L, 1, ML_TTABLE);
    ml_settop(L, 1); /* getfield works on the top */
    ts.tm_year = getfield(L, "year", -1, 1900);
    ts.tm_mon = getfield(L, "month", -1, 1);
    ts.tm_mday = getfield(L, "day", -1, 0);
    ts.tm_hour = getfield(L, "hour", 12, 0);
    ts.tm_min = getfield(L, "min", 0, 0);
    ts.tm_sec = getfield(L, "sec", 0, 0);
    ts.tm_isdst = getboolfield(L, "isdst");
    t = mktime(&ts);
    setallfields(L, &ts); /* the table gets the normalised values */
  }
  if (t == (time_t)(-1))
    return mlL_error(L, "time result cannot be represented in this installation");
  ml_pushinteger(L, (ml_Integer)t);
  return 1;
}

static int os_difftime(ml_State *L) {
  time_t t1 = l_checktime(L, 1);
  time_t t2 = l_checktime(L, 2);
  ml_pushnumber(L, (ml_Number)difftime(t1, t2));
  return 1;
}

static int os_setlocale(ml_State *L) {
  static const int cat[] = {LC_ALL, LC_COLLATE, LC_CTYPE, LC_MONETARY, LC_NUMERIC, LC_TIME};
  static const char *const catnames[] = {"all", "collate", "ctype", "monetary",
                                         "numeric", "time", NULL};
  const char *l = mlL_optstring(L, 1, NULL);
  int op = mlL_checkoption(L, 2, "all", catnames);
  ml_pushstring(L, setlocale(cat[op], l));
  return 1;
}

static int os_exit(ml_State *L) {
  int status;
  if (ml_isboolean(L, 1))
    status = ml_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else
    status = (int)mlL_optinteger(L, 1, EXIT_SUCCESS);
  ml_exitprocess(L, status); /* flushes the standard files and exits */
  return 0;
}

static const mlL_Reg syslib[] = {
  {"clock", os_clock},
  {"date", os_date},
  {"difftime", os_difftime},
  {"execute", os_execute},
  {"exit", os_exit},
  {"getenv", os_getenv},
  {"remove", os_remove},
  {"rename", os_rename},
  {"setlocale", os_setlocale},
  {"time", os_time},
  {"tmpname", os_tmpname},
  {NULL, NULL}
};

int mlopen_os(ml_State *L) {
  mlL_newlib(L, syslib);
  return 1;
}
