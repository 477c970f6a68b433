/*
 * recording.c — drives the runtime (native/shim.c) through the retrofit ABI
 * without the instrumenter: `run` below is written by hand the way the
 * instrumenter rewrites a function (docs/retrofit-abi.md §2–§4): the
 * original with its control point replaced by the inline counter and a call
 * of __ykts_cp_slow, a traced clone `run_t` with block markers, a resume
 * dispatch and the clone's control-point logic, and a trampoline `run_r`.
 *
 * Build with `ykts cc` in YKTS_INSTRUMENT=off mode (the file is already
 * "instrumented"). Usage: recording <mode> <n> <repeats>
 *   mode: plain | promote | deeper | longjmp | cloneof
 * Prints the sum computed by `run` over all repeats and exits 0 when it
 * matches the closed form; the runtime's behaviour shows in YKTS_LOG and
 * YKTS_STATS output on stderr (test/native/runtime.test.ts checks it).
 *
 * Block numbering of `run` (what the markers report):
 *   0 entry   1 loop head (control-point site 0)   2 even body
 *   3 odd body   4 latch   5 exit (ret)
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

enum { MODE_PLAIN, MODE_PROMOTE, MODE_DEEPER, MODE_LONGJMP, MODE_CLONEOF };
static int mode;
static jmp_buf escape;
static int escaped;

long run(YkMT *mt, YkLocation *loc, long n);
long run_t(YkMT *mt, YkLocation *loc, long n);
void run_r(void *buf, void *ret_out);

static const YktsFnDesc desc_run = {"run", (void *)run, (void *)run_t, run_r};
/* The instrumenter puts a pointer to every descriptor in section ykts_fns. */
__attribute__((section("ykts_fns"), used)) static const YktsFnDesc *const desc_run_ptr = &desc_run;
static const YktsSite site_run_0;

/* The live struct of site 0: the 16-byte ret slot, then the live values. */
typedef struct Live {
  _Alignas(16) unsigned char ret[16];
  YkMT *mt;
  YkLocation *loc;
  long n, i, acc;
} Live;
static const YktsSite site_run_0 = {&desc_run, 0, sizeof(Live)};

/* The original, as rewritten by the instrumenter. */
long run(YkMT *mt, YkLocation *loc, long n) {
  Live live;
  long i = 0, acc = 0;
  for (;;) {
    /* control point, site 0 */
    uint64_t s = loc->state;
    if ((s & 3) == 1 && s < __ykts_hot_limit) {
      loc->state = s + 4;
    } else if ((s == 0 && !__ykts_debug_resume) || (s & 3) == 2) {
    } else {
      live.mt = mt, live.loc = loc, live.n = n, live.i = i, live.acc = acc;
      int32_t r = __ykts_cp_slow(mt, loc, &site_run_0, &live);
      if (r == -1) {
        long ret;
        memcpy(&ret, live.ret, sizeof ret);
        return ret;
      }
      mt = live.mt, loc = live.loc, n = live.n, i = live.i, acc = live.acc;
    }
    if (i >= n) break;
    if (i & 1)
      acc += i;
    else
      acc += 2 * i;
    i++;
  }
  return acc;
}

#define MARK(b)                                                                                    \
  do {                                                                                             \
    if (__ykts_recording) __ykts_record_block(&desc_run, (b));                                     \
  } while (0)

/* The traced clone: same computation, markers at block starts. */
long run_t(YkMT *mt, YkLocation *loc, long n) {
  long i, acc;
  uint8_t is_base = 0;
  if (__ykts_resume_point != 0) {
    uint32_t p = __ykts_resume_point;
    __ykts_resume_point = 0;
    is_base = __ykts_resume_base;
    __ykts_resume_base = 0;
    if (p != YKTS_RESUME_POINT_CP(0)) abort(); /* the only resume point of this test */
    Live *b = (Live *)__ykts_resume_buf;
    mt = b->mt, loc = b->loc, n = b->n, i = b->i, acc = b->acc;
    goto after_cp;
  }
  MARK(0);
  i = 0, acc = 0;
  for (;;) {
    MARK(1);
    /* control point in the clone, site 0 */
    if (is_base && !(__ykts_recording && loc != __ykts_record_loc)) {
      Live *out = (Live *)__ykts_cp_out;
      out->mt = mt, out->loc = loc, out->n = n, out->i = i, out->acc = acc;
      __ykts_stopped_site = 0;
      return 0;
    }
    if (__ykts_recording && !is_base) __ykts_record_abort(YKTS_ABORT_DEEPER_CP);
  after_cp:
    if (i >= n) break;
    if (i & 1) {
      MARK(3);
      if (mode == MODE_PROMOTE) acc += __ykts_promote_i64(i);
      else acc += i;
      if (mode == MODE_DEEPER && __ykts_recording) __ykts_record_abort(YKTS_ABORT_DEEPER_CP);
      if (mode == MODE_LONGJMP && __ykts_recording && !escaped) {
        escaped = 1;
        longjmp(escape, 1);
      }
    } else {
      MARK(2);
      acc += 2 * i;
    }
    MARK(4);
    i++;
  }
  MARK(5);
  return acc;
}

void run_r(void *buf, void *ret_out) {
  __ykts_resume_buf = buf;
  long r = run_t(NULL, NULL, 0);
  memcpy(ret_out, &r, sizeof r);
}

static long expected(long n) {
  long acc = 0;
  for (long i = 0; i < n; i++) acc += (i & 1) ? i : 2 * i;
  return acc;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s plain|promote|deeper|longjmp|cloneof <n> <repeats>\n", argv[0]);
    return 2;
  }
  const char *m = argv[1];
  mode = !strcmp(m, "promote") ? MODE_PROMOTE
         : !strcmp(m, "deeper") ? MODE_DEEPER
         : !strcmp(m, "longjmp") ? MODE_LONGJMP
         : !strcmp(m, "cloneof") ? MODE_CLONEOF
                                 : MODE_PLAIN;
  long n = atol(argv[2]), repeats = atol(argv[3]);
  if (mode == MODE_CLONEOF) {
    /* Clones only while recording: otherwise every pointer is its own. */
    int ok = __ykts_clone_of((void *)run) == (void *)run;
    __ykts_recording = 1;
    ok = ok && __ykts_clone_of((void *)run) == (void *)run_t && __ykts_clone_of((void *)puts) == (void *)puts;
    __ykts_recording = 0;
    printf("clone_of: %s\n", ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
  }
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  /* volatile: they live across setjmp/longjmp */
  volatile long total = 0, want = 0;
  for (volatile long r = 0; r < repeats; r++) {
    if (mode == MODE_LONGJMP && setjmp(escape)) {
      /* The recording was left by longjmp: this repeat's result is lost. */
      continue;
    }
    total += run(mt, &loc, n);
    want += expected(n);
  }
  printf("total=%ld state&3=%lu\n", total, (unsigned long)(loc.state & 3));
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  return total == want ? 0 : 1;
}
