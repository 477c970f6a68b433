// Tiers: a fast-tier trace that stays cold is not compiled again by clang.
// The loop's trace (tcc) runs about 3,000 iterations in its one entry,
// fewer than YKTS_UPGRADE_AFTER (16384 iterations and entries by default),
// so the runtime never asks jitd for its upgrade: no "is hot" line, and
// nothing upgraded or declined, although YKTS_SYNC=1 would wait at exit for
// an upgrade that had been asked for. A second loop of the same size at
// another location gets a trace of its own, which stays cold too.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   env-var: YKTS_TIER=auto
//   args: 3000
//   stdout:
//     sums=4498500 8997000
//   stderr:
//     ...
//     ykts: loc=1 trace installed: ... (... guards, fast tier, upgradable)
//     ...
//     ykts: loc=2 trace installed: ... (... guards, fast tier, upgradable)
//     ...
//   stats: traces_installed==2 traces_fast==2 traces_upgraded==0 traces_not_upgraded==0 traces_entered>=2
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

__attribute__((noinline)) long loop(YkMT *mt, YkLocation *loc, long n, long k) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    yk_mt_control_point(mt, loc);
    sum += i * k;
  }
  return sum;
}

int main(int argc, char **argv) {
  YkMT *mt = yk_mt_new(NULL);
  YkLocation a = yk_location_new(), b = yk_location_new();
  long n = argc > 1 ? atol(argv[1]) : 10;
  long s1 = loop(mt, &a, n, 1);
  long s2 = loop(mt, &b, n, 2);
  printf("sums=%ld %ld\n", s1, s2);
  yk_mt_shutdown(mt);
  return 0;
}
