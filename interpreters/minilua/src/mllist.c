/*
** mllist.c — a bytecode listing (`minilua -l script.lua`), for reading what
** the compiler produced and which instructions carry JIT locations. One
** line per instruction: index, source line, opcode, operands, and a comment
** with the constant, jump target or name involved; '*' marks loop headers.
*/
#include <stdio.h>

#include "mlcore.h"
#include "mlopcodes.h"

static void printk(FILE *out, const TValue *o) {
  char buff[64];
  if (ttisstring(o)) {
    fputc('"', out);
    const char *s = svalue(o);
    for (size_t i = 0; i < tsslen(tsvalue(o)) && i < 40; i++) {
      unsigned char c = (unsigned char)s[i];
      if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
      else if (c >= 32 && c < 127) fputc(c, out);
      else fprintf(out, "\\%d", c);
    }
    fputs(tsslen(tsvalue(o)) > 40 ? "...\"" : "\"", out);
  } else if (ttisnumber(o)) {
    mlO_tostringbuff(o, buff);
    fputs(buff, out);
  } else if (ttisnil(o)) {
    fputs("nil", out);
  } else if (ttisboolean(o)) {
    fputs(ttistrue(o) ? "true" : "false", out);
  } else {
    fputs("?", out);
  }
}

static void listfunction(const Proto *p, FILE *out) {
  const char *src = p->source ? getstr(p->source) : "?";
  fprintf(out, "\n%s <%s:%d,%d> (%d instructions)\n", p->linedefined == 0 ? "main" : "function",
          (*src == '@' || *src == '=') ? src + 1 : "(string)", p->linedefined, p->lastlinedefined, p->sizecode);
  fprintf(out, "%d%s params, %d slots, %d upvalues, %d locals, %d constants, %d functions\n", p->numparams,
          p->is_vararg ? "+" : "", p->maxstacksize, p->sizeupvalues, p->sizelocvars, p->sizek, p->sizep);
  for (int pc = 0; pc < p->sizecode; pc++) {
    Instruction i = p->code[pc];
    OpCode op = GET_OPCODE(i);
    int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i), k = GETARG_k(i);
    int loop = p->locs && !yk_location_is_null(p->locs[pc]);
    fprintf(out, "%c%5d  [%d]\t%-10s\t", loop ? '*' : ' ', pc + 1, mlG_getline(p, pc), ml_opnames[op]);
    switch (op) {
      case OP_LOADI: case OP_LOADF: fprintf(out, "%d %d", a, GETARG_sBx(i)); break;
      case OP_LOADK: fprintf(out, "%d %d\t; ", a, GETARG_Bx(i)); printk(out, &p->k[GETARG_Bx(i)]); break;
      case OP_LOADKX: fprintf(out, "%d", a); break;
      case OP_FORLOOP: case OP_TFORLOOP:
        fprintf(out, "%d %d\t; to %d", a, GETARG_Bx(i), pc + 2 - GETARG_Bx(i));
        break;
      case OP_FORPREP: case OP_TFORPREP:
        fprintf(out, "%d %d\t; to %d", a, GETARG_Bx(i), pc + 2 + GETARG_Bx(i) + (op == OP_FORPREP));
        break;
      case OP_CLOSURE: fprintf(out, "%d %d", a, GETARG_Bx(i)); break;
      case OP_JMP: fprintf(out, "%d\t; to %d", GETARG_sJ(i), pc + 2 + GETARG_sJ(i)); break;
      case OP_EXTRAARG: fprintf(out, "%d", GETARG_Ax(i)); break;
      case OP_ADDI: case OP_SHRI: case OP_SHLI: fprintf(out, "%d %d %d", a, b, GETARG_sC(i)); break;
      case OP_EQI: case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI:
        fprintf(out, "%d %d %d", a, GETARG_sB(i), k);
        break;
      case OP_GETTABUP: case OP_GETFIELD:
        fprintf(out, "%d %d %d\t; ", a, b, c);
        printk(out, &p->k[c]);
        break;
      case OP_SETTABUP: case OP_SETFIELD:
        fprintf(out, "%d %d %d%s\t; ", a, b, c, k ? "k" : "");
        printk(out, &p->k[b]);
        if (k) { fputs(" ", out); printk(out, &p->k[c]); }
        break;
      case OP_EQK: fprintf(out, "%d %d %d\t; ", a, b, k); printk(out, &p->k[b]); break;
      default:
        if (op >= OP_ADDK && op <= OP_BXORK) {
          fprintf(out, "%d %d %d%s\t; ", a, b, c, k ? " (swapped)" : "");
          printk(out, &p->k[c]);
        } else {
          fprintf(out, "%d %d %d%s", a, b, c, k ? "k" : "");
          if ((op == OP_SETTABLE || op == OP_SETI || op == OP_SELF) && k) {
            fputs("\t; ", out);
            printk(out, &p->k[c]);
          }
        }
        break;
    }
    fputc('\n', out);
  }
  for (int n = 0; n < p->sizep; n++) listfunction(p->p[n], out);
}

/* Lists the function on the top of the stack (a Lua closure) and its children. */
void mlU_list(ml_State *L, FILE *out);
void mlU_list(ml_State *L, FILE *out) {
  const TValue *o = L->top - 1;
  if (ttisLclosure(o)) listfunction(clLvalue(o)->p, out);
}
