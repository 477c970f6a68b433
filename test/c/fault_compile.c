// Fault injection: jitd's compiler fails (YKTS_CLANG points at a program
// that always fails; YKTS_TIER=llvm: clang is the only compiler). Every recording is answered "not compiled" with the
// reason, the location is given up after its failures, and the program
// prints what it prints without the JIT.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   env-var: YKTS_CLANG=/bin/false
//   env-var: YKTS_TIER=llvm
//   args: 5000
//   stdout:
//     sum=12502500
//   stderr:
//     ...
//     ykts: recorded loc=1 site=loop#0 len=... -> not compiled: recording valid; clang failed on ...
//     ...
//   stats: traces_installed==0 traces_entered==0 answered_not_compiled>=1
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

__attribute__((noinline)) long loop(YkMT *mt, YkLocation *loc, long n) {
  long sum = 0;
  for (long i = 1; i <= n; i++) {
    yk_mt_control_point(mt, loc);
    sum += i;
  }
  return sum;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  printf("sum=%ld\n", loop(mt, &loc, n));
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  return 0;
}
