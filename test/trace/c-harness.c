/* Test harness for compiled traces (test/trace/c-backend.test.ts): dlopens
 * a trace object, fills a live struct, calls the trace and prints what came
 * back. It plays the runtime's part: it defines __ykts_deopt_v (the C
 * tier's deopt entry: prints the owner check, guard and values) and
 * __ykts_deopt_any (the LLVM tier's: the values are in the stackmap, which
 * the harness does not read, and the guard is the stackmap record's ID,
 * which it reads), plus a few functions and globals the test traces
 * call by dotted names. Build: clang-19 -O2 -rdynamic -o H c-harness.c -ldl
 * -Wl,--no-as-needed -lm.
 *
 * Usage: H SO SYM LIVESIZE [op...], ops in order:
 *   set:OFF:HEX        store the u64 HEX at live+OFF (little-endian)
 *   side:G:K:ret:N     S_side[G] = a side trace taking K integer values that
 *                      returns N
 *   side:G:K:restart:OFF:HEX:N  ... that on its first call stores the u64 HEX
 *                      at live+OFF and returns -2 (restart), later N
 *   poll:N             __ykts_trace_poll says "upgraded" from its N-th call on
 *   meta               print S_meta's symbol size, alignment and bytes
 *   call               call the trace: prints "ret=R" then "live=<hex>"
 *   callargs:A:B...    call it as a side trace: S(live, A, B, ...), up to 4
 *                      integer arguments in hex
 * Output lines: "meta size=N align8=B hex=...", "side g=G n=CALL args=a,b",
 * "deopt owner=B guard=G count=K values=a,b" (C tier), "deopt-llvm guard=G",
 * "poll owner=B n=CALL", "ext.add3 a b c", "ret=R", "live=...". */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *owner_token = (void *)0x5eed0123;

uint64_t __ykts_deopt_v(void *owner, uint32_t guard, const uint64_t *values, uint32_t count) {
  printf("deopt owner=%d guard=%u count=%u values=", owner == owner_token, guard, count);
  if (count && !values) printf("NULL");
  for (uint32_t k = 0; k < count; k++) printf("%s%llx", k ? "," : "", (unsigned long long)values[k]);
  printf("\n");
  return 1000 + guard;
}

/* The fast tier's upgrade poll: nonzero from the poll_upgraded-th call on. */
static int poll_calls, poll_upgraded;
int32_t __ykts_trace_poll(void *owner) {
  poll_calls++;
  printf("poll owner=%d n=%d\n", owner == owner_token, poll_calls);
  return poll_upgraded && poll_calls >= poll_upgraded;
}

int64_t __ykts_deopt(int32_t guard) {
  printf("deopt-llvm guard=%d\n", guard);
  return 1000 + guard;
}

/* The LLVM tier's stackmap records: return address -> ID (the guard). */
static struct { uintptr_t ret; uint64_t id; } sm_recs[4096];
static int sm_n;

static void read_stackmap_ids(const char *path, void *h) {
  struct link_map *lm = NULL;
  if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm) return;
  FILE *f = fopen(path, "rb");
  if (!f) return;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)size);
  if (!b || fread(b, 1, (size_t)size, f) != (size_t)size) { fclose(f); free(b); return; }
  fclose(f);
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)b;
  const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(b + eh->e_shoff);
  const char *names = (const char *)b + sh[eh->e_shstrndx].sh_offset;
  for (int i = 0; i < eh->e_shnum; i++) {
    if (strcmp(names + sh[i].sh_name, ".llvm_stackmaps") != 0) continue;
    /* Read in memory: the function addresses there are relocated. */
    const uint8_t *p = (const uint8_t *)(lm->l_addr + sh[i].sh_addr);
    uint32_t nfn, nconst;
    memcpy(&nfn, p + 4, 4);
    memcpy(&nconst, p + 8, 4);
    const uint8_t *r = p + 16 + (size_t)nfn * 24 + (size_t)nconst * 8;
    for (uint32_t fi = 0; fi < nfn; fi++) {
      uint64_t fn_addr, nrec;
      memcpy(&fn_addr, p + 16 + (size_t)fi * 24, 8);
      memcpy(&nrec, p + 16 + (size_t)fi * 24 + 16, 8);
      for (uint64_t k = 0; k < nrec; k++) {
        uint64_t id;
        uint32_t off;
        uint16_t nlocs, nlive;
        memcpy(&id, r, 8);
        memcpy(&off, r + 8, 4);
        memcpy(&nlocs, r + 14, 2);
        const uint8_t *q = r + 16 + (size_t)nlocs * 12;
        q += ((uintptr_t)(q - p) & 7) ? 8 - ((uintptr_t)(q - p) & 7) : 0;
        memcpy(&nlive, q + 2, 2);
        q += 4 + (size_t)nlive * 4;
        q += ((uintptr_t)(q - p) & 7) ? 8 - ((uintptr_t)(q - p) & 7) : 0;
        if (sm_n < (int)(sizeof sm_recs / sizeof sm_recs[0])) {
          sm_recs[sm_n].ret = (uintptr_t)fn_addr + off;
          sm_recs[sm_n++].id = id;
        }
        r = q;
      }
    }
  }
  free(b);
}

int64_t __ykts_deopt_any(void *live, ...) {
  (void)live;
  uintptr_t ret = (uintptr_t)__builtin_return_address(0);
  for (int i = 0; i < sm_n; i++)
    if (sm_recs[i].ret == ret) return __ykts_deopt((int32_t)sm_recs[i].id);
  printf("deopt-llvm guard=unknown\n");
  return -1;
}

/* Functions and globals with names C cannot spell. */
int64_t ext_add3(int64_t a, int64_t b, int64_t c) __asm__("ext.add3");
int64_t ext_add3(int64_t a, int64_t b, int64_t c) {
  printf("ext.add3 %lld %lld %lld\n", (long long)a, (long long)b, (long long)c);
  return a * 100 + b * 10 + c;
}
/* Relies on the caller sign-extending the argument (clang does not extend it again). */
int32_t ext_sc(signed char c) __asm__("ext.sc");
int32_t ext_sc(signed char c) { return c; }
double ext_scale(double x, int64_t k) __asm__("ext.scale");
double ext_scale(double x, int64_t k) { return x * (double)k; }
int64_t ext_counter __asm__("ext.counter") = 40;
const char ext_fmt[8] __asm__("ext.fmt") = "%d|%.2f";

struct side_state { int g, k, calls, restart; unsigned off; uint64_t val; int64_t ret; };
static struct side_state sides[4];
static int nsides;
static unsigned char *live_buf;

#define SIDE_FN(I) \
  static int64_t side##I(void *live, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) { \
    struct side_state *s = &sides[I]; uint64_t v[5] = { a, b, c, d, e }; \
    s->calls++; \
    printf("side g=%d n=%d live=%d args=", s->g, s->calls, live == live_buf); \
    for (int k = 0; k < s->k; k++) printf("%s%llx", k ? "," : "", (unsigned long long)v[k]); \
    printf("\n"); \
    if (s->restart && s->calls == 1) { memcpy((unsigned char *)live + s->off, &s->val, 8); return -2; } \
    return s->ret; \
  }
SIDE_FN(0) SIDE_FN(1) SIDE_FN(2) SIDE_FN(3)
static void *side_fns[4] = { (void *)side0, (void *)side1, (void *)side2, (void *)side3 };

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s SO SYM LIVESIZE [op...]\n", argv[0]); return 2; }
  setvbuf(stdout, NULL, _IONBF, 0);
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) { printf("dlopen failed: %s\n", dlerror()); return 1; }
  read_stackmap_ids(argv[1], h);
  const char *sym = argv[2];
  char name[512];
  int64_t (*trace)(void *) = (int64_t (*)(void *))dlsym(h, sym);
  snprintf(name, sizeof name, "%s_side", sym);
  void **side = (void **)dlsym(h, name);
  snprintf(name, sizeof name, "%s_owner", sym);
  void **owner = (void **)dlsym(h, name); /* the LLVM tier has none */
  snprintf(name, sizeof name, "%s_meta", sym);
  const unsigned char *meta = (const unsigned char *)dlsym(h, name);
  if (!trace || !side || !meta) { printf("missing symbols\n"); return 1; }
  if (owner) *owner = owner_token;
  size_t size = strtoul(argv[3], NULL, 0);
  live_buf = calloc(1, size + 16);
  for (int i = 4; i < argc; i++) {
    char *op = argv[i];
    if (!strncmp(op, "set:", 4)) {
      unsigned off; unsigned long long v;
      sscanf(op + 4, "%u:%llx", &off, &v);
      memcpy(live_buf + off, &v, 8);
    } else if (!strncmp(op, "side:", 5)) {
      struct side_state *s = &sides[nsides];
      char mode[16];
      sscanf(op + 5, "%d:%d:%15[a-z]", &s->g, &s->k, mode);
      const char *rest = strchr(strchr(strchr(op + 5, ':') + 1, ':') + 1, ':') + 1;
      if (!strcmp(mode, "ret")) sscanf(rest, "%lld", (long long *)&s->ret);
      else { unsigned long long v; s->restart = 1; sscanf(rest, "%u:%llx:%lld", &s->off, &v, (long long *)&s->ret); s->val = v; }
      side[s->g] = side_fns[nsides++];
    } else if (!strncmp(op, "poll:", 5)) {
      poll_upgraded = atoi(op + 5);
    } else if (!strcmp(op, "meta")) {
      Dl_info info; const ElfW(Sym) *es = NULL;
      if (!dladdr1(meta, &info, (void **)&es, RTLD_DL_SYMENT) || !es) { printf("meta: no symbol entry\n"); return 1; }
      printf("meta size=%lu align8=%d hex=", (unsigned long)es->st_size, ((uintptr_t)meta & 7) == 0);
      for (size_t k = 0; k < es->st_size; k++) printf("%02x", meta[k]);
      printf("\n");
    } else if (!strcmp(op, "call")) {
      int64_t r = trace(live_buf);
      printf("ret=%lld\nlive=", (long long)r);
      for (size_t k = 0; k < size; k++) printf("%02x", live_buf[k]);
      printf("\n");
    } else if (!strncmp(op, "callargs:", 9)) {
      uint64_t a[4] = { 0, 0, 0, 0 };
      char *q = op + 9;
      for (int k = 0; k < 4 && *q; k++) { a[k] = strtoull(q, &q, 16); if (*q == ':') q++; }
      int64_t r = ((int64_t (*)(void *, uint64_t, uint64_t, uint64_t, uint64_t))trace)(live_buf, a[0], a[1], a[2], a[3]);
      printf("ret=%lld\nlive=", (long long)r);
      for (size_t k = 0; k < size; k++) printf("%02x", live_buf[k]);
      printf("\n");
    } else { fprintf(stderr, "unknown op %s\n", op); return 2; }
  }
  return 0;
}
