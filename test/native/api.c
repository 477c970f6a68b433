/*
 * api.c — calls the ykts.h API the way an interpreter does, in a translation
 * unit compiled without instrumentation: the control point is then the
 * runtime's counting fallback (__ykts_control_point). Checks what needs no
 * instrumenter: counting, thresholds, disabling, logging, promotion.
 * Usage: api <control points to run> [threshold set by the program, 0 = none]
 * Prints the location's state after the control points.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ykts.h"

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  long n = atol(argv[1]);
  char *err = NULL;
  YkMT *mt = yk_mt_new(&err);
  if (!mt || err) {
    fprintf(stderr, "yk_mt_new failed: %s\n", err ? err : "?");
    return 1;
  }
  if (argc > 2 && atol(argv[2]) > 0) yk_mt_hot_threshold_set(mt, (YkHotThreshold)atol(argv[2]));
  YkLocation loc = yk_location_new();
  YkLocation null_loc = yk_location_null();
  for (long i = 0; i < n; i++) {
    yk_mt_control_point(mt, &loc);
    yk_mt_control_point(mt, &null_loc);
  }
  /* Promotion is the identity (and records nothing when not recording). */
  if (yk_promote(41L) + 1 != 42 || yk_promote(2.5) != 2.5 || yk_promote(&loc) != &loc) return 3;
  yk_debug_str("api test done");
  printf("state=%lu tag=%lu count=%lu null=%lu\n", (unsigned long)loc.state, (unsigned long)(loc.state & 3),
         (unsigned long)(loc.state >> 2), (unsigned long)null_loc.state);
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  return 0;
}
