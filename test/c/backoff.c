// Backoff: the inner loop (pc 1..3) runs two iterations per visit of the
// outer loop, so each entry of its trace deopts at the loop's exit guard
// after two iterations, and with side traces off nothing ever links that
// exit. After a window of 256 such short entries the runtime stops entering
// the trace for a while (longer each time): the rewritten control point
// skips those visits itself, decrementing the skip count in the trace's
// state (no call into the runtime), until the skip runs out. The program must
// print what it prints without the JIT; the trace is still entered between
// skips, the skipped visits are counted, and the runtime's slow path is
// called for a small fraction of them (slow_paths; 400,000 visits).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=50
//   env-var: YKTS_SIDETRACE_THRESHOLD=0
//   env-var: YKTS_SHORT_ENTRY_CYCLES=1000000
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 200000
//   stdout:
//     acc=60000900000 inner=400000
//   stderr:
//     ...
//     ykts: loc=1 trace installed: ...
//     ...
//     ykts: loc=1 trace ... backs off for 1024 visits (... of its last 256 entries deopted within 1000000 cycles)
//     ...
//     ykts: loc=1 trace ... backs off for 2048 visits ...
//     ...
//   stats: traces_installed>=1 backoffs>=3 backoff_skips>=7000 traces_entered>=768 traces_entered<=190000 slow_paths<=10000
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { SETJ, ADD, DECJ, JNZJ, DECI, JNZI, HALT };

static long inner;

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const int *code, long n) {
  long acc = 0, i = n, j = 0;
  int pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case SETJ: j = 2; pc++; break;
    case ADD: acc += i * j + j; inner++; pc++; break;
    case DECJ: j--; pc++; break;
    case JNZJ: pc = j != 0 ? 1 : pc + 1; break;
    case DECI: i--; pc++; break;
    case JNZI: pc = i != 0 ? 0 : pc + 1; break;
    case HALT: return acc;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100;
  const int code[] = {SETJ, ADD, DECJ, JNZJ, DECI, JNZI, HALT};
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[7];
  for (int k = 0; k < 7; k++) locs[k] = k == 1 ? yk_location_new() : yk_location_null();
  long acc = interp(mt, locs, code, n);
  printf("acc=%ld inner=%ld\n", acc, inner);
  for (int k = 0; k < 7; k++) yk_location_drop(locs[k]);
  yk_mt_shutdown(mt);
  return 0;
}
