/*
** mllex.h — the lexer's interface: the input stream (ZIO), tokens and the
** lexer state shared with the parser.
*/
#ifndef MLLEX_H
#define MLLEX_H

#include "mlcore.h"

/* A buffered input stream over a reader function (strings, files, load()). */
typedef const char *(*ml_Reader)(ml_State *L, void *ud, size_t *sz);
struct ZIO {
  size_t n;        /* bytes still unread in the current block */
  const char *p;   /* current position */
  ml_Reader reader;
  void *data;
  ml_State *L;
};
#define EOZ (-1)
int mlZ_fill(ZIO *z);
#define zgetc(z) (((z)->n--) > 0 ? (unsigned char)(*(z)->p++) : mlZ_fill(z))

#define FIRST_RESERVED 257
enum RESERVED {
  TK_AND = FIRST_RESERVED, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE, TK_FOR,
  TK_FUNCTION, TK_GOTO, TK_IF, TK_IN, TK_LOCAL, TK_NIL, TK_NOT, TK_OR, TK_REPEAT,
  TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL, TK_WHILE,
  /* other terminal symbols */
  TK_IDIV, TK_CONCAT, TK_DOTS, TK_EQ, TK_GE, TK_LE, TK_NE, TK_SHL, TK_SHR, TK_DBCOLON,
  TK_EOS, TK_FLT, TK_INT, TK_NAME, TK_STRING
};
#define NUM_RESERVED ((int)(TK_WHILE - FIRST_RESERVED + 1))

typedef union {
  ml_Number r;
  ml_Integer i;
  TString *ts;
} SemInfo;

typedef struct Token {
  int token;
  SemInfo seminfo;
} Token;

struct FuncState;
struct Dyndata;

typedef struct LexState {
  int current;          /* current character */
  int linenumber;
  int lastline;         /* line of the last token consumed */
  Token t;              /* current token */
  Token lookahead;
  struct FuncState *fs; /* the function being compiled */
  ml_State *L;
  ZIO *z;
  char *buff;           /* token text buffer */
  size_t bufflen, buffsize;
  struct Dyndata *dyd;
  TString *source;
  TString *envn;        /* "_ENV" */
} LexState;

void mlX_init(ml_State *L);
void mlX_setinput(ml_State *L, LexState *ls, ZIO *z, TString *source, int firstchar);
TString *mlX_newstring(LexState *ls, const char *str, size_t l);
void mlX_next(LexState *ls);
int mlX_lookahead(LexState *ls);
void mlX_syntaxerror(LexState *ls, const char *s) __attribute__((noreturn));
const char *mlX_token2str(LexState *ls, int token);

#endif
