/*
** lib_strpack.h — string.pack, string.unpack and string.packsize, the
** binary (de)serialisation functions of the string library (lib_strpack.c).
*/
#ifndef LIB_STRPACK_H
#define LIB_STRPACK_H

#include "mlapi.h"

int strpack_pack(ml_State *L);
int strpack_packsize(ml_State *L);
int strpack_unpack(ml_State *L);

#endif
