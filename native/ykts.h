/*
 * ykts.h — the API an interpreter author uses to retrofit the ykts JIT.
 *
 * The names and shapes follow yk's C API (yk_mt_new, yk_mt_control_point,
 * YkLocation, yk_promote, ...) so interpreters written for yk build unchanged
 * (yk.h includes this file).
 *
 * Compiled by a plain C compiler, everything here costs nothing: the control
 * point is an empty inline function, promote is the identity, locations are
 * one machine word. Compiled by `ykts cc` (which defines __YKTS__), the
 * control point becomes a call the instrumenter recognises and rewrites, and
 * the rest resolve to the runtime in native/shim.c.
 */
#ifndef YKTS_H
#define YKTS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One per guest loop header. state == 0 means "null location": the control
 * point ignores it. Other values are owned by the runtime (counting, tracing,
 * compiled). */
typedef struct YkLocation {
  uintptr_t state;
} YkLocation;

typedef struct YkMT YkMT;
typedef uint32_t YkHotThreshold;

#ifdef __YKTS__

/* Marks a function whose result depends only on its arguments (and memory
 * nobody writes while the program runs): a trace calls it, and when the
 * arguments are constants in the trace, uses the result it had while
 * recording. noinline keeps its calls visible to the JIT; the instrumenter
 * lets clang inline it in the interpreter's own (untraced) code. */
#define YK_IDEMPOTENT __attribute__((annotate("yk_idempotent"), noinline))
/* Marks a function a trace must call instead of inlining. */
#define YK_OUTLINE __attribute__((annotate("yk_outline"), noinline))

YkMT *yk_mt_new(char **err_msg);
void yk_mt_shutdown(YkMT *mt);
void yk_mt_hot_threshold_set(YkMT *mt, YkHotThreshold t);
void yk_mt_sidetrace_threshold_set(YkMT *mt, YkHotThreshold t);
YkLocation yk_location_new(void);
void yk_location_drop(YkLocation loc);
void yk_debug_str(const char *msg);
/* Rewritten by the instrumenter; never called as such at run time. */
void __ykts_control_point(YkMT *mt, YkLocation *loc);
#define yk_mt_control_point(mt, loc) __ykts_control_point((mt), (loc))

/* Promotion: the trace guards on the value it had while recording and then
 * treats it as a constant. Each is an ordinary call the trace builder knows. */
int64_t __ykts_promote_i64(int64_t v);
uint64_t __ykts_promote_u64(uint64_t v);
int32_t __ykts_promote_i32(int32_t v);
uint32_t __ykts_promote_u32(uint32_t v);
double __ykts_promote_f64(double v);
float __ykts_promote_f32(float v);
void *__ykts_promote_ptr(void *v);
#define yk_promote(x)                                                         \
  _Generic((x),                                                               \
      long: __ykts_promote_i64, unsigned long: __ykts_promote_u64,            \
      long long: __ykts_promote_i64, unsigned long long: __ykts_promote_u64,  \
      int: __ykts_promote_i32, unsigned int: __ykts_promote_u32,              \
      double: __ykts_promote_f64, float: __ykts_promote_f32,                  \
      default: __ykts_promote_ptr)(x)

#else /* plain build: no JIT, no cost */

static inline YkMT *yk_mt_new(char **err_msg) {
  (void)err_msg;
  return (YkMT *)(uintptr_t)1;
}
static inline void yk_mt_shutdown(YkMT *mt) { (void)mt; }
static inline void yk_mt_hot_threshold_set(YkMT *mt, YkHotThreshold t) { (void)mt; (void)t; }
static inline void yk_mt_sidetrace_threshold_set(YkMT *mt, YkHotThreshold t) { (void)mt; (void)t; }
static inline YkLocation yk_location_new(void) { YkLocation l = {1}; return l; }
static inline void yk_location_drop(YkLocation loc) { (void)loc; }
static inline void yk_debug_str(const char *msg) { (void)msg; }
static inline void yk_mt_control_point(YkMT *mt, YkLocation *loc) { (void)mt; (void)loc; }
#define yk_promote(x) (x)
#define YK_IDEMPOTENT
#define YK_OUTLINE

#endif /* __YKTS__ */

static inline YkLocation yk_location_null(void) { YkLocation l = {0}; return l; }
static inline bool yk_location_is_null(YkLocation l) { return l.state == 0; }

#ifdef __cplusplus
}
#endif
#endif /* YKTS_H */
