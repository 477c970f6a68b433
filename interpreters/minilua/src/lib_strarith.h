/*
** lib_strarith.h — the string metatable with Lua 5.4's string-to-number
** arithmetic metamethods (see lib_strarith.c).
*/
#ifndef LIB_STRARITH_H
#define LIB_STRARITH_H

#include "mlapi.h"

/* With the string library table on the top of the stack, gives strings their
** metatable (reusing one that already exists): the arithmetic metamethods
** and __index = the string table. Leaves the stack unchanged. */
void strarith_setmetatable(ml_State *L);

#endif
