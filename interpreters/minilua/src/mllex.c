/*
** mllex.c — the lexer: turns a chunk's text into tokens (names, reserved
** words, numerals, strings with all of Lua 5.4's escapes, long brackets,
** comments) and formats syntax errors as "chunk:line: msg near 'token'".
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mllex.h"

static const char *const ml_tokens[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
  "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
  "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::", "<eof>",
  "<number>", "<integer>", "<name>", "<string>"
};

int mlZ_fill(ZIO *z) {
  size_t size;
  const char *buff = z->reader(z->L, z->data, &size);
  if (buff == NULL || size == 0) return EOZ;
  z->n = size - 1;
  z->p = buff;
  return (unsigned char)(*(z->p++));
}

void mlX_init(ml_State *L) {
  for (int i = 0; i < NUM_RESERVED; i++) {
    TString *ts = mlS_new(L, ml_tokens[i]);
    ts->marked |= 0x80; /* reserved words are never collected */
    ts->extra = (uint8_t)(i + 1);
  }
}

#define next(ls) ((ls)->current = zgetc((ls)->z))
#define currIsNewline(ls) ((ls)->current == '\n' || (ls)->current == '\r')

static void save(LexState *ls, int c) {
  if (ls->bufflen + 1 >= ls->buffsize) {
    size_t ns = ls->buffsize ? ls->buffsize * 2 : 64;
    char *nb = realloc(ls->buff, ns);
    if (nb == NULL) mlD_throw(ls->L, ML_ERRMEM);
    ls->buff = nb;
    ls->buffsize = ns;
  }
  ls->buff[ls->bufflen++] = (char)c;
}

#define save_and_next(ls) (save(ls, (ls)->current), next(ls))

const char *mlX_token2str(LexState *ls, int token) {
  if (token < FIRST_RESERVED) {
    if (isprint(token)) return mlO_pushfstring(ls->L, "'%c'", token);
    return mlO_pushfstring(ls->L, "'<\\%d>'", token);
  }
  const char *s = ml_tokens[token - FIRST_RESERVED];
  if (token < TK_EOS) return mlO_pushfstring(ls->L, "'%s'", s);
  return s;
}

static const char *txtToken(LexState *ls, int token) {
  switch (token) {
    case TK_NAME: case TK_STRING: case TK_FLT: case TK_INT:
      save(ls, '\0');
      return mlO_pushfstring(ls->L, "'%s'", ls->buff);
    default: return mlX_token2str(ls, token);
  }
}

static void lexerror(LexState *ls, const char *msg, int token) __attribute__((noreturn));
static void lexerror(LexState *ls, const char *msg, int token) {
  msg = mlG_addinfo(ls->L, msg, ls->source, ls->linenumber);
  if (token) mlO_pushfstring(ls->L, "%s near %s", msg, txtToken(ls, token));
  mlD_throw(ls->L, ML_ERRSYNTAX);
}

void mlX_syntaxerror(LexState *ls, const char *msg) {
  lexerror(ls, msg, ls->t.token);
}

TString *mlX_newstring(LexState *ls, const char *str, size_t l) {
  return mlS_newlstr(ls->L, str, l);
}

static void inclinenumber(LexState *ls) {
  int old = ls->current;
  next(ls);
  if (currIsNewline(ls) && ls->current != old) next(ls); /* \n\r or \r\n */
  if (++ls->linenumber >= 0x7fffffff) lexerror(ls, "chunk has too many lines", 0);
}

void mlX_setinput(ml_State *L, LexState *ls, ZIO *z, TString *source, int firstchar) {
  ls->t.token = 0;
  ls->L = L;
  ls->current = firstchar;
  ls->lookahead.token = TK_EOS;
  ls->z = z;
  ls->fs = NULL;
  ls->linenumber = 1;
  ls->lastline = 1;
  ls->source = source;
  ls->envn = mlS_new(L, "_ENV");
  ls->bufflen = 0;
}

static int check_next1(LexState *ls, int c) {
  if (ls->current == c) { next(ls); return 1; }
  return 0;
}

static int check_next2(LexState *ls, const char *set) {
  if (ls->current == set[0] || ls->current == set[1]) { save_and_next(ls); return 1; }
  return 0;
}

static int read_numeral(LexState *ls, SemInfo *seminfo) {
  TValue obj;
  const char *expo = "Ee";
  int first = ls->current;
  save_and_next(ls);
  if (first == '0' && check_next2(ls, "xX")) expo = "Pp";
  for (;;) {
    if (check_next2(ls, expo)) check_next2(ls, "-+");
    else if (isxdigit(ls->current) || ls->current == '.') save_and_next(ls);
    else break;
  }
  if (isalpha(ls->current) || ls->current == '_') save_and_next(ls); /* numeral touching a letter: error */
  save(ls, '\0');
  if (mlO_str2num(ls->buff, &obj) == 0) lexerror(ls, "malformed number", TK_FLT);
  if (ttisinteger(&obj)) {
    seminfo->i = ivalue(&obj);
    return TK_INT;
  }
  seminfo->r = fltvalue(&obj);
  return TK_FLT;
}

/* After '[' : counts '='s; returns the level of a long bracket "[==[", 0 for
** a lone '[' and 1 for '[=' not followed by '['. Sizes are count+2. */
static size_t skip_sep(LexState *ls) {
  size_t count = 0;
  int s = ls->current;
  save_and_next(ls);
  while (ls->current == '=') {
    save_and_next(ls);
    count++;
  }
  return (ls->current == s) ? count + 2 : (count == 0) ? 1 : 0;
}

static void read_long_string(LexState *ls, SemInfo *seminfo, size_t sep) {
  int line = ls->linenumber;
  save_and_next(ls);
  if (currIsNewline(ls)) inclinenumber(ls);
  for (;;) {
    switch (ls->current) {
      case EOZ: {
        const char *what = (seminfo ? "string" : "comment");
        const char *msg = mlO_pushfstring(ls->L, "unfinished long %s (starting at line %d)", what, line);
        lexerror(ls, msg, TK_EOS);
      }
      case ']':
        if (skip_sep(ls) == sep) {
          save_and_next(ls);
          goto endloop;
        }
        break;
      case '\n': case '\r':
        save(ls, '\n');
        inclinenumber(ls);
        if (!seminfo) ls->bufflen = 0;
        break;
      default:
        if (seminfo) save_and_next(ls);
        else next(ls);
    }
  }
endloop:
  if (seminfo) seminfo->ts = mlX_newstring(ls, ls->buff + sep, ls->bufflen - 2 * sep);
}

static void esccheck(LexState *ls, int c, const char *msg) {
  if (!c) {
    if (ls->current != EOZ) save_and_next(ls); /* add current to buffer for error message */
    lexerror(ls, msg, TK_STRING);
  }
}

static int gethexa(LexState *ls) {
  save_and_next(ls);
  esccheck(ls, isxdigit(ls->current), "hexadecimal digit expected");
  return mlO_hexavalue(ls->current);
}

static int readhexaesc(LexState *ls) {
  int r = gethexa(ls);
  r = (r << 4) + gethexa(ls);
  ls->bufflen -= 2;
  return r;
}

static unsigned long readutf8esc(LexState *ls) {
  unsigned long r;
  int i = 4;
  save_and_next(ls);
  esccheck(ls, ls->current == '{', "missing '{'");
  r = (unsigned long)gethexa(ls);
  while ((save_and_next(ls), isxdigit(ls->current))) {
    i++;
    esccheck(ls, r <= (0x7FFFFFFFu >> 4), "UTF-8 value too large");
    r = (r << 4) + (unsigned long)mlO_hexavalue(ls->current);
  }
  esccheck(ls, ls->current == '}', "missing '}'");
  next(ls);
  ls->bufflen -= (size_t)i;
  return r;
}

static void utf8esc(LexState *ls) {
  char buff[UTF8BUFFSZ];
  int n = mlO_utf8esc(buff, readutf8esc(ls));
  for (; n > 0; n--) save(ls, buff[UTF8BUFFSZ - n]);
}

static int readdecesc(LexState *ls) {
  int i, r = 0;
  for (i = 0; i < 3 && isdigit(ls->current); i++) {
    r = 10 * r + ls->current - '0';
    save_and_next(ls);
  }
  esccheck(ls, r <= 255, "decimal escape too large");
  ls->bufflen -= (size_t)i;
  return r;
}

static void read_string(LexState *ls, int del, SemInfo *seminfo) {
  save_and_next(ls);
  while (ls->current != del) {
    switch (ls->current) {
      case EOZ: lexerror(ls, "unfinished string", TK_EOS);
      case '\n': case '\r': lexerror(ls, "unfinished string", TK_STRING);
      case '\\': {
        int c;
        save_and_next(ls); /* keep '\\' for error messages */
        switch (ls->current) {
          case 'a': c = '\a'; goto read_save;
          case 'b': c = '\b'; goto read_save;
          case 'f': c = '\f'; goto read_save;
          case 'n': c = '\n'; goto read_save;
          case 'r': c = '\r'; goto read_save;
          case 't': c = '\t'; goto read_save;
          case 'v': c = '\v'; goto read_save;
          case 'x': c = readhexaesc(ls); goto read_save;
          case 'u': utf8esc(ls); goto no_save;
          case '\n': case '\r':
            inclinenumber(ls);
            c = '\n';
            goto only_save;
          case '\\': case '\"': case '\'': c = ls->current; goto read_save;
          case EOZ: goto no_save;
          case 'z': {
            ls->bufflen--;
            next(ls);
            while (isspace(ls->current)) {
              if (currIsNewline(ls)) inclinenumber(ls);
              else next(ls);
            }
            goto no_save;
          }
          default: {
            esccheck(ls, isdigit(ls->current), "invalid escape sequence");
            c = readdecesc(ls);
            goto only_save;
          }
        }
      read_save:
        next(ls);
      only_save:
        ls->bufflen--; /* remove '\\' */
        save(ls, c);
      no_save:
        break;
      }
      default: save_and_next(ls);
    }
  }
  save_and_next(ls);
  seminfo->ts = mlX_newstring(ls, ls->buff + 1, ls->bufflen - 2);
}

static int llex(LexState *ls, SemInfo *seminfo) {
  ls->bufflen = 0;
  for (;;) {
    switch (ls->current) {
      case '\n': case '\r': inclinenumber(ls); break;
      case ' ': case '\f': case '\t': case '\v': next(ls); break;
      case '-': {
        next(ls);
        if (ls->current != '-') return '-';
        next(ls);
        if (ls->current == '[') {
          size_t sep = skip_sep(ls);
          ls->bufflen = 0;
          if (sep >= 2) {
            read_long_string(ls, NULL, sep);
            ls->bufflen = 0;
            break;
          }
        }
        while (!currIsNewline(ls) && ls->current != EOZ) next(ls);
        break;
      }
      case '[': {
        size_t sep = skip_sep(ls);
        if (sep >= 2) {
          read_long_string(ls, seminfo, sep);
          return TK_STRING;
        } else if (sep == 0) {
          lexerror(ls, "invalid long string delimiter", TK_STRING);
        }
        return '[';
      }
      case '=': next(ls); return check_next1(ls, '=') ? TK_EQ : '=';
      case '<':
        next(ls);
        if (check_next1(ls, '=')) return TK_LE;
        if (check_next1(ls, '<')) return TK_SHL;
        return '<';
      case '>':
        next(ls);
        if (check_next1(ls, '=')) return TK_GE;
        if (check_next1(ls, '>')) return TK_SHR;
        return '>';
      case '/': next(ls); return check_next1(ls, '/') ? TK_IDIV : '/';
      case '~': next(ls); return check_next1(ls, '=') ? TK_NE : '~';
      case ':': next(ls); return check_next1(ls, ':') ? TK_DBCOLON : ':';
      case '"': case '\'': read_string(ls, ls->current, seminfo); return TK_STRING;
      case '.': {
        save_and_next(ls);
        if (check_next1(ls, '.')) {
          if (check_next1(ls, '.')) return TK_DOTS;
          return TK_CONCAT;
        }
        if (!isdigit(ls->current)) return '.';
        return read_numeral(ls, seminfo);
      }
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        return read_numeral(ls, seminfo);
      case EOZ: return TK_EOS;
      default: {
        if (isalpha(ls->current) || ls->current == '_') {
          do {
            save_and_next(ls);
          } while (isalnum(ls->current) || ls->current == '_');
          TString *ts = mlX_newstring(ls, ls->buff, ls->bufflen);
          seminfo->ts = ts;
          if (isreserved(ts)) return ts->extra - 1 + FIRST_RESERVED;
          return TK_NAME;
        }
        int c = ls->current;
        next(ls);
        return c;
      }
    }
  }
}

void mlX_next(LexState *ls) {
  ls->lastline = ls->linenumber;
  if (ls->lookahead.token != TK_EOS) {
    ls->t = ls->lookahead;
    ls->lookahead.token = TK_EOS;
  } else {
    ls->t.token = llex(ls, &ls->t.seminfo);
  }
}

int mlX_lookahead(LexState *ls) {
  ls->lookahead.token = llex(ls, &ls->lookahead.seminfo);
  return ls->lookahead.token;
}
