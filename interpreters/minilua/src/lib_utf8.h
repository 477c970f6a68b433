/*
** lib_utf8.h — opener of the 'utf8' standard library (lib_utf8.c). It is not
** declared in mlapi.h; mlL_openlibs registers it like the other libraries.
*/
#ifndef LIB_UTF8_H
#define LIB_UTF8_H

#include "mlapi.h"

int mlopen_utf8(ml_State *L);

#endif
