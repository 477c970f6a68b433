/*
** loslib.c — minilua's 'os' standard library (Lua 5.4 reference manual, section 6),
** written against mlapi.h only.
*/
#include "mlapi.h"

static const mlL_Reg oslib[] = {
  {NULL, NULL}
};

int mlopen_os(ml_State *L) {
  mlL_newlib(L, oslib);
  return 1;
}
