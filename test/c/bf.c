// A brainfuck interpreter running the classic "Hello World!" program, with
// a location on every `[` (the guest loop headers) and null locations
// elsewhere; brackets are matched once, before running.
// Run-time:
//   env-var: YKTS_HOT_THRESHOLD=3
//   env-var: YKTS_LOG=1
//   env-var: YKTS_SYNC=1
//   env-var: YKTS_STATS=1
//   stdout:
//     Hello World!
//   stderr:
//     ...
//     ykts: recorded loc=... site=run#0 len=... -> compiled: ...
//     ...
//   stats: traces_installed>=1 traces_entered>=1 deopts>=1
#include <stdio.h>
#include <string.h>
#include <yk.h>

static const char *hello =
    "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++.";

/* External and not inlined so that the logs name it `run`. */
__attribute__((noinline)) void run(YkMT *mt, YkLocation *locs, const char *code, const int *match, unsigned char *tape) {
  int pc = 0, p = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (code[pc]) {
    case '\0': return;
    case '>': p++; break;
    case '<': p--; break;
    case '+': tape[p]++; break;
    case '-': tape[p]--; break;
    case '.': putchar(tape[p]); break;
    case '[': if (!tape[p]) pc = match[pc]; break;
    case ']': if (tape[p]) pc = match[pc]; break;
    }
    pc++;
  }
}

int main(void) {
  int n = (int)strlen(hello), match[256], stack[64], sp = 0;
  YkLocation locs[256];
  for (int i = 0; i <= n; i++) {
    locs[i] = hello[i] == '[' ? yk_location_new() : yk_location_null();
    if (hello[i] == '[') stack[sp++] = i;
    if (hello[i] == ']') { int o = stack[--sp]; match[o] = i; match[i] = o; }
  }
  unsigned char tape[64] = {0};
  YkMT *mt = yk_mt_new(NULL);
  run(mt, locs, hello, match, tape);
  for (int i = 0; i <= n; i++) yk_location_drop(locs[i]);
  yk_mt_shutdown(mt);
  return 0;
}
