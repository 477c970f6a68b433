/*
** ltablib.c — minilua's 'table' standard library (Lua 5.4 reference manual, section 6),
** written against mlapi.h only.
*/
#include "mlapi.h"

static const mlL_Reg tablelib[] = {
  {NULL, NULL}
};

int mlopen_table(ml_State *L) {
  mlL_newlib(L, tablelib);
  return 1;
}
