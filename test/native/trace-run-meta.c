/*
 * trace-run-meta.c — the deopt table `trace_run_meta` of the hand-written
 * trace in trace-run.ll (docs/traces.md §3), compiled into the same shared
 * object. Offsets and sizes are those of trace.c's Live, RunFrame and
 * StepFrame (checked there with _Static_assert).
 *
 * -D switches build the broken variants the runtime must decline:
 *   META_BAD_MAGIC, META_NONE (no trace_run_meta symbol), META_UNKNOWN_FN,
 *   META_NO_CLONE (a function without a resume trampoline), META_WRONG_LIVE
 *   (another live size than the site's), META_TRUNCATED, META_WRONG_COUNT
 *   (guard 2 lists fewer values than its __ykts_deopt call carries).
 */
#include <stdint.h>

#ifndef META_NONE

#define U32(x) (uint8_t)((x) & 255), (uint8_t)(((x) >> 8) & 255), (uint8_t)(((x) >> 16) & 255), (uint8_t)((x) >> 24)
#define VAL(offset, size) U32(offset), size, 0, 0, 0
#define S_RUN U32(3), 'r', 'u', 'n'
#define S_STEP U32(4), 's', 't', 'e', 'p'

#ifdef META_BAD_MAGIC
#define MAGIC 'Y', 'K', 'T', 'X'
#else
#define MAGIC 'Y', 'K', 'T', 'M'
#endif
#ifdef META_WRONG_LIVE
#define LIVE_SIZE 72
#else
#define LIVE_SIZE 64
#endif
#if defined(META_UNKNOWN_FN)
#define INNER U32(6), 'n', 'o', 's', 'u', 'c', 'h'
#elif defined(META_NO_CLONE)
#define INNER U32(7), 'n', 'o', 'c', 'l', 'o', 'n', 'e'
#else
#define INNER S_STEP
#endif
#ifdef META_WRONG_COUNT
#define INNER_VALUES U32(3), VAL(16, 8), VAL(24, 8), VAL(32, 4)
#elif defined(META_TRUNCATED)
#define INNER_VALUES U32(4), VAL(16, 8), VAL(24, 8), VAL(32, 4), U32(36)
#else
#define INNER_VALUES U32(4), VAL(16, 8), VAL(24, 8), VAL(32, 4), VAL(36, 1)
#endif

/* run's frame: mt 16, loc 24, n 32, k 40 (i32), i 48, acc 56, done 64, r 65; 80 bytes. */
#define RUN_COMMON VAL(16, 8), VAL(24, 8), VAL(32, 8), VAL(40, 4), VAL(48, 8)

const uint8_t trace_run_meta[] = {
    MAGIC, U32(1),
    U32(0), U32(LIVE_SIZE), S_RUN, /* site run#0 */
    U32(3),                        /* guards */
    /* guard 0: i >= n */
    U32(1), S_RUN, U32(2), U32(80), U32(7), RUN_COMMON, VAL(56, 8), VAL(64, 1),
    /* guard 1: i % 16 == 15 */
    U32(1), S_RUN, U32(3), U32(80), U32(7), RUN_COMMON, VAL(56, 8), VAL(65, 1),
    /* guard 2: in step, inlined: run after the call, step at its branch
     * (step's frame: acc 16, i 24, k 32 (i32), z 36; 48 bytes) */
    U32(2), S_RUN, U32(4), U32(80), U32(5), RUN_COMMON, INNER, U32(1), U32(48), INNER_VALUES,
};

#endif
