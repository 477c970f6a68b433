// Computed-goto dispatch (the shape of PUC Lua's default build); traces
// guard each `indirectbr` on its target, read from the block-address table
// the instrumenter exports, and deopt into the clone translates the address
// to the clone's block. The
// control point sits in the DISPATCH macro, so `interp` has one
// control-point site per handler, and a guest loop closes at the site that
// precedes its header (here the JNZ handler's, site 3). Counts down a
// register and accumulates in another.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=4
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 300
//   stdout:
//     acc=45450
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#3 len=... -> compiled: ...
//     ykts: loc=1 trace installed: ...
//     ...
//   stats: traces_installed>=1 traces_entered>=1 deopts>=1
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { OP_ADDI, OP_ADDR, OP_DEC, OP_JNZ, OP_HALT };
typedef struct { unsigned char op, a, b; int imm; } Ins;

/* External and not inlined so that the logs name it `interp`. */
__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const Ins *code, long *r) {
  static void *labels[] = {&&op_addi, &&op_addr, &&op_dec, &&op_jnz, &&op_halt};
  const Ins *pc = code;
/* The asm comment differs per handler so that clang cannot merge the
 * handlers' identical dispatch tails into one block: each keeps its own
 * control-point call, as in an interpreter whose handlers differ there. */
#define DISPATCH(h)                                                         \
  do {                                                                      \
    yk_mt_control_point(mt, &locs[pc - code]);                              \
    __asm__ volatile("# dispatch after " #h);                               \
    goto *labels[pc->op];                                                   \
  } while (0)
  goto *labels[pc->op]; /* the first dispatch: no control point outside the loop */
op_addi: r[pc->a] += pc->imm; pc++; DISPATCH(addi);
op_addr: r[pc->a] += r[pc->b]; pc++; DISPATCH(addr);
op_dec: r[pc->a]--; pc++; DISPATCH(dec);
op_jnz: pc = r[pc->a] ? code + pc->imm : pc + 1; DISPATCH(jnz);
op_halt: return r[1];
#undef DISPATCH
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  /* r0 = n; loop: r1 += r0; r1 += 1; r0--; jnz r0 loop */
  const Ins code[] = {
      {OP_ADDR, 1, 0, 0}, {OP_ADDI, 1, 0, 1}, {OP_DEC, 0, 0, 0}, {OP_JNZ, 0, 0, 0}, {OP_HALT, 0, 0, 0},
  };
  YkLocation locs[5];
  for (int i = 0; i < 5; i++) locs[i] = i == 0 ? yk_location_new() : yk_location_null();
  long r[2] = {n, 0};
  YkMT *mt = yk_mt_new(NULL);
  long acc = interp(mt, locs, code, r);
  printf("acc=%ld\n", acc);
  for (int i = 0; i < 5; i++) yk_location_drop(locs[i]);
  yk_mt_shutdown(mt);
  return acc == n * (n + 1) / 2 + n ? 0 : 1;
}
