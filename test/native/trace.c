/*
 * trace.c — runs compiled traces through the runtime (docs/traces.md)
 * without the instrumenter or the trace compiler: `run` and `step` below
 * are written by hand the way the instrumenter rewrites functions
 * (docs/retrofit-abi.md §2–§4, like test/native/recording.c), and
 * test/native/trace-run.ll + trace-run-meta.c are a trace of `run`'s loop
 * written by hand the way jitd will write one. A fake jitd
 * (test/native/fake-jitd.mjs) answers the recording with that object.
 *
 * Build with `ykts cc` in YKTS_INSTRUMENT=off mode. Usage:
 *   trace <mode> <n> <repeats> <k>
 *   mode: plain | nested | longjmp | longjmp-deopt | wrapped
 *   (wrapped: plain, with a deopt handler that counts the deopts and passes
 *   them on to the runtime's, which then gets the values as an array; it
 *   prints a third line "wrapped: <deopts>")
 * Prints the total computed by `run` over all repeats, the reference total,
 * and how often each resume point of the clones was entered from a deopt;
 * exits 0 when the totals agree.
 *
 * The interpreter loop (`run`):
 *   i = 0; acc = 0;
 *   for (;;) {
 *     control point                    site 0 (resume point 1): mt loc n k i acc
 *     done = i >= n; if (done) break;  resume point 2 (term): mt loc n k i acc done
 *     r = i % 16 == 15; next = i + 1;
 *     if (r) acc = rare(acc);          resume point 3 (term): mt loc n k i acc r next
 *     else acc = step(acc, i, k);      resume point 4 (after): mt loc n k i next, result incoming
 *     hook(i); i = next;
 *   }
 * (next is i + 1 kept live across the calls, as clang keeps derived values:
 * a deopt table can have the runtime recompute it from i, source 3.)
 *   return acc;
 * step(acc, i, k): z = i % 5 == 0; if (z) return acc - i; return acc + i * k;
 *                                      resume point 1 (term): acc i k z
 * rare (no ykir) and hook (no ykir, exported: the trace calls it) are
 * opaque; hook is where the nested and longjmp modes act.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

enum { MODE_PLAIN, MODE_NESTED, MODE_LONGJMP, MODE_LONGJMP_DEOPT, MODE_WRAPPED };
static int mode;
static jmp_buf escape;
static long repeat_no;     /* which call of run from main */
static long nested_calls, nested_total;
static YkLocation *the_loc;

long run(YkMT *mt, YkLocation *loc, long n, int k);
long run_t(YkMT *mt, YkLocation *loc, long n, int k);
void run_r(void *buf, void *ret_out);
long step(long acc, long i, int k);
long step_t(long acc, long i, int k);
void step_r(void *buf, void *ret_out);
void hook(long i);

static const YktsFnDesc desc_run = {"run", (void *)run, (void *)run_t, run_r};
static const YktsFnDesc desc_step = {"step", (void *)step, (void *)step_t, step_r};
/* A function with ykir but no traced clone (a deopt table must not name it). */
static const YktsFnDesc desc_noclone = {"noclone", (void *)hook, NULL, NULL};
__attribute__((section("ykts_fns"), used)) static const YktsFnDesc *const desc_ptrs[] = {&desc_run, &desc_step,
                                                                                         &desc_noclone};

/* The live struct of run's site 0. */
typedef struct Live {
  _Alignas(16) unsigned char ret[16];
  YkMT *mt;
  YkLocation *loc;
  long n;
  int k;
  long i, acc;
} Live;
static const YktsSite site_run_0 = {&desc_run, 0, sizeof(Live)};

/* run's clone frame: every value live at one of its resume points. */
typedef struct RunFrame {
  _Alignas(16) unsigned char incoming[16];
  YkMT *mt;
  YkLocation *loc;
  long n;
  int k;
  long i, acc;
  bool done, r;
  long next;
} RunFrame;

typedef struct StepFrame {
  _Alignas(16) unsigned char incoming[16];
  long acc, i;
  int k;
  bool z;
} StepFrame;

/* The layout trace-run.ll and trace-run-meta.c are written against. */
_Static_assert(sizeof(Live) == 64 && offsetof(Live, k) == 40 && offsetof(Live, i) == 48 && offsetof(Live, acc) == 56,
               "live struct layout");
_Static_assert(sizeof(RunFrame) == 80 && offsetof(RunFrame, k) == 40 && offsetof(RunFrame, done) == 64 &&
                   offsetof(RunFrame, r) == 65 && offsetof(RunFrame, next) == 72,
               "run frame layout");
_Static_assert(sizeof(StepFrame) == 48 && offsetof(StepFrame, k) == 32 && offsetof(StepFrame, z) == 36,
               "step frame layout");

/* How often a deopt resumed each point (clones entered at a resume point
 * other than a control point are only ever entered by a deopt here). */
static long resumed_run[5], resumed_step[2];

static YktsDeoptHandler runtime_handler;
static long wrapped_deopts;
static uint64_t wrapped_handler(uint32_t guard, const uint64_t *values, uint32_t count, void *ret_addr) {
  wrapped_deopts++;
  return runtime_handler(guard, values, count, ret_addr);
}

__attribute__((noinline)) long rare(long acc) {
  static long calls;
  if (mode == MODE_LONGJMP_DEOPT && repeat_no == 1 && ++calls == 3) longjmp(escape, 1);
  return (acc * 3) % 1000003;
}

void hook(long i) {
  /* i == 40: called by run's clone resumed after guard 2 (step's z)
   * failed, inside the deopt's resume chain; i == 42: by the trace itself
   * (i == 41 runs in the original: after a deopt the clone stops at the
   * next control point, and the original continues after it). */
  if (mode == MODE_NESTED && (i == 40 || i == 42)) {
    /* An original control point at the same location while the trace runs:
     * the runtime must neither enter the trace nor record. */
    nested_calls++;
    nested_total += run(NULL, the_loc, 30, 2);
  }
  /* i == 52 is called by the trace (51 runs in the original after the deopt at 50). */
  if (mode == MODE_LONGJMP && repeat_no == 1 && i == 52) longjmp(escape, 1);
}

__attribute__((noinline)) long step(long acc, long i, int k) {
  if (i % 5 == 0) return acc - i;
  return acc + i * k;
}

/* The original, as rewritten by the instrumenter. */
long run(YkMT *mt, YkLocation *loc, long n, int k) {
  Live live;
  long i = 0, acc = 0;
  for (;;) {
    uint64_t s = loc->state;
    if ((s & 3) == 1 && s < __ykts_hot_limit) {
      loc->state = s + 4;
    } else if (s == 0 || (s & 3) == 2) {
    } else {
      live.mt = mt, live.loc = loc, live.n = n, live.k = k, live.i = i, live.acc = acc;
      int32_t r = __ykts_cp_slow(mt, loc, &site_run_0, &live);
      if (r == -1) {
        long ret;
        memcpy(&ret, live.ret, sizeof ret);
        return ret;
      }
      if (r != 0) abort();
      mt = live.mt, loc = live.loc, n = live.n, k = live.k, i = live.i, acc = live.acc;
    }
    if (i >= n) break;
    long next = i + 1;
    if (i % 16 == 15)
      acc = rare(acc);
    else
      acc = step(acc, i, k);
    hook(i);
    i = next;
  }
  return acc;
}

#define MARK(d, b)                                                                                 \
  do {                                                                                             \
    if (__ykts_recording) __ykts_record_block(&(d), (b));                                          \
  } while (0)

/* The traced clone of run. Blocks: 0 entry, 1 loop head (site 0), 2 body,
 * 3 rare, 4 step, 5 latch, 6 exit. */
long run_t(YkMT *mt, YkLocation *loc, long n, int k) {
  long i, acc, next;
  bool done, r;
  uint8_t is_base = 0;
  if (__ykts_resume_point != 0) {
    uint32_t p = __ykts_resume_point;
    __ykts_resume_point = 0;
    is_base = __ykts_resume_base;
    __ykts_resume_base = 0;
    if (p == YKTS_RESUME_POINT_CP(0)) {
      Live *b = (Live *)__ykts_resume_buf;
      mt = b->mt, loc = b->loc, n = b->n, k = b->k, i = b->i, acc = b->acc;
      goto after_cp;
    }
    /* The buffer has the frame's layout (a real clone uses it in place). */
    RunFrame *f = (RunFrame *)__ykts_resume_buf;
    mt = f->mt, loc = f->loc, n = f->n, k = f->k, i = f->i, acc = f->acc, done = f->done, r = f->r, next = f->next;
    if (p > 4) abort();
    /* The runtime zeroes what the point's values leave (buffers are reused
     * from deopt to deopt, by frames resumed at other points). */
    if ((p == 2 && (f->r || f->next)) || (p == 3 && f->done) || (p == 4 && (f->acc || f->done || f->r))) abort();
    resumed_run[p]++;
    if (p == 2) goto term_done;
    if (p == 3) goto term_r;
    memcpy(&acc, f->incoming, sizeof acc); /* p == 4: step's result */
    goto after_step;
  }
  MARK(desc_run, 0);
  i = 0, acc = 0;
  for (;;) {
    MARK(desc_run, 1);
    if (is_base && !(__ykts_recording && loc != __ykts_record_loc)) {
      Live *out = (Live *)__ykts_cp_out;
      out->mt = mt, out->loc = loc, out->n = n, out->k = k, out->i = i, out->acc = acc;
      __ykts_stopped_site = 0;
      return 0;
    }
    if (__ykts_recording && !is_base) __ykts_record_abort(YKTS_ABORT_DEEPER_CP);
  after_cp:
    done = i >= n;
  term_done:
    if (done) break;
    MARK(desc_run, 2);
    r = i % 16 == 15;
    next = i + 1;
  term_r:
    if (r) {
      MARK(desc_run, 3);
      acc = rare(acc);
    } else {
      MARK(desc_run, 4);
      acc = step_t(acc, i, k);
    after_step:;
    }
    MARK(desc_run, 5);
    hook(i);
    i = next;
  }
  MARK(desc_run, 6);
  return acc;
}

void run_r(void *buf, void *ret_out) {
  __ykts_resume_buf = buf;
  long r = run_t(NULL, NULL, 0, 0);
  memcpy(ret_out, &r, sizeof r);
}

/* The traced clone of step. Blocks: 0 entry, 1 z, 2 not z. */
long step_t(long acc, long i, int k) {
  bool z;
  if (__ykts_resume_point != 0) {
    uint32_t p = __ykts_resume_point;
    __ykts_resume_point = 0;
    __ykts_resume_base = 0;
    if (p != 1) abort();
    StepFrame *f = (StepFrame *)__ykts_resume_buf;
    acc = f->acc, i = f->i, k = f->k, z = f->z;
    resumed_step[p]++;
    goto term_z;
  }
  MARK(desc_step, 0);
  z = i % 5 == 0;
term_z:
  if (z) {
    MARK(desc_step, 1);
    return acc - i;
  }
  MARK(desc_step, 2);
  return acc + i * k;
}

void step_r(void *buf, void *ret_out) {
  __ykts_resume_buf = buf;
  long r = step_t(0, 0, 0);
  memcpy(ret_out, &r, sizeof r);
}

static long expected(long n, int k) {
  long acc = 0;
  for (long i = 0; i < n; i++) acc = i % 16 == 15 ? (acc * 3) % 1000003 : i % 5 == 0 ? acc - i : acc + i * k;
  return acc;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s plain|nested|longjmp|longjmp-deopt|wrapped <n> <repeats> <k>\n", argv[0]);
    return 2;
  }
  const char *m = argv[1];
  mode = !strcmp(m, "nested")          ? MODE_NESTED
         : !strcmp(m, "longjmp")       ? MODE_LONGJMP
         : !strcmp(m, "longjmp-deopt") ? MODE_LONGJMP_DEOPT
         : !strcmp(m, "wrapped")       ? MODE_WRAPPED
                                       : MODE_PLAIN;
  if (mode == MODE_WRAPPED) {
    runtime_handler = __ykts_deopt_handler;
    __ykts_deopt_handler = wrapped_handler;
  }
  long n = atol(argv[2]), repeats = atol(argv[3]);
  int k = atoi(argv[4]);
  YkMT *mt = yk_mt_new(NULL);
  YkLocation loc = yk_location_new();
  the_loc = &loc;
  /* volatile: they live across setjmp/longjmp */
  volatile long total = 0, want = 0, lost = 0;
  for (volatile long r = 0; r < repeats; r++) {
    repeat_no = r;
    if (setjmp(escape)) {
      /* Left by longjmp: this repeat's result is lost. */
      lost++;
      continue;
    }
    total += run(mt, &loc, n, k);
    want += expected(n, k);
  }
  int ok = total == want && nested_total == nested_calls * expected(30, 2);
  printf("total=%ld want=%ld lost=%ld nested=%ld\n", total, want, lost, nested_calls);
  printf("resumed: run@2=%ld run@3=%ld run@4=%ld step@1=%ld\n", resumed_run[2], resumed_run[3], resumed_run[4],
         resumed_step[1]);
  if (mode == MODE_WRAPPED) printf("wrapped: %ld\n", wrapped_deopts);
  yk_location_drop(loc);
  yk_mt_shutdown(mt);
  return ok ? 0 : 1;
}
