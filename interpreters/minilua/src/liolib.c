/*
** liolib.c — minilua's 'io' standard library (Lua 5.4 reference manual, section 6),
** written against mlapi.h only.
*/
#include "mlapi.h"

static const mlL_Reg iolib[] = {
  {NULL, NULL}
};

int mlopen_io(ml_State *L) {
  mlL_newlib(L, iolib);
  return 1;
}
