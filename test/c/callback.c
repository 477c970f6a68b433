// A trace that calls an opaque function (a callback through a function
// pointer table the interpreter cannot see into: `qsort`) which calls back
// into the interpreter: the comparison function runs a second, nested
// interpreter loop with its own control point. Nothing nests in the JIT
// (a control point reached from inside a running trace neither records nor
// enters a trace); the output must be what the program prints without it.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=2
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 300
//   stdout:
//     checksum=300797
//   stats: traces_entered>=1
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

static YkMT *mt;
static YkLocation inner_loc;

/* A tiny interpreter: computes (a * 7 + b) % 13 by a loop of additions. */
__attribute__((noinline)) long mini(long a, long b) {
  long r = b, k = a;
  for (;;) {
    yk_mt_control_point(mt, &inner_loc);
    if (k == 0) break;
    r += 7;
    k--;
  }
  return r % 13;
}

static int cmp(const void *x, const void *y) {
  long a = *(const long *)x, b = *(const long *)y;
  long ka = mini(a % 5, a), kb = mini(b % 5, b);
  return ka < kb ? -1 : ka > kb ? 1 : (a > b) - (a < b);
}

__attribute__((noinline)) long interp(YkLocation *loc, long n) {
  long sum = 0;
  long buf[4];
  for (long i = 0; i < n; i++) {
    yk_mt_control_point(mt, loc);
    for (int j = 0; j < 4; j++) buf[j] = (i * 31 + j * 17) % 97;
    qsort(buf, 4, sizeof buf[0], cmp);
    sum = sum * 3 + buf[0] + buf[3];
    sum %= 1000003;
  }
  return sum;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  mt = yk_mt_new(NULL);
  inner_loc = yk_location_new();
  YkLocation loc = yk_location_new();
  printf("checksum=%ld\n", interp(&loc, n));
  yk_location_drop(loc);
  yk_location_drop(inner_loc);
  yk_mt_shutdown(mt);
  return 0;
}
