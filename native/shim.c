/*
 * shim.c — the ykts runtime linked into every `ykts cc` executable.
 *
 * It owns everything the JIT does inside the interpreter's process
 * (docs/retrofit-abi.md is the contract, docs/protocol.md the wire format):
 *   - hot counters per location and the decision to record (__ykts_cp_slow);
 *   - recording: resuming the traced clone at the control point, collecting
 *     (function, block) ids and promoted values, stopping when the base frame
 *     reaches the location again, aborting with a named reason otherwise;
 *   - the link to jitd (a Node process started on first need): spawning it,
 *     sending recordings, polling answers without blocking;
 *   - compiled traces (docs/traces.md): installing the object jitd answers
 *     with, entering it at its control point, and leaving it through a
 *     failed guard (deopt: the guard's frames resume in the traced clones);
 *   - the yk-style API of ykts.h, observability (YKTS_LOG, YKTS_STATS).
 * Any failure of the JIT machinery turns the JIT off for the process and the
 * interpreter carries on: nothing here may change the interpreter's results.
 *
 * Single-threaded by contract (ABI doc, introduction).
 */
#define _GNU_SOURCE
/* The runtime implements the __YKTS__ half of ykts.h. */
#ifndef __YKTS__
#define __YKTS__ 1
#endif
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

/* Baked in by `ykts cc` when it compiles this file for a link (src/cc/runtime.ts). */
#ifndef YKTS_NODE_DEFAULT
#define YKTS_NODE_DEFAULT "node"
#endif
#ifndef YKTS_JITD_DEFAULT
#define YKTS_JITD_DEFAULT ""
#endif

#define YKTS_PROTOCOL_VERSION 4u
#define DEFAULT_HOT_THRESHOLD 200u
#define DEFAULT_MAX_TRACE_LEN 4000u
/* Side recordings are cut shorter: a long one (json's parser, 3,017 blocks
 * from a string loop's exit through the recursive descent) took jitd 1.2 s
 * to compile while its guard deopted, for little gain once it came. */
#define DEFAULT_MAX_SIDE_LEN 1000u
#define DEFAULT_MAX_FAILURES 5u
/* A fast-tier trace is compiled again by clang (an upgrade) once it has run
 * this many loop iterations plus entries (YKTS_UPGRADE_AFTER): traces that
 * stay cold (a loop that ran once, a trace retired early) cost jitd no
 * clang time, and the hot ones are asked for in the order they get hot. */
#define DEFAULT_UPGRADE_AFTER 16384u
/* Failures of one guard after which a side trace is recorded from it. */
#define DEFAULT_SIDETRACE_THRESHOLD 5u
/* Side recordings from one guard that may fail before it stops trying. */
#define MAX_SIDE_TRIES 3u
/* A trace entry that deopts within this many TSC cycles did next to nothing
 * for the deopt it cost; when 9 in 10 of a tree's entries are that short,
 * the runtime stops entering it for a while (backoff). */
#define DEFAULT_SHORT_ENTRY_CYCLES 3000u
#define BACKOFF_WINDOW 256u
#define BACKOFF_MIN 1024u
#define BACKOFF_MAX (1u << 20)
/* TSC cycles between reads of jitd's answers from the slow path. */
#define POLL_CYCLES 2000000u
/* Iterations an entry a root trace must have averaged (over the entries
 * its guard did not fail in at once) for a guard failing in its first
 * iteration to retire it (retrace, below). */
#define RETRACE_ITERS 64u
/* Side recordings in one trace tree (a root trace and its side traces). */
#define DEFAULT_MAX_SIDE_TRACES 100u
#define SYNC_TIMEOUT_MS 120000

/* Message types of docs/protocol.md. */
enum {
  MSG_HELLO = 0x01,
  MSG_FUNCTION = 0x02,
  MSG_RECORDING = 0x03,
  MSG_SIDE_RECORDING = 0x04,
  MSG_UPGRADE_REQUEST = 0x05,
  MSG_HELLO_ACK = 0x81,
  MSG_ANSWER = 0x82,
  MSG_UPGRADE = 0x83,
};
/* ANSWER_COMPILED_UPGRADING: compiled by the fast tier; an UPGRADE with the
 * LLVM tier's object for the same trace follows (docs/protocol.md). */
enum { ANSWER_NOT_COMPILED = 0, ANSWER_COMPILED = 1, ANSWER_COMPILED_UPGRADING = 2 };
/* Kinds of promoted values in a recording. */
enum { PROMOTE_I64 = 1, PROMOTE_U64, PROMOTE_I32, PROMOTE_U32, PROMOTE_F64, PROMOTE_F32, PROMOTE_PTR };

/* ---------------------------------------------------------------- globals */

/* ABI §5 globals, read and written by instrumented code. */
uint8_t __ykts_recording;
uint64_t __ykts_hot_limit = ((uint64_t)DEFAULT_HOT_THRESHOLD << 2) | 1;
uint8_t __ykts_debug_resume;
uint32_t __ykts_resume_point;
uint8_t __ykts_resume_base;
void *__ykts_resume_buf;
void *__ykts_cp_out;
int32_t __ykts_stopped_site = -1;
YkLocation *__ykts_stopped_loc;
YkLocation *__ykts_record_loc;

struct YkMT {
  int unused;
};
static struct YkMT the_mt;

/* Configuration from the environment (read once, see init_config). */
static struct {
  int initialised;
  int log;              /* YKTS_LOG */
  int stats;            /* YKTS_STATS: 1, or 2 for =guards (the guards that deopt most, too) */
  int sync;             /* YKTS_SYNC */
  int threshold_from_env;
  uint32_t max_len;     /* YKTS_MAX_TRACE_LEN */
  uint32_t max_side_len; /* YKTS_MAX_SIDE_LEN */
  uint32_t max_failures;
  uint32_t side_threshold; /* YKTS_SIDETRACE_THRESHOLD (0: no side traces) */
  uint32_t max_side;       /* YKTS_MAX_SIDE_TRACES */
  uint32_t max_retraces;   /* YKTS_MAX_RETRACES */
  uint32_t short_cycles;   /* YKTS_SHORT_ENTRY_CYCLES (0: never back off) */
  uint32_t upgrade_after;  /* YKTS_UPGRADE_AFTER (0: ask at install) */
  int side_from_env;
} cfg;

/* Why the JIT is off for the whole process (NULL while it is on). */
static const char *jit_off_reason;
static char jit_off_buf[256];

static const char *const abort_names[YKTS_ABORT_REASON_COUNT] = {
    "none", "too-long", "frame-left", "longjmp", "deeper-cp", "unsupported", "other-site", "no-resume", "inner-trace",
    "left-loop",
};
static const char *const disable_names[] = {"none", "failing", "jit-off", "not-instrumented"};

static struct {
  uint64_t started, completed, aborted, by_reason[YKTS_ABORT_REASON_COUNT];
  uint64_t answered_not_compiled, traces_compiled, traces_entered;
  uint64_t locations_hot, locations_disabled, debug_resumes;
  uint64_t traces_installed, deopts;
  uint64_t answers_dropped; /* answers to recordings whose location was dropped meanwhile */
  uint64_t side_started, side_aborted, side_not_compiled, side_installed;
  uint64_t trace_links;
  uint64_t traces_fast, upgraded, not_upgraded;
  uint64_t backoffs, backoff_skips;
  uint64_t retraces;
  uint64_t slow_paths; /* calls of __ykts_cp_slow */
} stats;

/* ---------------------------------------------------------------- logging */

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
  line[n++] = '\n';
  /* One write per line so lines of jitd and the interpreter do not interleave. */
  ssize_t w = write(2, line, (size_t)n);
  (void)w;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) {
    logf_("ykts: out of memory (%zu bytes) in the JIT runtime", n);
    abort();
  }
  return q;
}

static uint32_t env_u32(const char *name, uint32_t dflt, uint32_t min) {
  const char *v = getenv(name);
  if (!v || !*v) return dflt;
  char *end;
  unsigned long x = strtoul(v, &end, 10);
  if (*end || x < min || x > 0x3fffffffUL) {
    logf_("ykts: ignoring %s=%s (expected an integer >= %u)", name, v, min);
    return dflt;
  }
  return (uint32_t)x;
}

static int env_on(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0") != 0 && strcmp(v, "off") != 0;
}

static void print_stats(void);
static void at_exit(void);

/* The limit counting locations count to. __ykts_hot_limit (what the inline
 * fast path compares with) equals it, except in YKTS_DEBUG_RESUME mode where
 * it is 0 so that every counting location takes the slow path. */
static uint64_t hot_limit = ((uint64_t)DEFAULT_HOT_THRESHOLD << 2) | 1;

static void set_threshold(uint32_t t) {
  if (t < 1) t = 1;
  hot_limit = ((uint64_t)t << 2) | 1;
  __ykts_hot_limit = __ykts_debug_resume ? 0 : hot_limit;
}

static void init_config(void) {
  if (cfg.initialised) return;
  cfg.initialised = 1;
  cfg.log = env_on("YKTS_LOG");
  cfg.stats = env_on("YKTS_STATS");
  if (cfg.stats && strcmp(getenv("YKTS_STATS"), "guards") == 0) cfg.stats = 2;
  cfg.sync = env_on("YKTS_SYNC");
  cfg.max_len = env_u32("YKTS_MAX_TRACE_LEN", DEFAULT_MAX_TRACE_LEN, 1);
  cfg.max_side_len = env_u32("YKTS_MAX_SIDE_LEN", DEFAULT_MAX_SIDE_LEN, 1);
  cfg.max_failures = env_u32("YKTS_MAX_FAILURES", DEFAULT_MAX_FAILURES, 1);
  cfg.side_threshold = env_u32("YKTS_SIDETRACE_THRESHOLD", DEFAULT_SIDETRACE_THRESHOLD, 0);
  cfg.side_from_env = getenv("YKTS_SIDETRACE_THRESHOLD") && *getenv("YKTS_SIDETRACE_THRESHOLD");
  cfg.max_side = env_u32("YKTS_MAX_SIDE_TRACES", DEFAULT_MAX_SIDE_TRACES, 0);
  cfg.max_retraces = env_u32("YKTS_MAX_RETRACES", 1, 0);
  cfg.upgrade_after = env_u32("YKTS_UPGRADE_AFTER", DEFAULT_UPGRADE_AFTER, 0);
  /* Off in sync mode by default: tests count entries, and backing off
   * depends on the time a trace runs. */
  cfg.short_cycles = env_u32("YKTS_SHORT_ENTRY_CYCLES", cfg.sync ? 0 : DEFAULT_SHORT_ENTRY_CYCLES, 0);
  if (getenv("YKTS_HOT_THRESHOLD") && *getenv("YKTS_HOT_THRESHOLD")) {
    cfg.threshold_from_env = 1;
    set_threshold(env_u32("YKTS_HOT_THRESHOLD", DEFAULT_HOT_THRESHOLD, 1));
  }
  __ykts_debug_resume = (uint8_t)env_on("YKTS_DEBUG_RESUME");
  if (__ykts_debug_resume) __ykts_hot_limit = 0;
  const char *jit = getenv("YKTS_JIT");
  if (jit && (strcmp(jit, "off") == 0 || strcmp(jit, "0") == 0)) jit_off_reason = "YKTS_JIT=off";
  atexit(at_exit);
}

/* The process's pid, kept current across fork by an atfork handler:
 * jitd belongs to the process that started it, and asking the kernel on
 * every check cost a system call on the interpreter's slow paths. */
static pid_t self_pid;
static void refresh_pid(void) { self_pid = getpid(); }

/* Runs before main so that the inline fast path sees the right hot limit even
 * for control points reached before yk_mt_new. */
__attribute__((constructor)) static void ykts_constructor(void) {
  refresh_pid();
  pthread_atfork(NULL, NULL, refresh_pid);
  init_config();
}

/* ------------------------------------------------------- location table */

/* Per-location facts that do not fit in the location's word. Keyed by the
 * location's address: yk_location_drop receives the word, not the address,
 * so an entry outlives a dropped location (a new location at the same address
 * inherits its failure count; harmless, documented in docs/protocol.md). */
typedef struct LocInfo {
  YkLocation *loc;
  uint32_t id;          /* 1, 2, ... in order of first hotness: the log's loc=<id> */
  uint32_t failures;    /* aborted or rejected recordings */
  uint8_t seen_hot;     /* counted in stats.locations_hot */
  uint8_t transients;   /* recordings aborted for a passing reason (rec.transient) */
  uint8_t retraces;     /* root traces retired here because a guard failed in their first iteration */
  uint8_t left_once;    /* its last root recording was aborted with left-loop: the next one goes on */
  uint32_t wait;        /* times it is still to get hot before it records again */
} LocInfo;

static LocInfo *loc_table;
static size_t loc_cap, loc_count;
static uint32_t next_loc_id = 1;

static size_t ptr_hash(const void *p, size_t cap) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x & (cap - 1);
}

static LocInfo *loc_info(YkLocation *loc) {
  if (loc_count * 2 >= loc_cap) {
    size_t ncap = loc_cap ? loc_cap * 2 : 64;
    LocInfo *nt = calloc(ncap, sizeof *nt);
    if (!nt) xrealloc(NULL, ncap * sizeof *nt);
    for (size_t i = 0; i < loc_cap; i++) {
      if (!loc_table[i].loc) continue;
      size_t j = ptr_hash(loc_table[i].loc, ncap);
      while (nt[j].loc) j = (j + 1) & (ncap - 1);
      nt[j] = loc_table[i];
    }
    free(loc_table);
    loc_table = nt;
    loc_cap = ncap;
  }
  size_t j = ptr_hash(loc, loc_cap);
  while (loc_table[j].loc && loc_table[j].loc != loc) j = (j + 1) & (loc_cap - 1);
  if (!loc_table[j].loc) {
    loc_table[j].loc = loc;
    loc_table[j].id = next_loc_id++;
    loc_count++;
  }
  return &loc_table[j];
}


static void disable_location(YkLocation *loc, LocInfo *info, uint32_t reason) {
  loc->state = ((uintptr_t)reason << 2) | 2;
  stats.locations_disabled++;
  if (cfg.log) logf_("ykts: loc=%u disabled: %s", info->id, disable_names[reason]);
}

/* ---------------------------------------------------- function ids */

/* Recordings name functions by small ids; jitd learns each id's name once
 * (MSG_FUNCTION) before the first recording that uses it. */
typedef struct FnEntry {
  const YktsFnDesc *desc;
  uint32_t id;
} FnEntry;

static FnEntry *fn_table;
static size_t fn_cap, fn_count;
static const YktsFnDesc **fn_by_id; /* index = id */
static uint8_t *fn_sent;            /* index = id: name already sent to jitd */
static const YktsFnDesc *fn_last_desc;
static uint32_t fn_last_id;

static uint32_t fn_id(const YktsFnDesc *desc) {
  if (desc == fn_last_desc) return fn_last_id;
  if (fn_count * 2 >= fn_cap) {
    size_t ncap = fn_cap ? fn_cap * 2 : 256;
    FnEntry *nt = calloc(ncap, sizeof *nt);
    if (!nt) xrealloc(NULL, ncap * sizeof *nt);
    for (size_t i = 0; i < fn_cap; i++) {
      if (!fn_table[i].desc) continue;
      size_t j = ptr_hash(fn_table[i].desc, ncap);
      while (nt[j].desc) j = (j + 1) & (ncap - 1);
      nt[j] = fn_table[i];
    }
    free(fn_table);
    fn_table = nt;
    fn_cap = ncap;
  }
  size_t j = ptr_hash(desc, fn_cap);
  while (fn_table[j].desc && fn_table[j].desc != desc) j = (j + 1) & (fn_cap - 1);
  if (!fn_table[j].desc) {
    fn_table[j].desc = desc;
    fn_table[j].id = (uint32_t)fn_count;
    fn_by_id = xrealloc(fn_by_id, (fn_count + 1) * sizeof *fn_by_id);
    fn_sent = xrealloc(fn_sent, fn_count + 1);
    fn_by_id[fn_count] = desc;
    fn_sent[fn_count] = 0;
    fn_count++;
  }
  fn_last_desc = desc;
  fn_last_id = fn_table[j].id;
  return fn_last_id;
}

static const char *fn_name(const YktsFnDesc *desc) {
  return desc && desc->name ? desc->name : "?";
}

/* ------------------------------------------------- original -> clone map */

/* Descriptors of all instrumented translation units, collected by the linker.
 * Weak: a program without instrumented code has no such section. */
extern const YktsFnDesc *const __start_ykts_fns[] __attribute__((weak));
extern const YktsFnDesc *const __stop_ykts_fns[] __attribute__((weak));

static struct {
  void **keys, **vals;
  size_t cap;
  int built;
} clone_map;

static void build_clone_map(void) {
  clone_map.built = 1;
  if (!__start_ykts_fns || !__stop_ykts_fns) return;
  size_t n = (size_t)(__stop_ykts_fns - __start_ykts_fns);
  size_t cap = 16;
  while (cap < n * 2 + 2) cap *= 2;
  clone_map.keys = calloc(cap, sizeof(void *));
  clone_map.vals = calloc(cap, sizeof(void *));
  if (!clone_map.keys || !clone_map.vals) xrealloc(NULL, cap * sizeof(void *));
  clone_map.cap = cap;
  for (size_t i = 0; i < n; i++) {
    const YktsFnDesc *d = __start_ykts_fns[i];
    if (!d || !d->original || !d->clone) continue;
    size_t j = ptr_hash(d->original, cap);
    while (clone_map.keys[j] && clone_map.keys[j] != d->original) j = (j + 1) & (cap - 1);
    clone_map.keys[j] = d->original;
    clone_map.vals[j] = d->clone;
  }
}

void *__ykts_clone_of(void *fnptr) {
  /* Clones call clones only while recording (src/instrument/traced-clone.ts). */
  if (!__ykts_recording) return fnptr;
  if (!clone_map.built) build_clone_map();
  if (!clone_map.cap || !fnptr) return fnptr;
  size_t j = ptr_hash(fnptr, clone_map.cap);
  while (clone_map.keys[j]) {
    if (clone_map.keys[j] == fnptr) return clone_map.vals[j];
    j = (j + 1) & (clone_map.cap - 1);
  }
  return fnptr;
}

/* ---------------------------------------------------------- byte buffers */

typedef struct Buf {
  uint8_t *p;
  size_t len, cap;
} Buf;

static void buf_reserve(Buf *b, size_t extra) {
  if (b->len + extra <= b->cap) return;
  size_t ncap = b->cap ? b->cap : 256;
  while (ncap < b->len + extra) ncap *= 2;
  b->p = xrealloc(b->p, ncap);
  b->cap = ncap;
}
static void put_bytes(Buf *b, const void *src, size_t n) {
  buf_reserve(b, n);
  memcpy(b->p + b->len, src, n);
  b->len += n;
}
/* The protocol is little-endian; so is every target ykts supports (x86-64). */
static void put_u8(Buf *b, uint8_t v) { put_bytes(b, &v, 1); }
static void put_u32(Buf *b, uint32_t v) { put_bytes(b, &v, 4); }
static void put_u64(Buf *b, uint64_t v) { put_bytes(b, &v, 8); }
static void put_str(Buf *b, const char *s) {
  uint32_t n = (uint32_t)strlen(s);
  put_u32(b, n);
  put_bytes(b, s, n);
}
/* Starts a frame: u32 length (patched by end_msg), u8 type. */
static size_t begin_msg(Buf *b, uint8_t type) {
  size_t at = b->len;
  put_u32(b, 0);
  put_u8(b, type);
  return at;
}
static void end_msg(Buf *b, size_t at) {
  uint32_t n = (uint32_t)(b->len - at - 4);
  memcpy(b->p + at, &n, 4);
}

/* ------------------------------------------------------------- the jitd */

enum { JITD_NOT_STARTED, JITD_RUNNING, JITD_DEAD };
static struct {
  int state;
  pid_t pid;
  pid_t owner;          /* our pid when we spawned it: a forked child must not talk to it */
  int to_fd, from_fd;   /* our ends: requests out, answers in */
  int acked;            /* HELLO_ACK received */
  Buf in;               /* answer bytes not yet parsed */
  Buf out;              /* scratch for outgoing messages */
  uint32_t next_rec_id;
} jitd = {JITD_NOT_STARTED, -1, -1, -1, -1, 0, {0}, {0}, 1};

/* Recordings sent and not yet answered, for the log line that reports the
 * outcome when the answer arrives. */
struct YktsLocState;

/* What the state of a location points to while its root recording awaits
 * jitd's answer. The location may be dropped meanwhile (minilua frees the
 * prototypes of dead chunks, and with them their locations), and
 * yk_location_drop receives the location's word, not its address: this
 * record is how the runtime learns of it, so that the answer is not written
 * into freed (or reused) memory. Its first two fields are laid out like a
 * trace's state: the rewritten control point skips `skip` visits inline,
 * and then calls the runtime, which polls for the answer and skips again. */
#define YKTS_LOC_PENDING_MAGIC 0x594b5450u /* "YKTP" */
typedef struct PendingLoc {
  uint32_t magic;   /* YKTS_LOC_PENDING_MAGIC; 0 once the location is dropped */
  uint32_t skip;    /* at YKTS_LOC_STATE_SKIP_OFFSET */
  uint32_t rec_id;
  YkLocation *loc;
} PendingLoc;
_Static_assert(offsetof(PendingLoc, skip) == YKTS_LOC_STATE_SKIP_OFFSET, "the control point's inline skip reads this field");

/* The pending record a location's state points to, if it does. */
static PendingLoc *pending_loc(uintptr_t s) {
  if (s == 0 || (s & 3) != 0) return NULL;
  PendingLoc *p = (PendingLoc *)s;
  return p->magic == YKTS_LOC_PENDING_MAGIC ? p : NULL;
}

/* Visits a pending location lets pass before the runtime looks again: a hot
 * threshold's worth, as when it counted; none when every visit must reach
 * the runtime (YKTS_DEBUG_RESUME). */
static uint32_t pending_skip(void) { return __ykts_debug_resume ? 0 : (uint32_t)(hot_limit >> 2); }

typedef struct Pending {
  uint32_t rec_id, loc_id, site, len;
  YkLocation *loc;
  PendingLoc *ph;              /* a root recording: what its location's state points to */
  const YktsFnDesc *fn;
  const YktsSite *site_desc;   /* the recording's site: a trace is installed for it */
  struct YktsLocState *parent; /* a side recording: the trace and guard it starts from */
  uint32_t guard;
} Pending;
static Pending *pending;
static size_t pending_len, pending_cap;

static LocInfo *loc_info(YkLocation *loc);

/* A root recording's answer has come (or never will): its location, unless
 * dropped, counts again; 1 when it was dropped. */
static int release_pending_loc(const Pending *pd) {
  PendingLoc *ph = pd->ph;
  int dropped = ph->magic != YKTS_LOC_PENDING_MAGIC;
  if (!dropped) {
    if (pd->loc->state == (uintptr_t)ph) pd->loc->state = 1;
  }
  free(ph);
  return dropped;
}
/* UPGRADE messages jitd owes (one per ANSWER of status 2, whether or not
 * that trace was installed or is still there): answers are polled for
 * while there are any (docs/protocol.md, MSG_UPGRADE). */
static uint32_t upgrades_owed;

static void turn_jit_off(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void side_give_up(struct YktsLocState *ls, uint32_t guard);

/* Closes our ends; a jitd that is still running (it answered garbage or
 * nothing in time) is killed so that it does not linger. */
static void close_jitd(void) {
  if (jitd.to_fd >= 0) close(jitd.to_fd);
  if (jitd.from_fd >= 0) close(jitd.from_fd);
  jitd.to_fd = jitd.from_fd = -1;
  if (jitd.pid > 0 && jitd.owner == self_pid) {
    int st;
    if (waitpid(jitd.pid, &st, WNOHANG) == 0) {
      kill(-jitd.pid, SIGKILL); /* its process group: jitd and its compilers */
      waitpid(jitd.pid, &st, 0);
    }
    jitd.pid = -1;
  }
}

static void turn_jit_off(const char *fmt, ...) {
  if (jit_off_reason) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(jit_off_buf, sizeof jit_off_buf, fmt, ap);
  va_end(ap);
  jit_off_reason = jit_off_buf;
  if (jitd.state == JITD_RUNNING) jitd.state = JITD_DEAD;
  close_jitd();
  if (cfg.log) logf_("ykts: jit off: %s", jit_off_reason);
  /* Recordings in flight will never be answered. */
  for (size_t i = 0; i < pending_len; i++) {
    if (pending[i].parent) side_give_up(pending[i].parent, pending[i].guard);
    else release_pending_loc(&pending[i]);
    if (cfg.log)
      logf_("ykts: %s loc=%u site=%s#%u len=%u -> lost: jit off", pending[i].parent ? "side-recorded" : "recorded",
            pending[i].loc_id, fn_name(pending[i].fn), pending[i].site, pending[i].len);
  }
  pending_len = 0;
}

static const char *jitd_path(int *is_js) {
  const char *p = getenv("YKTS_JITD");
  if (!p || !*p) p = YKTS_JITD_DEFAULT;
  size_t n = strlen(p);
  *is_js = (n > 3 && strcmp(p + n - 3, ".js") == 0) || (n > 4 && strcmp(p + n - 4, ".mjs") == 0);
  return p;
}

static int move_high(int fd) {
  int h = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return h;
}

/* Starts jitd: `node <jitd.js> --exe <exe> --pid <pid> --fds 3,4` (or the YKTS_JITD
 * executable itself), requests on its fd 3, answers from its fd 4, its
 * stdout redirected to our stderr so it can never write into the
 * interpreter's output. Returns 0 on success. */
static int start_jitd(void) {
  jitd.state = JITD_DEAD; /* until proven otherwise */
  int is_js;
  const char *path = jitd_path(&is_js);
  if (!*path) {
    turn_jit_off("no jitd path (link with `ykts cc` or set YKTS_JITD)");
    return -1;
  }
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n < 0) {
    turn_jit_off("cannot read /proc/self/exe: %s", strerror(errno));
    return -1;
  }
  exe[n] = 0;
  char pidbuf[32];
  snprintf(pidbuf, sizeof pidbuf, "%ld", (long)getpid());

  int req[2], ans[2];
  if (pipe2(req, O_CLOEXEC) != 0) {
    turn_jit_off("pipe: %s", strerror(errno));
    return -1;
  }
  if (pipe2(ans, O_CLOEXEC) != 0) {
    close(req[0]);
    close(req[1]);
    turn_jit_off("pipe: %s", strerror(errno));
    return -1;
  }
  /* Keep all four ends above fd 4 so the child's dup2 onto 3 and 4 cannot
   * clobber an end it still needs. */
  for (int i = 0; i < 2; i++) {
    req[i] = move_high(req[i]);
    ans[i] = move_high(ans[i]);
  }
  if (req[0] < 0 || req[1] < 0 || ans[0] < 0 || ans[1] < 0) {
    turn_jit_off("fcntl(F_DUPFD_CLOEXEC) failed");
    return -1;
  }

  const char *node = getenv("YKTS_NODE");
  if (!node || !*node) node = YKTS_NODE_DEFAULT;
  char *argv[12];
  int a = 0;
  if (is_js) argv[a++] = (char *)node;
  argv[a++] = (char *)path;
  argv[a++] = "--exe";
  argv[a++] = exe;
  argv[a++] = "--pid";
  argv[a++] = pidbuf;
  argv[a++] = "--fds"; /* requests on fd 3, answers on fd 4 */
  argv[a++] = "3,4";
  argv[a] = NULL;

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, 2, 1);
  posix_spawn_file_actions_adddup2(&fa, req[0], 3);
  posix_spawn_file_actions_adddup2(&fa, ans[1], 4);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  /* The interpreter's own descriptors are none of jitd's business. */
  posix_spawn_file_actions_addclosefrom_np(&fa, 5);
#endif
  /* A process group of its own, with the compilers it starts: killed as a
   * whole when the program exits (at_exit). */
  posix_spawnattr_t sa;
  posix_spawnattr_init(&sa);
  posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&sa, 0);
  extern char **environ;
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], &fa, &sa, argv, environ);
  posix_spawnattr_destroy(&sa);
  posix_spawn_file_actions_destroy(&fa);
  close(req[0]);
  close(ans[1]);
  if (err != 0) {
    close(req[1]);
    close(ans[0]);
    turn_jit_off("cannot start jitd (%s%s%s): %s", argv[0], is_js ? " " : "", is_js ? path : "", strerror(err));
    return -1;
  }
  jitd.pid = pid;
  jitd.owner = self_pid;
  jitd.to_fd = req[1];
  jitd.from_fd = ans[0];
  fcntl(jitd.from_fd, F_SETFL, fcntl(jitd.from_fd, F_GETFL) | O_NONBLOCK);
  jitd.state = JITD_RUNNING;
  if (cfg.log) logf_("ykts: jitd started: pid=%ld %s", (long)pid, path);

  size_t at = begin_msg(&jitd.out, MSG_HELLO);
  put_u32(&jitd.out, YKTS_PROTOCOL_VERSION);
  put_u32(&jitd.out, (uint32_t)getpid());
  put_u32(&jitd.out, cfg.sync ? 1u : 0u);
  put_str(&jitd.out, exe);
  end_msg(&jitd.out, at);
  return 0;
}

/* jitd's pipe closed (EOF on answers, EPIPE on requests): jitd is usually
 * exiting, so give it a moment to become reapable and say why it went
 * (close_jitd kills it otherwise); `otherwise` if it has not gone by then.
 * Up to a second: a killed jitd with a large heap took longer than the
 * 200 ms allowed before to become reapable on a loaded machine (the full
 * test suite's fault-injection test saw "closed its answer pipe" instead of
 * the signal). A request written in the meantime meets the closed pipe
 * first, so the write path asks the same (the suite saw no signal line). */
static void jitd_gone(const char *otherwise) {
  int st = 0;
  pid_t w = 0;
  for (int tries = 0; tries < 1000 && w == 0; tries++) {
    w = waitpid(jitd.pid, &st, WNOHANG);
    if (w == 0) {
      struct timespec ms = {0, 1000000};
      nanosleep(&ms, NULL);
    }
  }
  if (w == jitd.pid) jitd.pid = -1; /* reaped: close_jitd must not touch the pid again */
  if (w > 0 && WIFEXITED(st))
    turn_jit_off("jitd exited with status %d", WEXITSTATUS(st));
  else if (w > 0 && WIFSIGNALED(st))
    turn_jit_off("jitd was killed by signal %d", WTERMSIG(st));
  else
    turn_jit_off("%s", otherwise);
}

/* Writes everything queued in jitd.out. SIGPIPE is blocked around the write
 * (and a SIGPIPE it raised is consumed) instead of being ignored process-wide,
 * so an interpreter writing to a closed stdout still behaves as it would
 * without ykts. */
static int flush_out(void) {
  if (jitd.state != JITD_RUNNING) return -1;
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t before;
  sigpending(&before);
  int was_pending = sigismember(&before, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  size_t off = 0;
  int failed = 0;
  while (off < jitd.out.len) {
    ssize_t w = write(jitd.to_fd, jitd.out.p + off, jitd.out.len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      failed = errno;
      break;
    }
    off += (size_t)w;
  }
  if (failed == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    sigtimedwait(&pipe_set, NULL, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  jitd.out.len = 0;
  if (failed) {
    char why[128];
    snprintf(why, sizeof why, "jitd is gone (write: %s)", strerror(failed));
    if (failed == EPIPE) jitd_gone(why);
    else turn_jit_off("%s", why);
    return -1;
  }
  return 0;
}

static void handle_answer(const uint8_t *p, size_t n);
static int install_trace(const Pending *pd, const char *path, const char *sym, int upgrading, char *why, size_t whylen);
struct YktsLocState;
static void upgrade_if_hot(struct YktsLocState *ls);
static void handle_upgrade(const uint8_t *p, size_t n);
static const char *trace_sym(const struct YktsLocState *ls);
static void side_answered(const Pending *pd, int status, const char *a, const char *b);

/* Parses complete frames in jitd.in. Anything malformed turns the JIT off. */
static void parse_answers(void) {
  size_t off = 0;
  while (jitd.in.len - off >= 4 && jitd.state == JITD_RUNNING) {
    uint32_t len;
    memcpy(&len, jitd.in.p + off, 4);
    if (len < 1 || len > (16u << 20)) {
      turn_jit_off("jitd answered garbage (frame length %u)", len);
      return;
    }
    if (jitd.in.len - off - 4 < len) break;
    const uint8_t *m = jitd.in.p + off + 4;
    off += 4 + len;
    uint8_t type = m[0];
    if (type == MSG_HELLO_ACK) {
      uint32_t v = 0;
      if (len >= 5) memcpy(&v, m + 1, 4);
      if (len < 5 || v != YKTS_PROTOCOL_VERSION || jitd.acked) {
        turn_jit_off("jitd answered garbage (hello: protocol version %u, expected %u)", v,
                     YKTS_PROTOCOL_VERSION);
        return;
      }
      jitd.acked = 1;
    } else if (type == MSG_ANSWER && jitd.acked) {
      handle_answer(m + 1, len - 1);
    } else if (type == MSG_UPGRADE && jitd.acked) {
      handle_upgrade(m + 1, len - 1);
    } else {
      turn_jit_off("jitd answered garbage (message type 0x%02x%s)", type,
                   jitd.acked ? "" : " before hello");
      return;
    }
  }
  if (jitd.state != JITD_RUNNING) return;
  memmove(jitd.in.p, jitd.in.p + off, jitd.in.len - off);
  jitd.in.len -= off;
}

/* Reads what jitd has sent. timeout_ms < 0: block until at least one read;
 * 0: non-blocking. */
static void poll_jitd(int timeout_ms) {
  if (jitd.state != JITD_RUNNING) return;
  if (jitd.owner != self_pid) return;
  for (;;) {
    if (timeout_ms != 0) {
      struct pollfd pfd = {jitd.from_fd, POLLIN, 0};
      int r = poll(&pfd, 1, timeout_ms < 0 ? SYNC_TIMEOUT_MS : timeout_ms);
      if (r == 0) {
        turn_jit_off("jitd did not answer within %d ms", SYNC_TIMEOUT_MS);
        return;
      }
      if (r < 0 && errno == EINTR) continue;
    }
    buf_reserve(&jitd.in, 4096);
    ssize_t r = read(jitd.from_fd, jitd.in.p + jitd.in.len, jitd.in.cap - jitd.in.len);
    if (r > 0) {
      jitd.in.len += (size_t)r;
      parse_answers();
      if (timeout_ms != 0) return; /* caller re-checks its condition */
      continue;
    }
    if (r == 0) {
      jitd_gone("jitd closed its answer pipe");
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    turn_jit_off("reading from jitd: %s", strerror(errno));
    return;
  }
}

static void get_str(const uint8_t **p, const uint8_t *end, char *dst, size_t cap, int *bad) {
  uint32_t n;
  if (end - *p < 4) { *bad = 1; return; }
  memcpy(&n, *p, 4);
  *p += 4;
  if ((size_t)(end - *p) < n) { *bad = 1; return; }
  size_t c = n < cap - 1 ? n : cap - 1;
  memcpy(dst, *p, c);
  dst[c] = 0;
  *p += n;
}

static void handle_answer(const uint8_t *p, size_t n) {
  const uint8_t *end = p + n;
  int bad = 0;
  if (n < 5) { turn_jit_off("jitd answered garbage (short answer)"); return; }
  uint32_t rec_id;
  memcpy(&rec_id, p, 4);
  uint8_t status = p[4];
  p += 5;
  char a[512], b[256] = "";
  get_str(&p, end, a, sizeof a, &bad);
  if (status != ANSWER_NOT_COMPILED) get_str(&p, end, b, sizeof b, &bad);
  size_t i = 0;
  while (i < pending_len && pending[i].rec_id != rec_id) i++;
  if (bad || p != end || i == pending_len || status > ANSWER_COMPILED_UPGRADING) {
    turn_jit_off("jitd answered garbage (answer to recording %u)", rec_id);
    return;
  }
  Pending pd = pending[i];
  pending[i] = pending[--pending_len];
  if (pd.parent) {
    side_answered(&pd, status, a, b);
    return;
  }
  if (release_pending_loc(&pd)) {
    /* Its location was freed while jitd compiled: nothing to install it at. */
    if (status == ANSWER_NOT_COMPILED) stats.answered_not_compiled++;
    else stats.traces_compiled++;
    stats.answers_dropped++;
    if (cfg.log)
      logf_("ykts: recorded loc=%u site=%s#%u len=%u -> %s; the location was dropped meanwhile: not installed",
            pd.loc_id, fn_name(pd.fn), pd.site, pd.len, status == ANSWER_NOT_COMPILED ? "not compiled" : "compiled");
    return;
  }
  LocInfo *info = loc_info(pd.loc);
  if (status == ANSWER_NOT_COMPILED) {
    stats.answered_not_compiled++;
    if (cfg.log)
      logf_("ykts: recorded loc=%u site=%s#%u len=%u -> not compiled: %s", pd.loc_id, fn_name(pd.fn),
            pd.site, pd.len, a);
    if (++info->failures >= cfg.max_failures && (pd.loc->state & 3) == 1)
      disable_location(pd.loc, info, YKTS_DISABLED_FAILING);
  } else {
    stats.traces_compiled++;
    if (cfg.log)
      logf_("ykts: recorded loc=%u site=%s#%u len=%u -> compiled: %s %s", pd.loc_id, fn_name(pd.fn), pd.site,
            pd.len, a, b);
    char why[512];
    if (install_trace(&pd, a, b, status == ANSWER_COMPILED_UPGRADING, why, sizeof why) != 0) {
      /* Declined like a "not compiled" answer: the location counts a failure. */
      if (cfg.log) logf_("ykts: loc=%u trace not installed: %s", pd.loc_id, why);
      if (++info->failures >= cfg.max_failures && (pd.loc->state & 3) == 1)
        disable_location(pd.loc, info, YKTS_DISABLED_FAILING);
    }
  }
}

/* ------------------------------------------------------------ recording */

static struct {
  int active;             /* a recording session is running (markers may be off after an abort) */
  uint32_t abort_reason;  /* first reason, 0 = none */
  YkLocation *loc;
  LocInfo *info;
  const YktsSite *site;
  uint32_t *blocks;       /* pairs (fn id, block) */
  size_t len, cap;        /* in pairs */
  Buf promotes;           /* (u8 kind, u64 bits) each */
  uint32_t npromotes;
  struct YktsLocState *parent; /* a side recording: the trace and guard it starts from */
  uint32_t guard;
  YkLocation *stop_loc;        /* the other location (with a trace) the recording stopped at */
  int transient;               /* aborted for a reason that passes (an inner trace still compiling) */
} rec;

/* The trampoline's frame is gone when a control point is reached at or above
 * the frame of the __ykts_cp_slow call that started it. */
static int in_resume;
static uintptr_t resume_sp;
static uint8_t *resume_buf;
static size_t resume_buf_cap;

void __ykts_record_abort(uint32_t reason) {
  if (!rec.active || rec.abort_reason) return;
  if (reason == 0 || reason >= YKTS_ABORT_REASON_COUNT) reason = YKTS_ABORT_UNSUPPORTED;
  rec.abort_reason = reason;
  __ykts_recording = 0;
}

/* left-loop: the other location's visits times this at most the hot threshold. */
#define LEFT_LOOP_RATIO 2u

/* A location with a trace of its own ends a recording there: a side trace
 * then returns to the runtime, which enters that trace; a root recording
 * that reached it (an outer loop around a traced inner loop) becomes a
 * trace that runs once and hands over to it the same way (docs/traces.md
 * §6), and the inner trace's exits become side traces that come back. */
uint8_t __ykts_record_other_loc(YkLocation *loc) {
  if (!__ykts_recording || !loc) return 0;
  uintptr_t s = loc->state;
  if (s == 0 || (s & 3) == 2) return 0;
  if ((s & 3) == 1) {
    /* A location without a trace. */
    if (rec.parent) {
      /* A side recording stops there too (an outer loop the inner trace
       * exits into): the runtime counts the visit there (run_traces), so
       * that location gets its own trace, and the side trace stays short
       * instead of copying the outer loop. */
      rec.stop_loc = loc;
      return 1;
    }
    if (!rec.abort_reason && !rec.info->left_once && (s >> 2) * LEFT_LOOP_RATIO <= (hot_limit >> 2)) {
      /* A root recording that reaches a location visited at most half as
       * often as its own left its loop: it started in the loop's last
       * iteration (the count that made the location hot can be in phase
       * with the loop's trip count: minilua's mandelbrot, whose inner
       * loop's trace then began with the escape and took a side trace on
       * every other iteration). It is tried again at the location's next
       * visit, once (an outer loop that goes round a short inner loop
       * reaches that location again and is recorded through it).
       * Locations visited about as often (nbody's inner loop of 1 to 4
       * iterations and its outer loop) are recorded through as before:
       * short inner loops ran slower as traces of their own, handing over
       * at every exit (docs/runtime.md, left-loop, for the measurements). */
      rec.info->left_once = 1;
      __ykts_record_abort(YKTS_ABORT_LEFT_LOOP);
      return 1; /* stop here: the original goes on from this control point */
    }
    return 0;
  }
  if (pending_loc(s)) {
    /* A location whose own trace is being compiled: a root recording
     * through it would copy that loop into the outer trace; it waits. */
    if (!rec.parent && !rec.abort_reason) {
      /* Not the outer location's failure: once the inner trace is
       * installed, the outer one records around it (and aborts for good
       * if its recording still runs through it). Counted as one, the outer
       * loop of a program whose inner trace compiles slowly was disabled
       * before that trace arrived (minilua's nbody). */
      rec.transient = 1;
      __ykts_record_abort(YKTS_ABORT_INNER_TRACE);
    }
    return 0;
  }
  rec.stop_loc = loc;
  return 1;
}

void __ykts_record_block(const YktsFnDesc *fn, uint32_t block) {
  if (!__ykts_recording) return;
  if ((uintptr_t)__builtin_frame_address(0) >= resume_sp) {
    __ykts_record_abort(YKTS_ABORT_LONGJMP);
    return;
  }
  if (rec.len >= (rec.parent ? cfg.max_side_len : cfg.max_len)) {
    __ykts_record_abort(YKTS_ABORT_TOO_LONG);
    return;
  }
  if (rec.len == rec.cap) {
    rec.cap = rec.cap ? rec.cap * 2 : 1024;
    rec.blocks = xrealloc(rec.blocks, rec.cap * 2 * sizeof *rec.blocks);
  }
  rec.blocks[2 * rec.len] = fn_id(fn);
  rec.blocks[2 * rec.len + 1] = block;
  rec.len++;
}

static void record_promote(uint8_t kind, uint64_t bits) {
  put_u8(&rec.promotes, kind);
  put_u64(&rec.promotes, bits);
  rec.npromotes++;
}

int64_t __ykts_promote_i64(int64_t v) {
  if (__ykts_recording) record_promote(PROMOTE_I64, (uint64_t)v);
  return v;
}
uint64_t __ykts_promote_u64(uint64_t v) {
  if (__ykts_recording) record_promote(PROMOTE_U64, v);
  return v;
}
int32_t __ykts_promote_i32(int32_t v) {
  if (__ykts_recording) record_promote(PROMOTE_I32, (uint64_t)(int64_t)v);
  return v;
}
uint32_t __ykts_promote_u32(uint32_t v) {
  if (__ykts_recording) record_promote(PROMOTE_U32, v);
  return v;
}
double __ykts_promote_f64(double v) {
  if (__ykts_recording) {
    uint64_t bits;
    memcpy(&bits, &v, 8);
    record_promote(PROMOTE_F64, bits);
  }
  return v;
}
float __ykts_promote_f32(float v) {
  if (__ykts_recording) {
    uint32_t bits;
    memcpy(&bits, &v, 4);
    record_promote(PROMOTE_F32, bits);
  }
  return v;
}
void *__ykts_promote_ptr(void *v) {
  if (__ykts_recording) record_promote(PROMOTE_PTR, (uint64_t)(uintptr_t)v);
  return v;
}

static void log_recording(const char *outcome) {
  if (!cfg.log) return;
  if (rec.parent)
    logf_("ykts: side-recorded loc=%u site=%s#%u from %s guard %u len=%zu -> %s", rec.info->id,
          fn_name(rec.site->fn), rec.site->index, trace_sym(rec.parent), rec.guard, rec.len, outcome);
  else
    logf_("ykts: recorded loc=%u site=%s#%u len=%zu -> %s", rec.info->id, fn_name(rec.site->fn),
          rec.site->index, rec.len, outcome);
}

static void count_failure(void) {
  LocInfo *info = rec.info;
  if (rec.abort_reason == YKTS_ABORT_LEFT_LOOP) {
    /* Not a failure: hot again at once, so that it records at its next visit. */
    if ((rec.loc->state & 3) == 1) rec.loc->state = hot_limit;
    return;
  }
  if (rec.transient) {
    /* Not a failure, but no use trying again at once: wait 1, 2, 4, ...
     * (at most 64) more hot thresholds of visits. */
    info->wait = 1u << (info->transients < 6 ? info->transients : 6);
    if (info->transients < 255) info->transients++;
    return;
  }
  if (++info->failures >= cfg.max_failures && (rec.loc->state & 3) == 1)
    disable_location(rec.loc, info, YKTS_DISABLED_FAILING);
}

static void end_recording_session(void) {
  rec.active = 0;
  __ykts_recording = 0;
  __ykts_record_loc = NULL;
  /* A side recording ends here too (also when a longjmp cut it short). */
  rec.parent = NULL;
  rec.stop_loc = NULL;
}

static void finish_aborted(void) {
  stats.aborted++;
  stats.by_reason[rec.abort_reason]++;
  char what[64];
  snprintf(what, sizeof what, "aborted: %s", abort_names[rec.abort_reason]);
  log_recording(what);
  count_failure();
  end_recording_session();
}

/* Sends a completed recording; in YKTS_SYNC mode waits for the answer. */
static void send_recording(void) {
  stats.completed++;
  if (jit_off_reason) {
    char what[300];
    snprintf(what, sizeof what, "not sent: jit off (%s)", jit_off_reason);
    log_recording(what);
    end_recording_session();
    return;
  }
  if (jitd.state == JITD_NOT_STARTED && start_jitd() != 0) {
    log_recording("not sent: jit off (jitd did not start)");
    end_recording_session();
    return;
  }
  if (jitd.state != JITD_RUNNING || jitd.owner != self_pid) {
    log_recording("not sent: jitd not running");
    end_recording_session();
    return;
  }
  /* Names of functions jitd has not heard of yet. */
  for (size_t i = 0; i < rec.len; i++) {
    uint32_t id = rec.blocks[2 * i];
    if (fn_sent[id]) continue;
    fn_sent[id] = 1;
    size_t at = begin_msg(&jitd.out, MSG_FUNCTION);
    put_u32(&jitd.out, id);
    put_str(&jitd.out, fn_name(fn_by_id[id]));
    end_msg(&jitd.out, at);
  }
  uint32_t start_fn = fn_id(rec.site->fn);
  if (!fn_sent[start_fn]) {
    fn_sent[start_fn] = 1;
    size_t at = begin_msg(&jitd.out, MSG_FUNCTION);
    put_u32(&jitd.out, start_fn);
    put_str(&jitd.out, fn_name(rec.site->fn));
    end_msg(&jitd.out, at);
  }
  if (!rec.parent) rec.info->left_once = 0;
  uint32_t rec_id = jitd.next_rec_id++;
  size_t at = begin_msg(&jitd.out, rec.parent ? MSG_SIDE_RECORDING : MSG_RECORDING);
  put_u32(&jitd.out, rec_id);
  put_u32(&jitd.out, rec.info->id);
  put_u32(&jitd.out, start_fn);
  put_u32(&jitd.out, rec.site->index);
  put_u32(&jitd.out, rec.site->index); /* end site: the shim only sends recordings that end at their own site */
  if (rec.parent) {
    put_str(&jitd.out, trace_sym(rec.parent));
    put_u32(&jitd.out, rec.guard);
    put_u32(&jitd.out, rec.stop_loc ? 0u : 1u); /* flags: bit 0, it ends at the root trace's location */
  } else {
    put_u32(&jitd.out, rec.stop_loc ? 1u : 0u); /* flags: bit 0, it stops at another location's trace */
  }
  put_u32(&jitd.out, (uint32_t)rec.len);
  put_bytes(&jitd.out, rec.blocks, rec.len * 2 * sizeof *rec.blocks);
  put_u32(&jitd.out, rec.npromotes);
  put_bytes(&jitd.out, rec.promotes.p, rec.promotes.len);
  end_msg(&jitd.out, at);

  if (pending_len == pending_cap) {
    pending_cap = pending_cap ? pending_cap * 2 : 8;
    pending = xrealloc(pending, pending_cap * sizeof *pending);
  }
  PendingLoc *ph = NULL;
  if (!rec.parent) {
    ph = xrealloc(NULL, sizeof *ph);
    *ph = (PendingLoc){YKTS_LOC_PENDING_MAGIC, pending_skip(), rec_id, rec.loc};
    rec.loc->state = (uintptr_t)ph;
  }
  pending[pending_len++] = (Pending){rec_id, rec.info->id, rec.site->index, (uint32_t)rec.len, rec.loc, ph,
                                     rec.site->fn, rec.site, rec.parent, rec.guard};
  end_recording_session();
  if (flush_out() != 0) return;
  if (cfg.sync) {
    while (jitd.state == JITD_RUNNING) {
      int still = 0;
      for (size_t i = 0; i < pending_len; i++)
        if (pending[i].rec_id == rec_id) still = 1;
      if (!still) break;
      poll_jitd(-1);
    }
  }
}

/* Runs the traced clone of site->fn from the control point: the base frame.
 * Returns what __ykts_cp_slow returns (the site where the clone stopped, or
 * -1 when the base frame returned and its value is in the ret slot). */
static int32_t resume_at_site(const YktsSite *site, void *live) {
  const YktsFnDesc *fn = site->fn;
  if (resume_buf_cap < site->live_size) {
    resume_buf_cap = site->live_size < 256 ? 256 : site->live_size;
    free(resume_buf);
    resume_buf = aligned_alloc(16, (resume_buf_cap + 15) & ~(size_t)15);
    if (!resume_buf) xrealloc(NULL, resume_buf_cap);
  }
  /* The resume buffer of `cp k` has the live struct's layout: the 16-byte
   * slot (incoming, unused for cp) and then the site's live values. */
  memcpy(resume_buf, live, site->live_size);
  __ykts_resume_point = YKTS_RESUME_POINT_CP(site->index);
  __ykts_resume_base = 1;
  __ykts_resume_buf = resume_buf;
  __ykts_cp_out = live;
  __ykts_stopped_site = -1;
  in_resume = 1;
  resume_sp = (uintptr_t)__builtin_frame_address(0);
  fn->resume(resume_buf, live);
  in_resume = 0;
  resume_sp = 0;
  int32_t stopped = __ykts_stopped_site;
  __ykts_stopped_site = -1;
  __ykts_cp_out = NULL;
  return stopped;
}

static int32_t record_from(YkLocation *loc, LocInfo *info, const YktsSite *site, void *live) {
  stats.started++;
  rec.active = 1;
  rec.abort_reason = 0;
  rec.transient = 0;
  rec.loc = loc;
  rec.info = info;
  rec.site = site;
  rec.len = 0;
  rec.promotes.len = 0;
  rec.npromotes = 0;
  rec.stop_loc = NULL;
  if (!site->fn || !site->fn->resume) {
    rec.abort_reason = YKTS_ABORT_NO_RESUME;
    finish_aborted();
    return (int32_t)site->index;
  }
  __ykts_record_loc = loc;
  __ykts_recording = 1;
  int32_t stopped = resume_at_site(site, live);
  if (!rec.abort_reason) {
    if (stopped < 0)
      rec.abort_reason = YKTS_ABORT_FRAME_LEFT;
    else if ((uint32_t)stopped != site->index)
      rec.abort_reason = YKTS_ABORT_OTHER_SITE;
  }
  if (rec.abort_reason)
    finish_aborted();
  else
    send_recording();
  return stopped;
}

/* The trace that is running (entered by __ykts_cp_slow, not yet returned),
 * including the resume chain of one of its guards. While it runs no other
 * trace is entered and no recording starts, so there is at most one. */
static struct {
  struct YktsLocState *ls;   /* NULL: no trace is running */
  void *live;                /* the live struct it was entered with (its deopt's __ykts_cp_out) */
  uintptr_t sp;              /* frame address of the __ykts_cp_slow call that entered it */
  uint64_t t0;               /* TSC when it was entered (backoff) */
  uint64_t iters0;           /* its iteration count then (retracing) */
} active;

static int32_t run_traces(struct YktsLocState *ls, void *live, uintptr_t sp, const YktsSite *site);
static int backing_off(struct YktsLocState *ls);
static int trace_matches(const struct YktsLocState *ls, const YktsSite *site);

/* A longjmp left the traced region: the trampoline never returned. */
static void recover_from_longjmp(void) {
  in_resume = 0;
  resume_sp = 0;
  __ykts_resume_point = 0;
  __ykts_resume_base = 0;
  __ykts_cp_out = NULL;
  __ykts_stopped_site = -1;
  if (rec.active) {
    if (!rec.abort_reason) rec.abort_reason = YKTS_ABORT_LONGJMP;
    finish_aborted();
  }
}

/* Whether jitd owes answers (of recordings, upgrades, its hello). */
static int answers_due(void) { return pending_len > 0 || upgrades_owed > 0 || (jitd.state == JITD_RUNNING && !jitd.acked); }

/* Whether a non-blocking look for answers is due: at most one read(2) per
 * millisecond of the coarse clock (a vDSO call, no system call), however
 * often the slow path runs while compiles are pending. */
static int poll_due(void) {
  /* The TSC, not clock_gettime: this runs on every slow-path visit while
   * answers are due, and the vDSO call cost more than the rest of the
   * visit (about 1 ms at 2 GHz; the exact interval does not matter). */
  static uint64_t last;
  uint64_t now = __builtin_ia32_rdtsc();
  if (now - last < POLL_CYCLES) return 0;
  last = now;
  return 1;
}

/* A visit of a counting location at site k: counted, and once the location
 * is hot, recorded from here. Returns what __ykts_cp_slow returns after a
 * recording, or COUNTED when nothing ran. */
#define COUNTED (-2)
static int32_t count_visit(YkLocation *loc, const YktsSite *site, void *live) {
  uintptr_t s = loc->state;
  if (s < hot_limit) {
    loc->state = s + 4;
    return COUNTED;
  }
  LocInfo *info = loc_info(loc);
  if (!info->seen_hot) {
    info->seen_hot = 1;
    stats.locations_hot++;
  }
  if (jit_off_reason) {
    disable_location(loc, info, YKTS_DISABLED_JIT_OFF);
  } else if (info->wait) {
    info->wait--;
    loc->state = 1;
  } else {
    loc->state = 1;
    return record_from(loc, info, site, live);
  }
  return COUNTED;
}

int32_t __ykts_cp_slow(YkMT *mt, YkLocation *loc, const YktsSite *site, void *live) {
  (void)mt;
  stats.slow_paths++;
  int32_t k = (int32_t)site->index;
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  if (active.ls && here >= active.sp) {
    /* A longjmp left a running trace (from a call the trace made, or from
     * the resume chain of its deopt): it will never return. */
    active.ls = NULL;
    active.live = NULL;
    active.sp = 0;
    __ykts_cp_out = NULL;
    __ykts_stopped_site = -1;
  }
  if (in_resume && here >= resume_sp) recover_from_longjmp();
  if (in_resume || active.ls) {
    /* An original's control point inside the traced region or inside a
     * running trace (reached through code without a clone, or a call the
     * trace makes): it cannot be recorded, and nothing nests: continue in
     * the original. */
    if (rec.active) __ykts_record_abort(YKTS_ABORT_DEEPER_CP);
    if (loc && (loc->state & 3) == 1 && loc->state < hot_limit) loc->state += 4;
    return k;
  }
  /* Answers are read only when some are due: a slow path taken on every
   * dispatch (debug resume, later installed traces) must not cost a read(2). */
  if (answers_due() && poll_due()) poll_jitd(0);
  uintptr_t s = loc ? loc->state : 0;
  if ((s & 3) == 1) {
    int32_t r = count_visit(loc, site, live);
    if (r != COUNTED) return r;
  } else if ((s & 3) == 2) {
    return k;
  } else if (pending_loc(s)) {
    /* Its trace is being compiled: let some visits pass again. */
    pending_loc(s)->skip = pending_skip();
  } else if (s != 0 && (s & 3) == 0) {
    /* A compiled trace is installed at this location. */
    struct YktsLocState *ls = (struct YktsLocState *)s;
    if (trace_matches(ls, site)) {
      if (__builtin_expect(backing_off(ls), 0)) return k;
      return run_traces(ls, live, here, site);
    }
  }
  if (__ykts_debug_resume && site->fn && site->fn->resume) {
    stats.debug_resumes++;
    return resume_at_site(site, live);
  }
  return k;
}

/* The control point of a translation unit compiled without instrumentation
 * (YKTS_INSTRUMENT=off, or `ykts config --cflags`): it counts like the
 * rewritten one, but there is no clone to record with. */
void __ykts_control_point(YkMT *mt, YkLocation *loc) {
  (void)mt;
  uintptr_t s = loc->state;
  if ((s & 3) != 1) return;
  if (s < hot_limit) {
    loc->state = s + 4;
    return;
  }
  LocInfo *info = loc_info(loc);
  if (!info->seen_hot) {
    info->seen_hot = 1;
    stats.locations_hot++;
  }
  disable_location(loc, info, jit_off_reason ? YKTS_DISABLED_JIT_OFF : YKTS_DISABLED_NOT_INSTRUMENTED);
}

/* ------------------------------------------------------------ deopt exits */

/* A compiled trace leaves through __ykts_deopt (deopt-entry.S) with its live
 * values described by LLVM's stackmap record for that call (StackMap format
 * v3). Trace objects register their .llvm_stackmaps section after dlopen.
 * Deopts can be frequent, so the work is done when an object is read: its
 * records are indexed by absolute return address in an open-addressing hash
 * table (one probe in the common case), and their locations are decoded
 * once into SmLocs, which a deopt only evaluates. */

#include <dlfcn.h>
#include <elf.h>
#include <link.h>

/* The registers a value can be in at a __ykts_deopt call: the callee-saved
 * ones in YktsSavedRegs order, then the trace's stack pointer; and, for the
 * deopt handler's plans, the live struct's address. */
enum { RF_R15, RF_R14, RF_R13, RF_R12, RF_RBX, RF_RBP, RF_RSP, RF_LIVE, RF_COUNT };

static int dwarf_to_rf(uint16_t dwarf) {
  switch (dwarf) {
  case 3: return RF_RBX;
  case 6: return RF_RBP;
  case 7: return RF_RSP;
  case 12: return RF_R12;
  case 13: return RF_R13;
  case 14: return RF_R14;
  case 15: return RF_R15;
  default: return -1; /* caller-saved: cannot hold a value live across the call */
  }
}

static inline void regfile(uint64_t rf[RF_COUNT], void *trace_sp, const YktsSavedRegs *regs) {
  rf[RF_R15] = regs->r15;
  rf[RF_R14] = regs->r14;
  rf[RF_R13] = regs->r13;
  rf[RF_R12] = regs->r12;
  rf[RF_RBX] = regs->rbx;
  rf[RF_RBP] = regs->rbp;
  rf[RF_RSP] = (uint64_t)(uintptr_t)trace_sp;
  rf[RF_LIVE] = 0;
}

/* A stackmap location, decoded. */
enum { SM_CONST, SM_REG, SM_DIRECT, SM_INDIRECT };
typedef struct SmLoc {
  uint8_t kind;
  uint8_t reg;    /* SM_REG, SM_DIRECT, SM_INDIRECT: an RF_ index */
  uint8_t size;   /* SM_INDIRECT: bytes to load (1, 2, 4 or 8), sign-extended */
  uint8_t unused;
  int32_t off;    /* SM_DIRECT: the value is reg + off; SM_INDIRECT: it is at reg + off */
  uint64_t k;     /* SM_CONST: the value */
} SmLoc;

/* The value of a location, widened to 64 bits. */
static inline uint64_t sm_value(const SmLoc *l, const uint64_t *rf) {
  switch (l->kind) {
  case SM_CONST: return l->k;
  case SM_REG: return rf[l->reg];
  case SM_DIRECT: return rf[l->reg] + (uint64_t)(int64_t)l->off;
  default: {
    const void *p = (const void *)(uintptr_t)(rf[l->reg] + (uint64_t)(int64_t)l->off);
    switch (l->size) {
    case 8: { uint64_t x; memcpy(&x, p, 8); return x; }
    case 4: { int32_t x; memcpy(&x, p, 4); return (uint64_t)(int64_t)x; }
    case 2: { int16_t x; memcpy(&x, p, 2); return (uint64_t)(int64_t)x; }
    default: { int8_t x; memcpy(&x, p, 1); return (uint64_t)(int64_t)x; }
    }
  }
  }
}

/* Decodes a raw 12-byte location; -1 when it cannot be read at a deopt (a
 * caller-saved register, an unknown kind, a bad size or constant index). */
static int sm_decode(const uint8_t *l, const uint8_t *consts, uint32_t nconsts, SmLoc *out) {
  uint16_t lsize, reg;
  int32_t off;
  memcpy(&lsize, l + 2, 2);
  memcpy(&reg, l + 4, 2);
  memcpy(&off, l + 8, 4);
  *out = (SmLoc){0};
  switch (l[0]) {
  case 1:   /* Register */
  case 2:   /* Direct: the address reg + off */
  case 3: { /* Indirect: the value at reg + off */
    int r = dwarf_to_rf(reg);
    if (r < 0) return -1;
    if (l[0] == 3 && lsize != 1 && lsize != 2 && lsize != 4 && lsize != 8) return -1;
    out->kind = l[0] == 1 ? SM_REG : l[0] == 2 ? SM_DIRECT : SM_INDIRECT;
    out->reg = (uint8_t)r;
    out->size = (uint8_t)lsize;
    out->off = off;
    return 0;
  }
  case 4: /* Constant (sign-extended 32 bits) */
    out->kind = SM_CONST;
    out->k = (uint64_t)(int64_t)off;
    return 0;
  case 5: /* ConstantIndex */
    if ((uint32_t)off >= nconsts) return -1;
    out->kind = SM_CONST;
    memcpy(&out->k, consts + (size_t)(uint32_t)off * 8, 8);
    return 0;
  default: return -1;
  }
}

typedef struct StackmapRec {
  uintptr_t ret_addr;
  const SmLoc *vals;   /* its locations after the three header constants */
  uint32_t nvals;      /* how many (0 when it has fewer than three locations) */
  int32_t ndeopt;      /* the third header constant (the number of deopt values), or -1 */
  int32_t bad;         /* the first location (header included) that cannot be read, or -1 */
  int32_t headerless;  /* fewer than the three header constants */
  const uint8_t *raw;  /* its raw locations (in the mapped object) */
  uintptr_t fn_addr;   /* the function the call is in */
  void *handle;        /* the dlopen handle of the object it came from */
  struct YktsLocState *owner; /* the installed trace it belongs to (NULL: registered by hand) */
  uint64_t id;         /* the record's ID: a trace's guard number ("statepoint-id", docs/traces.md §6) */
} StackmapRec;

static StackmapRec *sm_table;
static size_t sm_cap, sm_count;

static void sm_insert(StackmapRec r) {
  if (sm_count * 2 >= sm_cap) {
    size_t ncap = sm_cap ? sm_cap * 2 : 64;
    StackmapRec *nt = calloc(ncap, sizeof *nt);
    if (!nt) xrealloc(NULL, ncap * sizeof *nt);
    for (size_t i = 0; i < sm_cap; i++) {
      if (!sm_table[i].ret_addr) continue;
      size_t j = ptr_hash((void *)sm_table[i].ret_addr, ncap);
      while (nt[j].ret_addr) j = (j + 1) & (ncap - 1);
      nt[j] = sm_table[i];
    }
    free(sm_table);
    sm_table = nt;
    sm_cap = ncap;
  }
  size_t j = ptr_hash((void *)r.ret_addr, sm_cap);
  while (sm_table[j].ret_addr && sm_table[j].ret_addr != r.ret_addr) j = (j + 1) & (sm_cap - 1);
  if (!sm_table[j].ret_addr) sm_count++;
  sm_table[j] = r;
}

static const StackmapRec *sm_find(uintptr_t ret_addr) {
  if (!sm_cap) return NULL;
  size_t j = ptr_hash((void *)ret_addr, sm_cap);
  while (sm_table[j].ret_addr) {
    if (sm_table[j].ret_addr == ret_addr) return &sm_table[j];
    j = (j + 1) & (sm_cap - 1);
  }
  return NULL;
}

/* Finds section `name` of the ELF file at path: its address in the file's
 * own address space (add the load base) and size. */
static int elf_section(const char *path, const char *name, uint64_t *addr, uint64_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  Elf64_Ehdr eh;
  int found = -1;
  if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum) {
    close(fd);
    return -1;
  }
  Elf64_Shdr *sh = malloc((size_t)eh.e_shnum * sizeof *sh);
  Elf64_Shdr strs;
  char *names = NULL;
  if (!sh || pread(fd, sh, (size_t)eh.e_shnum * sizeof *sh, (off_t)eh.e_shoff) != (ssize_t)(eh.e_shnum * sizeof *sh))
    goto out;
  strs = sh[eh.e_shstrndx];
  names = malloc(strs.sh_size + 1);
  if (!names || pread(fd, names, strs.sh_size, (off_t)strs.sh_offset) != (ssize_t)strs.sh_size) goto out;
  names[strs.sh_size] = 0;
  for (unsigned i = 0; i < eh.e_shnum; i++) {
    if (sh[i].sh_name < strs.sh_size && strcmp(names + sh[i].sh_name, name) == 0) {
      *addr = sh[i].sh_addr;
      *size = sh[i].sh_size;
      found = 0;
      break;
    }
  }
out:
  free(sh);
  free(names);
  close(fd);
  return found;
}

/* Reads the .llvm_stackmaps section of a dlopen'ed object into a fresh
 * array of records (not yet indexed) whose decoded locations are in *locs
 * (one block: it must live as long as the records are indexed). Returns
 * the number of records or -1. */
static int stackmaps_read(void *dl_handle, StackmapRec **out, SmLoc **locs, const char **err) {
  *out = NULL;
  *locs = NULL;
  struct link_map *lm = NULL;
  if (dlinfo(dl_handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
    *err = "dlinfo failed";
    return -1;
  }
  uint64_t addr, size;
  if (elf_section(lm->l_name, ".llvm_stackmaps", &addr, &size) != 0) {
    *err = "no .llvm_stackmaps section";
    return -1;
  }
  const uint8_t *p = (const uint8_t *)(lm->l_addr + addr), *end = p + size;
  /* Header: u8 version (3), u8, u16; u32 functions, u32 constants, u32 records. */
  if (size < 16 || p[0] != 3) {
    *err = "not a version 3 stackmap";
    return -1;
  }
  uint32_t nfn, nconst, nrec;
  memcpy(&nfn, p + 4, 4);
  memcpy(&nconst, p + 8, 4);
  memcpy(&nrec, p + 12, 4);
  (void)nrec;
  if ((uint64_t)nfn * 24 + (uint64_t)nconst * 8 > size - 16) {
    *err = "truncated stackmap";
    return -1;
  }
  const uint8_t *fns = p + 16;
  const uint8_t *consts = fns + (size_t)nfn * 24;
  StackmapRec *recs = NULL;
  SmLoc *dec = NULL;
  size_t count = 0, nlocs_total = 0;
  /* Records follow in function order; each function says how many it has.
   * Pass 0 checks the layout and counts, pass 1 decodes. */
  for (int pass = 0; pass < 2; pass++) {
    const uint8_t *r = consts + (size_t)nconst * 8;
    size_t ri = 0, li = 0;
    if (pass == 1) {
      recs = xrealloc(NULL, (count ? count : 1) * sizeof *recs);
      dec = xrealloc(NULL, (nlocs_total ? nlocs_total : 1) * sizeof *dec);
    }
    for (uint32_t f = 0; f < nfn; f++) {
      uint64_t fn_addr, nrecs;
      memcpy(&fn_addr, fns + (size_t)f * 24, 8);
      memcpy(&nrecs, fns + (size_t)f * 24 + 16, 8);
      for (uint64_t k = 0; k < nrecs; k++) {
        if (r + 16 > end) {
          *err = "truncated stackmap record";
          return -1; /* in pass 0 (pass 1 reads the same bytes): nothing allocated yet */
        }
        uint32_t off;
        uint16_t nlocs, nlive;
        uint64_t id;
        memcpy(&id, r, 8);
        memcpy(&off, r + 8, 4);
        memcpy(&nlocs, r + 14, 2);
        const uint8_t *raw = r + 16;
        const uint8_t *q = raw + (size_t)nlocs * 12;
        q += ((uintptr_t)(q - p) & 7) ? 8 - ((uintptr_t)(q - p) & 7) : 0; /* align 8 */
        if (q + 4 > end) {
          *err = "truncated stackmap record";
          return -1;
        }
        memcpy(&nlive, q + 2, 2);
        q += 4 + (size_t)nlive * 4;
        q += ((uintptr_t)(q - p) & 7) ? 8 - ((uintptr_t)(q - p) & 7) : 0;
        if (q > end) {
          *err = "truncated stackmap record";
          return -1;
        }
        uint32_t nvals = nlocs >= 3 ? nlocs - 3u : 0;
        if (pass == 0) {
          count++;
          nlocs_total += nvals;
        } else {
          StackmapRec *smr = &recs[ri++];
          *smr = (StackmapRec){(uintptr_t)(fn_addr + off), dec + li, nvals, -1, -1, nlocs < 3, raw,
                               (uintptr_t)fn_addr, dl_handle, NULL, id};
          for (uint16_t i = 0; i < nlocs; i++) {
            SmLoc l;
            if (sm_decode(raw + (size_t)i * 12, consts, nconst, &l) != 0) {
              if (smr->bad < 0) smr->bad = i;
              continue;
            }
            if (i >= 3) dec[li + i - 3] = l;
            else if (i == 2 && raw[2 * 12] == 4 && l.k <= nvals) smr->ndeopt = (int32_t)l.k;
          }
          li += nvals;
        }
        r = q;
      }
    }
  }
  *out = recs;
  *locs = dec;
  return (int)count;
}

int ykts_stackmaps_register(void *dl_handle, const char **err) {
  static const char *dummy;
  if (!err) err = &dummy;
  StackmapRec *recs;
  SmLoc *locs;
  int n = stackmaps_read(dl_handle, &recs, &locs, err);
  for (int i = 0; i < n; i++) sm_insert(recs[i]);
  free(recs); /* the records are copied; their locations stay (indexed) */
  return n;
}

int ykts_stackmap_values(void *ret_addr, void *trace_sp, const YktsSavedRegs *regs, uint64_t *out, uint32_t max) {
  const StackmapRec *smr = sm_find((uintptr_t)ret_addr);
  if (!smr || smr->bad >= 0 || smr->headerless) return -1;
  uint64_t rf[RF_COUNT];
  regfile(rf, trace_sp, regs);
  uint32_t n = smr->nvals < max ? smr->nvals : max;
  for (uint32_t i = 0; i < n; i++) out[i] = sm_value(&smr->vals[i], rf);
  return (int)smr->nvals;
}


/* ------------------------------------------------------- compiled traces */

/* A trace object (docs/traces.md): `int64_t S(void *live)` and its deopt
 * table S_meta (version 2). Installing one makes the location's state a
 * pointer to a YktsLocState (docs/retrofit-abi.md §1); the table is parsed
 * and checked once, here. */

/* Where a slot's value comes from (docs/traces.md §3). */
enum { SLOT_BUNDLE = 0, SLOT_LIVE = 1, SLOT_CONST = 2, SLOT_DERIVED = 3 };

typedef struct TraceSlot {
  uint32_t offset;   /* in the frame's buffer (>= 16) */
  uint8_t size;      /* 1, 2, 4 or 8: the low bytes of the value */
  uint8_t source;    /* SLOT_BUNDLE, SLOT_LIVE, SLOT_CONST or SLOT_DERIVED */
  uint16_t unused;
  uint64_t payload;  /* SLOT_LIVE: offset in the live struct; SLOT_CONST: the value;
                        SLOT_DERIVED: base slot's offset << 32 | signed 32-bit addend */
} TraceSlot;

typedef struct TraceList {
  const TraceSlot *slots; /* in table order, except that SLOT_DERIVED slots come last */
  uint32_t nslots;
  uint32_t nbundle;  /* its SLOT_BUNDLE slots */
  uint32_t extent;   /* end of its furthest slot (16 when it has none) */
  uint32_t far;      /* that slot's index in the table */
  uint32_t far_off, far_size;
} TraceList;

typedef struct TraceFrame {
  const YktsFnDesc *fn;
  uint32_t point;    /* resume point id in fn */
  uint32_t size;     /* buffer bytes (a multiple of 16) */
  const TraceList *list;
  uint32_t first;    /* bundle index of its first SLOT_BUNDLE value */
} TraceFrame;

struct DeoptPlan;

typedef struct TraceGuard {
  uint32_t nframes;  /* >= 1, base frame first */
  uint32_t nvals;    /* all frames' SLOT_BUNDLE slots: the length of the deopt bundle */
  uint32_t max_size; /* of its frames' buffers */
  const TraceFrame *frames;
  struct DeoptPlan *plans; /* built by its first deopts, one per deopt call (usually one) */
  uint32_t failures;       /* deopts since the last side recording attempt */
  uint32_t deopts;         /* all its deopts (YKTS_STATS=guards) */
  uint8_t side;            /* SIDE_NONE, SIDE_PENDING, SIDE_INSTALLED or SIDE_FAILED */
  uint8_t side_tries;      /* side recordings that aborted */
  uint32_t first_iter;     /* failures in the root trace's first iteration since it was entered (retracing) */
} TraceGuard;

enum { SIDE_NONE, SIDE_PENDING, SIDE_INSTALLED, SIDE_FAILED };

#define YKTS_LOC_STATE_MAGIC 0x594b544cu /* "YKTL" */

struct YktsLocState {
  uint32_t magic;
  /* Visits still to skip (backoff, below). At offset 4: the rewritten
   * control point reads it, and skips a visit while it is not 0 without
   * calling the runtime (docs/retrofit-abi.md §2, YKTS_LOC_STATE_SKIP_OFFSET). */
  uint32_t skip;
  uint32_t loc_id;
  int64_t (*trace)(void *live);
  const YktsFnDesc *fn;        /* the function of the site */
  uint32_t site_index, live_size;
  uint32_t nguards, nlists;
  TraceGuard *guards;
  TraceFrame *frames;          /* all guards' frames */
  TraceList *lists;
  TraceSlot *slots;            /* all lists' slots */
  void *handle;                /* dlopen handle (never closed: stackmap records point into it) */
  char *sym;                   /* the trace's symbol */
  void **side_table;           /* `<sym>_side`: a side trace per guard, read by the guard's exit */
  YkLocation *loc;             /* the root trace's location (a side trace: its root's) */
  const YktsSite *site;        /* and its control-point site */
  int is_side;
  struct YktsLocState *root;   /* the root trace of its tree (itself for a root) */
  uint32_t side_started;       /* a root: side recordings started in its tree */
  int fast;                    /* made by the fast tier (C, tcc): no stackmaps, deopts through __ykts_deopt_v */
  int upgradable;              /* jitd can compile it again with clang, when asked (MSG_UPGRADE_REQUEST) */
  int upgrade_due;             /* asked: jitd will send the LLVM tier's object for it (MSG_UPGRADE) */
  int tree_hot;                /* a root: its tree has run YKTS_UPGRADE_AFTER iterations and entries (upgrade_if_hot) */
  const uint8_t *meta;         /* its deopt table, and its size: an upgrade must bring the same bytes */
  size_t meta_size;
  struct YktsLocState *parent; /* a side trace: the trace whose guard calls it, and that guard */
  uint32_t parent_guard;
  struct YktsLocState *next;   /* every installed trace, newest first (upgrades find theirs by symbol) */
  /* A root's backoff: its entries and the short ones of this window, and
   * the length of the last skip (skip: above). */
  uint32_t entries, short_entries;
  uint32_t backoff;
  /* A root trace that loops: `<sym>_iters`, which its back edge increments
   * (retracing, below). */
  const volatile uint64_t *iters;
  uint64_t entered;            /* entries since it was installed */
};

_Static_assert(offsetof(struct YktsLocState, skip) == YKTS_LOC_STATE_SKIP_OFFSET, "the control point's inline skip reads this field");

static struct YktsLocState *all_traces;

static const char *trace_sym(const struct YktsLocState *ls) { return ls->sym ? ls->sym : "?"; }

static int trace_matches(const struct YktsLocState *ls, const YktsSite *site) {
  return ls->magic == YKTS_LOC_STATE_MAGIC && ls->fn == site->fn && ls->site_index == site->index;
}

static void free_plans(struct DeoptPlan *p);

static void free_loc_state(struct YktsLocState *ls) {
  for (struct YktsLocState **p = &all_traces; *p; p = &(*p)->next)
    if (*p == ls) {
      *p = ls->next;
      break;
    }
  stats.backoff_skips -= ls->skip; /* never visited */
  ls->magic = 0;
  for (uint32_t g = 0; ls->guards && g < ls->nguards; g++) free_plans(ls->guards[g].plans);
  free(ls->guards);
  free(ls->frames);
  free(ls->lists);
  free(ls->slots);
  free(ls->sym);
  free(ls);
}

/* ---- descriptors by name (frames of a deopt table name their functions) */

static struct {
  const YktsFnDesc **slots;
  size_t cap;
  int built;
} names;

static uint64_t name_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
  return h;
}

static void build_name_map(void) {
  names.built = 1;
  if (!__start_ykts_fns || !__stop_ykts_fns) return;
  size_t n = (size_t)(__stop_ykts_fns - __start_ykts_fns);
  size_t cap = 16;
  while (cap < n * 2 + 2) cap *= 2;
  names.slots = calloc(cap, sizeof *names.slots);
  if (!names.slots) xrealloc(NULL, cap * sizeof *names.slots);
  names.cap = cap;
  for (size_t i = 0; i < n; i++) {
    const YktsFnDesc *d = __start_ykts_fns[i];
    if (!d || !d->name) continue;
    size_t len = strlen(d->name);
    size_t j = (size_t)name_hash(d->name, len) & (cap - 1);
    while (names.slots[j] && strcmp(names.slots[j]->name, d->name) != 0) j = (j + 1) & (cap - 1);
    if (!names.slots[j]) names.slots[j] = d; /* names are unique; keep the first */
  }
}

static const YktsFnDesc *desc_by_name(const char *s, size_t n) {
  if (!names.built) build_name_map();
  if (!names.cap) return NULL;
  size_t j = (size_t)name_hash(s, n) & (names.cap - 1);
  while (names.slots[j]) {
    const char *name = names.slots[j]->name;
    if (strlen(name) == n && memcmp(name, s, n) == 0) return names.slots[j];
    j = (j + 1) & (names.cap - 1);
  }
  return NULL;
}

/* ---- the deopt table (docs/traces.md §3) */

typedef struct MetaReader {
  const uint8_t *p, *end;
  char *why;
  size_t whylen;
  int bad;
} MetaReader;

static void meta_fail(MetaReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void meta_fail(MetaReader *r, const char *fmt, ...) {
  if (r->bad) return;
  r->bad = 1;
  int n = snprintf(r->why, r->whylen, "bad deopt table: ");
  va_list ap;
  va_start(ap, fmt);
  if (n >= 0 && (size_t)n < r->whylen) vsnprintf(r->why + n, r->whylen - (size_t)n, fmt, ap);
  va_end(ap);
}

static uint32_t meta_u32(MetaReader *r, const char *what) {
  uint32_t v = 0;
  if (r->bad) return 0;
  if (r->end - r->p < 4) {
    meta_fail(r, "truncated at %s", what);
    return 0;
  }
  memcpy(&v, r->p, 4);
  r->p += 4;
  return v;
}

/* A `str`: sets *s and *n to the bytes (not terminated) in the table. */
static void meta_str(MetaReader *r, const char *what, const char **s, uint32_t *n) {
  *s = "";
  *n = meta_u32(r, what);
  if (r->bad) return;
  if (*n > 4096 || (size_t)(r->end - r->p) < *n) {
    meta_fail(r, "truncated at %s", what);
    *n = 0;
    return;
  }
  *s = (const char *)r->p;
  r->p += *n;
}

/* Limits that only a corrupt table exceeds. */
#define META_VERSION 2u
#define META_MAX_GUARDS (1u << 20)
#define META_MAX_LISTS (1u << 20)
#define META_MAX_FRAMES 4096u
#define META_MAX_SLOTS (1u << 16)
#define META_MAX_BUFFER (1u << 24)

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Checks the source-3 slots of slot list l (its V slots at sl, n of them
 * source 3): each is computed from an 8-byte slot of the same list at the
 * payload's offset that is not source 3 itself. Then moves them, in order,
 * after the other slots: they are filled from the others. */
static void derive_last(MetaReader *r, uint32_t l, TraceSlot *sl, uint32_t V, uint32_t n) {
  uint32_t *bases = xrealloc(NULL, V * sizeof *bases), nb = 0;
  for (uint32_t v = 0; v < V; v++)
    if (sl[v].source != SLOT_DERIVED && sl[v].size == 8) bases[nb++] = sl[v].offset;
  qsort(bases, nb, sizeof *bases, cmp_u32);
  TraceSlot *derived = xrealloc(NULL, n * sizeof *derived);
  uint32_t kept = 0, nd = 0;
  for (uint32_t v = 0; v < V; v++) {
    if (sl[v].source != SLOT_DERIVED) {
      sl[kept++] = sl[v];
      continue;
    }
    uint32_t base = (uint32_t)(sl[v].payload >> 32);
    if (!bsearch(&base, bases, nb, sizeof *bases, cmp_u32)) {
      meta_fail(r, "slot list %u slot %u: source 3 from offset %u, where the list has no 8-byte slot of another source",
                l, v, base);
      break;
    }
    derived[nd++] = sl[v];
  }
  if (!r->bad) memcpy(sl + kept, derived, (size_t)nd * sizeof *derived);
  free(derived);
  free(bases);
}

/* The slot lists: checked on their own and against the live struct. */
static void parse_slot_lists(MetaReader *r, uint32_t live_size, struct YktsLocState *ls) {
  uint32_t L = meta_u32(r, "number of slot lists");
  if (!r->bad && L > META_MAX_LISTS) meta_fail(r, "%u slot lists", L);
  if (r->bad) return;
  ls->nlists = L;
  ls->lists = calloc(L ? L : 1, sizeof *ls->lists);
  if (!ls->lists) xrealloc(NULL, (size_t)L * sizeof *ls->lists);
  /* Slots are collected in one growing array; lists point into it by
   * index until the end (it moves while it grows). */
  size_t nslots = 0, cap = 0;
  size_t *start = xrealloc(NULL, (L ? L : 1) * sizeof *start);
  for (uint32_t l = 0; l < L && !r->bad; l++) {
    uint32_t nderived = 0;
    uint32_t V = meta_u32(r, "number of slots");
    if (r->bad) break;
    if (V > META_MAX_SLOTS) {
      meta_fail(r, "slot list %u has %u slots", l, V);
      break;
    }
    if ((size_t)(r->end - r->p) / 16 < V) {
      meta_fail(r, "truncated at slot list %u", l);
      break;
    }
    if (nslots + V > cap) {
      while (nslots + V > cap) cap = cap ? cap * 2 : 64;
      ls->slots = xrealloc(ls->slots, cap * sizeof *ls->slots);
    }
    TraceList *tl = &ls->lists[l];
    start[l] = nslots;
    tl->nslots = V;
    tl->extent = 16;
    for (uint32_t v = 0; v < V; v++) {
      TraceSlot s;
      uint16_t zero;
      memcpy(&s.offset, r->p, 4);
      s.size = r->p[4];
      s.source = r->p[5];
      memcpy(&zero, r->p + 6, 2);
      memcpy(&s.payload, r->p + 8, 8);
      s.unused = 0;
      r->p += 16;
      if (s.size != 1 && s.size != 2 && s.size != 4 && s.size != 8) {
        meta_fail(r, "slot list %u slot %u: size %u (want 1, 2, 4 or 8)", l, v, s.size);
        break;
      }
      if (s.source > SLOT_DERIVED) {
        meta_fail(r, "slot list %u slot %u: source %u (want 0, 1, 2 or 3)", l, v, s.source);
        break;
      }
      if (s.source == SLOT_DERIVED && s.size != 8) {
        meta_fail(r, "slot list %u slot %u: source 3 with size %u (want 8)", l, v, s.size);
        break;
      }
      if (zero != 0) {
        meta_fail(r, "slot list %u slot %u: reserved bytes %#x (want 0)", l, v, zero);
        break;
      }
      /* Values are fields after the 16-byte slot (ret/incoming). */
      if (s.offset < 16) {
        meta_fail(r, "slot list %u slot %u: offset %u, inside the 16-byte incoming slot", l, v, s.offset);
        break;
      }
      if (s.source == SLOT_LIVE && (s.payload < 16 || s.payload > live_size || s.size > live_size - s.payload)) {
        meta_fail(r, "slot list %u slot %u: %u bytes at live struct offset %" PRIu64 ", outside the %u-byte live struct's values",
                  l, v, s.size, s.payload, live_size);
        break;
      }
      if (s.source == SLOT_BUNDLE) tl->nbundle++;
      if (s.source == SLOT_DERIVED) nderived++;
      if ((uint64_t)s.offset + s.size > tl->extent) {
        tl->extent = (uint64_t)s.offset + s.size > 0xffffffffu ? 0xffffffffu : s.offset + s.size;
        tl->far = v;
        tl->far_off = s.offset;
        tl->far_size = s.size;
      }
      ls->slots[nslots++] = s;
    }
    if (!r->bad && nderived) derive_last(r, l, ls->slots + start[l], V, nderived);
  }
  if (!r->bad)
    for (uint32_t l = 0; l < L; l++) ls->lists[l].slots = ls->slots ? ls->slots + start[l] : NULL;
  free(start);
}

/* Parses and checks the table against the recording's site. */
static void parse_meta(MetaReader *r, const YktsSite *site, struct YktsLocState *ls) {
  if (r->end - r->p < 4 || memcmp(r->p, "YKTM", 4) != 0) {
    meta_fail(r, "no YKTM magic");
    return;
  }
  r->p += 4;
  uint32_t version = meta_u32(r, "version");
  if (!r->bad && version != META_VERSION) meta_fail(r, "version %u, this runtime reads %u", version, META_VERSION);
  uint32_t k = meta_u32(r, "site index");
  uint32_t live_size = meta_u32(r, "live size");
  const char *fname;
  uint32_t fnlen;
  meta_str(r, "function name", &fname, &fnlen);
  if (r->bad) return;
  const char *site_fn = fn_name(site->fn);
  if (k != site->index || live_size != site->live_size || strlen(site_fn) != fnlen ||
      memcmp(site_fn, fname, fnlen) != 0) {
    meta_fail(r, "for site %.*s#%u (live size %u), the recording is at %s#%u (live size %u)", (int)fnlen, fname, k,
              live_size, site_fn, site->index, site->live_size);
    return;
  }
  parse_slot_lists(r, live_size, ls);
  uint32_t G = meta_u32(r, "number of guards");
  if (!r->bad && G > META_MAX_GUARDS) meta_fail(r, "%u guards", G);
  if (r->bad) return;
  ls->nguards = G;
  ls->guards = calloc(G ? G : 1, sizeof *ls->guards);
  if (!ls->guards) xrealloc(NULL, G * sizeof *ls->guards);
  /* Frames are collected in a growing array; guards point into it by index
   * until the end (it moves while it grows). */
  size_t nframes = 0, frames_cap = 0;
  size_t *frame_start = xrealloc(NULL, (G ? G : 1) * sizeof *frame_start);
  for (uint32_t g = 0; g < G && !r->bad; g++) {
    uint32_t N = meta_u32(r, "number of frames");
    if (r->bad) break;
    if (N < 1 || N > META_MAX_FRAMES) {
      meta_fail(r, "guard %u has %u frames", g, N);
      break;
    }
    frame_start[g] = nframes;
    ls->guards[g].nframes = N;
    uint32_t total = 0;
    for (uint32_t i = 0; i < N && !r->bad; i++) {
      const char *name;
      uint32_t nlen;
      meta_str(r, "frame function name", &name, &nlen);
      uint32_t point = meta_u32(r, "resume point");
      uint32_t size = meta_u32(r, "buffer size");
      uint32_t li = meta_u32(r, "slot list index");
      if (r->bad) break;
      const YktsFnDesc *d = desc_by_name(name, nlen);
      if (!d) {
        meta_fail(r, "guard %u frame %u: no function '%.*s' in the program", g, i, (int)nlen, name);
        break;
      }
      if (!d->resume) {
        meta_fail(r, "guard %u frame %u: '%s' has no resume trampoline", g, i, d->name);
        break;
      }
      if (i == 0 && d != site->fn) {
        meta_fail(r, "guard %u: base frame is '%s', not the site's function %s", g, d->name, site_fn);
        break;
      }
      if (point == 0) {
        meta_fail(r, "guard %u frame %u: resume point 0", g, i);
        break;
      }
      if (size < 16 || size % 16 != 0 || size > META_MAX_BUFFER) {
        meta_fail(r, "guard %u frame %u: buffer size %u (want a multiple of 16, at least 16)", g, i, size);
        break;
      }
      if (li >= ls->nlists) {
        meta_fail(r, "guard %u frame %u: slot list %u (the table has %u)", g, i, li, ls->nlists);
        break;
      }
      const TraceList *tl = &ls->lists[li];
      if (tl->extent > size) {
        meta_fail(r, "guard %u frame %u: slot list %u slot %u: %u bytes at offset %u, outside the %u-byte buffer", g,
                  i, li, tl->far, tl->far_size, tl->far_off, size);
        break;
      }
      if (nframes == frames_cap) {
        frames_cap = frames_cap ? frames_cap * 2 : 16;
        ls->frames = xrealloc(ls->frames, frames_cap * sizeof *ls->frames);
      }
      ls->frames[nframes++] = (TraceFrame){d, point, size, tl, total};
      /* A guard that resumes the base frame at this site's control point
       * (the fast tier's upgrade check at its loop head) leaves where the
       * trace itself starts: a side trace from there would be the trace. */
      if (N == 1 && point == YKTS_RESUME_POINT_CP(site->index)) ls->guards[g].side = SIDE_FAILED;
      total += tl->nbundle;
      if (size > ls->guards[g].max_size) ls->guards[g].max_size = size;
    }
    ls->guards[g].nvals = total;
  }
  if (!r->bad && r->p != r->end) meta_fail(r, "%zu bytes after the last guard", (size_t)(r->end - r->p));
  if (!r->bad) /* the array has stopped moving: resolve the indices to pointers */
    for (uint32_t g = 0; g < G; g++) ls->guards[g].frames = ls->frames + frame_start[g];
  free(frame_start);
}

/* The object's stackmaps: every __ykts_deopt call of `fn` must be readable
 * and carry as many values as some guard's source-0 slots (the record does
 * not say which guard it is; the handler checks its own at a deopt).
 * Returns the number of records read into *recs (and their locations), or
 * -1 with the reason in `why`. */
static int check_stackmaps(void *h, void *fn, const struct YktsLocState *ls, const char *sym, StackmapRec **recs,
                           SmLoc **locs, uint32_t *of_trace, char *why, size_t whylen) {
  *recs = NULL;
  *locs = NULL;
  *of_trace = 0;
  /* A trace without guards (the optimiser folded them all) has no deopt
   * call, and clang then writes no stackmap section at all. */
  if (ls->nguards == 0) return 0;
  const char *err = NULL;
  int nrecs = stackmaps_read(h, recs, locs, &err);
  if (nrecs < 0) {
    snprintf(why, whylen, "stackmaps: %s", err ? err : "unreadable");
    return -1;
  }
  uint32_t *counts = xrealloc(NULL, (ls->nguards ? ls->nguards : 1) * sizeof *counts);
  for (uint32_t g = 0; g < ls->nguards; g++) counts[g] = ls->guards[g].nvals;
  qsort(counts, ls->nguards, sizeof *counts, cmp_u32);
  *of_trace = 0;
  int ok = 1;
  for (int i = 0; i < nrecs && ok; i++) {
    const StackmapRec *rc = &(*recs)[i];
    if (rc->fn_addr != (uintptr_t)fn) continue;
    (*of_trace)++;
    if (rc->bad >= 0) {
      const uint8_t *l = rc->raw + (size_t)rc->bad * 12;
      uint16_t reg;
      memcpy(&reg, l + 4, 2);
      snprintf(why, whylen,
               "stackmaps: a deopt call of %s has location %d where the runtime cannot read it (kind %u, DWARF register %u)",
               sym, rc->bad, l[0], reg);
      ok = 0;
      break;
    }
    uint32_t c = (uint32_t)rc->ndeopt;
    if (rc->ndeopt < 0 || !bsearch(&c, counts, ls->nguards, sizeof *counts, cmp_u32)) {
      snprintf(why, whylen, "stackmaps: a deopt call of %s carries %d values, no guard has that many", sym, rc->ndeopt);
      ok = 0;
    }
  }
  free(counts);
  if (ok && ls->nguards > 0 && *of_trace == 0) {
    snprintf(why, whylen, "stackmaps: %s has %u guards and no deopt call", sym, ls->nguards);
    ok = 0;
  }
  if (!ok) {
    free(*recs);
    free(*locs);
    *recs = NULL;
    *locs = NULL;
    return -1;
  }
  return nrecs;
}

/* Installs the trace of a "compiled" answer at the recording's location, or
 * says in `why` why not (then nothing has changed but an object that may
 * stay mapped). `upgrading`: jitd will send the LLVM tier's object for it. */
static int install_trace(const Pending *pd, const char *path, const char *sym, int upgrading, char *why, size_t whylen) {
  const YktsSite *site = pd->site_desc;
  uintptr_t s = pd->loc->state;
  if (!pd->parent && (s & 3) != 1) {
    snprintf(why, whylen, "the location is no longer counting (state %#lx)", (unsigned long)s);
    return -1;
  }
  dlerror();
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, whylen, "dlopen: %s", e ? e : "failed");
    return -1;
  }
  void *fn = dlsym(h, sym);
  char meta_name[300];
  snprintf(meta_name, sizeof meta_name, "%s_meta", sym);
  void *meta = dlsym(h, meta_name);
  Dl_info info;
  const ElfW(Sym) *esym = NULL;
  struct YktsLocState *ls = NULL;
  StackmapRec *recs = NULL;
  SmLoc *locs = NULL;
  int nrecs = 0;
  if (!fn) {
    snprintf(why, whylen, "no symbol %s in %s", sym, path);
    goto fail;
  }
  if (!meta) {
    snprintf(why, whylen, "no symbol %s in %s", meta_name, path);
    goto fail;
  }
  if (!dladdr1(meta, &info, (void **)&esym, RTLD_DL_SYMENT) || !esym || info.dli_saddr != meta || esym->st_size == 0) {
    snprintf(why, whylen, "%s has no symbol size", meta_name);
    goto fail;
  }
  ls = calloc(1, sizeof *ls);
  if (!ls) xrealloc(NULL, sizeof *ls);
  ls->magic = YKTS_LOC_STATE_MAGIC;
  ls->loc_id = pd->loc_id;
  ls->trace = (int64_t (*)(void *))fn;
  ls->fn = site->fn;
  ls->site_index = site->index;
  ls->live_size = site->live_size;
  ls->handle = h;
  ls->sym = strdup(sym);
  ls->loc = pd->loc;
  ls->site = site;
  ls->is_side = pd->parent != NULL;
  ls->root = pd->parent ? pd->parent->root : ls;
  {
    char side_name[300];
    snprintf(side_name, sizeof side_name, "%s_side", sym);
    ls->side_table = dlsym(h, side_name); /* absent in objects made by hand: no side traces then */
    snprintf(side_name, sizeof side_name, "%s_iters", sym);
    ls->iters = dlsym(h, side_name); /* a root trace that loops */
  }
  MetaReader r = {(const uint8_t *)meta, (const uint8_t *)meta + esym->st_size, why, whylen, 0};
  parse_meta(&r, site, ls);
  if (r.bad) goto fail;
  ls->meta = (const uint8_t *)meta;
  ls->meta_size = esym->st_size;
  /* A fast-tier object (C, tcc) names its own state slot `<sym>_owner` and
   * passes it to __ykts_deopt_v; an LLVM one has stackmaps instead. */
  char owner_name[300];
  snprintf(owner_name, sizeof owner_name, "%s_owner", sym);
  void **owner = dlsym(h, owner_name);
  ls->fast = owner != NULL;
  uint32_t of_trace = 0;
  if (!owner && (nrecs = check_stackmaps(h, fn, ls, sym, &recs, &locs, &of_trace, why, whylen)) < 0) goto fail;
  if (pd->parent && (!pd->parent->side_table || pd->guard >= pd->parent->nguards)) {
    snprintf(why, whylen, "the parent trace %s has no side-trace table entry for guard %u", trace_sym(pd->parent), pd->guard);
    goto fail;
  }
  if (owner) *owner = ls;
  for (int i = 0; i < nrecs; i++) {
    recs[i].owner = ls;
    sm_insert(recs[i]);
  }
  free(recs);
  /* locs stay: the indexed records point into them, as long as the object */
  ls->upgradable = upgrading;
  if (ls->fast) stats.traces_fast++;
  ls->next = all_traces;
  all_traces = ls;
  char how[64];
  if (ls->fast) snprintf(how, sizeof how, "fast tier%s", upgrading ? ", upgradable" : "");
  else snprintf(how, sizeof how, "%u deopt calls", of_trace);
  if (pd->parent) {
    /* From now on the guard's exit calls the side trace. */
    ls->parent = pd->parent;
    ls->parent_guard = pd->guard;
    pd->parent->side_table[pd->guard] = fn;
    pd->parent->guards[pd->guard].side = SIDE_INSTALLED;
    stats.side_installed++;
    /* The tree may pay now: enter it again at once. */
    if (ls->root) {
      stats.backoff_skips -= ls->root->skip; /* counted when the skip began */
      ls->root->skip = 0;
    }
    if (cfg.log)
      logf_("ykts: loc=%u side trace installed: %s at %s guard %u (%u guards, %s)", pd->loc_id, sym,
            trace_sym(pd->parent), pd->guard, ls->nguards, how);
    upgrade_if_hot(ls);
    return 0;
  }
  pd->loc->state = (uintptr_t)ls;
  stats.traces_installed++;
  if (cfg.log)
    logf_("ykts: loc=%u trace installed: %s (%u guards, %s)", pd->loc_id, sym, ls->nguards, how);
  upgrade_if_hot(ls);
  return 0;
fail:
  free(recs);
  free(locs);
  if (ls) free_loc_state(ls);
  dlclose(h); /* nothing refers to it: no record was indexed */
  return -1;
}

/* Replaces a fast-tier trace by the LLVM tier's object for the same trace
 * (an UPGRADE answer): the same deopt table, so the guards, their failure
 * counts and side traces carry over; the state stays the same object, so
 * whatever points to it (the location, side traces' parents, the fast
 * object's `_owner`) goes on pointing to it. The old object stays mapped:
 * its code may be on the stack (a deopt's resume chain can read answers),
 * and it only ever exits from there. */
static int upgrade_trace(struct YktsLocState *ls, const char *path, const char *sym, char *why, size_t whylen) {
  dlerror();
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, whylen, "dlopen: %s", e ? e : "failed");
    return -1;
  }
  void *fn = dlsym(h, sym);
  char name[300];
  snprintf(name, sizeof name, "%s_meta", sym);
  void *meta = dlsym(h, name);
  snprintf(name, sizeof name, "%s_side", sym);
  void **side = dlsym(h, name);
  Dl_info info;
  const ElfW(Sym) *esym = NULL;
  StackmapRec *recs = NULL;
  SmLoc *locs = NULL;
  uint32_t of_trace = 0;
  int nrecs = -1;
  if (!fn || !meta || !side) {
    snprintf(why, whylen, "%s lacks %s, its _meta or its _side", path, sym);
    goto fail;
  }
  if (!dladdr1(meta, &info, (void **)&esym, RTLD_DL_SYMENT) || !esym || info.dli_saddr != meta ||
      esym->st_size != ls->meta_size || memcmp(meta, ls->meta, ls->meta_size) != 0) {
    snprintf(why, whylen, "its deopt table differs from the installed trace's");
    goto fail;
  }
  if ((nrecs = check_stackmaps(h, fn, ls, sym, &recs, &locs, &of_trace, why, whylen)) < 0) goto fail;
  for (int i = 0; i < nrecs; i++) {
    recs[i].owner = ls;
    sm_insert(recs[i]);
  }
  free(recs);
  if (ls->side_table)
    for (uint32_t g = 0; g < ls->nguards; g++) side[g] = ls->side_table[g];
  ls->side_table = side;
  ls->handle = h;
  ls->trace = (int64_t (*)(void *))fn;
  snprintf(name, sizeof name, "%s_iters", sym);
  ls->iters = dlsym(h, name);
  ls->fast = 0;
  if (ls->parent && ls->parent->side_table && ls->parent->side_table[ls->parent_guard])
    ls->parent->side_table[ls->parent_guard] = fn;
  if (cfg.log) logf_("ykts: loc=%u trace upgraded: %s -> %s (%u deopt calls)", ls->loc_id, trace_sym(ls), sym, of_trace);
  return 0;
fail:
  free(recs);
  free(locs);
  dlclose(h);
  return -1;
}

/* jitd's UPGRADE message: `str symbol`, `u8 status`, then `str reason`
 * (status 0) or `str path`, `str symbol of the new object` (status 1). */
static void handle_upgrade(const uint8_t *p, size_t n) {
  const uint8_t *end = p + n;
  int bad = 0;
  char old[256], a[512], b[256] = "";
  get_str(&p, end, old, sizeof old, &bad);
  uint8_t status = 0;
  if (!bad && p < end) status = *p++;
  else bad = 1;
  get_str(&p, end, a, sizeof a, &bad);
  if (status == 1) get_str(&p, end, b, sizeof b, &bad);
  if (bad || p != end || status > 1) {
    turn_jit_off("jitd answered garbage (upgrade of %s)", old);
    return;
  }
  if (upgrades_owed) upgrades_owed--;
  struct YktsLocState *ls = all_traces;
  while (ls && !(ls->upgrade_due && ls->sym && strcmp(ls->sym, old) == 0)) ls = ls->next;
  if (!ls) {
    /* Its trace was never installed, or was dropped with its location. */
    if (cfg.log) logf_("ykts: upgrade of %s ignored: no such fast-tier trace is installed", old);
    return;
  }
  ls->upgrade_due = 0;
  char why[512];
  if (status == 0) {
    stats.not_upgraded++;
    if (cfg.log) logf_("ykts: loc=%u trace %s not upgraded: %s", ls->loc_id, old, a);
  } else if (upgrade_trace(ls, a, b, why, sizeof why) != 0) {
    stats.not_upgraded++;
    if (cfg.log) logf_("ykts: loc=%u trace %s not upgraded: %s", ls->loc_id, old, why);
  } else {
    stats.upgraded++;
  }
}

/* Asks jitd for the LLVM tier's object of a fast-tier trace, once. */
static void request_upgrade(struct YktsLocState *ls) {
  if (!ls->upgradable || jitd.state != JITD_RUNNING || jitd.owner != self_pid) return;
  ls->upgradable = 0;
  ls->upgrade_due = 1;
  upgrades_owed++;
  size_t at = begin_msg(&jitd.out, MSG_UPGRADE_REQUEST);
  put_str(&jitd.out, ls->sym);
  end_msg(&jitd.out, at);
  if (cfg.log) logf_("ykts: loc=%u trace %s is hot: upgrade asked for", ls->loc_id, ls->sym);
  flush_out();
}

/* A tree is hot once its root has run YKTS_UPGRADE_AFTER loop iterations
 * plus entries: then every fast-tier trace in it is upgraded, side traces
 * installed later too. Asked at each entry of a root, at a fast root's
 * poll (every 2^14 iterations of one call) and at each install. */
static void upgrade_if_hot(struct YktsLocState *ls) {
  struct YktsLocState *root = ls->root;
  if (root->tree_hot) {
    request_upgrade(ls);
    return;
  }
  if (root->entered + (root->iters ? *root->iters : 0) < cfg.upgrade_after) return;
  root->tree_hot = 1;
  for (struct YktsLocState *t = all_traces; t; t = t->next)
    if (t->root == root) request_upgrade(t);
}

/* Whether the trace is not to be entered at this visit (backoff, below). */
static int backing_off(struct YktsLocState *ls) {
  if (!ls->skip) return 0;
  ls->skip--;
  return 1;
}

static int32_t enter_trace(struct YktsLocState *ls, void *live, uintptr_t sp) {
  stats.traces_entered++;
  ls->entered++;
  if (ls->upgradable || !ls->tree_hot) upgrade_if_hot(ls);
  active.ls = ls;
  active.live = live;
  active.sp = sp;
  if (cfg.short_cycles) active.t0 = __builtin_ia32_rdtsc();
  active.iters0 = ls->iters ? *ls->iters : 0;
  int64_t r = ls->trace(live);
  active.ls = NULL;
  active.live = NULL;
  active.sp = 0;
  if (cfg.short_cycles && ++ls->entries >= BACKOFF_WINDOW) {
    /* Entries that deopt at once cost more than interpreting: stop
     * entering the tree for a while (longer each time), until a side trace
     * arrives in it (install_trace) or the skip runs out. */
    if ((uint64_t)ls->short_entries * 10 >= (uint64_t)ls->entries * 9) {
      ls->backoff = ls->backoff ? (ls->backoff >= BACKOFF_MAX / 2 ? BACKOFF_MAX : ls->backoff * 2) : BACKOFF_MIN;
      ls->skip = ls->backoff;
      stats.backoffs++;
      if (cfg.log)
        logf_("ykts: loc=%u trace %s backs off for %u visits (%u of its last %u entries deopted within %u cycles)",
              ls->loc_id, trace_sym(ls), ls->skip, ls->short_entries, ls->entries, cfg.short_cycles);
      /* The control point's inline code takes the skipped visits (it
       * decrements skip, docs/retrofit-abi.md §2): counted here. */
      stats.backoff_skips += ls->skip;
    }
    ls->entries = ls->short_entries = 0;
  }
  return (int32_t)r;
}

/* Runs the trace at a location, and then, while it leaves at a control
 * point of this site whose location has a trace too, that trace: the
 * original would resume right after that control point, where the next
 * trace starts. A location that is counting gets the visit counted (the
 * clone or side trace made it, not the original). */
static int32_t run_traces(struct YktsLocState *ls, void *live, uintptr_t sp, const YktsSite *site) {
  for (;;) {
    __ykts_stopped_loc = NULL;
    int32_t r = enter_trace(ls, live, sp);
    YkLocation *at = __ykts_stopped_loc;
    __ykts_stopped_loc = NULL;
    if (r != (int32_t)site->index || !at) return r;
    uintptr_t s = at->state;
    if ((s & 3) == 1) {
      /* A location without a trace (an outer loop the traces run through,
       * or one whose trace was retired): the visit counts, and may start a
       * recording, resumed from the live struct the traces left. That
       * struct lacks the values the original's reload recomputes
       * (cpDerived): the traced clone's resume entry recomputes them as
       * well (traced-clone.ts). */
      int32_t c = count_visit(at, site, live);
      return c == COUNTED ? r : c;
    }
    if (s == 0 || (s & 3) != 0) return r;
    ls = (struct YktsLocState *)s;
    if (!trace_matches(ls, site) || ls->skip) return r;
    stats.trace_links++;
    /* A program can stay in this loop for good (traces handing over to one
     * another through deopts): answers are read here too. */
    if (answers_due() && poll_due()) {
      poll_jitd(0);
      if (at->state != (uintptr_t)ls) return r;
    }
  }
}

/* Buffers of the frames of a deopt by frame index (base frame 0), all of
 * `cap` bytes, reused from deopt to deopt: one deopt at a time (nothing
 * nests while a trace or its resume chain runs, and the chain never
 * re-enters the handler). They only grow, on a deopt that needs more. */
static struct {
  uint8_t **p;
  uint32_t n, cap;
} dbufs;

static void deopt_buffers_grow(const TraceGuard *g) {
  uint32_t cap = dbufs.cap, n = dbufs.n;
  if (g->max_size > cap) {
    cap = cap ? cap : 256;
    while (cap < g->max_size) cap *= 2; /* max_size <= META_MAX_BUFFER: no overflow */
    for (uint32_t i = 0; i < dbufs.n; i++) free(dbufs.p[i]), dbufs.p[i] = NULL;
  }
  if (g->nframes > n) {
    n = n ? n : 4;
    while (n < g->nframes) n *= 2;
    dbufs.p = xrealloc(dbufs.p, n * sizeof *dbufs.p);
    for (uint32_t i = dbufs.n; i < n; i++) dbufs.p[i] = NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    if (dbufs.p[i]) continue;
    dbufs.p[i] = aligned_alloc(16, cap); /* cap is a multiple of 16 */
    if (!dbufs.p[i]) xrealloc(NULL, cap);
  }
  dbufs.n = n;
  dbufs.cap = cap;
}

/* The buffers for g's frames (not yet zeroed). */
static inline uint8_t **deopt_buffers(const TraceGuard *g) {
  if (__builtin_expect(g->nframes > dbufs.n || g->max_size > dbufs.cap, 0)) deopt_buffers_grow(g);
  return dbufs.p;
}

static inline uint64_t load_low(const uint8_t *p, uint32_t size) {
  switch (size) {
  case 8: { uint64_t x; memcpy(&x, p, 8); return x; }
  case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
  case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
  default: return *p;
  }
}

static inline void store_low(uint8_t *p, uint64_t v, uint32_t size) {
  switch (size) {
  case 8: memcpy(p, &v, 8); break;
  case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
  case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
  default: *p = (uint8_t)v; break;
  }
}

/* Both ways of filling a guard's frame buffers below zero them, then store
 * each slot's low `size` bytes. Source-1 slots read the live struct the
 * trace was entered with: the buffers are filled before any frame is
 * resumed (the base frame's clone writes `live` when it stops at a control
 * point; the trace itself never writes it). Source-3 slots come last in
 * their list: their base slot is filled by then. */

/* With the bundle's values in an array (the handler's public form). */
static void fill_frames(const TraceGuard *g, uint8_t *const *bufs, const uint8_t *live, const uint64_t *values) {
  for (uint32_t i = 0; i < g->nframes; i++) {
    const TraceFrame *f = &g->frames[i];
    uint8_t *buf = bufs[i];
    memset(buf, 0, f->size);
    const TraceSlot *s = f->list->slots, *e = s + f->list->nslots;
    uint32_t at = f->first;
    for (; s < e; s++) {
      uint64_t v;
      switch (s->source) {
      case SLOT_BUNDLE: v = values[at++]; break;
      case SLOT_LIVE: v = load_low(live + s->payload, s->size); break;
      case SLOT_CONST: v = s->payload; break;
      default: /* SLOT_DERIVED */
        v = load_low(buf + (uint32_t)(s->payload >> 32), 8) + (uint64_t)(int64_t)(int32_t)(uint32_t)s->payload;
        break;
      }
      store_low(buf + s->offset, v, s->size);
    }
  }
}

/* With a plan: the guard's slots and its deopt call's stackmap locations
 * combined, once, into operations that each take one switch case (what to
 * read, how many bytes to store), built at the first deopt of a (guard,
 * deopt call) pair and kept with the guard. When a frame's slots do not
 * overlap (the rule; otherwise table order is kept), source-1 slots that
 * are contiguous both in the live struct and in the buffer become one
 * block copy (a clone frame starts with its site's live values laid out as
 * in the live struct: an interpreter's hundreds of them are one copy), and
 * only the bytes no slot writes are zeroed (runs of written bytes shorter
 * than 64 are zeroed over: fewer, longer memsets). */
enum {
  OP_CONST = 0,  /* + log2(size): store k */
  OP_ADDR = 4,   /* + log2(size): store rf[base] + off (a register, or an address) */
  OP_COPY = 8,   /* + log2(size): copy size bytes from rf[base] + off (a spill slot, or the live struct) */
  OP_SEXT = 12,  /* load lsize bytes at rf[base] + off, sign-extended, store size bytes */
  OP_DERIVED,    /* 8 bytes: those at k >> 32 in the same buffer plus (int32_t)k */
  OP_BLOCK,      /* copy len bytes from rf[base] + off */
};

typedef struct DeoptOp {
  uint8_t code, base, size, lsize;
  uint32_t frame;  /* index of the buffer */
  uint32_t dst;    /* offset in it */
  uint32_t len;    /* OP_BLOCK */
  union {
    int64_t off;
    uint64_t k;
  } u;
} DeoptOp;

typedef struct DeoptZero {
  uint32_t frame, off, len;
} DeoptZero;

struct DeoptPlan {
  struct DeoptPlan *next;
  uintptr_t ret_addr; /* of the deopt call */
  uint32_t nops, nzero;
  DeoptZero *zero;    /* the byte ranges to zero, before the operations */
  DeoptOp ops[];
};

static void free_plans(struct DeoptPlan *p) {
  while (p) {
    struct DeoptPlan *n = p->next;
    free(p->zero);
    free(p);
    p = n;
  }
}

static uint8_t log2_size(uint32_t size) { return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0; }

/* The operation of one slot (bundle value `l` for source 0). */
static DeoptOp slot_op(uint32_t frame, const TraceSlot *s, const SmLoc *l) {
  uint8_t lg = log2_size(s->size);
  DeoptOp op = {0};
  op.frame = frame;
  op.dst = s->offset;
  op.size = s->size;
  switch (s->source) {
  case SLOT_BUNDLE:
    switch (l->kind) {
    case SM_CONST: op.code = (uint8_t)(OP_CONST + lg), op.u.k = l->k; break;
    case SM_REG: op.code = (uint8_t)(OP_ADDR + lg), op.base = l->reg, op.u.off = 0; break;
    case SM_DIRECT: op.code = (uint8_t)(OP_ADDR + lg), op.base = l->reg, op.u.off = l->off; break;
    default: /* SM_INDIRECT: the low bytes of the sign-extended value are the first ones in memory */
      op.base = l->reg;
      op.u.off = l->off;
      if (s->size <= l->size) op.code = (uint8_t)(OP_COPY + lg);
      else op.code = OP_SEXT, op.lsize = l->size;
      break;
    }
    break;
  case SLOT_LIVE: op.code = (uint8_t)(OP_COPY + lg), op.base = RF_LIVE, op.u.off = (int64_t)s->payload; break;
  case SLOT_CONST: op.code = (uint8_t)(OP_CONST + lg), op.u.k = s->payload; break;
  default: op.code = OP_DERIVED, op.u.k = s->payload; break;
  }
  return op;
}

static int cmp_slot_ptr(const void *a, const void *b) {
  const TraceSlot *x = *(const TraceSlot *const *)a, *y = *(const TraceSlot *const *)b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

#define ZERO_OVER 64u /* written runs shorter than this are zeroed over */

static struct DeoptPlan *build_plan(TraceGuard *g, const StackmapRec *smr) {
  uint32_t n = 0, maxv = 0;
  for (uint32_t i = 0; i < g->nframes; i++) {
    n += g->frames[i].list->nslots;
    if (g->frames[i].list->nslots > maxv) maxv = g->frames[i].list->nslots;
  }
  struct DeoptPlan *pl = xrealloc(NULL, sizeof *pl + (size_t)n * sizeof(DeoptOp));
  pl->ret_addr = smr->ret_addr;
  pl->zero = NULL;
  pl->nzero = 0;
  uint32_t zcap = 0;
  const TraceSlot **sorted = xrealloc(NULL, (maxv ? maxv : 1) * sizeof *sorted);
  uint32_t *bundle_at = xrealloc(NULL, (maxv ? maxv : 1) * sizeof *bundle_at);
  DeoptOp *op = pl->ops;
  for (uint32_t i = 0; i < g->nframes; i++) {
    const TraceFrame *f = &g->frames[i];
    const TraceSlot *sl = f->list->slots;
    uint32_t V = f->list->nslots;
    /* Each slot's bundle index (source 0), by table position. */
    for (uint32_t j = 0, at = f->first; j < V; j++) bundle_at[j] = sl[j].source == SLOT_BUNDLE ? at++ : 0;
    for (uint32_t j = 0; j < V; j++) sorted[j] = &sl[j];
    qsort(sorted, V, sizeof *sorted, cmp_slot_ptr);
    int overlap = 0;
    for (uint32_t j = 1; j < V; j++)
      if (sorted[j - 1]->offset + sorted[j - 1]->size > sorted[j]->offset) overlap = 1;
    /* Zero ranges: [0, size) less the runs of written bytes of ZERO_OVER or more. */
    uint32_t zstart = 0;
    for (uint32_t j = 0; j < V;) {
      uint32_t rs = sorted[j]->offset, re = rs + sorted[j]->size;
      for (j++; j < V && sorted[j]->offset <= re; j++)
        if (sorted[j]->offset + sorted[j]->size > re) re = sorted[j]->offset + sorted[j]->size;
      if (re - rs < ZERO_OVER) continue;
      if (rs > zstart) {
        if (pl->nzero == zcap) zcap = zcap ? zcap * 2 : 8, pl->zero = xrealloc(pl->zero, zcap * sizeof *pl->zero);
        pl->zero[pl->nzero++] = (DeoptZero){i, zstart, rs - zstart};
      }
      zstart = re;
    }
    if (f->size > zstart) {
      if (pl->nzero == zcap) zcap = zcap ? zcap * 2 : 8, pl->zero = xrealloc(pl->zero, zcap * sizeof *pl->zero);
      pl->zero[pl->nzero++] = (DeoptZero){i, zstart, f->size - zstart};
    }
    if (!overlap) {
      /* Source-1 slots in buffer order, contiguous runs merged. */
      for (uint32_t j = 0; j < V;) {
        const TraceSlot *s = sorted[j];
        if (s->source != SLOT_LIVE) {
          j++;
          continue;
        }
        uint32_t len = s->size, k = j + 1;
        while (k < V && sorted[k]->source == SLOT_LIVE && sorted[k]->offset == s->offset + len &&
               sorted[k]->payload == s->payload + len)
          len += sorted[k++]->size;
        if (k == j + 1) {
          *op++ = slot_op(i, s, NULL);
        } else {
          *op = (DeoptOp){0};
          op->code = OP_BLOCK;
          op->frame = i;
          op->dst = s->offset;
          op->len = len;
          op->base = RF_LIVE;
          op->u.off = (int64_t)s->payload;
          op++;
        }
        j = k;
      }
    }
    /* The others in table order (source-3 slots are last in it). */
    for (uint32_t j = 0; j < V; j++) {
      if (!overlap && sl[j].source == SLOT_LIVE) continue;
      *op++ = slot_op(i, &sl[j], sl[j].source == SLOT_BUNDLE ? &smr->vals[bundle_at[j]] : NULL);
    }
  }
  free(sorted);
  free(bundle_at);
  pl->nops = (uint32_t)(op - pl->ops);
  pl->next = g->plans;
  g->plans = pl;
  return pl;
}

#define ST(d, T, v)                                                                                                    \
  do {                                                                                                                 \
    T x_ = (T)(v);                                                                                                     \
    memcpy((d), &x_, sizeof x_);                                                                                       \
  } while (0)
#define CP(d, src, T)                                                                                                  \
  do {                                                                                                                 \
    T x_;                                                                                                              \
    memcpy(&x_, (const void *)(uintptr_t)(src), sizeof x_);                                                            \
    memcpy((d), &x_, sizeof x_);                                                                                       \
  } while (0)

static inline void run_plan(const struct DeoptPlan *pl, uint8_t *const *bufs, const uint64_t *rf) {
  for (const DeoptZero *z = pl->zero, *ze = z + pl->nzero; z < ze; z++) memset(bufs[z->frame] + z->off, 0, z->len);
  for (const DeoptOp *op = pl->ops, *e = op + pl->nops; op < e; op++) {
    uint8_t *d = bufs[op->frame] + op->dst;
    uint64_t a = rf[op->base] + (uint64_t)op->u.off;
    switch (op->code) {
    case OP_CONST + 0: ST(d, uint8_t, op->u.k); break;
    case OP_CONST + 1: ST(d, uint16_t, op->u.k); break;
    case OP_CONST + 2: ST(d, uint32_t, op->u.k); break;
    case OP_CONST + 3: ST(d, uint64_t, op->u.k); break;
    case OP_ADDR + 0: ST(d, uint8_t, a); break;
    case OP_ADDR + 1: ST(d, uint16_t, a); break;
    case OP_ADDR + 2: ST(d, uint32_t, a); break;
    case OP_ADDR + 3: ST(d, uint64_t, a); break;
    case OP_COPY + 0: CP(d, a, uint8_t); break;
    case OP_COPY + 1: CP(d, a, uint16_t); break;
    case OP_COPY + 2: CP(d, a, uint32_t); break;
    case OP_COPY + 3: CP(d, a, uint64_t); break;
    case OP_SEXT: { /* lsize < size: 1, 2 or 4 */
      const void *p = (const void *)(uintptr_t)a;
      uint64_t v;
      switch (op->lsize) {
      case 4: { int32_t x; memcpy(&x, p, 4); v = (uint64_t)(int64_t)x; break; }
      case 2: { int16_t x; memcpy(&x, p, 2); v = (uint64_t)(int64_t)x; break; }
      default: { int8_t x; memcpy(&x, p, 1); v = (uint64_t)(int64_t)x; break; }
      }
      store_low(d, v, op->size);
      break;
    }
    case OP_BLOCK: memcpy(d, (const void *)(uintptr_t)a, op->len); break;
    default: { /* OP_DERIVED */
      uint64_t b;
      memcpy(&b, bufs[op->frame] + (uint32_t)(op->u.k >> 32), 8);
      ST(d, uint64_t, b + (uint64_t)(int64_t)(int32_t)(uint32_t)op->u.k);
      break;
    }
    }
  }
}

/* Runs g's filled frames innermost first through their trampolines; returns
 * where the base frame stopped, or -1. */
static uint64_t resume_frames(const TraceGuard *g, uint8_t *const *bufs, void *live) {
  in_resume = 1;
  resume_sp = (uintptr_t)__builtin_frame_address(0);
  for (uint32_t i = g->nframes; i-- > 0;) {
    const TraceFrame *f = &g->frames[i];
    __ykts_resume_point = f->point;
    __ykts_resume_base = i == 0;
    __ykts_resume_buf = bufs[i];
    __ykts_cp_out = live;
    __ykts_stopped_site = -1;
    /* The frame's value goes to the incoming slot of the frame it returns
     * to (resumed next, after the call that was inlined), the base frame's
     * to the live struct's ret slot. */
    f->fn->resume(bufs[i], i > 0 ? (void *)bufs[i - 1] : live);
  }
  in_resume = 0;
  resume_sp = 0;
  int32_t stopped = __ykts_stopped_site;
  __ykts_stopped_site = -1;
  __ykts_cp_out = NULL;
  return (uint64_t)(int64_t)stopped;
}

/* Resumes a deopt's frames; when the guard has failed often enough, with
 * recording on, so that the path from the guard back to the root trace's
 * control point becomes a side trace (docs/traces.md §6). */
/* A root trace that looped well and one of whose guards now fails in the
 * trace's first iteration every time, as often as it takes to get a side
 * trace, was recorded on a path the loop no longer takes (a value that was an integer when it was
 * recorded and is a float since): instead of a side trace, which every
 * iteration would run after the root trace's start, the location is
 * recorded again (at most YKTS_MAX_RETRACES times, default 1). The trace
 * stays loaded (it is running); it is no longer entered. */
static int retrace(struct YktsLocState *ls, TraceGuard *g) {
  if (ls->root != ls || !ls->iters || !ls->loc || ls->loc->state != (uintptr_t)ls) return 0;
  /* Only a trace that looped well in its other entries (RETRACE_ITERS
   * iterations an entry on average): one that never did (a loop of a few
   * iterations, left through this guard) would be recorded the same way. */
  if (*ls->iters < (uint64_t)RETRACE_ITERS * (ls->entered - g->first_iter)) return 0;
  LocInfo *info = loc_info(ls->loc);
  if (info->retraces >= cfg.max_retraces) return 0;
  info->retraces++;
  stats.retraces++;
  g->failures = 0;
  if (cfg.log)
    logf_("ykts: loc=%u trace %s retired: guard %u failed %u of %u times in its first iteration; the location records again",
          ls->loc_id, trace_sym(ls), (uint32_t)(g - ls->guards), g->first_iter, g->deopts);
  ls->loc->state = 1; /* counting again, from 0 */
  return 1;
}

static uint64_t deopt_resume(struct YktsLocState *ls, TraceGuard *g, uint8_t *const *bufs) {
  if (cfg.short_cycles && active.ls && __builtin_ia32_rdtsc() - active.t0 < cfg.short_cycles) active.ls->short_entries++;
  g->deopts++;
  /* A guard of the root trace that fails before its first back edge. */
  if (ls == active.ls && ls->iters && *ls->iters == active.iters0) g->first_iter++;
  if (__builtin_expect(g->side != SIDE_NONE || !cfg.side_threshold || ++g->failures < cfg.side_threshold, 1))
    return resume_frames(g, bufs, active.live);
  if (g->first_iter == g->deopts && retrace(ls, g)) return resume_frames(g, bufs, active.live);
  /* Another recording is running (a root one, or a side one from this
   * tree): the next failure tries again. */
  if (rec.active) return resume_frames(g, bufs, active.live);
  g->failures = 0;
  if (jit_off_reason || !ls->side_table || !ls->loc || !ls->site || !ls->site->fn ||
      !ls->site->fn->resume || (jitd.state != JITD_RUNNING && jitd.state != JITD_NOT_STARTED))
    return resume_frames(g, bufs, active.live);
  if (!ls->root || ls->root->side_started >= cfg.max_side) {
    g->side = SIDE_FAILED; /* the tree has all the side traces it may have */
    return resume_frames(g, bufs, active.live);
  }
  ls->root->side_started++;
  stats.side_started++;
  rec.active = 1;
  rec.abort_reason = 0;
  rec.transient = 0;
  rec.loc = ls->loc;
  rec.info = loc_info(ls->loc);
  rec.site = ls->site;
  rec.len = 0;
  rec.promotes.len = 0;
  rec.npromotes = 0;
  rec.parent = ls;
  rec.guard = (uint32_t)(g - ls->guards);
  rec.stop_loc = NULL;
  __ykts_record_loc = ls->loc;
  __ykts_recording = 1;
  uint64_t r = resume_frames(g, bufs, active.live);
  int64_t stopped = (int64_t)r;
  if (!rec.abort_reason) {
    if (stopped < 0)
      rec.abort_reason = YKTS_ABORT_FRAME_LEFT;
    else if ((uint32_t)stopped != ls->site->index)
      rec.abort_reason = YKTS_ABORT_OTHER_SITE;
  }
  if (rec.abort_reason) {
    stats.side_aborted++;
    char what[64];
    snprintf(what, sizeof what, "aborted: %s", abort_names[rec.abort_reason]);
    log_recording(what);
    if (++g->side_tries >= MAX_SIDE_TRIES) g->side = SIDE_FAILED;
    end_recording_session();
  } else {
    g->side = SIDE_PENDING;
    send_recording();
  }
  rec.parent = NULL;
  rec.stop_loc = NULL;
  return r;
}

static void side_give_up(struct YktsLocState *ls, uint32_t guard) { ls->guards[guard].side = SIDE_FAILED; }

/* jitd's answer to a side recording. */
static void side_answered(const Pending *pd, int status, const char *a, const char *b) {
  TraceGuard *g = &pd->parent->guards[pd->guard];
  if (status == ANSWER_NOT_COMPILED) {
    stats.side_not_compiled++;
    g->side = SIDE_FAILED;
    if (cfg.log)
      logf_("ykts: side-recorded loc=%u from %s guard %u len=%u -> not compiled: %s", pd->loc_id,
            trace_sym(pd->parent), pd->guard, pd->len, a);
    return;
  }
  stats.traces_compiled++;
  if (cfg.log)
    logf_("ykts: side-recorded loc=%u from %s guard %u len=%u -> compiled: %s %s", pd->loc_id,
          trace_sym(pd->parent), pd->guard, pd->len, a, b);
  char why[512];
  if (install_trace(pd, a, b, status == ANSWER_COMPILED_UPGRADING, why, sizeof why) != 0) {
    g->side = SIDE_FAILED;
    if (cfg.log) logf_("ykts: loc=%u side trace not installed: %s", pd->loc_id, why);
  }
}

static void deopt_fatal(const char *why, uint32_t guard, uint32_t count, void *ret_addr) __attribute__((noreturn, cold));
static void deopt_fatal(const char *why, uint32_t guard, uint32_t count, void *ret_addr) {
  logf_("ykts: fatal: guard %u failed (trace return address %p, %u values): %s", guard, ret_addr, count, why);
  abort();
}

/* The guard of the running trace a deopt is for, after the checks that
 * make it safe to resume (a failed check is fatal). */
static inline TraceGuard *deopt_guard(uint32_t guard, const StackmapRec *smr, uint32_t count, void *ret_addr) {
  if (!active.ls) deopt_fatal("no trace is running", guard, count, ret_addr);
  /* The root trace, or one of its side traces. */
  struct YktsLocState *ls = smr && smr->owner ? smr->owner : active.ls;
  if (in_resume) deopt_fatal("a deopt while another one resumes", guard, count, ret_addr);
  if (!smr || smr->handle != ls->handle) deopt_fatal("the call is not in the running trace's object", guard, count, ret_addr);
  if (guard >= ls->nguards) deopt_fatal("no such guard in the trace's deopt table", guard, count, ret_addr);
  TraceGuard *g = &ls->guards[guard];
  if (count != g->nvals) deopt_fatal("the deopt table lists another number of values", guard, count, ret_addr);
  stats.deopts++;
  return g;
}

/* A guard of the running trace failed: rebuild its frames in resume buffers
 * and run them innermost first through their trampolines (docs/traces.md
 * §4). The result, the site where the base frame stopped or -1, is what the
 * trace returns. This is the handler's public form (values decoded into an
 * array); __ykts_deopt_c does the same without the array while it is the
 * installed handler. */
static uint64_t trace_deopt_handler(uint32_t guard, const uint64_t *values, uint32_t count, void *ret_addr) {
  const StackmapRec *smr = sm_find((uintptr_t)ret_addr);
  TraceGuard *g = deopt_guard(guard, smr, count, ret_addr);
  uint8_t **bufs = deopt_buffers(g);
  fill_frames(g, bufs, active.live, values);
  return deopt_resume(smr && smr->owner ? smr->owner : active.ls, g, bufs);
}

YktsDeoptHandler __ykts_deopt_handler = trace_deopt_handler;

static void no_record_fatal(uint32_t guard, void *ret_addr) __attribute__((noreturn, cold));
static void no_record_fatal(uint32_t guard, void *ret_addr) {
  logf_("ykts: fatal: no readable stackmap record for the deopt call at %p (guard %u)", ret_addr, guard);
  abort();
}

/* `guard` is YKTS_GUARD_FROM_RECORD when the trace left through
 * __ykts_deopt_any, the exit it shares with its side traces' calls: the
 * stackmap record's ID is the guard then. */
static inline uint32_t exit_guard(uint32_t guard, const StackmapRec *smr) {
  return guard == YKTS_GUARD_FROM_RECORD && smr && smr->id < UINT32_MAX ? (uint32_t)smr->id : guard;
}

uint64_t __ykts_deopt_c(uint32_t guard, void *ret_addr, void *trace_sp, const YktsSavedRegs *regs) {
  if (__builtin_expect(__ykts_deopt_handler == trace_deopt_handler, 1)) {
    /* The runtime's own handler: one record lookup, the bundle's values
     * stored from their locations straight into the frame buffers. */
    const StackmapRec *smr = sm_find((uintptr_t)ret_addr);
    if (!smr || smr->bad >= 0 || smr->ndeopt < 0) no_record_fatal(guard, ret_addr);
    guard = exit_guard(guard, smr);
    TraceGuard *g = deopt_guard(guard, smr, (uint32_t)smr->ndeopt, ret_addr);
    const struct DeoptPlan *pl = g->plans;
    while (pl && pl->ret_addr != smr->ret_addr) pl = pl->next;
    if (__builtin_expect(!pl, 0)) pl = build_plan(g, smr);
    uint64_t rf[RF_COUNT];
    regfile(rf, trace_sp, regs);
    rf[RF_LIVE] = (uint64_t)(uintptr_t)active.live;
    uint8_t **bufs = deopt_buffers(g);
    run_plan(pl, bufs, rf);
    return deopt_resume(smr->owner ? smr->owner : active.ls, g, bufs);
  }
  uint64_t small[256], *vals = small;
  int n = ykts_stackmap_values(ret_addr, trace_sp, regs, vals, 256);
  if (n > 256) {
    vals = malloc((size_t)n * sizeof *vals);
    if (!vals) xrealloc(NULL, (size_t)n * sizeof *vals);
    n = ykts_stackmap_values(ret_addr, trace_sp, regs, vals, (uint32_t)n);
  }
  if (n < 0) no_record_fatal(guard, ret_addr);
  guard = exit_guard(guard, sm_find((uintptr_t)ret_addr));
  uint64_t r = __ykts_deopt_handler(guard, vals, (uint32_t)n, ret_addr);
  if (vals != small) free(vals);
  return r;
}

/* A fast-tier (C) trace leaves through here with its deopt values in an
 * array, widened to 64 bits like stackmap values; `owner` is its `_owner`
 * slot, which install_trace set to the trace's state (docs/traces.md §7). */
uint64_t __ykts_deopt_v(void *owner, uint32_t guard, const uint64_t *values, uint32_t count) {
  struct YktsLocState *ls = owner;
  if (!active.ls) deopt_fatal("no trace is running", guard, count, owner);
  if (in_resume) deopt_fatal("a deopt while another one resumes", guard, count, owner);
  if (!ls || ls->magic != YKTS_LOC_STATE_MAGIC) deopt_fatal("the fast-tier trace has no installed state", guard, count, owner);
  if (guard >= ls->nguards) deopt_fatal("no such guard in the trace's deopt table", guard, count, owner);
  TraceGuard *g = &ls->guards[guard];
  if (count != g->nvals) deopt_fatal("the deopt table lists another number of values", guard, count, owner);
  stats.deopts++;
  uint8_t **bufs = deopt_buffers(g);
  fill_frames(g, bufs, active.live, values);
  return deopt_resume(ls, g, bufs);
}

/* Called by a fast-tier root trace every so many iterations at its loop
 * head: reads jitd's answers, and says whether the trace itself has been
 * upgraded meanwhile (then the trace leaves through its loop-head guard,
 * and the runtime enters the upgraded code at once: run_traces). */
int32_t __ykts_trace_poll(void *owner) {
  struct YktsLocState *ls = owner;
  if (!ls || ls->magic != YKTS_LOC_STATE_MAGIC) return 0;
  upgrade_if_hot(ls);
  if (!ls->upgrade_due) return 0;
  poll_jitd(0);
  return !ls->fast;
}

/* ------------------------------------------------------------- ykts.h API */

YkMT *yk_mt_new(char **err_msg) {
  if (err_msg) *err_msg = NULL;
  init_config();
  return &the_mt;
}

void yk_mt_shutdown(YkMT *mt) { (void)mt; }

void yk_mt_hot_threshold_set(YkMT *mt, YkHotThreshold t) {
  (void)mt;
  init_config();
  if (!cfg.threshold_from_env) set_threshold(t);
}

void yk_mt_sidetrace_threshold_set(YkMT *mt, YkHotThreshold t) {
  (void)mt;
  init_config();
  if (!cfg.side_from_env) cfg.side_threshold = (uint32_t)t; /* the environment wins, as for the hot threshold */
}

YkLocation yk_location_new(void) {
  YkLocation l = {1};
  return l;
}

void yk_location_drop(YkLocation loc) {
  /* Counting and disabled states own nothing. An installed trace's state is
   * freed (its object stays mapped: stackmap records point into it), unless
   * the trace is running: then it is left alone. */
  uintptr_t s = loc.state;
  if (s == 0 || (s & 3) != 0) return;
  PendingLoc *ph = pending_loc(s);
  if (ph) {
    /* Its trace is still being compiled: the answer will find it dropped. */
    ph->magic = 0;
    return;
  }
  struct YktsLocState *ls = (struct YktsLocState *)s;
  if (ls->magic != YKTS_LOC_STATE_MAGIC || ls == active.ls) return;
  /* Side traces (and answers still due) refer to its guards: it stays. */
  for (uint32_t g = 0; g < ls->nguards; g++)
    if (ls->guards[g].side == SIDE_PENDING || ls->guards[g].side == SIDE_INSTALLED) return;
  free_loc_state(ls);
}

void yk_debug_str(const char *msg) {
  if (cfg.log) logf_("ykts: debug: %s", msg ? msg : "(null)");
}

/* ------------------------------------------------------------------- exit */

static void print_stats(void) {
  /* The skips were counted when they began: not the rest of those still running. */
  for (const struct YktsLocState *ls = all_traces; ls; ls = ls->next) stats.backoff_skips -= ls->skip;
  const char *js = jitd.state == JITD_NOT_STARTED ? "not-started"
                   : jitd.state == JITD_RUNNING   ? "running"
                                                  : "stopped";
  char buf[4096];
  int n = snprintf(buf, sizeof buf,
                   "ykts-stats: recordings_started=%" PRIu64 "\n"
                   "ykts-stats: recordings_completed=%" PRIu64 "\n"
                   "ykts-stats: recordings_aborted=%" PRIu64 "\n",
                   stats.started, stats.completed, stats.aborted);
  for (int r = 1; r < YKTS_ABORT_REASON_COUNT && n < (int)sizeof buf; r++) {
    char key[32];
    snprintf(key, sizeof key, "%s", abort_names[r]);
    for (char *c = key; *c; c++)
      if (*c == '-') *c = '_';
    n += snprintf(buf + n, sizeof buf - (size_t)n, "ykts-stats: aborted_%s=%" PRIu64 "\n", key,
                  stats.by_reason[r]);
  }
  if (n < (int)sizeof buf)
    n += snprintf(buf + n, sizeof buf - (size_t)n,
                  "ykts-stats: answered_not_compiled=%" PRIu64 "\n"
                  "ykts-stats: traces_compiled=%" PRIu64 "\n"
                  "ykts-stats: traces_entered=%" PRIu64 "\n"
                  "ykts-stats: locations_hot=%" PRIu64 "\n"
                  "ykts-stats: locations_disabled=%" PRIu64 "\n"
                  "ykts-stats: debug_resumes=%" PRIu64 "\n"
                  "ykts-stats: traces_installed=%" PRIu64 "\n"
                  "ykts-stats: answers_dropped=%" PRIu64 "\n"
                  "ykts-stats: deopts=%" PRIu64 "\n"
                  "ykts-stats: side_recordings_started=%" PRIu64 "\n"
                  "ykts-stats: side_recordings_aborted=%" PRIu64 "\n"
                  "ykts-stats: side_traces_not_compiled=%" PRIu64 "\n"
                  "ykts-stats: side_traces_installed=%" PRIu64 "\n"
                  "ykts-stats: traces_linked=%" PRIu64 "\n"
                  "ykts-stats: traces_fast=%" PRIu64 "\n"
                  "ykts-stats: traces_upgraded=%" PRIu64 "\n"
                  "ykts-stats: traces_not_upgraded=%" PRIu64 "\n"
                  "ykts-stats: backoffs=%" PRIu64 "\n"
                  "ykts-stats: backoff_skips=%" PRIu64 "\n"
                  "ykts-stats: retraces=%" PRIu64 "\n"
                  "ykts-stats: slow_paths=%" PRIu64 "\n"
                  "ykts-stats: jitd=%s\n"
                  "ykts-stats: jit=%s%s%s\n",
                  stats.answered_not_compiled, stats.traces_compiled, stats.traces_entered,
                  stats.locations_hot, stats.locations_disabled, stats.debug_resumes, stats.traces_installed,
                  stats.answers_dropped, stats.deopts, stats.side_started, stats.side_aborted, stats.side_not_compiled, stats.side_installed,
                  stats.trace_links, stats.traces_fast, stats.upgraded, stats.not_upgraded,
                  stats.backoffs, stats.backoff_skips, stats.retraces, stats.slow_paths,
                  js, jit_off_reason ? "off (" : "on",
                  jit_off_reason ? jit_off_reason : "", jit_off_reason ? ")" : "");
  if (n > (int)sizeof buf) n = (int)sizeof buf;
  ssize_t w = write(2, buf, (size_t)n);
  (void)w;
}

/* YKTS_STATS=guards: the guards that deopted most, in the traces still
 * installed, with where they resume (the innermost frame's function and
 * resume point, as in jitd's `; guard N:` comments), how many frames they
 * resume, and the state of their side trace. */
static void print_guards(void) {
  enum { TOP = 20 };
  struct { const struct YktsLocState *ls; uint32_t g; } top[TOP];
  int n = 0;
  for (const struct YktsLocState *ls = all_traces; ls; ls = ls->next)
    for (uint32_t g = 0; g < ls->nguards; g++) {
      uint32_t d = ls->guards[g].deopts;
      if (!d) continue;
      int at = n < TOP ? n++ : TOP;
      while (at > 0 && top[at - 1].ls->guards[top[at - 1].g].deopts < d) {
        if (at < TOP) top[at] = top[at - 1];
        at--;
      }
      if (at < TOP) top[at].ls = ls, top[at].g = g;
    }
  static const char *const side_names[] = {"none", "pending", "installed", "failed"};
  for (int i = 0; i < n; i++) {
    const TraceGuard *g = &top[i].ls->guards[top[i].g];
    const TraceFrame *f = g->nframes ? &g->frames[g->nframes - 1] : NULL; /* the innermost */
    char line[512];
    int len = snprintf(line, sizeof line, "ykts-guard: %s guard %u deopts=%u first_iteration=%u side=%s resumes=%s@%u frames=%u\n",
                       trace_sym(top[i].ls), top[i].g, g->deopts, g->first_iter, side_names[g->side & 3],
                       f ? fn_name(f->fn) : "?", f ? f->point : 0, g->nframes);
    if (len > (int)sizeof line) len = (int)sizeof line;
    ssize_t w = write(2, line, (size_t)len);
    (void)w;
  }
}

static void at_exit(void) {
  if (jitd.state == JITD_RUNNING && jitd.owner == self_pid) {
    poll_jitd(0);
    if (jitd.state == JITD_RUNNING) {
      for (size_t i = 0; i < pending_len; i++)
        if (cfg.log)
          logf_("ykts: %s loc=%u site=%s#%u len=%u -> no answer before exit",
                pending[i].parent ? "side-recorded" : "recorded", pending[i].loc_id,
                fn_name(pending[i].fn), pending[i].site, pending[i].len);
      /* In sync mode the upgrades jitd still owes are waited for too, so
       * that what happened to every trace is known (and counted) by now. */
      while (cfg.sync && upgrades_owed > 0 && jitd.state == JITD_RUNNING) poll_jitd(-1);
      /* EOF on its request pipe tells jitd to exit; in sync mode wait for it
       * so its last log lines come before ours. Otherwise nothing it still
       * does can be used: jitd and the compilers it runs (its process
       * group) are killed, so that they do not take the CPU from whatever
       * runs next. */
      close(jitd.to_fd);
      jitd.to_fd = -1;
      /* Not waited for when killed: the program's resource usage (GNU
       * time's peak RSS, for one) stays its own. */
      int st;
      if (jitd.pid > 0) {
        if (cfg.sync) waitpid(jitd.pid, &st, 0);
        else kill(-jitd.pid, SIGKILL);
      }
    }
  }
  if (cfg.stats) print_stats();
  if (cfg.stats == 2) print_guards();
}
