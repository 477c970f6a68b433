// A register machine over tagged values (a payload and a type tag in
// memory, the shape of Lua's TValue), whose dispatch promotes `pc` and
// fetches through an idempotent function, so that register numbers are
// constants in the trace: each handler stores its result's tag and payload
// at constant offsets from the registers, and the next handler loads and
// checks them. That is what the trace passes work on (forward-loads
// forwards the stores, fold-guards drops the tag checks they decide), and
// test/trace/opt-oracle.test.ts checks them on this program's traces with
// the reference evaluator. A register is loaded, stored and loaded again
// in one iteration (`sum`), an outlined call (`bump`) writes a register
// behind the trace's back that is read before and after it, `fsum` adds ints to a float.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=5
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 1000
//   stdout:
//     sum=999000 fsum=499500.5 bumps=1000 acc=1000000
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#0 len=... -> compiled: ...
//     ...
//   stats: traces_installed>=1 traces_entered>=1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { T_NIL, T_INT, T_FLT };
typedef struct { union { long i; double f; } v; int tag; } TValue;
enum { LOADI, LOADF, ADD, LT, JMPIFNOT, JMP, BUMP, HALT };
#define INS(op, a, b, c, k) ((uint64_t)(op) | ((uint64_t)(a) << 8) | ((uint64_t)(b) << 16) | ((uint64_t)(c) << 24) | ((uint64_t)(uint32_t)(k) << 32))
#define OPA(in) ((int)((in) >> 8) & 0xff)
#define OPB(in) ((int)((in) >> 16) & 0xff)
#define OPC(in) ((int)((in) >> 24) & 0xff)
#define OPK(in) ((int32_t)((in) >> 32))

/* The bytecode does not change while it runs: fetching is idempotent. */
YK_IDEMPOTENT static uint64_t fetch(const uint64_t *pc) { return *pc; }

/* Not traced: the trace calls it, and it writes the register it is given. */
YK_OUTLINE void bump(TValue *r) {
  if (r->tag != T_INT) { r->tag = T_INT; r->v.i = 0; }
  r->v.i++;
}

static double num(const TValue *r) { return r->tag == T_INT ? (double)r->v.i : r->v.f; }

__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const uint64_t *code, long n, double *fsum, long *bumps, long *acc) {
  TValue R[8];
  for (int i = 0; i < 8; i++) { R[i].tag = T_NIL; R[i].v.i = 0; }
  R[3].tag = T_INT; R[3].v.i = n;
  const uint64_t *pc = code;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc - code]);
    pc = (const uint64_t *)yk_promote((void *)pc);
    uint64_t in = fetch(pc++);
    int a = OPA(in), b = OPB(in), c = OPC(in);
    switch (in & 0xff) {
    case LOADI: R[a].v.i = OPK(in); R[a].tag = T_INT; break;
    case LOADF: R[a].v.f = OPK(in) / 2.0; R[a].tag = T_FLT; break;
    case ADD:
      if (R[b].tag == T_INT && R[c].tag == T_INT) { R[a].v.i = R[b].v.i + R[c].v.i; R[a].tag = T_INT; }
      else { R[a].v.f = num(&R[b]) + num(&R[c]); R[a].tag = T_FLT; }
      break;
    case LT: {
      long r = R[b].tag == T_INT && R[c].tag == T_INT ? R[b].v.i < R[c].v.i : num(&R[b]) < num(&R[c]);
      R[a].v.i = r; R[a].tag = T_INT;
      break;
    }
    case JMPIFNOT: if (R[a].tag == T_NIL || (R[a].tag == T_INT && R[a].v.i == 0)) pc += OPK(in); break;
    case JMP: pc += OPK(in); break;
    case BUMP: bump(&R[a]); break;
    case HALT: *fsum = num(&R[2]); *bumps = R[6].v.i; *acc = R[7].v.i; return R[a].v.i;
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  /* r0 = i, r1 = sum, r2 = fsum, r3 = n, r6 = bumps, r7 = acc;
     while (i < n) { sum += i; sum += i; fsum += i; i += 1; acc += r6; bump(r6); acc += r6; } */
  static const uint64_t code[] = {
      /* 0 */ INS(LOADI, 0, 0, 0, 0), INS(LOADI, 1, 0, 0, 0), INS(LOADF, 2, 0, 0, 1), INS(LOADI, 7, 0, 0, 0), INS(LOADI, 6, 0, 0, 0),
      /* 5 */ INS(LT, 4, 0, 3, 0), INS(JMPIFNOT, 4, 0, 0, 9), /* loop header: while (i < n) */
      /* 7 */ INS(ADD, 1, 1, 0, 0), INS(ADD, 1, 1, 0, 0), INS(ADD, 2, 2, 0, 0), INS(LOADI, 5, 0, 0, 1), INS(ADD, 0, 0, 5, 0),
      /* 12 */ INS(ADD, 7, 7, 6, 0), INS(BUMP, 6, 0, 0, 0), INS(ADD, 7, 7, 6, 0), INS(JMP, 0, 0, 0, -11),
      /* 16 */ INS(HALT, 1, 0, 0, 0),
  };
  int len = (int)(sizeof code / sizeof code[0]);
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[sizeof code / sizeof code[0]];
  for (int i = 0; i < len; i++) locs[i] = i == 5 ? yk_location_new() : yk_location_null();
  double fsum;
  long bumps, acc;
  long sum = interp(mt, locs, code, n, &fsum, &bumps, &acc);
  printf("sum=%ld fsum=%.1f bumps=%ld acc=%ld\n", sum, fsum, bumps, acc);
  for (int i = 0; i < len; i++) yk_location_drop(locs[i]);
  yk_mt_shutdown(mt);
  return 0;
}
