// Fault injection for the fast tier: tcc fails (YKTS_TCC points at a program
// that always fails). jitd gives the trace to clang instead and says why;
// the trace that runs is the LLVM tier's, and nothing is upgraded.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   env-var: YKTS_TCC=/bin/false
//   env-var: YKTS_TIER=tcc
//   args: 5000
//   stdout:
//     sum=12502500
//   stderr:
//     ...
//     ykts jitd: recording 1 loc=1 site=loop#0 len=... compiled ...: ... clang ... ms (tcc failed on ...)
//     ...
//   stats: traces_installed==1 traces_fast==0 traces_upgraded==0 traces_entered>=1
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
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  long n = argc > 1 ? atol(argv[1]) : 10;
  printf("sum=%ld\n", loop(mt, &loc, n));
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  return 0;
}
