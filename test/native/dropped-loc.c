/*
 * dropped-loc.c — a location dropped and freed while jitd compiles its
 * trace, as an interpreter does that frees a dead function's bytecode and
 * the locations in it (minilua's freeproto). Built by `ykts cc`; run without
 * YKTS_SYNC against the fake jitd in defer mode (FAKE_JITD_DEFER=1: the
 * first recording is answered only once the second has arrived):
 *   1. a loop at location A, in a heap block, gets hot and is recorded;
 *   2. A is dropped and its block freed; a block of the same size is taken
 *      (malloc hands the same memory back) and filled with a pattern;
 *   3. a loop at location B gets hot and is recorded, and the fake jitd
 *      answers A, then B. The loop runs until B's state is no longer what it
 *      was when B's recording was sent: B's answer has come, so A's came
 *      before it (or until the loop's bound, if nothing ever answers).
 * Usage: dropped-loc <n1> <n2>. Prints the loops' sums and whether the block
 * still holds its pattern, which it must: the answer to A is not for it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yk.h>

enum { NLOCS = 4, PATTERN = 0xa5 };

/* Sums i over the iterations; with `watch`, stops once the location's state
 * changes after having held a pointer (its recording's pending record). */
__attribute__((noinline)) long run(YkMT *mt, YkLocation *loc, long n, int watch) {
  long i = 0, acc = 0;
  uintptr_t first = 0;
  while (i < n) {
    yk_mt_control_point(mt, loc);
    acc += i;
    i++;
    if (watch) {
      uintptr_t s = loc->state;
      if (!first && s != 0 && (s & 3) == 0) first = s;
      else if (first && s != first) break;
    }
  }
  return acc;
}

int main(int argc, char **argv) {
  long n1 = argc > 1 ? atol(argv[1]) : 20, n2 = argc > 2 ? atol(argv[2]) : 100000000;
  YkMT *mt = yk_mt_new(NULL);
  YkLocation *a = malloc(NLOCS * sizeof *a);
  for (int k = 0; k < NLOCS; k++) a[k] = yk_location_new();
  long s1 = run(mt, &a[1], n1, 0);
  for (int k = 0; k < NLOCS; k++) yk_location_drop(a[k]);
  volatile uintptr_t where = (uintptr_t)a; /* an address, not a pointer the compiler may reason about once freed */
  free(a);
  unsigned char *block = malloc(NLOCS * sizeof *a);
  memset(block, PATTERN, NLOCS * sizeof *a);
  YkLocation b = yk_location_new();
  long s2 = run(mt, &b, n2, 1);
  int intact = 1;
  for (size_t k = 0; k < NLOCS * sizeof *a; k++) intact &= block[k] == PATTERN;
  printf("s1=%ld s2>0=%d same-block=%d intact=%d\n", s1, s2 > 0, (uintptr_t)block == where, intact);
  free(block);
  yk_location_drop(b);
  yk_mt_shutdown(mt);
  return 0;
}
