/* gp-baseline.c - the baseline files of `gpsim audit`.
 *
 * One item a line; '#' at the start of a line or after a blank begins a comment:
 *
 *   include builtin                 the built-in baseline (data/baseline.txt)
 *   include PATH                    another file, relative to this one
 *   mark NAME = OU=Web,DC=x,DC=y    computers under this DN carry mark NAME
 *   mark NAME = WEB03               or this computer (cn, sAMAccountName, DNS name)
 *   [any] [domain-controller] [member-server] [client] [standalone]
 *   [ou OU=Web,OU=Servers,DC=contoso,DC=com]
 *   [marked NAME]
 *   RIGHT = *S-1-5-32-544, *S-1-5-19, CONTOSO\svc-web    only these may hold it
 *   RIGHT += *S-1-5-32-568          adds to what the less specific scopes allow
 *   RIGHT =                         nobody may hold it
 *
 * RIGHT is a constant or a display name of the catalogue.  Principals are
 * "*SID", "*D-RID" (the computer's domain SID + RID: *D-512 is Domain Admins)
 * or names.  Every error names FILE:LINE.  gp-audit.h says how rules combine.
 */
#include <string.h>

#include "gp-baseline.h"
#include "gp-loaders.h"
#include "gp-names.h"

#define MAX_INCLUDE_DEPTH  8
#define BUILTIN_INCLUDE    "builtin"
#define MAX_BASELINE_BYTES (4u * 1024u * 1024u)

typedef struct {
  const GpModel *model;
  const char *builtin_path; /* (nullable) */
  GpBaseline *baseline;
  GPtrArray *stack; /* char*: canonical paths being read, for include cycles */
} BaselineLoad;

/* Where one file is: its current section and the "=" lines it set. */
typedef struct {
  const char *file;
  guint line;
  gboolean in_section;
  GpScopeKind scope;
  GpRole role;
  char *scope_value;
  GHashTable *set_lines; /* "[scope] right" (case-folded) -> line of its "=" */
} FileState;

static gboolean load_path(BaselineLoad *ld, const char *path, GError **error);

static gboolean G_GNUC_PRINTF(3, 4)
    fail(GError **error, const FileState *st, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, st->file, st->line, "%s", message);
  return FALSE;
}

/* "include X" -> "X" when @line starts with @keyword and a blank. */
static const char *
after_keyword(const char *line, const char *keyword)
{
  gsize len = strlen(keyword);

  if (g_ascii_strncasecmp(line, keyword, len) != 0 || !g_ascii_isspace(line[len]))
    return NULL;
  line += len;
  while (g_ascii_isspace(*line))
    line++;
  return line;
}

static gboolean
valid_mark_name(const char *name)
{
  if (!*name)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_.-", *p))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------ sections */

static gboolean
role_from_string(const char *text, GpRole *out_role)
{
  for (int role = 0; role < GP_ROLE_COUNT; role++)
    if (g_ascii_strcasecmp(text, gp_role_to_string((GpRole)role)) == 0) {
      *out_role = (GpRole)role;
      return TRUE;
    }
  return FALSE;
}

static gboolean
set_section(FileState *st, GpScopeKind scope, GpRole role, const char *value)
{
  st->in_section = TRUE;
  st->scope = scope;
  st->role = role;
  g_free(st->scope_value);
  st->scope_value = g_strdup(value);
  return TRUE;
}

static gboolean
parse_section(FileState *st, const char *line, GError **error)
{
  gsize len = strlen(line);
  g_autofree char *inner = NULL;
  const char *value;
  GpRole role;

  if (line[len - 1] != ']')
    return fail(error, st, "section header '%s' has no closing ']'", line);
  inner = g_strstrip(g_strndup(line + 1, len - 2));
  if (g_ascii_strcasecmp(inner, "any") == 0)
    return set_section(st, GP_SCOPE_ANY, 0, NULL);
  if (role_from_string(inner, &role))
    return set_section(st, GP_SCOPE_ROLE, role, NULL);
  if ((value = after_keyword(inner, "ou")) && strchr(value, '='))
    return set_section(st, GP_SCOPE_OU, 0, value);
  if ((value = after_keyword(inner, "marked")) && valid_mark_name(value))
    return set_section(st, GP_SCOPE_MARKED, 0, value);
  return fail(error, st,
              "unknown section '[%s]'; expected [any], [domain-controller], [member-server], "
              "[client], [standalone], [ou DN] or [marked NAME]",
              inner);
}

/* ------------------------------------------------------ marks, includes */

static gboolean
parse_mark(BaselineLoad *ld, FileState *st, const char *rest, GError **error)
{
  const char *eq = strchr(rest, '=');
  g_autofree char *name = eq ? g_strstrip(g_strndup(rest, (gsize)(eq - rest))) : NULL;
  g_autofree char *target = eq ? g_strstrip(g_strdup(eq + 1)) : NULL;

  if (!eq || !valid_mark_name(name) || !*target)
    return fail(error, st,
                "expected 'mark NAME = OU DN' or 'mark NAME = COMPUTER' (NAME: letters, "
                "digits, '_', '.', '-')");
  gp_baseline_add_mark(ld->baseline, name, target, st->file, st->line);
  return TRUE;
}

static gboolean
parse_include(BaselineLoad *ld, FileState *st, const char *what, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (!*what)
    return fail(error, st, "'include' needs 'builtin' or a file name");
  if (g_ascii_strcasecmp(what, BUILTIN_INCLUDE) == 0) {
    if (!ld->builtin_path)
      return fail(error, st, "'include builtin': no built-in baseline is available here");
    path = g_strdup(ld->builtin_path);
  } else {
    dir = st->file ? g_path_get_dirname(st->file) : g_get_current_dir();
    path = g_path_is_absolute(what) ? g_strdup(what) : g_build_filename(dir, what, NULL);
  }
  if (ld->stack->len >= MAX_INCLUDE_DEPTH)
    return fail(error, st, "includes nest deeper than %d files", MAX_INCLUDE_DEPTH);
  if (!load_path(ld, path, error)) {
    g_prefix_error(error, "%s:%u: in the file included here: ", st->file ? st->file : "-",
                   st->line);
    return FALSE;
  }
  return TRUE;
}

/* --------------------------------------------------------------- rules */

static gboolean
parse_principal(FileState *st, const char *item, GpBaselineRule *rule, GError **error)
{
  const char *sid = item[0] == '*' ? item + 1 : item;
  gboolean domain_relative = g_ascii_strncasecmp(sid, "D-", 2) == 0 && sid[2]
                             && strspn(sid + 2, "0123456789") == strlen(sid + 2);

  if (domain_relative || gp_sid_is_valid(sid)) {
    g_autofree char *upper = g_ascii_strup(sid, -1);
    g_ptr_array_add(rule->allowed, gp_principal_new(upper, NULL));
    return TRUE;
  }
  if (item[0] == '*')
    return fail(error, st, "'%s' is not a SID (expected *S-1-... or *D-RID)", item);
  g_ptr_array_add(rule->allowed, gp_principal_new(NULL, item));
  return TRUE;
}

static gboolean
parse_principals(FileState *st, const char *value, GpBaselineRule *rule, GError **error)
{
  g_auto(GStrv) items = NULL;

  if (!*value)
    return TRUE;
  items = g_strsplit(value, ",", -1);
  for (guint i = 0; items[i]; i++) {
    g_strstrip(items[i]);
    if (!*items[i])
      return fail(error, st, "empty principal in the list (two commas, or a trailing comma)");
    if (!parse_principal(st, items[i], rule, error))
      return FALSE;
  }
  return TRUE;
}

/* A second "RIGHT =" for the same scope in one file is a mistake; across an
 * include it is how a user baseline overrides the built-in one. */
static gboolean
check_duplicate(FileState *st, const GpBaselineRule *rule, GError **error)
{
  g_autofree char *scope = gp_baseline_scope_label(rule);
  g_autofree char *raw = g_strdup_printf("%s %s", scope, rule->right);
  char *key = g_utf8_casefold(raw, -1);
  gpointer earlier = g_hash_table_lookup(st->set_lines, key);

  if (earlier) {
    g_free(key);
    return fail(error, st, "%s is already set for %s at line %u", rule->right, scope,
                GPOINTER_TO_UINT(earlier));
  }
  g_hash_table_insert(st->set_lines, key, GUINT_TO_POINTER(st->line));
  return TRUE;
}

static gboolean
parse_rule(BaselineLoad *ld, FileState *st, const char *line, GError **error)
{
  const char *eq = strchr(line, '=');
  gboolean add = eq > line && eq[-1] == '+';
  g_autofree char *name = g_strstrip(g_strndup(line, (gsize)(eq - line - (add ? 1 : 0))));
  g_autofree char *value = g_strstrip(g_strdup(eq + 1));
  const GpRightInfo *info = gp_model_lookup_right(ld->model, name);
  g_autoptr(GpBaselineRule) rule = NULL;

  if (!st->in_section)
    return fail(error, st,
                "'%s' is outside any section; start with [any], [member-server], "
                "[domain-controller], [client], [standalone], [ou DN] or [marked NAME]",
                line);
  if (!info)
    return fail(error, st, "unknown user right '%s'", name);
  if (add && !*value)
    return fail(error, st, "'%s +=' adds nobody; write '%s =' for nobody", name, name);
  rule = gp_baseline_rule_new(st->scope, st->role, st->scope_value, info->constant, add, st->file,
                              st->line);
  if (!parse_principals(st, value, rule, error) || (!add && !check_duplicate(st, rule, error)))
    return FALSE;
  gp_baseline_add_rule(ld->baseline, g_steal_pointer(&rule));
  return TRUE;
}

/* ---------------------------------------------------------------- lines */

/* Cuts a comment: '#' at the start or after a blank. */
static void
strip_comment(char *line)
{
  for (char *p = line; *p; p++)
    if (*p == '#' && (p == line || g_ascii_isspace(p[-1]))) {
      *p = '\0';
      return;
    }
}

static gboolean
parse_line(BaselineLoad *ld, FileState *st, char *line, GError **error)
{
  const char *rest;

  strip_comment(line);
  g_strstrip(line);
  if (!*line)
    return TRUE;
  if (line[0] == '[')
    return parse_section(st, line, error);
  if ((rest = after_keyword(line, "include")))
    return parse_include(ld, st, rest, error);
  if ((rest = after_keyword(line, "mark")))
    return parse_mark(ld, st, rest, error);
  if (strchr(line, '='))
    return parse_rule(ld, st, line, error);
  return fail(error, st,
              "expected a [section], 'include', 'mark NAME = TARGET' or 'RIGHT = principals'");
}

static gboolean
parse_text(BaselineLoad *ld, const char *text, const char *file, GError **error)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  FileState st = { .file = file };
  gboolean ok = TRUE;

  st.set_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ok && lines[i]; i++) {
    st.line = i + 1;
    ok = parse_line(ld, &st, lines[i], error);
  }
  g_hash_table_unref(st.set_lines);
  g_free(st.scope_value);
  return ok;
}

static gboolean
load_data(BaselineLoad *ld, const char *data, gsize len, const char *file, GError **error)
{
  g_autofree char *text = gp_text_decode(data, len, file, NULL, error);

  return text && parse_text(ld, text, file, error);
}

static gboolean
load_path(BaselineLoad *ld, const char *path, GError **error)
{
  g_autofree char *canonical = g_canonicalize_filename(path, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  gboolean ok;

  for (guint i = 0; i < ld->stack->len; i++)
    if (strcmp(g_ptr_array_index(ld->stack, i), canonical) == 0) {
      gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, 0, "includes itself");
      return FALSE;
    }
  if (!gp_check_input_file(path, MAX_BASELINE_BYTES, GP_FILE_CHECK_REGULAR_ONLY,
                           "a baseline is a small text file", error))
    return FALSE;
  if (!g_file_get_contents(path, &data, &len, NULL)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read the baseline");
    return FALSE;
  }
  g_ptr_array_add(ld->stack, g_steal_pointer(&canonical));
  ok = load_data(ld, data, len, path, error);
  g_ptr_array_remove_index(ld->stack, ld->stack->len - 1);
  return ok;
}

/* ------------------------------------------------------------------ API */

GpBaseline *
gp_baseline_load_from_data(const char *data, gsize len, const char *file, const char *builtin_path,
                           const GpModel *model, GError **error)
{
  g_autoptr(GpBaseline) baseline = gp_baseline_new();
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func(g_free);
  BaselineLoad ld = { model, builtin_path, baseline, stack };

  if (file)
    g_ptr_array_add(stack, g_canonicalize_filename(file, NULL));
  if (!load_data(&ld, data, len, file, error))
    return NULL;
  return g_steal_pointer(&baseline);
}

GpBaseline *
gp_baseline_load_file(const char *path, const char *builtin_path, const GpModel *model,
                      GError **error)
{
  g_autoptr(GpBaseline) baseline = gp_baseline_new();
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func(g_free);
  BaselineLoad ld = { model, builtin_path, baseline, stack };

  if (!load_path(&ld, path, error))
    return NULL;
  return g_steal_pointer(&baseline);
}
