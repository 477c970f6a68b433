/*
** lmathlib.c — minilua's 'math' standard library (Lua 5.4 manual, 6.7),
** written against mlapi.h only.
**
** The observable behaviour follows lua5.4 (5.4.4) exactly, including the
** pseudo-random generator: xoshiro256** with the same seeding and the same
** projection of a 64-bit draw into an interval, so that a script that calls
** math.randomseed(n) prints the same numbers under minilua and lua5.4.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "mlapi.h"

#define PI 3.141592653589793238462643383279502884

/* Pushes a float as an integer when it has an exact integer value in range
** (floor/ceil/modf results), otherwise as the float itself. The range test
** works on the float side: -2^63 is representable, 2^63 is not. */
static void pushnumint(ml_State *L, ml_Number d) {
  if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
    ml_pushinteger(L, (ml_Integer)d);
  else
    ml_pushnumber(L, d);
}

static int math_abs(ml_State *L) {
  if (ml_isinteger(L, 1)) {
    ml_Integer n = ml_tointeger(L, 1);
    /* unsigned negation: abs(mininteger) wraps to mininteger, as in Lua */
    if (n < 0) n = (ml_Integer)(0u - (ml_Unsigned)n);
    ml_pushinteger(L, n);
  } else {
    ml_pushnumber(L, fabs(mlL_checknumber(L, 1)));
  }
  return 1;
}

static int math_floor(ml_State *L) {
  if (ml_isinteger(L, 1))
    ml_settop(L, 1); /* an integer is its own floor */
  else
    pushnumint(L, floor(mlL_checknumber(L, 1)));
  return 1;
}

static int math_ceil(ml_State *L) {
  if (ml_isinteger(L, 1))
    ml_settop(L, 1);
  else
    pushnumint(L, ceil(mlL_checknumber(L, 1)));
  return 1;
}

static int math_fmod(ml_State *L) {
  if (ml_isinteger(L, 1) && ml_isinteger(L, 2)) {
    ml_Integer a = ml_tointeger(L, 1);
    ml_Integer d = ml_tointeger(L, 2);
    /* d == 0 is an error and d == -1 must avoid the C overflow trap of
    ** mininteger % -1; both are caught by one unsigned comparison */
    if ((ml_Unsigned)d + 1u <= 1u) {
      mlL_argcheck(L, d != 0, 2, "zero");
      ml_pushinteger(L, 0);
    } else {
      ml_pushinteger(L, a % d); /* C's % truncates, which is what fmod wants */
    }
  } else {
    /* Argument 2 is checked first, as lua5.4 (built by gcc) reports it. */
    ml_Number d = mlL_checknumber(L, 2);
    ml_pushnumber(L, fmod(mlL_checknumber(L, 1), d));
  }
  return 1;
}

static int math_modf(ml_State *L) {
  if (ml_isinteger(L, 1)) {
    ml_settop(L, 1);      /* the number is its own integer part */
    ml_pushnumber(L, 0);  /* and has no fractional part */
  } else {
    ml_Number n = mlL_checknumber(L, 1);
    ml_Number ip = (n < 0) ? ceil(n) : floor(n); /* rounds toward zero */
    pushnumint(L, ip);
    /* n == ip covers the infinities, whose n - ip would be NaN */
    ml_pushnumber(L, (n == ip) ? 0.0 : (n - ip));
  }
  return 2;
}

static int math_sqrt(ml_State *L) {
  ml_pushnumber(L, sqrt(mlL_checknumber(L, 1)));
  return 1;
}

static int math_exp(ml_State *L) {
  ml_pushnumber(L, exp(mlL_checknumber(L, 1)));
  return 1;
}

static int math_log(ml_State *L) {
  ml_Number x = mlL_checknumber(L, 1);
  ml_Number res;
  if (ml_isnoneornil(L, 2)) {
    res = log(x);
  } else {
    ml_Number base = mlL_checknumber(L, 2);
    /* dedicated functions for the common bases give exact results
    ** (log(8, 2) == 3.0) that the quotient of two logs does not */
    if (base == 2.0)
      res = log2(x);
    else if (base == 10.0)
      res = log10(x);
    else
      res = log(x) / log(base);
  }
  ml_pushnumber(L, res);
  return 1;
}

static int math_sin(ml_State *L) {
  ml_pushnumber(L, sin(mlL_checknumber(L, 1)));
  return 1;
}

static int math_cos(ml_State *L) {
  ml_pushnumber(L, cos(mlL_checknumber(L, 1)));
  return 1;
}

static int math_tan(ml_State *L) {
  ml_pushnumber(L, tan(mlL_checknumber(L, 1)));
  return 1;
}

static int math_asin(ml_State *L) {
  ml_pushnumber(L, asin(mlL_checknumber(L, 1)));
  return 1;
}

static int math_acos(ml_State *L) {
  ml_pushnumber(L, acos(mlL_checknumber(L, 1)));
  return 1;
}

static int math_atan(ml_State *L) {
  ml_Number y = mlL_checknumber(L, 1);
  ml_Number x = mlL_optnumber(L, 2, 1);
  ml_pushnumber(L, atan2(y, x));
  return 1;
}

static int math_deg(ml_State *L) {
  ml_pushnumber(L, mlL_checknumber(L, 1) * (180.0 / PI));
  return 1;
}

static int math_rad(ml_State *L) {
  ml_pushnumber(L, mlL_checknumber(L, 1) * (PI / 180.0));
  return 1;
}

/* ---- functions deprecated in 5.3 that lua5.4 is still built with
** (LUA_COMPAT_MATHLIB in Debian's lua5.4): cosh, sinh, tanh, pow, frexp,
** ldexp, log10 and atan2 (an alias of atan) ---- */

static int math_cosh(ml_State *L) {
  ml_pushnumber(L, cosh(mlL_checknumber(L, 1)));
  return 1;
}

static int math_sinh(ml_State *L) {
  ml_pushnumber(L, sinh(mlL_checknumber(L, 1)));
  return 1;
}

static int math_tanh(ml_State *L) {
  ml_pushnumber(L, tanh(mlL_checknumber(L, 1)));
  return 1;
}

static int math_pow(ml_State *L) {
  ml_Number x = mlL_checknumber(L, 1);
  ml_Number y = mlL_checknumber(L, 2);
  ml_pushnumber(L, pow(x, y));
  return 1;
}

static int math_frexp(ml_State *L) {
  int e;
  ml_pushnumber(L, frexp(mlL_checknumber(L, 1), &e));
  ml_pushinteger(L, e);
  return 2;
}

static int math_ldexp(ml_State *L) {
  ml_Number x = mlL_checknumber(L, 1);
  int ep = (int)mlL_checkinteger(L, 2);
  ml_pushnumber(L, ldexp(x, ep));
  return 1;
}

static int math_log10(ml_State *L) {
  ml_pushnumber(L, log10(mlL_checknumber(L, 1)));
  return 1;
}

/* lua5.4 converts through lua_tointegerx, so numeric strings ("3", "0x10")
** are accepted as well as floats with an exact integer value. */
static int math_toint(ml_State *L) {
  int valid;
  ml_Integer n = ml_tointegerx(L, 1, &valid);
  if (valid) {
    ml_pushinteger(L, n);
  } else {
    mlL_checkany(L, 1);
    ml_pushnil(L); /* fail */
  }
  return 1;
}

static int math_type(ml_State *L) {
  if (ml_type(L, 1) == ML_TNUMBER) {
    ml_pushstring(L, ml_isinteger(L, 1) ? "integer" : "float");
  } else {
    mlL_checkany(L, 1);
    ml_pushnil(L);
  }
  return 1;
}

static int math_ult(ml_State *L) {
  ml_Integer a = mlL_checkinteger(L, 1);
  ml_Integer b = mlL_checkinteger(L, 2);
  ml_pushboolean(L, (ml_Unsigned)a < (ml_Unsigned)b);
  return 1;
}

/* min and max compare with the language's '<' (so mixed integer/float
** arguments compare exactly) and return the winning argument itself, which
** keeps its subtype: math.max(1, 2.0, 2) is 2.0. */
static int math_min(ml_State *L) {
  int n = ml_gettop(L);
  int imin = 1;
  mlL_argcheck(L, n >= 1, 1, "value expected");
  for (int i = 2; i <= n; i++)
    if (ml_compare(L, i, imin, ML_OPLT)) imin = i;
  ml_pushvalue(L, imin);
  return 1;
}

static int math_max(ml_State *L) {
  int n = ml_gettop(L);
  int imax = 1;
  mlL_argcheck(L, n >= 1, 1, "value expected");
  for (int i = 2; i <= n; i++)
    if (ml_compare(L, imax, i, ML_OPLT)) imax = i;
  ml_pushvalue(L, imax);
  return 1;
}

/* ---- pseudo-random numbers: xoshiro256** ----
** One generator per process: minilua runs a single Lua state, and a static
** keeps the generator independent of userdata/upvalue support in the core. */
static uint64_t rng_state[4];

static uint64_t rotl(uint64_t x, int n) {
  return (x << n) | (x >> (64 - n));
}

static uint64_t nextrand(uint64_t *s) {
  uint64_t s0 = s[0], s1 = s[1], s2 = s[2] ^ s0, s3 = s[3] ^ s1;
  uint64_t res = rotl(s1 * 5, 7) * 9;
  s[0] = s0 ^ s3;
  s[1] = s1 ^ s2;
  s[2] = s2 ^ (s1 << 17);
  s[3] = rotl(s3, 45);
  return res;
}

/* A float in [0, 1): the top 53 bits of the draw scaled by 2^-53. */
static ml_Number rand2float(uint64_t rv) {
  return (ml_Number)(rv >> 11) * (0.5 / ((uint64_t)1 << 52));
}

/* Projects a random 64-bit value into [0, n]. When n + 1 is a power of two a
** mask suffices; otherwise mask to the smallest 2^b - 1 >= n and draw again
** until the value falls inside (rejection keeps the distribution uniform). */
static ml_Unsigned project(ml_Unsigned ran, ml_Unsigned n, uint64_t *s) {
  if ((n & (n + 1)) == 0) return ran & n;
  ml_Unsigned lim = n;
  lim |= (lim >> 1);
  lim |= (lim >> 2);
  lim |= (lim >> 4);
  lim |= (lim >> 8);
  lim |= (lim >> 16);
  lim |= (lim >> 32);
  while ((ran &= lim) > n) ran = nextrand(s);
  return ran;
}

static int math_random(ml_State *L) {
  ml_Integer low, up;
  uint64_t rv = nextrand(rng_state); /* drawn first, whatever the arguments */
  switch (ml_gettop(L)) {
    case 0:
      ml_pushnumber(L, rand2float(rv));
      return 1;
    case 1:
      low = 1;
      up = mlL_checkinteger(L, 1);
      if (up == 0) { /* math.random(0): all 64 bits */
        ml_pushinteger(L, (ml_Integer)rv);
        return 1;
      }
      break;
    case 2:
      low = mlL_checkinteger(L, 1);
      up = mlL_checkinteger(L, 2);
      break;
    default:
      return mlL_error(L, "wrong number of arguments");
  }
  mlL_argcheck(L, low <= up, 1, "interval is empty");
  ml_Unsigned p = project(rv, (ml_Unsigned)up - (ml_Unsigned)low, rng_state);
  ml_pushinteger(L, (ml_Integer)(p + (ml_Unsigned)low));
  return 1;
}

/* State {n1, 0xff, n2, 0} (0xff keeps the state non-zero), then 16 draws are
** discarded to spread the seed over all bits. Pushes the two seed parts, which
** math.randomseed returns. */
static void setseed(ml_State *L, ml_Unsigned n1, ml_Unsigned n2) {
  rng_state[0] = n1;
  rng_state[1] = 0xff;
  rng_state[2] = n2;
  rng_state[3] = 0;
  for (int i = 0; i < 16; i++) nextrand(rng_state);
  ml_pushinteger(L, (ml_Integer)n1);
  ml_pushinteger(L, (ml_Integer)n2);
}

/* A nondeterministic seed from the clock and an address (ASLR). */
static void randseed(ml_State *L) {
  ml_Unsigned seed1 = (ml_Unsigned)time(NULL);
  ml_Unsigned seed2 = (ml_Unsigned)(uintptr_t)L;
  setseed(L, seed1, seed2);
}

static int math_randomseed(ml_State *L) {
  if (ml_isnone(L, 1)) {
    randseed(L);
  } else {
    ml_Integer n1 = mlL_checkinteger(L, 1);
    ml_Integer n2 = mlL_optinteger(L, 2, 0);
    setseed(L, (ml_Unsigned)n1, (ml_Unsigned)n2);
  }
  return 2;
}

static const mlL_Reg mathlib[] = {
  {"abs", math_abs},
  {"ceil", math_ceil},
  {"floor", math_floor},
  {"fmod", math_fmod},
  {"modf", math_modf},
  {"sqrt", math_sqrt},
  {"exp", math_exp},
  {"log", math_log},
  {"sin", math_sin},
  {"cos", math_cos},
  {"tan", math_tan},
  {"asin", math_asin},
  {"acos", math_acos},
  {"atan", math_atan},
  {"deg", math_deg},
  {"rad", math_rad},
  {"tointeger", math_toint},
  {"type", math_type},
  {"ult", math_ult},
  {"min", math_min},
  {"max", math_max},
  {"random", math_random},
  {"randomseed", math_randomseed},
  {"atan2", math_atan},
  {"cosh", math_cosh},
  {"sinh", math_sinh},
  {"tanh", math_tanh},
  {"pow", math_pow},
  {"frexp", math_frexp},
  {"ldexp", math_ldexp},
  {"log10", math_log10},
  {NULL, NULL}
};

int mlopen_math(ml_State *L) {
  mlL_newlib(L, mathlib);
  ml_pushnumber(L, PI);
  ml_setfield(L, -2, "pi");
  ml_pushnumber(L, HUGE_VAL);
  ml_setfield(L, -2, "huge");
  ml_pushinteger(L, ML_MAXINTEGER);
  ml_setfield(L, -2, "maxinteger");
  ml_pushinteger(L, ML_MININTEGER);
  ml_setfield(L, -2, "mininteger");
  randseed(L);
  ml_pop(L, 2); /* the seeds pushed by randseed */
  return 1;
}
