// A side trace: the interpreter's ADD handler calls step1 → step2 → step3,
// and step3 branches on the parity of the counter, so the root trace's
// guard on that branch (three frames deep) fails on every other iteration.
// After YKTS_SIDETRACE_THRESHOLD failures the runtime records from the
// guard's deopt back to the control point; jitd builds the side trace from
// the guard's frames, and from then on the guard's exit runs it and the
// root trace loops on. Without side traces this program deopts about
// n / 2 = 1500 times; with them a handful of times, while the side
// recording is made and compiled.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_SIDETRACE_THRESHOLD=2
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 3000
//   stdout:
//     acc=6750000 odd=1500
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#0 len=... -> compiled: ...
//     ...
//     ykts: side-recorded loc=1 from ... guard ... len=... -> compiled: ...
//     ykts: loc=1 side trace installed: ...
//     ...
//   stats: traces_installed>=1 side_traces_installed>=1 deopts<=20
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { ADD, DEC, JNZ, HALT };

static long odd;

__attribute__((noinline)) long step3(long x) {
  if (x & 1) { odd++; return x * 2; }
  return x + 1;
}
__attribute__((noinline)) long step2(long x) { return step3(x) - 1; }
__attribute__((noinline)) long step1(long x) { return step2(x) + 0; }

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const int *code, long n) {
  long acc = 0, i = n;
  int pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case ADD: acc += step1(i); pc++; break;
    case DEC: i--; pc++; break;
    case JNZ: pc = i != 0 ? 0 : pc + 1; break;
    case HALT: return acc;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100;
  const int code[] = {ADD, DEC, JNZ, HALT};
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[4] = {yk_location_new(), yk_location_null(), yk_location_null(), yk_location_null()};
  long acc = interp(mt, locs, code, n);
  printf("acc=%ld odd=%ld\n", acc, odd);
  for (int k = 0; k < 4; k++) yk_location_drop(locs[k]);
  yk_mt_shutdown(mt);
  return 0;
}
