/*
** mlbaselib.c — the base library (print, type, tostring, tonumber, pairs,
** ipairs, next, select, raw*, metatables, assert, error, pcall, xpcall,
** load, dofile, collectgarbage) and the package library's require of Lua
** files through package.path.
*/
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlcore.h"

static int luaB_print(ml_State *L) {
  int n = ml_gettop(L);
  for (int i = 1; i <= n; i++) {
    size_t l;
    const char *s = mlL_tolstring(L, i, &l);
    if (i > 1) fputc('\t', stdout);
    fwrite(s, 1, l, stdout);
    ml_pop(L, 1);
  }
  fputc('\n', stdout);
  fflush(stdout); /* like lua5.4: output interleaves with stderr as written */
  return 0;
}

static int luaB_type(ml_State *L) {
  int t = ml_type(L, 1);
  mlL_argcheck(L, t != ML_TNONE, 1, "value expected");
  ml_pushstring(L, ml_typename(L, t));
  return 1;
}

static int luaB_tostring(ml_State *L) {
  mlL_checkany(L, 1);
  mlL_tolstring(L, 1, NULL);
  return 1;
}

static const char *b_str2int(const char *s, int base, ml_Integer *pn) {
  ml_Unsigned n = 0;
  int neg = 0;
  s += strspn(s, " \f\n\r\t\v");
  if (*s == '-') { s++; neg = 1; }
  else if (*s == '+') s++;
  if (!isalnum((unsigned char)*s)) return NULL;
  do {
    int digit = isdigit((unsigned char)*s) ? *s - '0' : (toupper((unsigned char)*s) - 'A') + 10;
    if (digit >= base) return NULL;
    n = n * (ml_Unsigned)base + (ml_Unsigned)digit;
    s++;
  } while (isalnum((unsigned char)*s));
  s += strspn(s, " \f\n\r\t\v");
  *pn = (ml_Integer)(neg ? (0u - n) : n);
  return s;
}

static int luaB_tonumber(ml_State *L) {
  if (ml_isnoneornil(L, 2)) {
    if (ml_type(L, 1) == ML_TNUMBER) {
      ml_settop(L, 1);
      return 1;
    }
    size_t l;
    const char *s = ml_tolstring(L, 1, &l);
    if (s != NULL && ml_stringtonumber(L, s) == l + 1) return 1;
    mlL_checkany(L, 1);
  } else {
    size_t l;
    ml_Integer n = 0;
    ml_Integer base = mlL_checkinteger(L, 2);
    mlL_checktype(L, 1, ML_TSTRING);
    const char *s = ml_tolstring(L, 1, &l);
    mlL_argcheck(L, 2 <= base && base <= 36, 2, "base out of range");
    if (b_str2int(s, (int)base, &n) == s + l) {
      ml_pushinteger(L, n);
      return 1;
    }
  }
  ml_pushnil(L);
  return 1;
}

static int ipairsaux(ml_State *L) {
  ml_Integer i = mlL_checkinteger(L, 2);
  i = (ml_Integer)((ml_Unsigned)i + 1u);
  ml_pushinteger(L, i);
  return (ml_geti(L, 1, i) == ML_TNIL) ? 1 : 2;
}

static int luaB_ipairs(ml_State *L) {
  mlL_checkany(L, 1);
  ml_pushcfunction(L, ipairsaux);
  ml_pushvalue(L, 1);
  ml_pushinteger(L, 0);
  return 3;
}

static int luaB_next(ml_State *L) {
  mlL_checktype(L, 1, ML_TTABLE);
  ml_settop(L, 2);
  if (ml_next(L, 1)) return 2;
  ml_pushnil(L);
  return 1;
}

static int luaB_pairs(ml_State *L) {
  mlL_checkany(L, 1);
  if (mlL_getmetafield(L, 1, "__pairs") == ML_TNIL) {
    ml_pushcfunction(L, luaB_next);
    ml_pushvalue(L, 1);
    ml_pushnil(L);
  } else {
    ml_pushvalue(L, 1);
    ml_call(L, 1, 3);
  }
  return 3;
}

static int luaB_select(ml_State *L) {
  int n = ml_gettop(L);
  if (ml_type(L, 1) == ML_TSTRING && *ml_tostring(L, 1) == '#') {
    ml_pushinteger(L, n - 1);
    return 1;
  }
  ml_Integer i = mlL_checkinteger(L, 1);
  if (i < 0) i = n + i;
  else if (i > n) i = n;
  mlL_argcheck(L, 1 <= i, 1, "index out of range");
  return n - (int)i;
}

static int luaB_rawequal(ml_State *L) {
  mlL_checkany(L, 1);
  mlL_checkany(L, 2);
  ml_pushboolean(L, ml_rawequal(L, 1, 2));
  return 1;
}

static int luaB_rawlen(ml_State *L) {
  int t = ml_type(L, 1);
  mlL_argexpected(L, t == ML_TTABLE || t == ML_TSTRING, 1, "table or string");
  ml_pushinteger(L, (ml_Integer)ml_rawlen(L, 1));
  return 1;
}

static int luaB_rawget(ml_State *L) {
  mlL_checktype(L, 1, ML_TTABLE);
  mlL_checkany(L, 2);
  ml_settop(L, 2);
  ml_rawget(L, 1);
  return 1;
}

static int luaB_rawset(ml_State *L) {
  mlL_checktype(L, 1, ML_TTABLE);
  mlL_checkany(L, 2);
  mlL_checkany(L, 3);
  ml_settop(L, 3);
  ml_rawset(L, 1);
  return 1;
}

static int luaB_getmetatable(ml_State *L) {
  mlL_checkany(L, 1);
  if (!ml_getmetatable(L, 1)) {
    ml_pushnil(L);
    return 1;
  }
  mlL_getmetafield(L, 1, "__metatable");
  return 1;
}

static int luaB_setmetatable(ml_State *L) {
  int t = ml_type(L, 2);
  mlL_checktype(L, 1, ML_TTABLE);
  mlL_argexpected(L, t == ML_TNIL || t == ML_TTABLE, 2, "nil or table");
  if (mlL_getmetafield(L, 1, "__metatable") != ML_TNIL) return mlL_error(L, "cannot change a protected metatable");
  ml_settop(L, 2);
  ml_setmetatable(L, 1);
  return 1;
}

static int luaB_error(ml_State *L) {
  int level = (int)mlL_optinteger(L, 2, 1);
  ml_settop(L, 1);
  if (ml_type(L, 1) == ML_TSTRING && level > 0) {
    mlL_where(L, level);
    ml_pushvalue(L, 1);
    ml_concat(L, 2);
  }
  return ml_error(L);
}

static int luaB_assert(ml_State *L) {
  if (ml_toboolean(L, 1)) return ml_gettop(L);
  mlL_checkany(L, 1);
  ml_remove(L, 1);
  ml_pushliteral(L, "assertion failed!");
  ml_settop(L, 1); /* the given message or the default one */
  return luaB_error(L); /* like error(msg): a string message gets a position */
}

static int finishpcall(ml_State *L, int status, int extra) {
  if (status != ML_OK) {
    ml_pushboolean(L, 0);
    ml_pushvalue(L, -2);
    return 2;
  }
  return ml_gettop(L) - extra;
}

/* Marks the frame so that a coroutine may yield inside the protected call:
** if the C frame of pcall is gone when the body ends, mlcorolib.c finishes
** the call from these fields. */
static void markypcall(ml_State *L, int nargs, int extra) {
  CallInfo *ci = L->ci;
  ci->callstatus |= CIST_YPCALL;
  ci->pcallextra = extra;
  ci->pcallfunc = savestack(L, L->top - (nargs + 1));
  ci->pcalloldef = L->errfunc;
}

static int luaB_pcall(ml_State *L) {
  mlL_checkany(L, 1);
  ml_pushboolean(L, 1);
  ml_insert(L, 1);
  int nargs = ml_gettop(L) - 2;
  markypcall(L, nargs, 0);
  int status = ml_pcall(L, nargs, ML_MULTRET, 0);
  L->ci->callstatus &= ~(unsigned)CIST_YPCALL;
  return finishpcall(L, status, 0);
}

static int luaB_xpcall(ml_State *L) {
  int n = ml_gettop(L);
  mlL_checktype(L, 2, ML_TFUNCTION);
  ml_pushboolean(L, 1);
  ml_pushvalue(L, 1);
  ml_rotate(L, 3, 2); /* f, msgh, true, f, args... */
  markypcall(L, n - 2, 2);
  int status = ml_pcall(L, n - 2, ML_MULTRET, 2);
  L->ci->callstatus &= ~(unsigned)CIST_YPCALL;
  return finishpcall(L, status, 2);
}

/* ---------------- loading ---------------- */

typedef struct {
  const char *s;
  size_t size;
} StrReader;

static const char *getS(ml_State *L, void *ud, size_t *size) {
  StrReader *ls = (StrReader *)ud;
  (void)L;
  if (ls->size == 0) return NULL;
  *size = ls->size;
  ls->size = 0;
  return ls->s;
}

#define RESERVEDSLOT 5

/* Reader for load(f): calls f and keeps the piece in a reserved slot. */
static const char *generic_reader(ml_State *L, void *ud, size_t *size) {
  (void)ud;
  mlL_checkstack(L, 2, "too many nested functions");
  ml_pushvalue(L, 1);
  ml_call(L, 0, 1);
  if (ml_isnil(L, -1)) {
    ml_pop(L, 1);
    *size = 0;
    return NULL;
  } else if (!ml_isstring(L, -1)) {
    mlL_error(L, "reader function must return a string");
  }
  ml_replace(L, RESERVEDSLOT);
  return ml_tolstring(L, RESERVEDSLOT, size);
}

static int load_aux(ml_State *L, int status, int envidx) {
  if (status == ML_OK) {
    if (envidx != 0) { /* 'env' parameter: becomes the first upvalue */
      LClosure *f = clLvalue(L->top - 1);
      if (f->nupvalues >= 1) setobj(f->upvals[0]->v, ml_index2value(L, envidx));
    }
    return 1;
  }
  ml_pushnil(L);
  ml_insert(L, -2);
  return 2;
}

static int luaB_load(ml_State *L) {
  int status;
  size_t l;
  const char *s = ml_tolstring(L, 1, &l);
  const char *mode = mlL_optstring(L, 3, "bt");
  int env = (!ml_isnone(L, 4) ? 4 : 0);
  if (s != NULL) {
    const char *chunkname = mlL_optstring(L, 2, s);
    StrReader sr = {s, l};
    status = ml_load(L, getS, &sr, chunkname, mode);
  } else {
    const char *chunkname = mlL_optstring(L, 2, "=(load)");
    mlL_checktype(L, 1, ML_TFUNCTION);
    ml_settop(L, RESERVEDSLOT);
    status = ml_load(L, generic_reader, NULL, chunkname, mode);
  }
  return load_aux(L, status, env);
}

typedef struct {
  FILE *f;
  int first;      /* pending first char (after a skipped '#' line) */
  char buff[4096];
} FileReader;

static const char *getF(ml_State *L, void *ud, size_t *size) {
  FileReader *lf = (FileReader *)ud;
  (void)L;
  if (lf->first != EOF) {
    lf->buff[0] = (char)lf->first;
    lf->first = EOF;
    size_t n = fread(lf->buff + 1, 1, sizeof(lf->buff) - 1, lf->f);
    *size = n + 1;
    return lf->buff;
  }
  if (feof(lf->f)) return NULL;
  *size = fread(lf->buff, 1, sizeof(lf->buff), lf->f);
  return *size > 0 ? lf->buff : NULL;
}

/* Loads a file (stdin if fname is NULL), skipping a first line starting
** with '#'. Pushes the function or the error message. */
int mlL_loadfilex(ml_State *L, const char *fname, const char *mode);
int mlL_loadfilex(ml_State *L, const char *fname, const char *mode) {
  FileReader lf;
  char *chunkname;
  if (fname == NULL) {
    chunkname = strdup("=stdin");
    lf.f = stdin;
  } else {
    size_t n = strlen(fname);
    chunkname = malloc(n + 2);
    if (chunkname) { chunkname[0] = '@'; memcpy(chunkname + 1, fname, n + 1); }
    errno = 0;
    lf.f = fopen(fname, "rb");
    if (lf.f == NULL) {
      free(chunkname);
      ml_pushfstring(L, "cannot open %s: %s", fname, strerror(errno));
      return ML_ERRFILE;
    }
  }
  if (chunkname == NULL) {
    if (fname) fclose(lf.f);
    ml_pushliteral(L, "not enough memory");
    return ML_ERRMEM;
  }
  int c = getc(lf.f);
  if (c == 0xEF) { /* skip a UTF-8 byte order mark */
    int c2 = getc(lf.f), c3 = (c2 == 0xBB) ? getc(lf.f) : EOF;
    if (c2 == 0xBB && c3 == 0xBF) c = getc(lf.f);
    else { /* not a BOM: put the bytes back as the first piece */
      if (c3 != EOF) ungetc(c3, lf.f);
      if (c2 != EOF && c2 != 0xBB) ungetc(c2, lf.f);
    }
  }
  if (c == '#') { /* Unix exec. file: skip the first line, keep the newline */
    while ((c = getc(lf.f)) != EOF && c != '\n') {}
  }
  lf.first = c;
  int status = ml_load(L, getF, &lf, chunkname, mode);
  free(chunkname);
  int readerr = ferror(lf.f);
  if (fname) fclose(lf.f);
  if (readerr) {
    ml_settop(L, ml_gettop(L) - 1);
    ml_pushfstring(L, "cannot read %s", fname ? fname : "stdin");
    return ML_ERRFILE;
  }
  return status;
}

static int luaB_loadfile(ml_State *L) {
  const char *fname = mlL_optstring(L, 1, NULL);
  const char *mode = mlL_optstring(L, 2, NULL);
  int env = (!ml_isnone(L, 3) ? 3 : 0);
  int status = mlL_loadfilex(L, fname, mode);
  return load_aux(L, status, env);
}

static int luaB_dofile(ml_State *L) {
  const char *fname = mlL_optstring(L, 1, NULL);
  ml_settop(L, 1);
  if (mlL_loadfilex(L, fname, NULL) != ML_OK) return ml_error(L);
  ml_call(L, 0, ML_MULTRET);
  return ml_gettop(L) - 1;
}

static int luaB_collectgarbage(ml_State *L) {
  static const char *const opts[] = {"stop", "restart", "collect", "count", "step", "setpause", "setstepmul",
                                     "isrunning", "generational", "incremental", NULL};
  static int genmode = 1; /* the mode asked for; lua5.4's command starts in generational mode */
  int o = mlL_checkoption(L, 1, "collect", opts);
  switch (o) {
    case 0: G(L)->gcrunning = 0; break;
    case 1: G(L)->gcrunning = 1; G(L)->GCthreshold = G(L)->totalbytes; break;
    case 2: mlC_fullgc(L); break;
    case 3: ml_pushnumber(L, (ml_Number)G(L)->totalbytes / 1024.0); return 1;
    case 4: /* a full cycle; lua5.4 in generational mode never reports a finished cycle */
      mlC_fullgc(L);
      ml_pushboolean(L, !genmode);
      return 1;
    case 5: {
      int prev = G(L)->gcpause;
      G(L)->gcpause = (int)mlL_optinteger(L, 2, 200);
      if (G(L)->gcpause < 110) G(L)->gcpause = 110; /* keep collections useful */
      ml_pushinteger(L, prev);
      return 1;
    }
    case 6: ml_pushinteger(L, 100); return 1;
    case 7: ml_pushboolean(L, G(L)->gcrunning); return 1;
    case 8: case 9: {
      int prev = genmode;
      genmode = (o == 8);
      ml_pushstring(L, prev ? "generational" : "incremental");
      return 1;
    }
  }
  ml_pushinteger(L, 0);
  return 1;
}

static const mlL_Reg base_funcs[] = {
  {"assert", luaB_assert}, {"collectgarbage", luaB_collectgarbage}, {"dofile", luaB_dofile},
  {"error", luaB_error}, {"getmetatable", luaB_getmetatable}, {"ipairs", luaB_ipairs},
  {"loadfile", luaB_loadfile}, {"load", luaB_load}, {"next", luaB_next}, {"pairs", luaB_pairs},
  {"pcall", luaB_pcall}, {"print", luaB_print}, {"rawequal", luaB_rawequal}, {"rawlen", luaB_rawlen},
  {"rawget", luaB_rawget}, {"rawset", luaB_rawset}, {"select", luaB_select},
  {"setmetatable", luaB_setmetatable}, {"tonumber", luaB_tonumber}, {"tostring", luaB_tostring},
  {"type", luaB_type}, {"xpcall", luaB_xpcall}, {NULL, NULL}
};

int mlopen_base(ml_State *L) {
  ml_rawgeti(L, ML_REGISTRYINDEX, 2); /* the globals table */
  mlL_setfuncs(L, base_funcs, 0);
  ml_pushvalue(L, -1);
  ml_setfield(L, -2, "_G");
  ml_pushliteral(L, "Lua 5.4");
  ml_setfield(L, -2, "_VERSION");
  return 1;
}

/* ---------------- package / require ---------------- */

static int readable(const char *filename) {
  FILE *f = fopen(filename, "r");
  if (f == NULL) return 0;
  fclose(f);
  return 1;
}

/* Tries each template of 'path' (with 'sep' in name replaced by 'rep');
** pushes the file name found, or the "no file '...'" list and returns 0. */
static int searchpath(ml_State *L, const char *name, const char *path, const char *sep, const char *rep) {
  mlL_Buffer nb;
  mlL_buffinit(L, &nb);
  size_t seplen = strlen(sep);
  for (const char *q = name; *q;) {
    if (seplen > 0 && strncmp(q, sep, seplen) == 0) {
      mlL_addstring(&nb, rep);
      q += seplen;
    } else {
      mlL_addchar(&nb, *q++);
    }
  }
  mlL_pushresult(&nb);
  int nameidx = ml_gettop(L);
  mlL_Buffer msg;
  mlL_buffinit(L, &msg);
  int first = 1;
  const char *p = path;
  while (*p) {
    const char *e = strchr(p, ';');
    if (e == NULL) e = p + strlen(p);
    if (e > p) {
      mlL_Buffer fb;
      mlL_buffinit(L, &fb);
      for (const char *q = p; q < e; q++) {
        if (*q == '?') mlL_addstring(&fb, ml_tostring(L, nameidx));
        else mlL_addchar(&fb, *q);
      }
      mlL_pushresult(&fb);
      const char *filename = ml_tostring(L, -1);
      if (readable(filename)) {
        ml_copy(L, -1, nameidx);
        ml_settop(L, nameidx);
        return 1;
      }
      ml_pushfstring(L, "%sno file '%s'", first ? "" : "\n\t", filename);
      first = 0;
      ml_remove(L, -2);
      mlL_addvalue(&msg);
    }
    p = (*e == ';') ? e + 1 : e;
  }
  mlL_pushresult(&msg);
  ml_copy(L, -1, nameidx);
  ml_settop(L, nameidx);
  return 0;
}

static int ll_searchpath(ml_State *L) {
  const char *name = mlL_checkstring(L, 1);
  const char *path = mlL_checkstring(L, 2);
  const char *sep = mlL_optstring(L, 3, ".");
  const char *rep = mlL_optstring(L, 4, "/");
  if (searchpath(L, name, path, sep, rep)) return 1;
  ml_pushnil(L);
  ml_insert(L, -2);
  return 2;
}

static int ll_require(ml_State *L) {
  const char *name = mlL_checkstring(L, 1);
  ml_settop(L, 1);
  ml_getfield(L, ML_REGISTRYINDEX, "_LOADED"); /* 2 */
  ml_getfield(L, 2, name);
  if (ml_toboolean(L, -1)) return 1; /* already loaded */
  ml_pop(L, 1);
  ml_getglobal(L, "package"); /* 3 */
  int haspkg = ml_type(L, 3) == ML_TTABLE;
  if (haspkg && ml_getfield(L, 3, "preload") == ML_TTABLE && ml_getfield(L, 4, name) != ML_TNIL) {
    ml_pushstring(L, name);
    ml_pushliteral(L, ":preload:");
    ml_call(L, 2, 1);
    ml_pushliteral(L, ":preload:");
  } else {
    ml_settop(L, 3);
    const char *path = "./?.lua;./?/init.lua";
    if (haspkg && ml_getfield(L, 3, "path") == ML_TSTRING) path = ml_tostring(L, -1);
    if (!searchpath(L, name, path, ".", "/"))
      return mlL_error(L, "module '%s' not found:\n\tno field package.preload['%s']\n\t%s", name, name,
                       ml_tostring(L, -1));
    int fi = ml_gettop(L);
    const char *filename = ml_tostring(L, fi);
    if (mlL_loadfilex(L, filename, NULL) != ML_OK) { /* raised by a searcher in lua5.4: no position */
      ml_pushfstring(L, "error loading module '%s' from file '%s':\n\t%s", name, filename, ml_tostring(L, -1));
      return ml_error(L);
    }
    ml_pushstring(L, name);
    ml_pushvalue(L, fi);
    ml_call(L, 2, 1);
    ml_pushvalue(L, fi);
  }
  /* stack: ..., result, loader data */
  if (!ml_isnil(L, -2)) {
    ml_pushvalue(L, -2);
    ml_setfield(L, 2, name);
  }
  if (ml_getfield(L, 2, name) == ML_TNIL) { /* module returned nothing: true */
    ml_pop(L, 1);
    ml_pushboolean(L, 1);
    ml_pushvalue(L, -1);
    ml_setfield(L, 2, name);
  }
  ml_rotate(L, -2, 1); /* value, loader data */
  return 2;
}

static int mlopen_package(ml_State *L) {
  ml_newtable(L);
  ml_pushliteral(L, "./?.lua;./?/init.lua");
  ml_setfield(L, -2, "path");
  ml_pushliteral(L, "");
  ml_setfield(L, -2, "cpath");
  ml_newtable(L);
  ml_setfield(L, -2, "preload");
  ml_pushliteral(L, "/\n;\n?\n!\n-\n");
  ml_setfield(L, -2, "config");
  ml_getfield(L, ML_REGISTRYINDEX, "_LOADED");
  ml_setfield(L, -2, "loaded");
  ml_pushcfunction(L, ll_searchpath);
  ml_setfield(L, -2, "searchpath");
  ml_pushcfunction(L, ll_require);
  ml_setglobal(L, "require");
  return 1;
}

/* ---------------- opening everything ---------------- */

void mlL_openlibs(ml_State *L) {
  static const mlL_Reg libs[] = {
    {"_G", mlopen_base}, {"package", mlopen_package}, {"string", mlopen_string},
    {"table", mlopen_table}, {"math", mlopen_math}, {"os", mlopen_os}, {"io", mlopen_io},
    {"coroutine", mlopen_coroutine}, {"debug", mlopen_debug},
    {NULL, NULL}
  };
  ml_newtable(L);
  ml_setfield(L, ML_REGISTRYINDEX, "_LOADED");
  for (const mlL_Reg *lib = libs; lib->func; lib++) {
    ml_getfield(L, ML_REGISTRYINDEX, "_LOADED");
    ml_pushcfunction(L, lib->func);
    ml_pushstring(L, lib->name);
    ml_call(L, 1, 1);
    ml_pushvalue(L, -1);
    ml_setfield(L, -3, lib->name); /* package.loaded[name] = module */
    if (strcmp(lib->name, "_G") != 0) {
      ml_pushvalue(L, -1);
      ml_setglobal(L, lib->name);
    }
    if (strcmp(lib->name, "string") == 0) { /* strings index the string library */
      ml_pushliteral(L, "");
      if (!ml_getmetatable(L, -1)) {
        ml_createtable(L, 0, 1);
        ml_pushvalue(L, -1);
        ml_setmetatable(L, -3);
      }
      ml_pushvalue(L, -3);
      ml_setfield(L, -2, "__index");
      ml_pop(L, 2);
    }
    ml_pop(L, 2);
  }
}
