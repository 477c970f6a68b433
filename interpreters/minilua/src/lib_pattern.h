/*
** lib_pattern.h — Lua pattern matching engine (Lua 5.4 manual, 6.4.1), used
** by string.find, string.match, string.gmatch and string.gsub in lstrlib.c.
**
** A MatchState describes one subject string and one pattern (without its
** '^' anchor, which the callers handle). pat_match tries the pattern at one
** position of the subject; captures are recorded in the state and pushed on
** the Lua stack by pat_push_captures / pat_push_onecapture. Pattern errors
** are raised with mlL_error, with lua5.4's messages.
*/
#ifndef LIB_PATTERN_H
#define LIB_PATTERN_H

#include <stddef.h>

#include "mlapi.h"

#define PAT_MAXCAPTURES 32
/* Nesting limit of the recursive matcher ("pattern too complex"); lua5.4
** uses the same value (MAXCCALLS), so the same patterns fail. */
#define PAT_MAXCCALLS 200

/* Special capture lengths. */
#define PAT_CAP_UNFINISHED (-1)
#define PAT_CAP_POSITION (-2)

typedef struct MatchState {
  const char *src_init; /* start of the subject */
  const char *src_end;  /* end ('\0') of the subject */
  const char *p_end;    /* end ('\0') of the pattern */
  ml_State *L;
  int matchdepth; /* remaining recursion budget */
  int level;      /* number of captures (finished or not) */
  struct {
    const char *init;
    ptrdiff_t len; /* or PAT_CAP_UNFINISHED / PAT_CAP_POSITION */
  } capture[PAT_MAXCAPTURES];
} MatchState;

void pat_prepstate(MatchState *ms, ml_State *L, const char *s, size_t ls, const char *p,
                   size_t lp);
/* Resets the per-attempt part of the state; call before each pat_match. */
void pat_reprepstate(MatchState *ms);
/* Matches pattern p against the subject at s; returns the end of the match
** or NULL. */
const char *pat_match(MatchState *ms, const char *s, const char *p);

/* Capture i of the match [s, e) (capture 0 is the whole match when the
** pattern has no captures). Returns its length and sets *cap to its start,
** or returns PAT_CAP_POSITION after pushing the position as an integer. */
ptrdiff_t pat_get_onecapture(MatchState *ms, int i, const char *s, const char *e,
                             const char **cap);
void pat_push_onecapture(MatchState *ms, int i, const char *s, const char *e);
/* Pushes all captures (or the whole match when there are none and s is not
** NULL); returns how many values were pushed. */
int pat_push_captures(MatchState *ms, const char *s, const char *e);

/* Does the pattern contain no magic characters (plain search suffices)? */
int pat_nospecials(const char *p, size_t l);

#endif
