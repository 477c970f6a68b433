/*
 * shim.h — the runtime's side of the retrofit ABI (docs/retrofit-abi.md):
 * the structs the instrumenter emits as constants (sites, function
 * descriptors), the runtime globals and entry points that instrumented code
 * calls, and the abort reasons a traced clone may report.
 *
 * Interpreter authors never include this file; they use ykts.h. It exists so
 * the runtime (shim.c), hand-written tests that play the instrumenter's part
 * (test/native/) and the instrumenter's documentation agree on one layout.
 */
#ifndef YKTS_SHIM_H
#define YKTS_SHIM_H

#include <stdint.h>

#include "ykts.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One per function with ykir; placed (as a pointer) in section ykts_fns. */
typedef struct YktsFnDesc {
  const char *name;                           /* ykir name, unique in the program */
  void *original;                             /* address of the original */
  void *clone;                                /* address of the traced clone F.ykts.t */
  void (*resume)(void *buf, void *ret_out);   /* resume trampoline F.ykts.r */
} YktsFnDesc;

/* One per control-point call site. */
typedef struct YktsSite {
  const struct YktsFnDesc *fn;   /* the function containing the site */
  uint32_t index;                /* k: site number within fn, from 0 */
  uint32_t live_size;            /* bytes of the live struct incl. the 16-byte ret slot */
} YktsSite;

/* The resume point id of control-point site k (ABI §4: cp points come first). */
#define YKTS_RESUME_POINT_CP(k) ((uint32_t)(k) + 1u)

/* Why a recording stopped without closing its loop. Values are ABI: a
 * traced clone passes YKTS_ABORT_DEEPER_CP to __ykts_record_abort. */
enum YktsAbortReason {
  YKTS_ABORT_TOO_LONG = 1,     /* more than YKTS_MAX_TRACE_LEN blocks */
  YKTS_ABORT_FRAME_LEFT = 2,   /* the base frame returned */
  YKTS_ABORT_LONGJMP = 3,      /* a longjmp left the base frame */
  YKTS_ABORT_DEEPER_CP = 4,    /* a control point was reached in a deeper frame */
  YKTS_ABORT_UNSUPPORTED = 5,  /* instrumented code met something it cannot record */
  YKTS_ABORT_OTHER_SITE = 6,   /* the base frame reached the location at another site */
  YKTS_ABORT_NO_RESUME = 7,    /* the site's function has no traced clone / trampoline */
  YKTS_ABORT_INNER_TRACE = 8,  /* the base frame reached another location whose trace is being compiled */
  YKTS_ABORT_LEFT_LOOP = 9,    /* a root recording left its loop for a much less visited one (tried again at the next visit) */
  YKTS_ABORT_REASON_COUNT = 10
};

/* Why a location was disabled: state == (reason << 2) | 2. */
enum YktsDisableReason {
  YKTS_DISABLED_FAILING = 1,          /* too many aborted or rejected recordings */
  YKTS_DISABLED_JIT_OFF = 2,          /* YKTS_JIT=off, or the JIT turned itself off */
  YKTS_DISABLED_NOT_INSTRUMENTED = 3  /* hot, but its control point was never rewritten */
};

/* What a location's state points to when a compiled trace is installed
 * there (ABI §1, docs/traces.md §4). Owned by the runtime; opaque but for
 * one field: the uint32_t at this offset counts the visits at which the
 * trace is not to be entered (backoff), and the rewritten control point
 * decrements it itself while it is not 0 (ABI §2). */
struct YktsLocState;
#define YKTS_LOC_STATE_SKIP_OFFSET 4

/* Runtime globals read and written by instrumented code (ABI §5). */
extern uint8_t __ykts_recording;
extern uint64_t __ykts_hot_limit;
extern uint8_t __ykts_debug_resume;
extern uint32_t __ykts_resume_point;
extern uint8_t __ykts_resume_base;
extern void *__ykts_resume_buf;
extern void *__ykts_cp_out;
extern int32_t __ykts_stopped_site;
/* The location of the control point where a clone stopped (or a side trace
 * exited): the runtime counts that visit, or enters the location's trace. */
extern YkLocation *__ykts_stopped_loc;
extern YkLocation *__ykts_record_loc;

/* ---- Leaving a compiled trace (native/deopt-entry.S, docs/runtime.md) ---- */

/* Callee-saved registers as a trace left them at its __ykts_deopt call, in
 * the order deopt-entry.S stores them. */
typedef struct YktsSavedRegs {
  uint64_t r15, r14, r13, r12, rbx, rbp;
} YktsSavedRegs;

/* Receives a failed guard's live values (the "deopt" bundle's operands, in
 * order, each widened to 64 bits); its result is what the trace returns.
 * The runtime's own handler (the initial value) resumes the guard's frames
 * in the traced clones (docs/traces.md §4); tests may replace it. */
typedef uint64_t (*YktsDeoptHandler)(uint32_t guard, const uint64_t *values, uint32_t count, void *ret_addr);
extern YktsDeoptHandler __ykts_deopt_handler;

/* The entry traces call (deopt-entry.S): `call i64 @__ykts_deopt(i32 guard) ["deopt"(...)]`. */
uint64_t __ykts_deopt(uint32_t guard);
/* The same entry as the target of a guard's exit call when the guard has no
 * side trace (docs/traces.md §6): called like a side trace, with the live
 * struct and the guard's values, which it ignores; the guard is the
 * stackmap record's ID (the call's "statepoint-id"). */
uint64_t __ykts_deopt_any(void *live, ...);
#define YKTS_GUARD_FROM_RECORD UINT32_MAX
/* Its C half: finds the stackmap record of ret_addr and reads the values. */
uint64_t __ykts_deopt_c(uint32_t guard, void *ret_addr, void *trace_sp, const YktsSavedRegs *regs);

/* The fast tier's exits (C traces compiled by tcc, docs/traces.md §7): a
 * failed guard passes its deopt values in an array, each widened to 64 bits,
 * and `owner`, the value the runtime stored in the object's `<S>_owner`. */
uint64_t __ykts_deopt_v(void *owner, uint32_t guard, const uint64_t *values, uint32_t count);
/* Asked by a fast-tier root trace every so many loop iterations: nonzero
 * when the trace has been replaced by its LLVM-tier object meanwhile. */
int32_t __ykts_trace_poll(void *owner);

/* Indexes the .llvm_stackmaps section of a dlopen'ed trace object so that
 * its __ykts_deopt calls can be decoded. Returns the number of records, or
 * -1 (with a reason in *err) when the object has no usable stackmaps. */
int ykts_stackmaps_register(void *dl_handle, const char **err);

/* Decodes the deopt values of the stackmap record for ret_addr into out
 * (at most max). Returns the number of values, or -1 when ret_addr has no
 * record or a location cannot be read. */
int ykts_stackmap_values(void *ret_addr, void *trace_sp, const YktsSavedRegs *regs, uint64_t *out, uint32_t max);

void __ykts_record_block(const YktsFnDesc *fn, uint32_t block);
void __ykts_record_abort(uint32_t reason);
/* The base frame of a recording reached the control point of another
 * location: nonzero when the clone must stop there (docs/protocol.md). */
uint8_t __ykts_record_other_loc(YkLocation *loc);
void *__ykts_clone_of(void *fnptr);
int32_t __ykts_cp_slow(YkMT *mt, YkLocation *loc, const YktsSite *site, void *live);

#ifdef __cplusplus
}
#endif
#endif /* YKTS_SHIM_H */
