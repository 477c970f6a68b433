/*
** lib_pattern.c — the Lua pattern matching engine behind string.find, match,
** gmatch and gsub (Lua 5.4 manual, 6.4.1). See lib_pattern.h for the
** interface.
**
** The matcher is a backtracking recursive descent over the pattern, the
** design lua5.4 uses: single-character classes with the suffixes * + - ?,
** captures (including position captures), back-references, %b and %f. Tail
** positions loop instead of recursing, and the recursion depth is bounded by
** PAT_MAXCCALLS so that the same pathological patterns report "pattern too
** complex" as under lua5.4. Subject and pattern are handled as byte ranges
** (embedded zeros are ordinary characters); reads never go past their ends.
*/
#include "lib_pattern.h"

#include <ctype.h>
#include <string.h>

#define L_ESC '%'
#define SPECIALS "^$*+?.([%-"

#define uchar(c) ((unsigned char)(c))

/* The pattern byte at p, or '\0' at (or past) the end of the pattern. */
static int pat_at(const MatchState *ms, const char *p) {
  return p < ms->p_end ? uchar(*p) : '\0';
}

static int check_capture(MatchState *ms, int l) {
  l -= '1';
  if (l < 0 || l >= ms->level || ms->capture[l].len == PAT_CAP_UNFINISHED)
    return mlL_error(ms->L, "invalid capture index %%%d", l + 1);
  return l;
}

static int capture_to_close(MatchState *ms) {
  int level = ms->level;
  for (level--; level >= 0; level--)
    if (ms->capture[level].len == PAT_CAP_UNFINISHED) return level;
  return mlL_error(ms->L, "invalid pattern capture");
}

/* The end of the single-character class starting at p (before any suffix). */
static const char *class_end(MatchState *ms, const char *p) {
  switch (*p++) {
    case L_ESC:
      if (p >= ms->p_end) mlL_error(ms->L, "malformed pattern (ends with '%%')");
      return p + 1;
    case '[':
      if (pat_at(ms, p) == '^') p++;
      do { /* look for the closing ']'; the first character is never it */
        if (p >= ms->p_end) mlL_error(ms->L, "malformed pattern (missing ']')");
        if (*(p++) == L_ESC && p < ms->p_end) p++; /* skip escapes such as '%]' */
      } while (pat_at(ms, p) != ']');
      return p + 1;
    default:
      return p;
  }
}

/* Does c belong to the class letter cl (%a, %d, ...; upper case negates)? */
static int match_class(int c, int cl) {
  int res;
  switch (tolower(cl)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    case 'z': res = (c == 0); break; /* deprecated, but lua5.4 still has it */
    default: return cl == c; /* an escaped non-letter matches itself */
  }
  if (isupper(cl)) res = !res;
  return res;
}

/* Does c belong to the set [p .. ec] (p at '[', ec at the closing ']')? */
static int match_bracket_class(int c, const char *p, const char *ec) {
  int sig = 1;
  if (*(p + 1) == '^') {
    sig = 0;
    p++; /* skip the '^' */
  }
  while (++p < ec) {
    if (*p == L_ESC) {
      p++;
      if (match_class(c, uchar(*p))) return sig;
    } else if (*(p + 1) == '-' && p + 2 < ec) { /* a range a-z */
      p += 2;
      if (uchar(*(p - 2)) <= c && c <= uchar(*p)) return sig;
    } else if (uchar(*p) == c) {
      return sig;
    }
  }
  return !sig;
}

/* Does the subject character at s match the class [p, ep)? */
static int single_match(MatchState *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end) return 0;
  int c = uchar(*s);
  switch (*p) {
    case '.': return 1;
    case L_ESC: return match_class(c, uchar(*(p + 1)));
    case '[': return match_bracket_class(c, p, ep - 1);
    default: return uchar(*p) == c;
  }
}

static const char *match_balance(MatchState *ms, const char *s, const char *p) {
  if (p + 1 >= ms->p_end) mlL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != *p) return NULL;
  int b = *p, e = *(p + 1);
  int cont = 1;
  while (++s < ms->src_end) {
    if (*s == e) {
      if (--cont == 0) return s + 1;
    } else if (*s == b) {
      cont++;
    }
  }
  return NULL; /* unbalanced */
}

/* Greedy repetition: take as many as possible, then back off one at a time. */
static const char *max_expand(MatchState *ms, const char *s, const char *p, const char *ep) {
  ptrdiff_t i = 0;
  while (single_match(ms, s + i, p, ep)) i++;
  while (i >= 0) {
    const char *res = pat_match(ms, s + i, ep + 1);
    if (res) return res;
    i--;
  }
  return NULL;
}

/* Lazy repetition: try the rest first, then extend by one. */
static const char *min_expand(MatchState *ms, const char *s, const char *p, const char *ep) {
  for (;;) {
    const char *res = pat_match(ms, s, ep + 1);
    if (res != NULL) return res;
    if (single_match(ms, s, p, ep))
      s++;
    else
      return NULL;
  }
}

static const char *start_capture(MatchState *ms, const char *s, const char *p, int what) {
  if (ms->level >= PAT_MAXCAPTURES) mlL_error(ms->L, "too many captures");
  ms->capture[ms->level].init = s;
  ms->capture[ms->level].len = what;
  ms->level++;
  const char *res = pat_match(ms, s, p);
  if (res == NULL) ms->level--; /* undo the capture */
  return res;
}

static const char *end_capture(MatchState *ms, const char *s, const char *p) {
  int l = capture_to_close(ms);
  ms->capture[l].len = s - ms->capture[l].init;
  const char *res = pat_match(ms, s, p);
  if (res == NULL) ms->capture[l].len = PAT_CAP_UNFINISHED;
  return res;
}

static const char *match_capture(MatchState *ms, const char *s, int l) {
  l = check_capture(ms, l);
  ptrdiff_t len = ms->capture[l].len;
  if (len >= 0 && ms->src_end - s >= len && memcmp(ms->capture[l].init, s, (size_t)len) == 0)
    return s + len;
  return NULL;
}

const char *pat_match(MatchState *ms, const char *s, const char *p) {
  if (ms->matchdepth-- == 0) mlL_error(ms->L, "pattern too complex");
init: /* tail calls jump back here instead of recursing */
  if (p != ms->p_end) {
    switch (*p) {
      case '(':
        if (pat_at(ms, p + 1) == ')')
          s = start_capture(ms, s, p + 2, PAT_CAP_POSITION);
        else
          s = start_capture(ms, s, p + 1, PAT_CAP_UNFINISHED);
        break;
      case ')':
        s = end_capture(ms, s, p + 1);
        break;
      case '$':
        if (p + 1 != ms->p_end) goto dflt; /* '$' is an anchor only at the end */
        s = (s == ms->src_end) ? s : NULL;
        break;
      case L_ESC:
        switch (pat_at(ms, p + 1)) {
          case 'b':
            s = match_balance(ms, s, p + 2);
            if (s != NULL) {
              p += 4;
              goto init;
            }
            break;
          case 'f': { /* frontier: previous char not in set, current one in it */
            p += 2;
            if (pat_at(ms, p) != '[') mlL_error(ms->L, "missing '[' after '%%f' in pattern");
            const char *ep = class_end(ms, p);
            int previous = (s == ms->src_init) ? '\0' : uchar(*(s - 1));
            int current = (s < ms->src_end) ? uchar(*s) : '\0';
            if (!match_bracket_class(previous, p, ep - 1) &&
                match_bracket_class(current, p, ep - 1)) {
              p = ep;
              goto init;
            }
            s = NULL;
            break;
          }
          case '0': case '1': case '2': case '3': case '4':
          case '5': case '6': case '7': case '8': case '9':
            s = match_capture(ms, s, uchar(*(p + 1)));
            if (s != NULL) {
              p += 2;
              goto init;
            }
            break;
          default:
            goto dflt;
        }
        break;
      default:
      dflt: { /* a single-character class with an optional suffix */
        const char *ep = class_end(ms, p);
        int suffix = pat_at(ms, ep);
        if (!single_match(ms, s, p, ep)) {
          if (suffix == '*' || suffix == '?' || suffix == '-') { /* may match empty */
            p = ep + 1;
            goto init;
          }
          s = NULL;
        } else {
          switch (suffix) {
            case '?': {
              const char *res = pat_match(ms, s + 1, ep + 1);
              if (res != NULL) {
                s = res;
              } else {
                p = ep + 1;
                goto init;
              }
              break;
            }
            case '+':
              s++; /* one match is already done */
              /* fall through */
            case '*':
              s = max_expand(ms, s, p, ep);
              break;
            case '-':
              s = min_expand(ms, s, p, ep);
              break;
            default:
              s++;
              p = ep;
              goto init;
          }
        }
        break;
      }
    }
  }
  ms->matchdepth++;
  return s;
}

ptrdiff_t pat_get_onecapture(MatchState *ms, int i, const char *s, const char *e,
                             const char **cap) {
  if (i >= ms->level) {
    if (i != 0) mlL_error(ms->L, "invalid capture index %%%d", i + 1);
    *cap = s; /* no captures: the whole match */
    return e - s;
  }
  ptrdiff_t capl = ms->capture[i].len;
  *cap = ms->capture[i].init;
  if (capl == PAT_CAP_UNFINISHED)
    mlL_error(ms->L, "unfinished capture");
  else if (capl == PAT_CAP_POSITION)
    ml_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
  return capl;
}

void pat_push_onecapture(MatchState *ms, int i, const char *s, const char *e) {
  const char *cap;
  ptrdiff_t l = pat_get_onecapture(ms, i, s, e, &cap);
  if (l != PAT_CAP_POSITION) ml_pushlstring(ms->L, cap, (size_t)l);
}

int pat_push_captures(MatchState *ms, const char *s, const char *e) {
  int nlevels = (ms->level == 0 && s) ? 1 : ms->level;
  mlL_checkstack(ms->L, nlevels, "too many captures");
  for (int i = 0; i < nlevels; i++) pat_push_onecapture(ms, i, s, e);
  return nlevels;
}

int pat_nospecials(const char *p, size_t l) {
  for (size_t i = 0; i < l; i++)
    if (p[i] != '\0' && strchr(SPECIALS, p[i]) != NULL) return 0;
  return 1;
}

void pat_prepstate(MatchState *ms, ml_State *L, const char *s, size_t ls, const char *p,
                   size_t lp) {
  ms->L = L;
  ms->matchdepth = PAT_MAXCCALLS;
  ms->src_init = s;
  ms->src_end = s + ls;
  ms->p_end = p + lp;
  ms->level = 0;
}

void pat_reprepstate(MatchState *ms) {
  ms->level = 0;
  ms->matchdepth = PAT_MAXCCALLS;
}
