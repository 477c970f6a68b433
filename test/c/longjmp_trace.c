// longjmp out of an opaque call inside a trace: the interpreter's DIV
// handler calls a checker that longjmps to the interpreter's caller on a
// zero divisor (an error, as Lua's `error` does). The trace is left without
// a guard failing; the runtime notices at the next control point, and the
// program goes on, printing what it prints without the JIT.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=2
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 500
//   stdout:
//     run 0: error at i=0
//     run 1: acc=46327933
//     run 2: error at i=200
//     run 3: acc=46327933
//   stats: traces_entered>=1
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

static jmp_buf on_error;
static long err_at;

__attribute__((noinline)) long checked_div(long a, long b, long i) {
  if (b == 0) { err_at = i; longjmp(on_error, 1); }
  return a / b;
}

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *loc, long n, long zero_at) {
  long acc = 0;
  for (long i = 0; i < n; i++) {
    yk_mt_control_point(mt, loc);
    acc += checked_div(i * 1000, (i == zero_at) ? 0 : (i % 7) + 1, i);
  }
  return acc;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  const long zero_at[4] = {0, -1, 200, -1};
  for (int run = 0; run < 4; run++) {
    if (setjmp(on_error)) { printf("run %d: error at i=%ld\n", run, err_at); continue; }
    long acc = interp(mt, &loc, n, zero_at[run]);
    printf("run %d: acc=%ld\n", run, acc);
  }
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  return 0;
}
