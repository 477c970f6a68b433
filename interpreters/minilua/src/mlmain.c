/*
** mlmain.c — the minilua command: `minilua script.lua args...`, `minilua -e
** code`, `minilua -` or no argument (read stdin). Sets the global 'arg',
** passes the script arguments as '...', and reports an uncaught error as
** "<progname>: <message>" on stderr with exit status 1, like lua.c.
** `minilua -l script.lua` prints the bytecode listing instead of running.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlapi.h"

int mlL_loadfilex(ml_State *L, const char *fname, const char *mode);
void mlU_list(ml_State *L, FILE *out);

static int listonly = 0;

static const char *progname = "minilua";

static void l_message(const char *pname, const char *msg) {
  if (pname) fprintf(stderr, "%s: ", pname);
  fprintf(stderr, "%s\n", msg);
  fflush(stderr);
}

void mlU_traceback(ml_State *L, ml_State *L1, const char *msg, int level);

/* Message handler: turns non-string errors into text and adds a traceback
** (as lua.c). */
static int msghandler(ml_State *L) {
  const char *msg = ml_tostring(L, 1);
  if (msg == NULL) {
    if (mlL_callmeta(L, 1, "__tostring") && ml_type(L, -1) == ML_TSTRING) return 1;
    msg = ml_pushfstring(L, "(error object is a %s value)", mlL_typename(L, 1));
  }
  mlU_traceback(L, L, msg, 1);
  return 1;
}

static int docall(ml_State *L, int narg, int nres) {
  int base = ml_gettop(L) - narg;
  ml_pushcfunction(L, msghandler);
  ml_insert(L, base);
  int status = ml_pcall(L, narg, nres, base);
  ml_remove(L, base);
  return status;
}

static int report(ml_State *L, int status) {
  if (status != ML_OK) {
    const char *msg = ml_tostring(L, -1);
    if (msg == NULL) msg = "(error object is not a string)";
    l_message(progname, msg);
    ml_pop(L, 1);
  }
  return status;
}

static void createargtable(ml_State *L, char **argv, int argc, int script) {
  int narg = argc - (script + 1);
  ml_createtable(L, narg, script + 1);
  for (int i = 0; i < argc; i++) {
    ml_pushstring(L, argv[i]);
    ml_rawseti(L, -2, i - script);
  }
  ml_setglobal(L, "arg");
}

static int pushargs(ml_State *L) {
  if (ml_getglobal(L, "arg") != ML_TTABLE) {
    ml_pop(L, 1);
    return 0;
  }
  int n = (int)mlL_len(L, -1);
  mlL_checkstack(L, n + 3, "too many arguments to script");
  for (int i = 1; i <= n; i++) ml_rawgeti(L, -i, i);
  ml_remove(L, -(n + 1));
  return n;
}

static int dostring(ml_State *L, const char *s, const char *name);

static int handle_script(ml_State *L, const char *fname) {
  if (fname != NULL && strcmp(fname, "-") == 0) fname = NULL;
  int status = mlL_loadfilex(L, fname, NULL);
  if (status == ML_OK && listonly) {
    mlU_list(L, stdout);
    ml_pop(L, 1);
    return ML_OK;
  }
  if (status == ML_OK) {
    int n = pushargs(L);
    status = docall(L, n, ML_MULTRET);
  }
  return report(L, status);
}

typedef struct {
  const char *s;
  size_t n;
} StrSrc;

static const char *readstr(ml_State *L, void *ud, size_t *sz) {
  StrSrc *src = (StrSrc *)ud;
  (void)L;
  if (src->n == 0) return NULL;
  *sz = src->n;
  src->n = 0;
  return src->s;
}

int ml_load(ml_State *L, const char *(*reader)(ml_State *, void *, size_t *), void *data,
            const char *chunkname, const char *mode);

static int dostring(ml_State *L, const char *s, const char *name) {
  StrSrc src = {s, strlen(s)};
  int status = ml_load(L, readstr, &src, name, NULL);
  if (status == ML_OK) status = docall(L, 0, 0);
  return report(L, status);
}

ml_State *ml_newstate(void);
void ml_close(ml_State *L);

int main(int argc, char **argv) {
  if (argv[0] && argv[0][0]) progname = argv[0];
  ml_State *L = ml_newstate();
  if (L == NULL) {
    l_message(progname, "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  mlL_openlibs(L);
  int script = 0;
  int i;
  /* options before the script: -e code (run), -- (end of options) */
  for (i = 1; i < argc; i++) {
    if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) break;
    if (strcmp(argv[i], "--") == 0) { i++; break; }
    if (strcmp(argv[i], "-l") == 0) {
      listonly = 1;
      continue;
    }
    if (strcmp(argv[i], "-e") == 0) {
      i++;
      if (i >= argc) {
        l_message(progname, "'-e' needs argument");
        return EXIT_FAILURE;
      }
      continue;
    }
    fprintf(stderr, "%s: unrecognized option '%s'\nusage: %s [-e stat] [-l] [script [args]]\n", progname, argv[i], progname);
    return EXIT_FAILURE;
  }
  script = (i < argc) ? i : 0;
  createargtable(L, argv, argc, script ? script : argc - 1 < 0 ? 0 : 0);
  int ran_e = 0;
  for (int j = 1; j < (script ? script : argc); j++) {
    if (strcmp(argv[j], "-e") == 0) {
      ran_e = 1;
      if (dostring(L, argv[j + 1], "=(command line)") != ML_OK) {
        ml_close(L);
        return EXIT_FAILURE;
      }
      j++;
    }
  }
  int status = ML_OK;
  if (script) status = handle_script(L, argv[script]);
  else if (!ran_e) status = handle_script(L, NULL);
  fflush(stdout);
  ml_close(L);
  return status == ML_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}
