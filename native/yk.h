/* yk.h — compatibility name: interpreters written for yk include this. */
#include "ykts.h"
