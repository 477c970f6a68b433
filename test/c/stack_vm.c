// A switch-dispatched stack machine summing 1..n in a guest loop, with one
// control point at the top of the dispatch loop and a location on the loop
// header only (every other instruction has a null location).
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=5
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   args: 1000
//   stdout:
//     sum=500500
//   stderr:
//     ...
//     ykts: recorded loc=1 site=interp#0 len=... -> compiled: ...
//     ykts: loc=1 trace installed: ...
//     ...
//   stats: traces_installed>=1 traces_entered>=1 deopts>=1
#include <stdio.h>
#include <stdlib.h>
#include <yk.h>

enum { PUSH, LOAD, STORE, ADD, SUB, JZ, JMP, PRINT, HALT };

typedef struct { int op, arg; } Ins;

/* locals: 0 = i, 1 = sum */
static const Ins prog[] = {
    /* 0 */ {PUSH, 0},  {STORE, 1},
    /* 2 */ {LOAD, 0},  {JZ, 12},     /* loop header: while (i != 0) */
    /* 4 */ {LOAD, 1},  {LOAD, 0},  {ADD, 0}, {STORE, 1},
    /* 8 */ {LOAD, 0},  {PUSH, 1},  {SUB, 0}, {STORE, 0},
    /* 12 placeholder replaced below */
};

/* External and not inlined so that the logs name it `interp`. */
__attribute__((noinline)) long interp(YkMT *mt, YkLocation *locs, const Ins *code, long n) {
  long stack[16], vars[2] = {n, 0};
  int sp = 0, pc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    Ins in = code[pc];
    switch (in.op) {
    case PUSH: stack[sp++] = in.arg; pc++; break;
    case LOAD: stack[sp++] = vars[in.arg]; pc++; break;
    case STORE: vars[in.arg] = stack[--sp]; pc++; break;
    case ADD: sp--; stack[sp - 1] += stack[sp]; pc++; break;
    case SUB: sp--; stack[sp - 1] -= stack[sp]; pc++; break;
    case JZ: pc = stack[--sp] == 0 ? in.arg : pc + 1; break;
    case JMP: pc = in.arg; break;
    case PRINT: printf("sum=%ld\n", stack[--sp]); pc++; break;
    case HALT: return vars[1];
    }
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  Ins code[16];
  int len = (int)(sizeof prog / sizeof prog[0]);
  for (int i = 0; i < len; i++) code[i] = prog[i];
  code[len++] = (Ins){JMP, 2};          /* 12: back to the header */
  code[3].arg = len;                    /* JZ exits past the loop */
  code[len++] = (Ins){LOAD, 1};
  code[len++] = (Ins){PRINT, 0};
  code[len++] = (Ins){HALT, 0};
  YkMT *mt = yk_mt_new(NULL);
  YkLocation locs[16];
  for (int i = 0; i < len; i++) locs[i] = i == 2 ? yk_location_new() : yk_location_null();
  long r = interp(mt, locs, code, n);
  for (int i = 0; i < len; i++) yk_location_drop(locs[i]);
  yk_mt_shutdown(mt);
  return r == n * (n + 1) / 2 ? 0 : 1;
}
