/*
 * trace-run-meta.c — the deopt tables `trace_run_meta` (docs/traces.md §3,
 * version 2) of the hand-written traces of trace.c's run, compiled into the
 * same shared object as the trace. Offsets and sizes are those of trace.c's
 * Live, RunFrame and StepFrame (checked there with _Static_assert).
 *
 * Without META_LEAN: the table of trace-run.ll, whose bundles carry every
 * value (all slots source 0), one slot list per frame layout.
 *
 * With META_LEAN: the table of trace-run-lean.ll (its loop unrolled twice:
 * guards 3-5 are 0-2 again and share their slot lists). The values the
 * trace only reads (mt, loc, n, k) come from the live struct (source 1),
 * the branch conditions a failing guard implies (done, r, z) are constants
 * (source 2, wider than their slot: only the low byte counts), next is
 * i + 1 (source 3, listed before i: the runtime fills it after the others),
 * and only i and acc travel in the bundles, interleaved with the other
 * sources.
 *
 * -D switches build broken variants of the first table the runtime must
 * decline: META_BAD_MAGIC, META_OLD_VERSION (version 1), META_NONE (no
 * trace_run_meta symbol), META_UNKNOWN_FN, META_NO_CLONE (a function
 * without a resume trampoline), META_WRONG_LIVE (another live size than the
 * site's), META_TRUNCATED (ends inside slot list 3), META_WRONG_COUNT
 * (step's z is a constant: guard 2 has 9 source-0 slots, its __ykts_deopt
 * call carries 10 values), META_BAD_SIZE, META_BAD_SOURCE, META_RESERVED
 * (non-zero reserved bytes), META_IN_INCOMING (a slot in the 16-byte
 * incoming slot), META_LIVE_OUTSIDE (a source-1 slot past the live struct),
 * META_BAD_LIST (a slot list index past the last list), META_OUTSIDE_BUFFER
 * (a slot past its frame's buffer), META_DERIVED_SIZE (a 4-byte source-3
 * slot), META_DERIVED_BASE (a source-3 slot whose base is not an 8-byte
 * slot of its list).
 */
#include <stdint.h>

#ifndef META_NONE

#define U32(x) (uint8_t)((x) & 255), (uint8_t)(((x) >> 8) & 255), (uint8_t)(((x) >> 16) & 255), (uint8_t)((x) >> 24)
#define U64(x) U32((uint64_t)(x) & 0xffffffffu), U32((uint64_t)(x) >> 32)
/* A slot: offset, size, source, u16 0, payload. */
#define SLOT(offset, size, source, payload) U32(offset), size, source, 0, 0, U64(payload)
#define B(offset, size) SLOT(offset, size, 0, 0)                 /* the next bundle value */
#define LV(offset, size, at) SLOT(offset, size, 1, at)           /* from the live struct at `at` */
#define K(offset, size, value) SLOT(offset, size, 2, value)      /* a constant */
/* 8 bytes: those at `base` in the same buffer plus a signed 32-bit addend. */
#define D(offset, base, addend) SLOT(offset, 8, 3, ((uint64_t)(base) << 32) | (uint32_t)(int32_t)(addend))
#define S_RUN U32(3), 'r', 'u', 'n'
#define S_STEP U32(4), 's', 't', 'e', 'p'

#ifdef META_BAD_MAGIC
#define MAGIC 'Y', 'K', 'T', 'X'
#else
#define MAGIC 'Y', 'K', 'T', 'M'
#endif
#ifdef META_OLD_VERSION
#define VERSION 1
#else
#define VERSION 2
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

/* Live: mt 16, loc 24, n 32, k 40 (i32), i 48, acc 56; 64 bytes.
 * run's frame: mt 16, loc 24, n 32, k 40 (i32), i 48, acc 56, done 64, r 65, next 72; 80 bytes.
 * step's frame: acc 16, i 24, k 32 (i32), z 36; 48 bytes. */

const uint8_t trace_run_meta[] = {
    MAGIC, U32(VERSION),
    U32(0), U32(LIVE_SIZE), S_RUN, /* site run#0 */
#ifndef META_LEAN
    U32(4), /* slot lists */
    /* 0: run @ 2 (term of done) */
#if defined(META_BAD_SIZE)
    U32(7), B(16, 3), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), B(64, 1),
#elif defined(META_BAD_SOURCE)
    U32(7), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), SLOT(64, 1, 4, 0),
#elif defined(META_RESERVED)
    U32(7), B(16, 8), B(24, 8), U32(32), 8, 0, 1, 0, U64(0), B(40, 4), B(48, 8), B(56, 8), B(64, 1),
#elif defined(META_IN_INCOMING)
    U32(7), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(8, 8), B(64, 1),
#else
    U32(7), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), B(64, 1),
#endif
    /* 1: run @ 3 (term of r) */
#if defined(META_LIVE_OUTSIDE)
    U32(9), LV(16, 8, 60), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), B(65, 1), B(72, 8),
#elif defined(META_DERIVED_SIZE)
    U32(8), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), B(65, 1), SLOT(72, 4, 3, (48ull << 32) | 1),
#elif defined(META_DERIVED_BASE)
    U32(8), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), B(65, 1), D(72, 40, 1),
#else
    U32(8), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(56, 8), B(65, 1), B(72, 8),
#endif
    /* 2: run @ 4 (after the call of step) */
    U32(6), B(16, 8), B(24, 8), B(32, 8), B(40, 4), B(48, 8), B(72, 8),
    /* 3: step @ 1 (term of z) */
#if defined(META_TRUNCATED)
    U32(4), B(16, 8), B(24, 8), B(32, 4), U32(36), 1,
};
#else
#if defined(META_WRONG_COUNT)
    U32(4), B(16, 8), B(24, 8), B(32, 4), K(36, 1, 1),
#elif defined(META_OUTSIDE_BUFFER)
    U32(4), B(16, 8), B(24, 8), B(32, 4), B(44, 8),
#else
    U32(4), B(16, 8), B(24, 8), B(32, 4), B(36, 1),
#endif
    U32(3), /* guards: frames of (function, resume point, buffer size, slot list) */
    /* guard 0: i >= n */
    U32(1), S_RUN, U32(2), U32(80), U32(0),
    /* guard 1: i % 16 == 15 */
    U32(1), S_RUN, U32(3), U32(80), U32(1),
    /* guard 2: in step, inlined: run after the call, step at its branch */
#ifdef META_BAD_LIST
    U32(2), S_RUN, U32(4), U32(80), U32(2), INNER, U32(1), U32(48), U32(4),
#else
    U32(2), S_RUN, U32(4), U32(80), U32(2), INNER, U32(1), U32(48), U32(3),
#endif
};
#endif

#else /* META_LEAN */
    U32(4), /* slot lists */
    /* 0: run @ 2: done is 1 when guard 0 or 3 fails */
    U32(7), B(48, 8), LV(16, 8, 16), B(56, 8), LV(24, 8, 24), K(64, 1, 0x1234567800000001ull), LV(32, 8, 32),
    LV(40, 4, 40),
    /* 1: run @ 3: r is 1, next is i + 1 */
    U32(8), LV(16, 8, 16), LV(24, 8, 24), LV(32, 8, 32), LV(40, 4, 40), B(48, 8), D(72, 48, 1), B(56, 8),
    K(65, 1, 0xff01),
    /* 2: run @ 4: i only from the bundle, next recomputed */
    U32(6), D(72, 48, 1), LV(16, 8, 16), LV(24, 8, 24), B(48, 8), LV(32, 8, 32), LV(40, 4, 40),
    /* 3: step @ 1: z is 1, k is run's (the live struct's) */
    U32(4), K(36, 1, 1), B(16, 8), LV(32, 4, 40), B(24, 8),
    U32(6), /* guards */
    U32(1), S_RUN, U32(2), U32(80), U32(0),                                      /* 0: i >= n */
    U32(1), S_RUN, U32(3), U32(80), U32(1),                                      /* 1: i % 16 == 15 */
    U32(2), S_RUN, U32(4), U32(80), U32(2), S_STEP, U32(1), U32(48), U32(3),     /* 2: i % 5 == 0 in step */
    U32(1), S_RUN, U32(2), U32(80), U32(0),                                      /* 3: as 0, one iteration on */
    U32(1), S_RUN, U32(3), U32(80), U32(1),                                      /* 4: as 1 */
    U32(2), S_RUN, U32(4), U32(80), U32(2), S_STEP, U32(1), U32(48), U32(3),     /* 5: as 2 */
};
#endif /* META_LEAN */

#endif
