// A guard that fails three calls deep: the interpreter's ADD handler calls
// step1 → step2 → step3, and step3 takes the other branch once the counter
// passes a limit. The trace inlines all three; when the guard fails, the
// runtime resumes four frames (step3, step2, step1, the interpreter),
// innermost first, and the program prints what it prints without the JIT.
// YKTS_STATS=guards names that guard: it resumes four frames, in step3.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=guards
//   args: 2000 700
//   stdout:
//     acc=3755350 big=1300
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#0 len=... -> compiled: ...
//     ...
//     ykts-guard: __ykts_trace_..._1 guard ... deopts=... side=... resumes=step3@... frames=4
//     ...
//   stats: traces_installed>=1 traces_entered>=1 deopts>=1
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { ADD, DEC, JNZ, HALT };

static long big;

__attribute__((noinline)) long step3(long x, long limit) {
  if (x > limit) { big++; return x * 2; }
  return x + 1;
}
__attribute__((noinline)) long step2(long x, long limit) { return step3(x, limit) - 1; }
__attribute__((noinline)) long step1(long x, long limit) { return step2(x, limit) + 0; }

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const int *code, long n, long limit) {
  long acc = 0, i = n;
  int pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case ADD: acc += step1(i, limit); pc++; break;
    case DEC: i--; pc++; break;
    case JNZ: pc = i != 0 ? 0 : pc + 1; break;
    case HALT: return acc;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100, limit = argc > 2 ? atol(argv[2]) : 50;
  const int code[] = {ADD, DEC, JNZ, HALT};
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[4] = {yk_location_new(), yk_location_null(), yk_location_null(), yk_location_null()};
  long acc = interp(mt, locs, code, n, limit);
  printf("acc=%ld big=%ld\n", acc, big);
  for (int k = 0; k < 4; k++) yk_location_drop(locs[k]);
  yk_mt_shutdown(mt);
  return 0;
}
