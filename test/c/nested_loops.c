// Nested loops: an outer guest loop around two inner ones, with locations
// at the three loop heads. The inner loops get traces first. Each inner
// trace's exit hands over (after a deopt, or from its side trace) at the
// next location: the runtime enters that location's trace directly
// (`traces_linked`) or counts the visit. The outer loop's head is reached
// only that way; once it is hot, its recording runs into an inner loop's
// control point, which has a trace: the recording stops there instead of
// copying the inner loop into an outer trace, and becomes a trace that runs
// once and hands over to the inner loop's trace (docs/traces.md §6).
// At the sixth failure each inner trace's exit guard becomes a side trace
// that runs from the inner loop's exit to the other inner loop's head.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_SIDETRACE_THRESHOLD=6
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 400 50
//   stdout:
//     acc=1540000 outer=400
//   stderr:
//     ...
//     ykts jitd: recording 3 loc=3 site=interp#0 len=... stops at another location's trace: compiled ...
//     ...
//     ykts: loc=3 trace installed: ...
//     ...
//     ykts: loc=... side trace installed: ...
//     ...
//   stats: traces_installed>=3 aborted_inner_trace==0 side_traces_installed>=2 traces_linked>=1000 deopts<=40
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { SETJ, INC1, DECJ_JNZ, SETK, INC2, DECK_JNZ, DECI_JNZ, HALT };

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const int *code, long n, long m, long *outer) {
  long acc = 0, i = n, j = 0, k = 0;
  int pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case SETJ: j = m; pc++; break;
    case INC1: acc += j; pc++; break;
    case DECJ_JNZ: pc = --j != 0 ? 1 : pc + 1; break;
    case SETK: k = m; pc++; break;
    case INC2: acc += 2 * k + (i & 1); pc++; break;
    case DECK_JNZ: pc = --k != 0 ? 4 : pc + 1; break;
    case DECI_JNZ: ++*outer; pc = --i != 0 ? 0 : pc + 1; break;
    case HALT: return acc;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10, m = argc > 2 ? atol(argv[2]) : 5, outer = 0;
  const int code[] = {SETJ, INC1, DECJ_JNZ, SETK, INC2, DECK_JNZ, DECI_JNZ, HALT};
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[8];
  for (int q = 0; q < 8; q++) locs[q] = q == 0 || q == 1 || q == 4 ? yk_location_new() : yk_location_null();
  long acc = interp(mt, locs, code, n, m, &outer);
  printf("acc=%ld outer=%ld\n", acc, outer);
  for (int q = 0; q < 8; q++) yk_location_drop(locs[q]);
  yk_mt_shutdown(mt);
  return 0;
}
