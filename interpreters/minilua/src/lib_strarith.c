/*
** lib_strarith.c — the string metatable and its arithmetic metamethods.
**
** In Lua 5.4 the VM does not convert strings to numbers for arithmetic; the
** string library's metatable does it, through __add, __sub, __mul, __mod,
** __pow, __div, __idiv and __unm. That is why "10" + 1 is 11 while "a" + 1
** fails with "attempt to add a 'string' with a 'number'" and "4" // 0 with
** "attempt to divide by zero" (no position: the error is raised inside the
** metamethod). Bitwise operators have no string metamethods in 5.4.
**
** The arithmetic itself is done here on the converted numbers (mlapi.h has
** no ml_arith), with Lua's integer and float rules: wrapping integer
** + - *, floor division and floor modulo, float / and ^.
*/
#include "lib_strarith.h"

#include <math.h>

enum { OP_ADD, OP_SUB, OP_MUL, OP_MOD, OP_POW, OP_DIV, OP_IDIV, OP_UNM };

/* Pushes the number value of argument arg: numbers as they are, strings
** when the whole string is a numeral. Returns 0 (pushing nothing) otherwise. */
static int tonum(ml_State *L, int arg) {
  if (ml_type(L, arg) == ML_TNUMBER) {
    ml_pushvalue(L, arg);
    return 1;
  }
  if (ml_type(L, arg) != ML_TSTRING) return 0;
  size_t len;
  const char *s = ml_tolstring(L, arg, &len);
  return s != NULL && ml_stringtonumber(L, s) == len + 1;
}

/* Raised without a position, as the VM does for errors inside a C function. */
static int raw_error(ml_State *L, const char *msg) {
  ml_pushstring(L, msg);
  return ml_error(L);
}

static ml_Integer int_arith(ml_State *L, int op, ml_Integer a, ml_Integer b) {
  ml_Unsigned ua = (ml_Unsigned)a, ub = (ml_Unsigned)b;
  switch (op) {
    case OP_ADD: return (ml_Integer)(ua + ub);
    case OP_SUB: return (ml_Integer)(ua - ub);
    case OP_MUL: return (ml_Integer)(ua * ub);
    case OP_UNM: return (ml_Integer)(0u - ua);
    case OP_MOD: {
      if (ub + 1u <= 1u) { /* 0 or -1 */
        if (b == 0) raw_error(L, "attempt to perform 'n%0'");
        return 0; /* avoids the overflow of mininteger % -1 */
      }
      ml_Integer m = a % b;
      if (m != 0 && (m ^ b) < 0) m += b; /* the result takes b's sign */
      return m;
    }
    default: { /* OP_IDIV */
      if (ub + 1u <= 1u) {
        if (b == 0) raw_error(L, "attempt to divide by zero");
        return (ml_Integer)(0u - ua); /* a // -1, without overflow */
      }
      ml_Integer q = a / b;
      if ((a ^ b) < 0 && a % b != 0) q -= 1; /* round toward minus infinity */
      return q;
    }
  }
}

static ml_Number float_arith(int op, ml_Number a, ml_Number b) {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_POW: return (b == 2) ? a * a : pow(a, b);
    case OP_IDIV: return floor(a / b);
    case OP_UNM: return -a;
    default: { /* OP_MOD */
      ml_Number m = fmod(a, b);
      if ((m > 0) ? b < 0 : (m < 0 && b > 0)) m += b;
      return m;
    }
  }
}

/* No numeric conversion: try the second operand's metamethod, else fail. */
static int trymt(ml_State *L, const char *mtname) {
  ml_settop(L, 2);
  if (ml_type(L, 2) == ML_TSTRING || !mlL_getmetafield(L, 2, mtname))
    return mlL_error(L, "attempt to %s a '%s' with a '%s'", mtname + 2, mlL_typename(L, -2),
                     mlL_typename(L, -1));
  ml_insert(L, -3); /* metamethod, a, b */
  ml_call(L, 2, 1);
  return 1;
}

static int arith(ml_State *L, int op, const char *mtname) {
  if (!(tonum(L, 1) && tonum(L, 2))) return trymt(L, mtname);
  /* the two converted operands are now at -2 and -1 */
  if (op != OP_POW && op != OP_DIV && ml_isinteger(L, -2) && ml_isinteger(L, -1)) {
    ml_Integer r = int_arith(L, op, ml_tointeger(L, -2), ml_tointeger(L, -1));
    ml_pushinteger(L, r);
  } else {
    ml_pushnumber(L, float_arith(op, ml_tonumber(L, -2), ml_tonumber(L, -1)));
  }
  return 1;
}

static int arith_add(ml_State *L) { return arith(L, OP_ADD, "__add"); }
static int arith_sub(ml_State *L) { return arith(L, OP_SUB, "__sub"); }
static int arith_mul(ml_State *L) { return arith(L, OP_MUL, "__mul"); }
static int arith_mod(ml_State *L) { return arith(L, OP_MOD, "__mod"); }
static int arith_pow(ml_State *L) { return arith(L, OP_POW, "__pow"); }
static int arith_div(ml_State *L) { return arith(L, OP_DIV, "__div"); }
static int arith_idiv(ml_State *L) { return arith(L, OP_IDIV, "__idiv"); }
static int arith_unm(ml_State *L) { return arith(L, OP_UNM, "__unm"); }

static const mlL_Reg stringmetamethods[] = {
  {"__add", arith_add},
  {"__sub", arith_sub},
  {"__mul", arith_mul},
  {"__mod", arith_mod},
  {"__pow", arith_pow},
  {"__div", arith_div},
  {"__idiv", arith_idiv},
  {"__unm", arith_unm},
  {NULL, NULL}
};

void strarith_setmetatable(ml_State *L) {
  int strlib = ml_absindex(L, -1);
  ml_pushliteral(L, ""); /* any string: all strings share one metatable */
  if (!ml_getmetatable(L, -1)) ml_createtable(L, 0, 9);
  mlL_setfuncs(L, stringmetamethods, 0);
  ml_pushvalue(L, strlib);
  ml_setfield(L, -2, "__index");
  ml_setmetatable(L, -2);
  ml_pop(L, 1); /* the string */
}
