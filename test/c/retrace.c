// Retracing: a loop over tagged values whose trace is recorded while every
// value is an integer. From element 100 on they are floats, and so is the
// sum: the trace's guard on the sum's tag then fails in the trace's first
// iteration at every entry. At the fifth such failure (the side-trace
// threshold) the runtime retires the trace instead of growing a side trace
// there, the location is recorded again on the float path, and that trace
// runs the rest of the loop (docs/runtime.md, Retracing).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=5
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 1000
//   stdout:
//     sum=499455.0
//   stderr:
//     ...
//     ykts: recorded loc=1 site=run#0 len=... -> compiled: ...
//     ...
//     ykts: loc=1 trace ... retired: guard ... failed 5 of 5 times in its first iteration; the location records again
//     ...
//     ykts: recorded loc=1 site=run#0 len=... -> compiled: ...
//     ...
//   stats: retraces==1 traces_installed==2 traces_entered>=2
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { T_INT, T_FLT };
typedef struct { union { long i; double f; } v; int tag; } TValue;

static double num(const TValue *x) { return x->tag == T_INT ? (double)x->v.i : x->v.f; }

__attribute__((noinline)) double run(YkMT *mt, YkLocation *loc, const TValue *xs, long n) {
  TValue acc = {.v.i = 0, .tag = T_INT};
  for (long i = 0; i < n; i++) {
    yk_mt_control_point(mt, loc);
    const TValue *x = &xs[i];
    if (acc.tag == T_INT && x->tag == T_INT) {
      acc.v.i += x->v.i;
    } else {
      acc.v.f = num(&acc) + num(x);
      acc.tag = T_FLT;
    }
  }
  return num(&acc);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200;
  TValue *xs = malloc((size_t)n * sizeof *xs);
  if (!xs) return 1;
  for (long i = 0; i < n; i++) {
    if (i < 100) { xs[i].tag = T_INT; xs[i].v.i = i; }
    else { xs[i].tag = T_FLT; xs[i].v.f = (double)i - 0.05; }
  }
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  printf("sum=%.1f\n", run(mt, &loc, xs, n));
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  free(xs);
  return 0;
}
