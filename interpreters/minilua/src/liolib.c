/*
** liolib.c — minilua's 'io' standard library (Lua 5.4 manual, 6.8), written
** against mlapi.h only.
**
** A file is a full userdata holding an IOStream (a C FILE* and the function
** that closes it) with the registry metatable "FILE*". A stream whose closef
** is NULL is closed. The default input and output files live in the registry
** under "_IO_input" and "_IO_output".
**
** minilua's garbage collector does not run __gc, so a file that a program
** neither closes nor reads to the end through io.lines stays open (and
** unflushed) until the process exits; programs should close their files.
** The core flushes the standard files at exit.
*/
/* popen, pclose, fileno are POSIX, not ISO C */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlapi.h"

#define FILEHANDLE "FILE*"
#define IO_PREFIX "_IO_"
#define IOPREF_LEN (sizeof(IO_PREFIX) / sizeof(char) - 1)
#define IO_INPUT (IO_PREFIX "input")
#define IO_OUTPUT (IO_PREFIX "output")

/* io.lines/file:lines accept at most this many formats, as in lua5.4. */
#define MAXARGLINE 250

/* Longest numeral io.read("n") reads (lua5.4's L_MAXLENNUM). */
#define MAXLENNUM 200

typedef struct IOStream {
  FILE *f;
  ml_CFunction closef; /* NULL when the stream is closed */
} IOStream;

#define tolstream(L) ((IOStream *)mlL_checkudata(L, 1, FILEHANDLE))
#define isclosed(p) ((p)->closef == NULL)

static int io_type(ml_State *L) {
  mlL_checkany(L, 1);
  IOStream *p = (IOStream *)mlL_testudata(L, 1, FILEHANDLE);
  if (p == NULL)
    ml_pushnil(L); /* not a file */
  else if (isclosed(p))
    ml_pushliteral(L, "closed file");
  else
    ml_pushliteral(L, "file");
  return 1;
}

static int f_tostring(ml_State *L) {
  IOStream *p = tolstream(L);
  if (isclosed(p))
    ml_pushliteral(L, "file (closed)");
  else
    ml_pushfstring(L, "file (%p)", (void *)p->f);
  return 1;
}

/* The open FILE* of argument 1; errors on a closed file. */
static FILE *tofile(ml_State *L) {
  IOStream *p = tolstream(L);
  if (isclosed(p)) mlL_error(L, "attempt to use a closed file");
  return p->f;
}

/* A new, closed stream userdata with the file metatable, on the top. */
static IOStream *newprefile(ml_State *L) {
  IOStream *p = (IOStream *)ml_newuserdatauv(L, sizeof(IOStream), 0);
  p->f = NULL;
  p->closef = NULL;
  mlL_setmetatable(L, FILEHANDLE);
  return p;
}

/* Closes the stream at argument 1 with its own close function. closef is
** cleared first so that a failing close still leaves the stream closed. */
static int aux_close(ml_State *L) {
  IOStream *p = tolstream(L);
  ml_CFunction cf = p->closef;
  p->closef = NULL;
  return (*cf)(L);
}

static int f_close(ml_State *L) {
  tofile(L); /* must be open */
  return aux_close(L);
}

static int io_close(ml_State *L) {
  if (ml_isnone(L, 1)) ml_getfield(L, ML_REGISTRYINDEX, IO_OUTPUT); /* default output */
  return f_close(L);
}

static int f_gc(ml_State *L) {
  IOStream *p = tolstream(L);
  if (!isclosed(p) && p->f != NULL) aux_close(L);
  return 0;
}

/* The standard files cannot be closed; they stay usable. */
static int io_noclose(ml_State *L) {
  IOStream *p = tolstream(L);
  p->closef = &io_noclose;
  ml_pushnil(L);
  ml_pushliteral(L, "cannot close standard file");
  return 2;
}

static int io_fclose(ml_State *L) {
  IOStream *p = tolstream(L);
  int res = fclose(p->f);
  return mlL_fileresult(L, res == 0, NULL);
}

static int io_pclose(ml_State *L) {
  IOStream *p = tolstream(L);
  errno = 0;
  return mlL_execresult(L, pclose(p->f));
}

static IOStream *newfile(ml_State *L) {
  IOStream *p = newprefile(L);
  p->f = NULL;
  p->closef = &io_fclose;
  return p;
}

/* Opens a file for io.lines/io.input/io.output, raising an error on failure. */
static void opencheckfile(ml_State *L, const char *fname, const char *mode) {
  IOStream *p = newfile(L);
  p->f = fopen(fname, mode);
  if (p->f == NULL) mlL_error(L, "cannot open file '%s' (%s)", fname, strerror(errno));
}

/* Is mode one of r w a, optionally followed by '+', then only 'b's? */
static int checkmode(const char *mode) {
  if (*mode == '\0' || strchr("rwa", *mode) == NULL) return 0;
  mode++;
  if (*mode == '+') mode++;
  return strspn(mode, "b") == strlen(mode);
}

static int io_open(ml_State *L) {
  const char *filename = mlL_checkstring(L, 1);
  const char *mode = mlL_optstring(L, 2, "r");
  IOStream *p = newfile(L);
  mlL_argcheck(L, checkmode(mode), 2, "invalid mode");
  p->f = fopen(filename, mode);
  return (p->f == NULL) ? mlL_fileresult(L, 0, filename) : 1;
}

static int io_popen(ml_State *L) {
  const char *filename = mlL_checkstring(L, 1);
  const char *mode = mlL_optstring(L, 2, "r");
  IOStream *p = newprefile(L);
  mlL_argcheck(L, (mode[0] == 'r' || mode[0] == 'w') && mode[1] == '\0', 2, "invalid mode");
  fflush(NULL); /* output buffered so far must come before the child's */
  errno = 0;
  p->f = popen(filename, mode);
  p->closef = &io_pclose;
  return (p->f == NULL) ? mlL_fileresult(L, 0, filename) : 1;
}

static int io_tmpfile(ml_State *L) {
  IOStream *p = newfile(L);
  errno = 0;
  p->f = tmpfile();
  return (p->f == NULL) ? mlL_fileresult(L, 0, NULL) : 1;
}

/* The default file findex (IO_INPUT/IO_OUTPUT), pushed; errors if closed. */
static FILE *getiofile(ml_State *L, const char *findex) {
  ml_getfield(L, ML_REGISTRYINDEX, findex);
  IOStream *p = (IOStream *)ml_touserdata(L, -1);
  if (p == NULL || isclosed(p))
    mlL_error(L, "default %s file is closed", findex + IOPREF_LEN);
  return p->f;
}

/* io.input / io.output: with a name, open it; with a file, use it; in any
** case return the current default file. */
static int g_iofile(ml_State *L, const char *f, const char *mode) {
  if (!ml_isnoneornil(L, 1)) {
    const char *filename = ml_tostring(L, 1);
    if (filename) {
      opencheckfile(L, filename, mode);
    } else {
      tofile(L); /* must be an open file */
      ml_pushvalue(L, 1);
    }
    ml_setfield(L, ML_REGISTRYINDEX, f);
  }
  ml_getfield(L, ML_REGISTRYINDEX, f);
  return 1;
}

static int io_input(ml_State *L) {
  return g_iofile(L, IO_INPUT, "r");
}

static int io_output(ml_State *L) {
  return g_iofile(L, IO_OUTPUT, "w");
}

/* ---- reading ---- */

static int g_read(ml_State *L, FILE *f, int first);

/* The iterator of io.lines/file:lines. Upvalues: 1 the file, 2 the number
** of formats, 3 whether to close the file at the end, 4.. the formats. */
static int io_readline(ml_State *L) {
  IOStream *p = (IOStream *)ml_touserdata(L, ml_upvalueindex(1));
  int n = (int)ml_tointeger(L, ml_upvalueindex(2));
  if (isclosed(p)) return mlL_error(L, "file is already closed");
  ml_settop(L, 1);
  mlL_checkstack(L, n, "too many arguments");
  for (int i = 1; i <= n; i++) ml_pushvalue(L, ml_upvalueindex(3 + i));
  n = g_read(L, p->f, 2);
  if (ml_toboolean(L, -n)) return n; /* read at least one value */
  /* end of file or error */
  if (n > 1) return mlL_error(L, "%s", ml_tostring(L, -n + 1)); /* error message */
  if (ml_toboolean(L, ml_upvalueindex(3))) { /* io.lines(name): close it */
    ml_settop(L, 0);
    ml_pushvalue(L, ml_upvalueindex(1));
    aux_close(L);
  }
  return 0;
}

/* Pushes the iterator for the file at 1 and the formats at 2..top. */
static void aux_lines(ml_State *L, int toclose) {
  int n = ml_gettop(L) - 1;
  mlL_argcheck(L, n <= MAXARGLINE, MAXARGLINE + 2, "too many arguments");
  ml_pushvalue(L, 1);
  ml_pushinteger(L, n);
  ml_pushboolean(L, toclose);
  ml_rotate(L, 2, 3); /* file, n, toclose go before the formats */
  ml_pushcclosure(L, io_readline, 3 + n);
}

static int f_lines(ml_State *L) {
  tofile(L);
  aux_lines(L, 0);
  return 1;
}

static int io_lines(ml_State *L) {
  int toclose;
  if (ml_isnone(L, 1)) ml_pushnil(L);
  if (ml_isnil(L, 1)) { /* the default input, left open at the end */
    ml_getfield(L, ML_REGISTRYINDEX, IO_INPUT);
    ml_replace(L, 1);
    tofile(L);
    toclose = 0;
  } else {
    const char *filename = mlL_checkstring(L, 1);
    opencheckfile(L, filename, "r");
    ml_replace(L, 1);
    toclose = 1;
  }
  aux_lines(L, toclose);
  if (toclose) {
    /* generic-for state, control value, and the file as the to-be-closed
    ** value, as lua5.4 returns them */
    ml_pushnil(L);
    ml_pushnil(L);
    ml_pushvalue(L, 1);
    return 4;
  }
  return 1;
}

/* Reading a numeral: accept the longest prefix that can start a Lua numeral
** (at most MAXLENNUM characters), then let the core convert it. */
typedef struct RN {
  FILE *f;
  int c; /* look-ahead character */
  int n; /* characters in buff */
  char buff[MAXLENNUM + 1];
} RN;

static int nextc(RN *rn) {
  if (rn->n >= MAXLENNUM) { /* too long: make the conversion fail */
    rn->buff[0] = '\0';
    return 0;
  }
  rn->buff[rn->n++] = (char)rn->c;
  rn->c = getc(rn->f);
  return 1;
}

/* Accepts the look-ahead if it is one of the two characters in set. */
static int test2(RN *rn, const char *set) {
  if (rn->c == set[0] || rn->c == set[1]) return nextc(rn);
  return 0;
}

static int readdigits(RN *rn, int hex) {
  int count = 0;
  while ((hex ? isxdigit(rn->c) : isdigit(rn->c)) && nextc(rn)) count++;
  return count;
}

static int read_number(ml_State *L, FILE *f) {
  RN rn;
  int count = 0;
  int hex = 0;
  rn.f = f;
  rn.n = 0;
  do {
    rn.c = getc(rn.f);
  } while (isspace(rn.c));
  test2(&rn, "-+");
  if (test2(&rn, "00")) {
    if (test2(&rn, "xX"))
      hex = 1;
    else
      count = 1; /* the '0' is a digit */
  }
  count += readdigits(&rn, hex);
  if (test2(&rn, ".."))
    count += readdigits(&rn, hex);
  if (count > 0 && test2(&rn, (hex ? "pP" : "eE"))) {
    test2(&rn, "-+");
    readdigits(&rn, 0);
  }
  ungetc(rn.c, rn.f);
  rn.buff[rn.n] = '\0';
  if (ml_stringtonumber(L, rn.buff)) return 1;
  ml_pushnil(L); /* a "result" for g_read to remove */
  return 0;
}

static int test_eof(ml_State *L, FILE *f) {
  int c = getc(f);
  ungetc(c, f);
  ml_pushliteral(L, "");
  return c != EOF;
}

/* Reads a line; chop drops the '\n'. Succeeds unless at end of file. */
static int read_line(ml_State *L, FILE *f, int chop) {
  mlL_Buffer b;
  int c = EOF;
  mlL_buffinit(L, &b);
  do {
    char *buff = mlL_prepbuffer(&b);
    int i = 0;
    while (i < MLL_BUFFERSIZE && (c = getc(f)) != EOF && c != '\n') buff[i++] = (char)c;
    mlL_addsize(&b, (size_t)i);
  } while (c != EOF && c != '\n');
  if (!chop && c == '\n') mlL_addchar(&b, (char)c);
  mlL_pushresult(&b);
  return (c == '\n' || ml_rawlen(L, -1) > 0);
}

static void read_all(ml_State *L, FILE *f) {
  size_t nr;
  mlL_Buffer b;
  mlL_buffinit(L, &b);
  do {
    char *p = mlL_prepbuffer(&b);
    nr = fread(p, sizeof(char), MLL_BUFFERSIZE, f);
    mlL_addsize(&b, nr);
  } while (nr == MLL_BUFFERSIZE);
  mlL_pushresult(&b);
}

static int read_chars(ml_State *L, FILE *f, size_t n) {
  mlL_Buffer b;
  mlL_buffinit(L, &b);
  char *p = mlL_prepbuffsize(&b, n);
  size_t nr = fread(p, sizeof(char), n, f);
  mlL_addsize(&b, nr);
  mlL_pushresult(&b);
  return nr > 0;
}

/* Reads the formats at first..top-1 (the file or a copy of it is at the
** top, below nothing: one value above the formats). Returns the number of
** results; a failed read gives nil in its place and stops. */
static int g_read(ml_State *L, FILE *f, int first) {
  int nargs = ml_gettop(L) - 1;
  int n, success;
  clearerr(f);
  errno = 0;
  if (nargs == 0) { /* no formats: one line */
    success = read_line(L, f, 1);
    n = first + 1;
  } else {
    mlL_checkstack(L, nargs + ML_MINSTACK, "too many arguments");
    success = 1;
    for (n = first; nargs-- && success; n++) {
      if (ml_type(L, n) == ML_TNUMBER) {
        size_t l = (size_t)mlL_checkinteger(L, n);
        success = (l == 0) ? test_eof(L, f) : read_chars(L, f, l);
      } else {
        const char *p = mlL_checkstring(L, n);
        if (*p == '*') p++; /* Lua 5.1-5.3 spelling: "*l" */
        switch (*p) {
          case 'n':
            success = read_number(L, f);
            break;
          case 'l':
            success = read_line(L, f, 1);
            break;
          case 'L':
            success = read_line(L, f, 0);
            break;
          case 'a':
            read_all(L, f);
            success = 1; /* always succeeds, "" at end of file */
            break;
          default:
            return mlL_argerror(L, n, "invalid format");
        }
      }
    }
  }
  if (ferror(f)) return mlL_fileresult(L, 0, NULL);
  if (!success) {
    ml_pop(L, 1);
    ml_pushnil(L);
  }
  return n - first;
}

static int io_read(ml_State *L) {
  return g_read(L, getiofile(L, IO_INPUT), 1);
}

static int f_read(ml_State *L) {
  return g_read(L, tofile(L), 2);
}

/* ---- writing ---- */

/* Writes the values at arg..top-1; the file is on the top and is the
** result. Numbers are written as lua5.4's io.write does: integers with
** "%lld", floats with "%.14g". */
static int g_write(ml_State *L, FILE *f, int arg) {
  int nargs = ml_gettop(L) - arg;
  int status = 1;
  errno = 0;
  for (; nargs--; arg++) {
    if (ml_type(L, arg) == ML_TNUMBER) {
      int len = ml_isinteger(L, arg)
                    ? fprintf(f, "%lld", (long long)ml_tointeger(L, arg))
                    : fprintf(f, "%.14g", (double)ml_tonumber(L, arg));
      status = status && (len > 0);
    } else {
      size_t l;
      const char *s = mlL_checklstring(L, arg, &l);
      status = status && (fwrite(s, sizeof(char), l, f) == l);
    }
  }
  if (status) return 1;
  return mlL_fileresult(L, status, NULL);
}

static int io_write(ml_State *L) {
  return g_write(L, getiofile(L, IO_OUTPUT), 1);
}

static int f_write(ml_State *L) {
  FILE *f = tofile(L);
  ml_pushvalue(L, 1); /* the result */
  return g_write(L, f, 2);
}

/* ---- positioning and buffering ---- */

static int f_seek(ml_State *L) {
  static const int mode[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  static const char *const modenames[] = {"set", "cur", "end", NULL};
  FILE *f = tofile(L);
  int op = mlL_checkoption(L, 2, "cur", modenames);
  ml_Integer p3 = mlL_optinteger(L, 3, 0);
  long offset = (long)p3;
  mlL_argcheck(L, (ml_Integer)offset == p3, 3, "not an integer in proper range");
  errno = 0;
  if (fseek(f, offset, mode[op]) != 0) return mlL_fileresult(L, 0, NULL);
  ml_pushinteger(L, (ml_Integer)ftell(f));
  return 1;
}

static int f_setvbuf(ml_State *L) {
  static const int mode[] = {_IONBF, _IOFBF, _IOLBF};
  static const char *const modenames[] = {"no", "full", "line", NULL};
  FILE *f = tofile(L);
  int op = mlL_checkoption(L, 2, NULL, modenames);
  ml_Integer sz = mlL_optinteger(L, 3, MLL_BUFFERSIZE);
  errno = 0;
  int res = setvbuf(f, NULL, mode[op], (size_t)sz);
  return mlL_fileresult(L, res == 0, NULL);
}

static int io_flush(ml_State *L) {
  FILE *f = getiofile(L, IO_OUTPUT);
  errno = 0;
  return mlL_fileresult(L, fflush(f) == 0, NULL);
}

static int f_flush(ml_State *L) {
  FILE *f = tofile(L);
  errno = 0;
  return mlL_fileresult(L, fflush(f) == 0, NULL);
}

/* ---- registration ---- */

static const mlL_Reg iolib[] = {
  {"close", io_close},
  {"flush", io_flush},
  {"input", io_input},
  {"lines", io_lines},
  {"open", io_open},
  {"output", io_output},
  {"popen", io_popen},
  {"read", io_read},
  {"tmpfile", io_tmpfile},
  {"type", io_type},
  {"write", io_write},
  {NULL, NULL}
};

static const mlL_Reg meth[] = {
  {"read", f_read},
  {"write", f_write},
  {"lines", f_lines},
  {"flush", f_flush},
  {"seek", f_seek},
  {"close", f_close},
  {"setvbuf", f_setvbuf},
  {NULL, NULL}
};

/* __gc and __close are set as in lua5.4, although minilua's collector does
** not call __gc (see the header comment). __index is the method table. */
static const mlL_Reg metameth[] = {
  {"__gc", f_gc},
  {"__close", f_gc},
  {"__tostring", f_tostring},
  {NULL, NULL}
};

static void createmeta(ml_State *L) {
  mlL_newmetatable(L, FILEHANDLE); /* also sets __name = "FILE*" */
  mlL_setfuncs(L, metameth, 0);
  mlL_newlibtable(L, meth);
  mlL_setfuncs(L, meth, 0);
  ml_setfield(L, -2, "__index");
  ml_pop(L, 1);
}

/* Creates io.stdin/stdout/stderr; k (when not NULL) makes it a default. */
static void createstdfile(ml_State *L, FILE *f, const char *k, const char *fname) {
  IOStream *p = newprefile(L);
  p->f = f;
  p->closef = &io_noclose;
  if (k != NULL) {
    ml_pushvalue(L, -1);
    ml_setfield(L, ML_REGISTRYINDEX, k);
  }
  ml_setfield(L, -2, fname);
}

int mlopen_io(ml_State *L) {
  mlL_newlib(L, iolib);
  createmeta(L);
  createstdfile(L, stdin, IO_INPUT, "stdin");
  createstdfile(L, stdout, IO_OUTPUT, "stdout");
  createstdfile(L, stderr, NULL, "stderr");
  return 1;
}
