/*
** mlapi.h — minilua's C API for library code.
**
** It is a subset of Lua 5.4's C API with the same semantics, spelled ml_ /
** mlL_ instead of lua_ / luaL_ (ML_ / MLL_ for macros and constants). The
** standard libraries (lstrlib.c, ltablib.c, lmathlib.c, loslib.c, liolib.c)
** are written only against this header; the core (VM, objects, GC, base
** library) implements it. Where this file is silent, Lua 5.4's reference
** manual (section 4 and 5) is the specification.
*/
#ifndef MLAPI_H
#define MLAPI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ml_State ml_State;
typedef int64_t ml_Integer;
typedef uint64_t ml_Unsigned;
typedef double ml_Number;
typedef int (*ml_CFunction)(ml_State *L);

#define ML_MAXINTEGER INT64_MAX
#define ML_MININTEGER INT64_MIN

/* basic types (same numbering as Lua) */
#define ML_TNONE (-1)
#define ML_TNIL 0
#define ML_TBOOLEAN 1
#define ML_TLIGHTUSERDATA 2
#define ML_TNUMBER 3
#define ML_TSTRING 4
#define ML_TTABLE 5
#define ML_TFUNCTION 6
#define ML_TUSERDATA 7
#define ML_TTHREAD 8

#define ML_MULTRET (-1)
#define ML_OK 0
#define ML_ERRRUN 2
#define ML_ERRSYNTAX 3
#define ML_ERRMEM 4
#define ML_ERRERR 5
#define ML_ERRFILE 6

/* pseudo-indices */
#define ML_REGISTRYINDEX (-1000000 - 1000)
#define ml_upvalueindex(i) (ML_REGISTRYINDEX - (i))

/* comparison operators for ml_compare */
#define ML_OPEQ 0
#define ML_OPLT 1
#define ML_OPLE 2

#define ML_MINSTACK 20

/* ---- stack ---- */
int ml_absindex(ml_State *L, int idx);
int ml_gettop(ml_State *L);
void ml_settop(ml_State *L, int idx);
void ml_pushvalue(ml_State *L, int idx);
void ml_rotate(ml_State *L, int idx, int n);
void ml_copy(ml_State *L, int fromidx, int toidx);
int ml_checkstack(ml_State *L, int n);
#define ml_pop(L, n) ml_settop(L, -(n)-1)
#define ml_insert(L, idx) ml_rotate(L, (idx), 1)
#define ml_remove(L, idx) (ml_rotate(L, (idx), -1), ml_pop(L, 1))
#define ml_replace(L, idx) (ml_copy(L, -1, (idx)), ml_pop(L, 1))

/* ---- access ---- */
int ml_isnumber(ml_State *L, int idx);
int ml_isstring(ml_State *L, int idx);
int ml_iscfunction(ml_State *L, int idx);
int ml_isinteger(ml_State *L, int idx);
int ml_isuserdata(ml_State *L, int idx);
int ml_type(ml_State *L, int idx);
const char *ml_typename(ml_State *L, int tp);
ml_Number ml_tonumberx(ml_State *L, int idx, int *isnum);
ml_Integer ml_tointegerx(ml_State *L, int idx, int *isnum);
int ml_toboolean(ml_State *L, int idx);
const char *ml_tolstring(ml_State *L, int idx, size_t *len); /* converts numbers in place, like Lua */
ml_Unsigned ml_rawlen(ml_State *L, int idx);
void *ml_touserdata(ml_State *L, int idx);
const void *ml_topointer(ml_State *L, int idx);
#define ml_tonumber(L, i) ml_tonumberx(L, (i), NULL)
#define ml_tointeger(L, i) ml_tointegerx(L, (i), NULL)
#define ml_tostring(L, i) ml_tolstring(L, (i), NULL)
#define ml_isfunction(L, n) (ml_type(L, (n)) == ML_TFUNCTION)
#define ml_istable(L, n) (ml_type(L, (n)) == ML_TTABLE)
#define ml_isnil(L, n) (ml_type(L, (n)) == ML_TNIL)
#define ml_isboolean(L, n) (ml_type(L, (n)) == ML_TBOOLEAN)
#define ml_isnone(L, n) (ml_type(L, (n)) == ML_TNONE)
#define ml_isnoneornil(L, n) (ml_type(L, (n)) <= 0)

/* ---- comparison and arithmetic ---- */
int ml_rawequal(ml_State *L, int idx1, int idx2);
int ml_compare(ml_State *L, int idx1, int idx2, int op); /* may call metamethods */
void ml_len(ml_State *L, int idx);                       /* pushes #v, may call __len */
void ml_concat(ml_State *L, int n);                      /* may call __concat */
size_t ml_stringtonumber(ml_State *L, const char *s);   /* pushes the number; returns strlen+1 or 0 */

/* ---- push ---- */
void ml_pushnil(ml_State *L);
void ml_pushnumber(ml_State *L, ml_Number n);
void ml_pushinteger(ml_State *L, ml_Integer n);
const char *ml_pushlstring(ml_State *L, const char *s, size_t len);
const char *ml_pushstring(ml_State *L, const char *s); /* NULL pushes nil */
/* formats: %% %s %d (int) %I (ml_Integer) %f (ml_Number, as Lua prints it) %p %c %U */
const char *ml_pushvfstring(ml_State *L, const char *fmt, va_list argp);
const char *ml_pushfstring(ml_State *L, const char *fmt, ...);
void ml_pushcclosure(ml_State *L, ml_CFunction fn, int n);
void ml_pushboolean(ml_State *L, int b);
void ml_pushlightuserdata(ml_State *L, void *p);
#define ml_pushcfunction(L, f) ml_pushcclosure(L, (f), 0)
#define ml_pushliteral(L, s) ml_pushstring(L, "" s)

/* ---- get (may call metamethods unless raw) ---- */
int ml_getglobal(ml_State *L, const char *name);
int ml_gettable(ml_State *L, int idx);
int ml_getfield(ml_State *L, int idx, const char *k);
int ml_geti(ml_State *L, int idx, ml_Integer n);
int ml_rawget(ml_State *L, int idx);
int ml_rawgeti(ml_State *L, int idx, ml_Integer n);
void ml_createtable(ml_State *L, int narr, int nrec);
void *ml_newuserdatauv(ml_State *L, size_t sz, int nuvalue); /* nuvalue may be ignored (0) */
int ml_getmetatable(ml_State *L, int objindex);
#define ml_newtable(L) ml_createtable(L, 0, 0)
#define ml_newuserdata(L, s) ml_newuserdatauv(L, s, 0)

/* ---- set ---- */
void ml_setglobal(ml_State *L, const char *name);
void ml_settable(ml_State *L, int idx);
void ml_setfield(ml_State *L, int idx, const char *k);
void ml_seti(ml_State *L, int idx, ml_Integer n);
void ml_rawset(ml_State *L, int idx);
void ml_rawseti(ml_State *L, int idx, ml_Integer n);
int ml_setmetatable(ml_State *L, int objindex);

/* ---- calls and errors ---- */
void ml_callk(ml_State *L, int nargs, int nresults); /* plain call */
int ml_pcall(ml_State *L, int nargs, int nresults, int errfunc);
#define ml_call(L, n, r) ml_callk(L, (n), (r))
int ml_error(ml_State *L); /* raises the value on top; never returns */
int ml_next(ml_State *L, int idx);

/* ---- auxiliary library (semantics of luaL_*) ---- */
typedef struct mlL_Reg {
  const char *name;
  ml_CFunction func;
} mlL_Reg;

int mlL_error(ml_State *L, const char *fmt, ...);   /* adds "chunk:line:" of the calling Lua code */
int mlL_argerror(ml_State *L, int arg, const char *extramsg); /* "bad argument #arg to 'fname' (extramsg)" */
int mlL_typeerror(ml_State *L, int arg, const char *tname);
void mlL_checktype(ml_State *L, int arg, int t);
void mlL_checkany(ml_State *L, int arg);
ml_Integer mlL_checkinteger(ml_State *L, int arg);
ml_Integer mlL_optinteger(ml_State *L, int arg, ml_Integer def);
ml_Number mlL_checknumber(ml_State *L, int arg);
ml_Number mlL_optnumber(ml_State *L, int arg, ml_Number def);
const char *mlL_checklstring(ml_State *L, int arg, size_t *l);
const char *mlL_optlstring(ml_State *L, int arg, const char *def, size_t *l);
int mlL_checkoption(ml_State *L, int arg, const char *def, const char *const lst[]);
void mlL_checkstack(ml_State *L, int sz, const char *msg);
int mlL_getmetafield(ml_State *L, int obj, const char *e); /* pushes field, returns its type, or ML_TNIL and pushes nothing */
int mlL_callmeta(ml_State *L, int obj, const char *e);
const char *mlL_tolstring(ml_State *L, int idx, size_t *len); /* tostring() semantics, pushes the result */
ml_Integer mlL_len(ml_State *L, int idx);
int mlL_newmetatable(ml_State *L, const char *tname); /* in the registry; sets __name */
void mlL_setmetatable(ml_State *L, const char *tname);
void *mlL_testudata(ml_State *L, int ud, const char *tname);
void *mlL_checkudata(ml_State *L, int ud, const char *tname);
void mlL_where(ml_State *L, int lvl); /* pushes "chunk:line: " of level lvl, or "" */
void mlL_setfuncs(ml_State *L, const mlL_Reg *l, int nup);
int mlL_fileresult(ml_State *L, int stat, const char *fname); /* io-style nil, msg, errno */
int mlL_execresult(ml_State *L, int stat);
#define mlL_checkstring(L, n) (mlL_checklstring(L, (n), NULL))
#define mlL_optstring(L, n, d) (mlL_optlstring(L, (n), (d), NULL))
#define mlL_typename(L, i) ml_typename(L, ml_type(L, (i)))
#define mlL_argcheck(L, cond, arg, extramsg) ((void)((cond) || mlL_argerror(L, (arg), (extramsg))))
#define mlL_argexpected(L, cond, arg, tname) ((void)((cond) || mlL_typeerror(L, (arg), (tname))))
#define mlL_opt(L, f, n, d) (ml_isnoneornil(L, (n)) ? (d) : f(L, (n)))
#define mlL_newlibtable(L, l) ml_createtable(L, 0, sizeof(l) / sizeof((l)[0]) - 1)
#define mlL_newlib(L, l) (mlL_newlibtable(L, l), mlL_setfuncs(L, l, 0))
#define mlL_getmetatable(L, n) (ml_getfield(L, ML_REGISTRYINDEX, (n)))

/* String buffers, used with Lua's stack discipline: between buffinit and
** pushresult the buffer may occupy one stack slot above what the user pushed,
** and the user must keep the stack balanced around each buffer call (as in
** Lua's luaL_Buffer). */
#define MLL_BUFFERSIZE 1024
typedef struct mlL_Buffer {
  char *b;    /* buffer address */
  size_t size; /* buffer size */
  size_t n;   /* number of characters in buffer */
  ml_State *L;
  union {
    double n_;
    void *p_;
    char b[MLL_BUFFERSIZE]; /* initial buffer */
  } init;
} mlL_Buffer;
void mlL_buffinit(ml_State *L, mlL_Buffer *B);
char *mlL_prepbuffsize(mlL_Buffer *B, size_t sz);
void mlL_addlstring(mlL_Buffer *B, const char *s, size_t l);
void mlL_addstring(mlL_Buffer *B, const char *s);
void mlL_addvalue(mlL_Buffer *B); /* adds the string/number on top of the stack and pops it */
void mlL_pushresult(mlL_Buffer *B);
void mlL_pushresultsize(mlL_Buffer *B, size_t sz);
char *mlL_buffinitsize(ml_State *L, mlL_Buffer *B, size_t sz);
#define mlL_prepbuffer(B) mlL_prepbuffsize(B, MLL_BUFFERSIZE)
#define mlL_addchar(B, c) \
  ((void)((B)->n < (B)->size || mlL_prepbuffsize((B), 1)), ((B)->b[(B)->n++] = (c)))
#define mlL_addsize(B, s) ((B)->n += (s))
#define mlL_buffsub(B, s) ((B)->n -= (s))

/* Opening the libraries. The core implements ml_openbase; each library file
** implements its own opener, which returns 1 with the library table pushed.
** The core's mlL_openlibs calls them all and sets the globals (string, table,
** math, os, io) and the string metatable (__index = string). */
int mlopen_base(ml_State *L);
int mlopen_string(ml_State *L);
int mlopen_table(ml_State *L);
int mlopen_math(ml_State *L);
int mlopen_os(ml_State *L);
int mlopen_io(ml_State *L);
void mlL_openlibs(ml_State *L);

/* io.lines/io.read and os.exit need these from the core: */
/* Closes the state and exits the process with status (os.exit). */
void ml_exitprocess(ml_State *L, int status);

#endif
