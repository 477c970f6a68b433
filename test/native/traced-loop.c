/*
 * traced-loop.c — a small loop built by `ykts cc` (real instrumentation:
 * real traced clones and trampolines) for the runtime's trace tests. A trace
 * of run's loop is written by hand in traced-loop.trace.ll; the test fills in
 * the live struct offsets and generates its deopt table from this program's
 * own side table and ykir (built with -fno-discard-value-names so that the
 * test can find values by name). Usage: traced-loop <n> <repeats>
 *
 * The trace runs the common path: (i & 63) != 63, step inlined with
 * (acc & 7) != 0, i + 1 != n; each other case is a guard:
 *   0  (i & 63) == 63   run's frame at its branch (term)
 *   1  (acc & 7) == 0   step's frame at its branch, run's after the call of step
 *   2  i + 1 == n       run's frame at the loop's exit branch (the clone returns)
 */
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

long ticks, rare;

__attribute__((noinline)) void tick(long i) { ticks += i; }

__attribute__((noinline)) long step(long acc, long i) {
  if ((acc & 7) == 0) {
    rare++;
    tick(-acc);
    return acc / 8 + i;
  }
  return acc + (i ^ (acc >> 3));
}

__attribute__((noinline)) long run(YkMT *mt, YkLocation *loc, long n) {
  long i = 0, acc = 1;
  while (i < n) {
    yk_mt_control_point(mt, loc);
    if ((i & 63) == 63) tick(i);
    acc = step(acc, i);
    i++;
  }
  return acc;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100, reps = argc > 2 ? atol(argv[2]) : 1, total = 0;
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  for (long r = 0; r < reps; r++) total += run(mt, &loc, n);
  printf("total=%ld ticks=%ld rare=%ld\n", total, ticks, rare);
  yk_location_drop(loc);
  return 0;
}
