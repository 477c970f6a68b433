// A stack machine whose dispatch promotes `pc` and fetches each instruction
// word through an idempotent function: in the trace the fetch, the decoding
// and the dispatch switch all fold away, leaving three guards per iteration:
// the promote of `pc` entering the loop, the loop's exit test, and the
// guest's own PROMOTE of i / 500 (recorded as 1). (In tier auto an upgrade
// check comes first: docs/traces.md §7, test/c/upgrade.c.) The call `twice(i)` is
// idempotent too, but its argument is not a constant in the trace: it stays
// a call. Jumps are relative, so `pc` is a constant all the way round the
// loop. Once i drops below 500 the guest's promote guard fails on every
// entry: each deopt resumes the clone before that promote's call (side
// traces are off here, YKTS_SIDETRACE_THRESHOLD=0, so that the deopts stay).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=5
//   env-var: YKTS_SIDETRACE_THRESHOLD=0
//   env-var: YKTS_LOG=1
//   env-var: YKTS_LOG_IR=trace
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 1000
//   stdout:
//     sum=1001000
//   stderr:
//     ...
//     --- trace 1: interp#0 ---
//     ...
//       %... = call i64 @twice(...)
//     ...
//     ; guard 0: promote interp#... == 0x...; frames interp@before...
//     ; guard 1: br interp#... -> ...; frames interp@term...
//     ; guard 2: promote interp#... == 0x1; frames interp@before...
//     ykts jitd: recording 1 loc=1 site=interp#0 len=... promotes=...: compiled ...: ... instructions, 3 guards, ...
//     ...
//   stats: traces_installed>=1 traces_entered>=400 deopts>=400
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { PUSH, LOAD, STORE, ADD, SUB, DIV, TWICE, PROMOTE, DROP, JZ, JMP, PRINT, HALT };
#define INS(op, arg) ((uint32_t)(op) | ((uint32_t)(arg) << 8))
#define ARG(in) ((int32_t)(in) >> 8)

/* The bytecode does not change while it runs: fetching is idempotent. */
YK_IDEMPOTENT static uint32_t fetch(const uint32_t *pc) { return *pc; }

/* External, so that the trace names it. */
YK_IDEMPOTENT long twice(long x) { return 2 * x; }

/* External and not inlined so that the logs name it `interp`. */
__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const uint32_t *code, long n) {
  long stack[16], vars[2] = {n, 0};
  int sp = 0;
  const uint32_t *pc = code;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc - code]);
    pc = (const uint32_t *)yk_promote((void *)pc);
    uint32_t in = fetch(pc++);
    switch (in & 0xff) {
    case PUSH: stack[sp++] = ARG(in); break;
    case LOAD: stack[sp++] = vars[ARG(in)]; break;
    case STORE: vars[ARG(in)] = stack[--sp]; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
    case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
    case TWICE: stack[sp - 1] = twice(stack[sp - 1]); break;
    case PROMOTE: stack[sp - 1] = yk_promote(stack[sp - 1]); break;
    case DROP: sp--; break;
    case JZ: if (stack[--sp] == 0) pc += ARG(in); break;
    case JMP: pc += ARG(in); break;
    case PRINT: printf("sum=%ld\n", stack[--sp]); break;
    case HALT: return vars[1];
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  /* locals: 0 = i, 1 = sum; sum += twice(i) for i = n down to 1 */
  static const uint32_t code[] = {
      /* 0 */ INS(PUSH, 0), INS(STORE, 1),
      /* 2 */ INS(LOAD, 0), INS(JZ, 15),   /* loop header: while (i != 0) */
      /* 4 */ INS(LOAD, 1), INS(LOAD, 0), INS(TWICE, 0), INS(ADD, 0), INS(STORE, 1),
      /* 9 */ INS(LOAD, 0), INS(PUSH, 1), INS(SUB, 0), INS(STORE, 0),
      /* 13 */ INS(LOAD, 0), INS(PUSH, 500), INS(DIV, 0), INS(PROMOTE, 0), INS(DROP, 0),
      /* 18 */ INS(JMP, -17),
      /* 19 */ INS(LOAD, 1), INS(PRINT, 0), INS(HALT, 0),
  };
  int len = (int)(sizeof code / sizeof code[0]);
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[sizeof code / sizeof code[0]];
  for (int i = 0; i < len; i++) locs[i] = i == 2 ? yk_location_new() : yk_location_null();
  long r = interp(mt, locs, code, n);
  for (int i = 0; i < len; i++) yk_location_drop(locs[i]);
  yk_mt_shutdown(mt);
  return r == n * (n + 1) ? 0 : 1;
}
