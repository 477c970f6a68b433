// Fault injection for upgrades: clang fails (YKTS_CLANG points at a program
// that always fails) in tier auto. The trace tcc made is installed and runs;
// its upgrade is answered "not compiled" and the runtime keeps the fast-tier
// trace, with one log line (YKTS_SYNC=1 waits for upgrades at exit, so the
// answer is always read; the location is not dropped, so the trace is
// still installed when it comes).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   env-var: YKTS_CLANG=/bin/false
//   env-var: YKTS_TIER=auto
//   args: 400000
//   stdout:
//     sum=80000200000
//   stderr:
//     ...
//     ykts: loc=1 trace installed: ... (... guards, fast tier, upgradable)
//     ...
//     ykts: loc=1 trace ... not upgraded: clang failed on ...
//     ...
//   stats: traces_installed==1 traces_fast==1 traces_upgraded==0 traces_not_upgraded==1 traces_entered>=1
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
  yk_mt_shutdown(mt);
  return 0;
}
