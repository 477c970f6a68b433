/*
 * deopt.c — leaving a compiled trace: loads test/native/deopt-trace.so
 * (compiled from deopt-trace.ll by the test), registers its stackmaps with
 * the runtime, runs its traces until their guards fail, and prints what the
 * runtime decoded from the stackmap records for each __ykts_deopt call.
 * Usage: deopt <path of deopt-trace.so>
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>

#include "shim.h"

static uint64_t seen[16];
static uint32_t nseen, guard_seen;

static uint64_t record(uint32_t guard, const uint64_t *values, uint32_t count, void *ret_addr) {
  (void)ret_addr;
  guard_seen = guard;
  nseen = count;
  for (uint32_t i = 0; i < count && i < 16; i++) seen[i] = values[i];
  return 1000; /* what the trace returns */
}

static void show(const char *what, uint64_t ret) {
  printf("%s: ret=%" PRIu64 " guard=%u values=%u:", what, ret, guard_seen, nseen);
  for (uint32_t i = 0; i < nseen; i++) printf(" %" PRId64, (int64_t)seen[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  const char *err = NULL;
  int n = ykts_stackmaps_register(h, &err);
  printf("records=%d\n", n);
  if (n < 0) {
    fprintf(stderr, "stackmaps: %s\n", err);
    return 1;
  }
  __ykts_deopt_handler = record;
  int64_t vars[2];
  uint64_t (*loop)(void *, int64_t) = (uint64_t (*)(void *, int64_t))dlsym(h, "loop_trace");
  uint64_t (*mixed)(int64_t, int64_t, int8_t) = (uint64_t (*)(int64_t, int64_t, int8_t))dlsym(h, "mixed_trace");
  show("loop", loop(vars, 10));
  printf("vars pointer %s\n", seen[2] == (uint64_t)(uintptr_t)vars ? "matches" : "DIFFERS");
  show("mixed", mixed(5, 10, -3));
  return 0;
}
