// Tiers: the loop's trace is compiled by tcc first and installed; once it
// has run YKTS_UPGRADE_AFTER iterations (default 16384) the runtime asks
// for clang's object of the same trace (an upgrade) and swaps it in
// (YKTS_SYNC=1 waits for upgrades at exit, so the swap always happens; if
// it comes while the loop runs, the fast-tier trace sees it at its
// upgrade check and the interpreter re-enters the new code at once).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   env-var: YKTS_TIER=auto
//   args: 20000000 3
//   stdout:
//     sum=199999990000000
//   stderr:
//     ...
//     ykts: loc=1 trace installed: ... (... guards, fast tier, upgradable)
//     ...
//     ykts: loc=1 trace ... is hot: upgrade asked for
//     ...
//     ykts: loc=1 trace upgraded: ... -> ..._l (... deopt calls)
//     ...
//   stats: traces_installed==1 traces_fast==1 traces_upgraded==1 traces_not_upgraded==0
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

__attribute__((noinline)) long loop(YkMT *mt, YkLocation *loc, long n, long k) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    yk_mt_control_point(mt, loc);
    sum += i % 1000 == 999 ? k * i / 3 : i * k / 3;
  }
  return sum;
}

int main(int argc, char **argv) {
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  long n = argc > 1 ? atol(argv[1]) : 10;
  long k = argc > 2 ? atol(argv[2]) : 3;
  printf("sum=%ld\n", loop(mt, &loc, n, k));
  yk_mt_shutdown(mt);
  return 0;
}
