/*
** mlauxlib.c — the auxiliary library (mlL_* in mlapi.h): argument checking
** with Lua-style "bad argument" messages, errors with positions, metatables
** in the registry, tostring semantics and string buffers. Written only
** against the public API, except where it needs the caller's name.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mlcore.h"

/* ---------------- errors ---------------- */

void mlL_where(ml_State *L, int level) {
  CallInfo *ci = L->ci;
  for (; level > 0 && ci != &L->base_ci; level--) ci = ci->previous;
  if (level == 0 && ci != &L->base_ci && isLua(ci)) {
    int line = mlG_currentline(ci);
    char buff[ML_IDSIZE];
    TString *src = ci_func(ci)->p->source;
    mlO_chunkid(buff, getstr(src), tsslen(src));
    ml_pushfstring(L, "%s:%d: ", buff, line);
    return;
  }
  ml_pushfstring(L, "");
}

int mlL_error(ml_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  mlL_where(L, 1);
  ml_pushvfstring(L, fmt, argp);
  va_end(argp);
  ml_concat(L, 2);
  return ml_error(L);
}

/* Finds "mod.name" for a function stored in a loaded module (package.loaded).
** Also used by debug.traceback (mldblib.c). */
int mlL_pushglobalfuncname(ml_State *L, int funcidx) {
  funcidx = ml_absindex(L, funcidx);
  if (ml_getfield(L, ML_REGISTRYINDEX, "_LOADED") != ML_TTABLE) {
    ml_pop(L, 1);
    return 0;
  }
  int loaded = ml_gettop(L);
  ml_pushnil(L);
  while (ml_next(L, loaded)) {
    if (ml_type(L, -1) == ML_TTABLE && ml_type(L, -2) == ML_TSTRING) {
      int mod = ml_gettop(L);
      ml_pushnil(L);
      while (ml_next(L, mod)) {
        if (ml_type(L, -2) == ML_TSTRING && ml_rawequal(L, -1, funcidx)) {
          const char *modname = ml_tostring(L, mod - 1);
          const char *fname = ml_tostring(L, -2);
          if (strcmp(modname, "_G") == 0) ml_pushstring(L, fname);
          else ml_pushfstring(L, "%s.%s", modname, fname);
          ml_replace(L, loaded);
          ml_settop(L, loaded);
          return 1;
        }
        ml_pop(L, 1);
      }
    }
    ml_pop(L, 1);
  }
  ml_pop(L, 1);
  return 0;
}

int mlL_argerror(ml_State *L, int arg, const char *extramsg) {
  const char *name;
  const char *namewhat = mlG_funcname(L, L->ci, &name);
  if (namewhat && strcmp(namewhat, "method") == 0) {
    arg--; /* do not count 'self' */
    if (arg == 0) return mlL_error(L, "calling '%s' on bad self (%s)", name, extramsg);
  }
  if (namewhat == NULL || name == NULL) {
    TValue *f = L->ci->func; /* the running function itself */
    setobj(L->top, f);
    api_incr_top(L);
    name = mlL_pushglobalfuncname(L, -1) ? ml_tostring(L, -1) : "?";
  }
  return mlL_error(L, "bad argument #%d to '%s' (%s)", arg, name, extramsg);
}

int mlL_typeerror(ml_State *L, int arg, const char *tname) {
  const char *typearg;
  if (mlL_getmetafield(L, arg, "__name") == ML_TSTRING) typearg = ml_tostring(L, -1);
  else if (ml_type(L, arg) == ML_TLIGHTUSERDATA) typearg = "light userdata";
  else typearg = mlL_typename(L, arg);
  const char *msg = ml_pushfstring(L, "%s expected, got %s", tname, typearg);
  return mlL_argerror(L, arg, msg);
}

static void tag_error(ml_State *L, int arg, int tag) {
  mlL_typeerror(L, arg, ml_typename(L, tag));
}

void mlL_checktype(ml_State *L, int arg, int t) {
  if (ml_type(L, arg) != t) tag_error(L, arg, t);
}

void mlL_checkany(ml_State *L, int arg) {
  if (ml_type(L, arg) == ML_TNONE) mlL_argerror(L, arg, "value expected");
}

static void interror(ml_State *L, int arg) {
  if (ml_isnumber(L, arg)) mlL_argerror(L, arg, "number has no integer representation");
  else tag_error(L, arg, ML_TNUMBER);
}

ml_Integer mlL_checkinteger(ml_State *L, int arg) {
  int isnum;
  ml_Integer d = ml_tointegerx(L, arg, &isnum);
  if (!isnum) interror(L, arg);
  return d;
}

ml_Integer mlL_optinteger(ml_State *L, int arg, ml_Integer def) {
  return mlL_opt(L, mlL_checkinteger, arg, def);
}

ml_Number mlL_checknumber(ml_State *L, int arg) {
  int isnum;
  ml_Number d = ml_tonumberx(L, arg, &isnum);
  if (!isnum) tag_error(L, arg, ML_TNUMBER);
  return d;
}

ml_Number mlL_optnumber(ml_State *L, int arg, ml_Number def) {
  return mlL_opt(L, mlL_checknumber, arg, def);
}

const char *mlL_checklstring(ml_State *L, int arg, size_t *len) {
  const char *s = ml_tolstring(L, arg, len);
  if (!s) tag_error(L, arg, ML_TSTRING);
  return s;
}

const char *mlL_optlstring(ml_State *L, int arg, const char *def, size_t *len) {
  if (ml_isnoneornil(L, arg)) {
    if (len) *len = (def ? strlen(def) : 0);
    return def;
  }
  return mlL_checklstring(L, arg, len);
}

int mlL_checkoption(ml_State *L, int arg, const char *def, const char *const lst[]) {
  const char *name = (def) ? mlL_optstring(L, arg, def) : mlL_checkstring(L, arg);
  for (int i = 0; lst[i]; i++)
    if (strcmp(lst[i], name) == 0) return i;
  return mlL_argerror(L, arg, ml_pushfstring(L, "invalid option '%s'", name));
}

void mlL_checkstack(ml_State *L, int space, const char *msg) {
  if (!ml_checkstack(L, space)) {
    if (msg) mlL_error(L, "stack overflow (%s)", msg);
    else mlL_error(L, "stack overflow");
  }
}

/* ---------------- metatables ---------------- */

int mlL_getmetafield(ml_State *L, int obj, const char *event) {
  if (!ml_getmetatable(L, obj)) return ML_TNIL;
  ml_pushstring(L, event);
  int tt = ml_rawget(L, -2);
  if (tt == ML_TNIL) ml_pop(L, 2);
  else ml_remove(L, -2);
  return tt;
}

int mlL_callmeta(ml_State *L, int obj, const char *event) {
  obj = ml_absindex(L, obj);
  if (mlL_getmetafield(L, obj, event) == ML_TNIL) return 0;
  ml_pushvalue(L, obj);
  ml_call(L, 1, 1);
  return 1;
}

int mlL_newmetatable(ml_State *L, const char *tname) {
  if (mlL_getmetatable(L, tname) != ML_TNIL) return 0;
  ml_pop(L, 1);
  ml_createtable(L, 0, 2);
  ml_pushstring(L, tname);
  ml_setfield(L, -2, "__name");
  ml_pushvalue(L, -1);
  ml_setfield(L, ML_REGISTRYINDEX, tname);
  return 1;
}

void mlL_setmetatable(ml_State *L, const char *tname) {
  mlL_getmetatable(L, tname);
  ml_setmetatable(L, -2);
}

void *mlL_testudata(ml_State *L, int ud, const char *tname) {
  void *p = ml_touserdata(L, ud);
  if (p != NULL && ml_type(L, ud) == ML_TUSERDATA) {
    if (ml_getmetatable(L, ud)) {
      mlL_getmetatable(L, tname);
      if (!ml_rawequal(L, -1, -2)) p = NULL;
      ml_pop(L, 2);
      return p;
    }
  }
  return NULL;
}

void *mlL_checkudata(ml_State *L, int ud, const char *tname) {
  void *p = mlL_testudata(L, ud, tname);
  if (p == NULL) mlL_typeerror(L, ud, tname);
  return p;
}

const char *mlL_tolstring(ml_State *L, int idx, size_t *len) {
  idx = ml_absindex(L, idx);
  if (mlL_callmeta(L, idx, "__tostring")) {
    if (!ml_isstring(L, -1)) mlL_error(L, "'__tostring' must return a string");
  } else {
    switch (ml_type(L, idx)) {
      case ML_TNUMBER: {
        TValue *o = ml_index2value(L, idx);
        char buff[48];
        int l = mlO_tostringbuff(o, buff);
        ml_pushlstring(L, buff, (size_t)l);
        break;
      }
      case ML_TSTRING: ml_pushvalue(L, idx); break;
      case ML_TBOOLEAN: ml_pushstring(L, ml_toboolean(L, idx) ? "true" : "false"); break;
      case ML_TNIL: ml_pushliteral(L, "nil"); break;
      default: {
        int tt = mlL_getmetafield(L, idx, "__name");
        const char *kind = (tt == ML_TSTRING) ? ml_tostring(L, -1) : mlL_typename(L, idx);
        ml_pushfstring(L, "%s: %p", kind, ml_topointer(L, idx));
        if (tt != ML_TNIL) ml_remove(L, -2);
        break;
      }
    }
  }
  return ml_tolstring(L, -1, len);
}

ml_Integer mlL_len(ml_State *L, int idx) {
  int isnum;
  ml_len(L, idx);
  ml_Integer l = ml_tointegerx(L, -1, &isnum);
  if (!isnum) mlL_error(L, "object length is not an integer");
  ml_pop(L, 1);
  return l;
}

void mlL_setfuncs(ml_State *L, const mlL_Reg *l, int nup) {
  mlL_checkstack(L, nup, "too many upvalues");
  for (; l->name != NULL; l++) {
    if (l->func == NULL) {
      ml_pushboolean(L, 0);
    } else {
      for (int i = 0; i < nup; i++) ml_pushvalue(L, -nup);
      ml_pushcclosure(L, l->func, nup);
    }
    ml_setfield(L, -(nup + 2), l->name);
  }
  ml_pop(L, nup);
}

int mlL_fileresult(ml_State *L, int stat, const char *fname) {
  int en = errno;
  if (stat) {
    ml_pushboolean(L, 1);
    return 1;
  }
  ml_pushnil(L);
  if (fname) ml_pushfstring(L, "%s: %s", fname, strerror(en));
  else ml_pushstring(L, strerror(en));
  ml_pushinteger(L, en);
  return 3;
}

int mlL_execresult(ml_State *L, int stat) {
  if (stat != 0 && errno != 0) return mlL_fileresult(L, 0, NULL);
  const char *what = "exit";
  if (stat != -1) {
    if (WIFEXITED(stat)) stat = WEXITSTATUS(stat);
    else if (WIFSIGNALED(stat)) { stat = WTERMSIG(stat); what = "signal"; }
  }
  if (*what == 'e' && stat == 0) ml_pushboolean(L, 1);
  else ml_pushnil(L);
  ml_pushstring(L, what);
  ml_pushinteger(L, stat);
  return 3;
}

/* ---------------- buffers ----------------
** Like Lua's: buffinit pushes a placeholder; when the buffer outgrows the
** in-struct space its contents move to a userdata that replaces the
** placeholder, so the collector keeps it while it is in use. */

#define buffonstack(B) ((B)->b != (B)->init.b)

static char *prepbuffsize(mlL_Buffer *B, size_t sz, int boxidx) {
  if (B->size - B->n >= sz) return B->b + B->n;
  ml_State *L = B->L;
  size_t newsize = (B->size / 2) * 3;
  if (newsize < B->n + sz) newsize = B->n + sz;
  if (newsize < 64) newsize = 64;
  char *newbuff = (char *)ml_newuserdatauv(L, newsize, 0);
  memcpy(newbuff, B->b, B->n);
  ml_replace(L, boxidx < 0 ? boxidx - 1 : boxidx); /* new box replaces the old one / placeholder */
  B->b = newbuff;
  B->size = newsize;
  return newbuff + B->n;
}

char *mlL_prepbuffsize(mlL_Buffer *B, size_t sz) {
  return prepbuffsize(B, sz, -1);
}

void mlL_addlstring(mlL_Buffer *B, const char *s, size_t l) {
  if (l > 0) {
    char *b = prepbuffsize(B, l, -1);
    memcpy(b, s, l);
    mlL_addsize(B, l);
  }
}

void mlL_addstring(mlL_Buffer *B, const char *s) {
  mlL_addlstring(B, s, strlen(s));
}

void mlL_pushresult(mlL_Buffer *B) {
  ml_State *L = B->L;
  ml_pushlstring(L, B->b, B->n);
  ml_remove(L, -2); /* the box or placeholder */
}

void mlL_pushresultsize(mlL_Buffer *B, size_t sz) {
  mlL_addsize(B, sz);
  mlL_pushresult(B);
}

void mlL_addvalue(mlL_Buffer *B) {
  ml_State *L = B->L;
  size_t len;
  const char *s = ml_tolstring(L, -1, &len);
  char *b = prepbuffsize(B, len, -2);
  memcpy(b, s, len);
  mlL_addsize(B, len);
  ml_pop(L, 1);
}

void mlL_buffinit(ml_State *L, mlL_Buffer *B) {
  B->L = L;
  B->b = B->init.b;
  B->n = 0;
  B->size = MLL_BUFFERSIZE;
  ml_pushlightuserdata(L, (void *)B); /* placeholder */
}

char *mlL_buffinitsize(ml_State *L, mlL_Buffer *B, size_t sz) {
  mlL_buffinit(L, B);
  return prepbuffsize(B, sz, -1);
}
