/* gp-plan.c - the plan syntax: lines to typed GpChange records; see gp-plan.h.
 *
 * Pure text work: no model.  Each line is cut into tokens (blank separated,
 * "..." quoted with \" and \\ escapes, '#' at the start of a token begins a
 * comment), then read by the parser of its first keyword.
 */
#include "gp-plan.h"

#include <string.h>

#define MAX_ORDER 10000u

/* The first argument is the quark's name as written. */
/* clang-format off */
G_DEFINE_QUARK(gp-plan-error-quark, gp_plan_error)
/* clang-format on */

typedef struct {
  char *text;
  gboolean quoted;
  gsize start; /* byte offsets in the line */
  gsize end;
} Token;

/* What is being parsed, for error messages. */
typedef struct {
  const char *text; /* the whole line */
  const char *file;
  guint line;
  GPtrArray *tokens; /* Token* */
  const char *syntax;
} Line;

typedef gboolean (*ParseFn)(const Line *line, GpChange *change, GError **error);

static void
token_free(Token *token)
{
  g_free(token->text);
  g_free(token);
}

const char *
gp_change_kind_to_string(GpChangeKind kind)
{
  static const char *const names[]
      = { "link",   "unlink", "enforce", "unenforce", "block", "unblock",
          "status", "set",    "clear",   "move",      "add",   "new" };

  return (guint)kind < G_N_ELEMENTS(names) ? names[kind] : "unknown";
}

GpPlan *
gp_plan_new(void)
{
  GpPlan *plan = g_new0(GpPlan, 1);

  plan->changes = g_ptr_array_new_with_free_func((GDestroyNotify)gp_change_free);
  return plan;
}

void
gp_plan_free(GpPlan *plan)
{
  if (!plan)
    return;
  g_ptr_array_unref(plan->changes);
  g_free(plan);
}

void
gp_change_free(GpChange *change)
{
  if (!change)
    return;
  g_free(change->file);
  g_free(change->text);
  g_free(change->gpo);
  g_free(change->som);
  g_free(change->computer);
  g_free(change->group);
  g_free(change->right);
  if (change->principals)
    g_ptr_array_unref(change->principals);
  g_free(change);
}

/* ---------------------------------------------------------------- tokens */

static gboolean G_GNUC_PRINTF(4, 5)
    fail(GError **error, const char *file, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(error, GP_PLAN_ERROR, GP_PLAN_ERROR_SYNTAX, "%s:%u: %s", file, line, message);
  return FALSE;
}

static gboolean
is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads a "..." token starting at *p (on the quote); leaves *p after it.
 * Returns: (transfer full) (nullable): NULL when the quote is not closed. */
static char *
read_quoted(const char **p)
{
  g_autoptr(GString) out = g_string_new(NULL);
  const char *s = *p + 1;

  for (; *s && *s != '"'; s++) {
    if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
      s++;
    g_string_append_c(out, *s);
  }
  if (*s != '"')
    return NULL;
  *p = s + 1;
  return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Reads the token at *p (not blank, not a comment) and appends it. */
static gboolean
read_token(const char **p, const char *text, GPtrArray *tokens)
{
  Token *token = g_new0(Token, 1);
  const char *start = *p;

  token->start = (gsize)(start - text);
  if (*start == '"') {
    token->quoted = TRUE;
    token->text = read_quoted(p);
  } else {
    while (**p && !is_blank(**p))
      (*p)++;
    token->text = g_strndup(start, (gsize)(*p - start));
  }
  token->end = (gsize)(*p - text);
  if (!token->text) {
    token_free(token);
    return FALSE;
  }
  g_ptr_array_add(tokens, token);
  return TRUE;
}

/* Cuts @text into blank-separated tokens, stopping at a '#' that starts a
 * token (a comment).  Returns: (transfer full) (nullable) */
static GPtrArray *
tokenize(const char *text, const char *file, guint line, GError **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func((GDestroyNotify)token_free);
  const char *p = text;

  while (*p && *p != '#') {
    if (is_blank(*p)) {
      p++;
    } else if (!read_token(&p, text, tokens)) {
      fail(error, file, line, "unterminated quote; expected a closing '\"'");
      return NULL;
    }
  }
  return g_steal_pointer(&tokens);
}

static const Token *
token_at(const Line *line, guint i)
{
  return i < line->tokens->len ? g_ptr_array_index(line->tokens, i) : NULL;
}

static gboolean
is_keyword(const Line *line, guint i, const char *keyword)
{
  const Token *token = token_at(line, i);

  return token && !token->quoted && g_ascii_strcasecmp(token->text, keyword) == 0;
}

/* The first token from @start on that is @keyword, or the token count. */
static guint
find_keyword(const Line *line, guint start, const char *keyword)
{
  guint i = start;

  while (i < line->tokens->len && !is_keyword(line, i, keyword))
    i++;
  return i;
}

/* Tokens [@from, @to) as one name: a quoted token as it is, words joined by a
 * blank.  Returns: (transfer full) (nullable): NULL for an empty range. */
static char *
join_name(const Line *line, guint from, guint to)
{
  g_autoptr(GString) out = g_string_new(NULL);

  if (from >= to)
    return NULL;
  for (guint i = from; i < to; i++)
    g_string_append_printf(out, "%s%s", i > from ? " " : "", token_at(line, i)->text);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static gboolean
expect(const Line *line, GError **error, const char *what)
{
  return fail(error, line->file, line->line, "%s; expected '%s'", what, line->syntax);
}

/* Sets *@out to the name in [@from, @to), or fails saying @what is missing. */
static gboolean
take_name(const Line *line, guint from, guint to, const char *what, char **out, GError **error)
{
  g_autofree char *message = NULL;

  *out = join_name(line, from, to);
  if (*out && **out)
    return TRUE;
  message = g_strdup_printf("missing %s", what);
  return expect(line, error, message);
}

/* "VERB A KEYWORD B": the names on either side of @keyword. */
static gboolean
two_names(const Line *line, const char *keyword, const char *what_a, char **a, const char *what_b,
          char **b, GError **error)
{
  guint at = find_keyword(line, 1, keyword);
  g_autofree char *message = NULL;

  if (at >= line->tokens->len) {
    message = g_strdup_printf("missing '%s'", keyword);
    return expect(line, error, message);
  }
  return take_name(line, 1, at, what_a, a, error)
         && take_name(line, at + 1, line->tokens->len, what_b, b, error);
}

/* ------------------------------------------------------------ one change */

static gboolean
is_link_option(const Line *line, guint i)
{
  return is_keyword(line, i, "enforced") || is_keyword(line, i, "disabled")
         || is_keyword(line, i, "order");
}

static gboolean
parse_order(const Line *line, guint i, GpChange *change, GError **error)
{
  const Token *token = token_at(line, i);
  char *end = NULL;
  guint64 value;

  if (!token || token->quoted || !g_ascii_isdigit(token->text[0]))
    return expect(line, error, "'order' needs a link order (1 is the highest)");
  value = g_ascii_strtoull(token->text, &end, 10);
  if (*end || value == 0 || value > MAX_ORDER)
    return fail(error, line->file, line->line, "bad link order '%s'; expected a number from 1",
                token->text);
  change->order = (guint)value;
  return TRUE;
}

/* enforced, disabled and order N, in any order, after the SOM. */
static gboolean
parse_link_options(const Line *line, guint i, GpChange *change, GError **error)
{
  while (i < line->tokens->len) {
    if (is_keyword(line, i, "enforced")) {
      change->enforced = TRUE;
    } else if (is_keyword(line, i, "disabled")) {
      change->disabled = TRUE;
    } else if (is_keyword(line, i, "order")) {
      if (!parse_order(line, ++i, change, error))
        return FALSE;
    } else {
      return fail(error, line->file, line->line, "unexpected '%s' after the SOM; expected '%s'",
                  token_at(line, i)->text, line->syntax);
    }
    i++;
  }
  return TRUE;
}

static gboolean
parse_link(const Line *line, GpChange *change, GError **error)
{
  guint to = find_keyword(line, 1, "to");
  guint som_end;

  if (to >= line->tokens->len)
    return expect(line, error, "missing 'to'");
  som_end = to + 1;
  while (som_end < line->tokens->len && !is_link_option(line, som_end))
    som_end++;
  return take_name(line, 1, to, "the GPO", &change->gpo, error)
         && take_name(line, to + 1, som_end, "the SOM", &change->som, error)
         && parse_link_options(line, som_end, change, error);
}

static gboolean
parse_unlink(const Line *line, GpChange *change, GError **error)
{
  return two_names(line, "from", "the GPO", &change->gpo, "the SOM", &change->som, error);
}

static gboolean
parse_enforce(const Line *line, GpChange *change, GError **error)
{
  return two_names(line, "at", "the GPO", &change->gpo, "the SOM", &change->som, error);
}

static gboolean
parse_block(const Line *line, GpChange *change, GError **error)
{
  return take_name(line, 1, line->tokens->len, "the SOM", &change->som, error);
}

static gboolean
parse_status(const Line *line, GpChange *change, GError **error)
{
  static const char *const words[]
      = { "enabled", "user-disabled", "computer-disabled", "disabled" };
  guint last = line->tokens->len - 1;

  if (line->tokens->len < 3)
    return expect(line, error, "missing the GPO or its status");
  for (guint flags = 0; flags < G_N_ELEMENTS(words); flags++)
    if (is_keyword(line, last, words[flags])) {
      change->status_flags = flags;
      return take_name(line, 1, last, "the GPO", &change->gpo, error);
    }
  return fail(error, line->file, line->line,
              "unknown status '%s'; expected enabled, computer-disabled, user-disabled or disabled",
              token_at(line, last)->text);
}

/* Appends @item (one principal, blanks around it allowed, "quoted" or not). */
static gboolean
add_principal(const Line *line, const char *item, GPtrArray *out, GError **error)
{
  g_autofree char *name = g_strstrip(g_strdup(item));
  const char *p = name;
  gsize len = strlen(name);

  if (len == 0)
    return expect(line, error, "empty principal in the list");
  if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
    g_ptr_array_add(out, read_quoted(&p));
    return TRUE;
  }
  g_ptr_array_add(out, g_steal_pointer(&name));
  return TRUE;
}

/* The principals after '=': comma separated (commas inside "..." do not count).
 * An empty list is allowed: the right is defined with nobody. */
static gboolean
parse_principals(const Line *line, const char *raw, GpChange *change, GError **error)
{
  g_autoptr(GString) item = g_string_new(NULL);
  g_autofree char *list = g_strstrip(g_strdup(raw));
  gboolean quoted = FALSE;

  change->principals = g_ptr_array_new_with_free_func(g_free);
  for (const char *p = list; *list; p++) {
    if (quoted && *p == '\\' && p[1]) {
      g_string_append_c(item, *p++);
    } else if (*p == '"') {
      quoted = !quoted;
    } else if (!*p || (*p == ',' && !quoted)) {
      if (!add_principal(line, item->str, change->principals, error))
        return FALSE;
      g_string_truncate(item, 0);
      if (!*p)
        break;
      continue;
    }
    g_string_append_c(item, *p);
  }
  return TRUE;
}

/* The token holding the '=' of "RIGHT = ...": "=" alone, "=..." or "RIGHT=..."
 * with a single '=' (so that a GPO's DN is never taken for it). */
static gboolean
find_assignment(const Line *line, guint *out_index, const char **out_eq)
{
  for (guint i = 1; i < line->tokens->len; i++) {
    const Token *token = token_at(line, i);
    const char *eq = token->quoted ? NULL : strchr(token->text, '=');
    if (!eq)
      continue;
    if (eq == token->text
        || (!strchr(eq + 1, '=') && !memchr(token->text, ',', (gsize)(eq - token->text)))) {
      *out_index = i;
      *out_eq = line->text + token->start + (gsize)(eq - token->text);
      return TRUE;
    }
  }
  return FALSE;
}

/* "set GPO RIGHT = ...": the right is the word before '=' (or glued to it). */
static gboolean
parse_set(const Line *line, GpChange *change, GError **error)
{
  const Token *last = token_at(line, line->tokens->len - 1);
  g_autofree char *principals = NULL;
  const char *eq = NULL;
  guint at = 0;
  guint gpo_end;

  if (!find_assignment(line, &at, &eq))
    return expect(line, error, "missing '='");
  gpo_end = eq == line->text + token_at(line, at)->start ? at - 1 : at;
  if (gpo_end == at)
    change->right
        = g_strndup(token_at(line, at)->text, (gsize)(eq - line->text - token_at(line, at)->start));
  else if (at >= 2)
    change->right = g_strdup(token_at(line, at - 1)->text);
  if (!change->right || !*change->right)
    return expect(line, error, "missing the right");
  if (!take_name(line, 1, gpo_end, "the GPO", &change->gpo, error))
    return FALSE;
  principals = g_strndup(eq + 1, (gsize)(line->text + last->end - (eq + 1)));
  return parse_principals(line, principals, change, error);
}

static gboolean
parse_clear(const Line *line, GpChange *change, GError **error)
{
  guint n = line->tokens->len;

  if (n < 3)
    return expect(line, error, "missing the GPO or the right");
  return take_name(line, 1, n - 1, "the GPO", &change->gpo, error)
         && take_name(line, n - 1, n, "the right", &change->right, error);
}

static gboolean
parse_move(const Line *line, GpChange *change, GError **error)
{
  return two_names(line, "to", "the computer", &change->computer, "the OU", &change->som, error);
}

static gboolean
parse_add(const Line *line, GpChange *change, GError **error)
{
  return two_names(line, "to", "the computer", &change->computer, "the group", &change->group,
                   error);
}

/* "new gpo NAME" ("gpo" may be left out). */
static gboolean
parse_new(const Line *line, GpChange *change, GError **error)
{
  guint from = is_keyword(line, 1, "gpo") && line->tokens->len > 2 ? 2 : 1;

  return take_name(line, from, line->tokens->len, "the new GPO's name", &change->gpo, error);
}

static const struct {
  const char *keyword;
  GpChangeKind kind;
  const char *syntax;
  ParseFn parse;
} grammar[] = {
  { "link", GP_CHANGE_LINK, "link GPO to SOM [enforced] [disabled] [order N]", parse_link },
  { "unlink", GP_CHANGE_UNLINK, "unlink GPO from SOM", parse_unlink },
  { "enforce", GP_CHANGE_ENFORCE, "enforce GPO at SOM", parse_enforce },
  { "unenforce", GP_CHANGE_UNENFORCE, "unenforce GPO at SOM", parse_enforce },
  { "block", GP_CHANGE_BLOCK, "block SOM", parse_block },
  { "unblock", GP_CHANGE_UNBLOCK, "unblock SOM", parse_block },
  { "status", GP_CHANGE_STATUS, "status GPO enabled|computer-disabled|user-disabled|disabled",
    parse_status },
  { "set", GP_CHANGE_SET, "set GPO RIGHT = principal, ...", parse_set },
  { "clear", GP_CHANGE_CLEAR, "clear GPO RIGHT", parse_clear },
  { "move", GP_CHANGE_MOVE, "move COMPUTER to OU", parse_move },
  { "add", GP_CHANGE_ADD_GROUP, "add COMPUTER to GROUP", parse_add },
  { "new", GP_CHANGE_NEW_GPO, "new gpo NAME", parse_new },
};

/* Parses one tokenized line into a new change.  Returns: (transfer full) (nullable) */
static GpChange *
parse_change(Line *line, const char *text, GError **error)
{
  g_autoptr(GpChange) change = NULL;

  for (guint i = 0; i < G_N_ELEMENTS(grammar); i++) {
    if (!is_keyword(line, 0, grammar[i].keyword))
      continue;
    change = g_new0(GpChange, 1);
    change->kind = grammar[i].kind;
    change->file = g_strdup(line->file);
    change->line = line->line;
    change->text = g_strdup(text);
    line->syntax = grammar[i].syntax;
    return grammar[i].parse(line, change, error) ? g_steal_pointer(&change) : NULL;
  }
  fail(error, line->file, line->line,
       "unknown change '%s'; expected link, unlink, enforce, unenforce, block, unblock, status, "
       "set, clear, move, add or new",
       token_at(line, 0)->text);
  return NULL;
}

/* Parses line @number of @file (@text, one line).  *@out is NULL for a blank
 * or comment line. */
static gboolean
parse_line(const char *text, const char *file, guint number, GpChange **out, GError **error)
{
  g_autoptr(GPtrArray) tokens = tokenize(text, file, number, error);
  g_autofree char *content = NULL;
  Line line = { text, file, number, tokens, NULL };
  const Token *first, *last;

  *out = NULL;
  if (!tokens)
    return FALSE;
  if (tokens->len == 0)
    return TRUE;
  first = g_ptr_array_index(tokens, 0);
  last = g_ptr_array_index(tokens, tokens->len - 1);
  content = g_strndup(text + first->start, last->end - first->start);
  *out = parse_change(&line, content, error);
  return *out != NULL;
}

gboolean
gp_plan_parse_append(GpPlan *plan, const char *text, const char *file, GError **error)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func((GDestroyNotify)gp_change_free);

  for (guint i = 0; lines[i]; i++) {
    GpChange *change = NULL;
    const char *line = lines[i];
    if (i == 0 && g_str_has_prefix(line, "\xEF\xBB\xBF"))
      line += 3; /* a UTF-8 BOM, as Notepad writes it */
    if (!parse_line(line, file, i + 1, &change, error))
      return FALSE;
    if (change)
      g_ptr_array_add(parsed, change);
  }
  g_ptr_array_extend_and_steal(plan->changes, g_steal_pointer(&parsed));
  return TRUE;
}

GpPlan *
gp_plan_parse(const char *text, const char *file, GError **error)
{
  g_autoptr(GpPlan) plan = gp_plan_new();

  if (!gp_plan_parse_append(plan, text, file, error))
    return NULL;
  return g_steal_pointer(&plan);
}
