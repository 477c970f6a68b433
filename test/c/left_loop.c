// A root recording that leaves its loop: an inner guest loop of 8
// iterations inside an outer one, with locations at both heads. The inner
// head gets hot first, and with a threshold of 7 visits (in phase with the
// trip count) its recording starts in the last iteration: it leaves the
// inner loop and reaches the outer head, visited 8 times less often. The
// recording is aborted there (`left-loop`) and made again at the inner
// head's next visit, the first iteration of the next round, which closes
// the inner loop: the inner trace is the loop itself, entered once a
// round and left through its exit guard, not a trace that starts with the
// exit and deopts in the loop's first iteration (docs/runtime.md).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=7
//   env-var: YKTS_SIDETRACE_THRESHOLD=0
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 2000 8
//   stdout:
//     acc=72000 outer=2000
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#0 len=... -> aborted: left-loop
//     ...
//     ykts: loc=1 trace installed: ...
//     ...
//   stats: aborted_left_loop>=1 traces_installed>=1 traces_entered>=1900 deopts<=2100
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { SETJ, INC, DECJ_JNZ, DECI_JNZ, HALT };

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const int *code, long n, long m, long *outer) {
  long acc = 0, i = n, j = 0;
  int pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case SETJ: j = m; pc++; break;
    case INC: acc += j; pc++; break;
    case DECJ_JNZ: pc = --j != 0 ? 1 : pc + 1; break;
    case DECI_JNZ: ++*outer; pc = --i != 0 ? 0 : pc + 1; break;
    case HALT: return acc;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10, m = argc > 2 ? atol(argv[2]) : 5, outer = 0;
  const int code[] = {SETJ, INC, DECJ_JNZ, DECI_JNZ, HALT};
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[5];
  for (int q = 0; q < 5; q++) locs[q] = q == 0 || q == 1 ? yk_location_new() : yk_location_null();
  long acc = interp(mt, locs, code, n, m, &outer);
  printf("acc=%ld outer=%ld\n", acc, outer);
  for (int q = 0; q < 5; q++) yk_location_drop(locs[q]);
  yk_mt_shutdown(mt);
  return 0;
}
