/*
** mldblib.c — a small `debug` library: traceback (in lua5.4's format) and
** getinfo (source, short_src, currentline, linedefined, lastlinedefined,
** what, name, namewhat, nups, nparams, isvararg, func). Hooks, locals and
** the other debug functions are not provided.
*/
#include <string.h>

#include "mlcore.h"

/* The frame 'level' levels below the running one (0 = running), or NULL. */
static CallInfo *getlevel(ml_State *L, int level) {
  CallInfo *ci = L->ci;
  for (; level > 0 && ci != &L->base_ci; level--) ci = ci->previous;
  return (level == 0 && ci != &L->base_ci) ? ci : NULL;
}

static void pushshortsrc(ml_State *L, const TValue *f) {
  char buff[ML_IDSIZE];
  if (ttisLclosure(f)) {
    TString *src = clLvalue(f)->p->source;
    mlO_chunkid(buff, getstr(src), tsslen(src));
    ml_pushstring(L, buff);
  } else {
    ml_pushliteral(L, "[C]");
  }
}

int mlL_pushglobalfuncname(ml_State *L, int funcidx); /* mlauxlib.c */

/* Name of a C function found in the loaded modules ("string.rep", "print"). */
static int pushglobalname(ml_State *L, const TValue *f) {
  setobj(L->top, f);
  api_incr_top(L);
  if (mlL_pushglobalfuncname(L, -1)) {
    ml_remove(L, -2); /* the function; its name stays on top */
    return 1;
  }
  ml_pop(L, 1);
  return 0;
}

void mlU_traceback(ml_State *L, ml_State *L1, const char *msg, int level);

static int db_traceback(ml_State *L) {
  ml_State *L1 = L;
  int arg = 0;
  if (ml_type(L, 1) == ML_TTHREAD) {
    L1 = thvalue(ml_index2value(L, 1));
    arg = 1;
  }
  const char *msg = ml_tostring(L, arg + 1);
  if (msg == NULL && !ml_isnoneornil(L, arg + 1)) { /* non-string message: returned as is */
    ml_pushvalue(L, arg + 1);
    return 1;
  }
  int level = (int)mlL_optinteger(L, arg + 2, (L == L1) ? 1 : 0);
  mlU_traceback(L, L1, msg, level);
  return 1;
}

/* Pushes msg (if any) followed by the traceback of L1 from 'level' on. */
void mlU_traceback(ml_State *L, ml_State *L1, const char *msg, int level) {
  mlL_Buffer b;
  mlL_buffinit(L, &b);
  if (msg) {
    mlL_addstring(&b, msg);
    mlL_addchar(&b, '\n');
  }
  mlL_addstring(&b, "stack traceback:");
  int nlevels = 0;
  for (CallInfo *ci = getlevel(L1, level); ci != NULL && ci != &L1->base_ci; ci = ci->previous) nlevels++;
  int total = nlevels + (L1 == L); /* the final "[C]: in ?" counts as a level */
  int skip = total > 22 ? total - 21 : 0; /* like lua5.4: first 10 and last 11 levels */
  int idx = 0;
  for (CallInfo *ci = getlevel(L1, level); ci != NULL && ci != &L1->base_ci; ci = ci->previous, idx++) {
    if (skip > 0 && idx >= 10 && idx < 10 + skip) {
      if (idx == 10) {
        ml_pushfstring(L, "\n\t...\t(skipping %d levels)", skip - 1); /* lua5.4 reports one less */
        mlL_addvalue(&b);
      }
      continue;
    }
    const TValue *f = ci->func;
    mlL_addstring(&b, "\n\t");
    pushshortsrc(L, f);
    mlL_addvalue(&b);
    if (isLua(ci)) {
      ml_pushfstring(L, ":%d:", mlG_currentline(ci));
      mlL_addvalue(&b);
    } else {
      mlL_addchar(&b, ':');
    }
    const char *name;
    const char *namewhat = mlG_funcname(L1, ci, &name);
    if (isLua(ci) && clLvalue(f)->p->linedefined == 0) {
      mlL_addstring(&b, " in main chunk");
    } else if (!isLua(ci) && pushglobalname(L, f)) {
      ml_pushfstring(L, " in function '%s'", ml_tostring(L, -1));
      ml_remove(L, -2);
      mlL_addvalue(&b);
    } else if (namewhat != NULL && name != NULL) {
      if (strcmp(namewhat, "global") == 0) ml_pushfstring(L, " in function '%s'", name);
      else ml_pushfstring(L, " in %s '%s'", namewhat, name);
      mlL_addvalue(&b);
    } else if (isLua(ci)) {
      TString *src = clLvalue(f)->p->source;
      char buff[ML_IDSIZE];
      mlO_chunkid(buff, getstr(src), tsslen(src));
      ml_pushfstring(L, " in function <%s:%d>", buff, clLvalue(f)->p->linedefined);
      mlL_addvalue(&b);
    } else {
      mlL_addstring(&b, " in ?");
    }
  }
  if (L1 == L) mlL_addstring(&b, "\n\t[C]: in ?");
  mlL_pushresult(&b);
}

static void setfieldint(ml_State *L, const char *k, ml_Integer v) {
  ml_pushinteger(L, v);
  ml_setfield(L, -2, k);
}

static void setfieldstr(ml_State *L, const char *k, const char *v) {
  ml_pushstring(L, v);
  ml_setfield(L, -2, k);
}

static int db_getinfo(ml_State *L) {
  CallInfo *ci = NULL;
  TValue fv;
  if (ml_type(L, 1) == ML_TNUMBER) {
    ci = getlevel(L, (int)ml_tointeger(L, 1));
    if (ci == NULL) {
      ml_pushnil(L);
      return 1;
    }
    setobj(&fv, ci->func);
  } else {
    mlL_checktype(L, 1, ML_TFUNCTION);
    setobj(&fv, ml_index2value(L, 1));
  }
  const char *opts = mlL_optstring(L, 2, "flnSrtu");
  ml_createtable(L, 0, 12);
  int islua = ttisLclosure(&fv);
  Proto *p = islua ? clLvalue(&fv)->p : NULL;
  if (!strchr(opts, 'S')) {
    /* no source fields */
  } else if (p) {
    setfieldstr(L, "source", getstr(p->source));
    setfieldint(L, "linedefined", p->linedefined);
    setfieldint(L, "lastlinedefined", p->lastlinedefined);
    setfieldstr(L, "what", p->linedefined == 0 ? "main" : "Lua");
  } else {
    setfieldstr(L, "source", "=[C]");
    setfieldint(L, "linedefined", -1);
    setfieldint(L, "lastlinedefined", -1);
    setfieldstr(L, "what", "C");
  }
  if (strchr(opts, 'S')) {
    pushshortsrc(L, &fv);
    ml_setfield(L, -2, "short_src");
  }
  if (strchr(opts, 'l')) setfieldint(L, "currentline", (ci && isLua(ci)) ? mlG_currentline(ci) : -1);
  if (strchr(opts, 'u')) {
    setfieldint(L, "nups", ttisLclosure(&fv) ? clLvalue(&fv)->nupvalues
                            : ttisCclosure(&fv) ? clCvalue(&fv)->nupvalues : 0);
    setfieldint(L, "nparams", p ? p->numparams : 0);
    ml_pushboolean(L, p ? p->is_vararg : 1);
    ml_setfield(L, -2, "isvararg");
  }
  if (strchr(opts, 'n')) {
    const char *name = NULL;
    const char *namewhat = ci ? mlG_funcname(L, ci, &name) : NULL;
    if (namewhat && name) {
      setfieldstr(L, "name", name);
      setfieldstr(L, "namewhat", namewhat);
    } else {
      setfieldstr(L, "namewhat", "");
    }
  }
  if (strchr(opts, 'f')) {
    setobj(L->top, &fv);
    api_incr_top(L);
    ml_setfield(L, -2, "func");
  }
  return 1;
}

static const mlL_Reg db_funcs[] = {
  {"traceback", db_traceback}, {"getinfo", db_getinfo}, {NULL, NULL}
};

int mlopen_debug(ml_State *L);
int mlopen_debug(ml_State *L) {
  mlL_newlib(L, db_funcs);
  return 1;
}
