// A guest loop whose instructions call helpers the trace inlines or calls:
// a variadic function (va_list walked with va_arg over integers and
// doubles), small structs passed and returned by value in registers
// (two doubles; a long and an int), and a large struct passed and returned
// in memory (byval and sret). The guest loop runs them with changing
// values, so the trace carries them around its loop and its guards' deopts
// rebuild frames in the middle of them; the output must be the plain
// build's.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=5
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 3000
//   stdout:
//     va=... vec=... pair=... big=...
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#0 len=... -> compiled: ...
//     ykts: loc=1 trace installed: ...
//     ...
//   stats: traces_installed>=1 traces_entered>=1 deopts>=1
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

typedef struct { double x, y; } Vec;          /* two SSE registers */
typedef struct { long k; int tag; } Pair;      /* two integer registers */
typedef struct { long a, b, c, d, e; } Big;    /* in memory: byval / sret */

/* Sums `n` values; each is a long when its index is even, a double
 * otherwise (truncated into the sum). */
static long vsum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long s = 0;
  for (int i = 0; i < n; i++) s += (i % 2 == 0) ? va_arg(ap, long) : (long)va_arg(ap, double);
  va_end(ap);
  return s;
}

static Vec vadd(Vec a, Vec b) { return (Vec){a.x + b.x, a.y * 0.5 + b.y}; }

static Pair pstep(Pair p, long by) {
  p.k += by * (p.tag ? 3 : 1);
  p.tag = (int)(p.k % 7 == 0);
  return p;
}

static Big bmix(Big v, long k) {
  Big r = {v.b, v.c, v.d, v.e, v.a + k};
  if (k % 5 == 0) r.a ^= k;
  return r;
}

enum { VA, VEC, PAIR, BIG, DEC, JNZ, HALT };

/* External and not inlined so that the logs name it `interp`. */
__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const int *code, long n) {
  long i = n, va = 0;
  Vec vec = {0.0, 1.0};
  Pair pair = {1, 0};
  Big big = {1, 2, 3, 4, 5};
  int pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case VA: va += vsum(i % 2 ? 4 : 3, i, (double)i * 0.5, 7L, 1.25); pc++; break;
    case VEC: vec = vadd(vec, (Vec){(double)(i % 3), 0.25}); pc++; break;
    case PAIR: pair = pstep(pair, i % 4); pc++; break;
    case BIG: big = bmix(big, i); pc++; break;
    case DEC: i--; pc++; break;
    case JNZ: pc = i != 0 ? 0 : pc + 1; break;
    case HALT:
      printf("va=%ld vec=%.3f,%.3f pair=%ld,%d big=%ld,%ld,%ld,%ld,%ld\n", va, vec.x, vec.y, pair.k, pair.tag, big.a,
             big.b, big.c, big.d, big.e);
      return va;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  static const int code[] = {VA, VEC, PAIR, BIG, DEC, JNZ, HALT};
  enum { LEN = sizeof code / sizeof code[0] };
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[LEN];
  for (int k = 0; k < LEN; k++) locs[k] = k == 0 ? yk_location_new() : yk_location_null();
  interp(mt, locs, code, n);
  for (int k = 0; k < LEN; k++) yk_location_drop(locs[k]);
  yk_mt_shutdown(mt);
  return 0;
}
