/*
** lstrlib.c — minilua's 'string' standard library (Lua 5.4 reference manual, section 6),
** written against mlapi.h only.
*/
#include "mlapi.h"

static const mlL_Reg stringlib[] = {
  {NULL, NULL}
};

int mlopen_string(ml_State *L) {
  mlL_newlib(L, stringlib);
  return 1;
}
