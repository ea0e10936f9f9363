/* gp-lab-exercise.c - training labs: `gpsim lab list|show|answer|new`.
 *
 * A lab is a folder of the labs directory (fixtures/labs/, installed as
 * PREFIX/share/gpsim/labs), or any folder given by its path, holding a
 * lab.ini (GKeyFile):
 *
 *   [lab]
 *   title=...                 one line
 *   story=...                 the situation, \n for paragraphs
 *   data=a.ldif;sysvol        LDIF files and SYSVOL folders, relative to the lab folder
 *   uses=contoso              or: every *.ldif and sysvol/ of the lab folder ../contoso
 *
 *   [q1]                      one group per question, in file order
 *   question=...
 *   computer=WEB01
 *   right=SeImpersonatePrivilege
 *   kind=winner|holders|greyed|whatif
 *   answer=...                the expected answer (checked against the engine)
 *   explanation=...
 *   local=, wmi=, add_group=, ip=, site=, ou=   modeling, as on the command line
 *   change=...                whatif: plan lines (gp-plan.h syntax), ';'-separated
 *   then=winner|holders|greyed   whatif: what is asked after the change (winner)
 *
 * `lab answer` never trusts the lab file: it loads the lab's data, runs the
 * engine and compares the student's answer with what the engine says (winner:
 * GPO name or GUID, any case; holders: a set of names or SIDs; greyed: yes/no).
 * When the lab file's own answer disagrees with the engine, a warning says so.
 * Exit codes: 0 correct, 6 not quite (GP_EXIT_WRONG_ANSWER), 1 usage, 2 data.
 *
 * `lab new --seed S [--out DIR]` writes a small generated domain (gp_lab_write)
 * and a lab.ini whose questions the engine answers on that data.
 */
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-lab.h"
#include "gp-names.h"
#include "gp-plan.h"

#define LAB_FILE   "lab.ini"
#define LAB_GROUP  "lab"
#define WRAP_WIDTH 78

typedef enum {
  KIND_WINNER,
  KIND_HOLDERS,
  KIND_GREYED,
  KIND_WHATIF,
} QuestionKind;

typedef struct {
  char *name;    /* folder name */
  char *dir;     /* the lab folder */
  GKeyFile *ini; /* its lab.ini */
} Lab;

static void
lab_clear(Lab *lab)
{
  g_free(lab->name);
  g_free(lab->dir);
  if (lab->ini)
    g_key_file_unref(lab->ini);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Lab, lab_clear)

/* What the engine says about one question. */
typedef struct {
  char *winner_name;  /* (nullable) NULL when the local layer decides */
  char *winner_guid;  /* (nullable) */
  GPtrArray *holders; /* GpPrincipal* (owned) */
  gboolean greyed;
  char *chain;  /* the precedence chain, for the explanation */
  char *before; /* (nullable) whatif: the answer before the change */
} Truth;

static void
truth_clear(Truth *truth)
{
  g_free(truth->winner_name);
  g_free(truth->winner_guid);
  if (truth->holders)
    g_ptr_array_unref(truth->holders);
  g_free(truth->chain);
  g_free(truth->before);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Truth, truth_clear)

/* ------------------------------------------------------------ finding labs */

/* g_ptr_array_sort() hands the comparator pointers to the elements. */
static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static gboolean
lab_name_ok(const char *name)
{
  if (!name || !*name || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* Returns: (transfer full): the lab names (folders holding a lab.ini), sorted. */
static GPtrArray *
lab_names(const char *labs_dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDir) dir = g_dir_open(labs_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *ini = g_build_filename(labs_dir, name, LAB_FILE, NULL);
    if (lab_name_ok(name) && g_file_test(ini, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add(names, g_strdup(name));
  }
  g_ptr_array_sort(names, compare_strings);
  return names;
}

static int
unknown_lab(const char *labs_dir, const char *name)
{
  g_autoptr(GPtrArray) names = lab_names(labs_dir);
  g_autoptr(GString) message = g_string_new(NULL);

  g_string_printf(message, "no lab named '%s'; labs:", name ? name : "");
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf(message, " %s", (char *)g_ptr_array_index(names, i));
  return gp_cli_fail(GP_EXIT_USAGE, message->str);
}

static gboolean
has_lab_file(const char *dir)
{
  g_autofree char *ini = g_build_filename(dir, LAB_FILE, NULL);

  return g_file_test(ini, G_FILE_TEST_IS_REGULAR);
}

/* Opens the lab @name: a lab of the labs folder, else a folder holding a
 * lab.ini (`gpsim lab new` writes those); prints the error and returns an exit
 * code otherwise. */
static int
lab_open(const char *name, Lab *lab)
{
  g_autofree char *labs_dir = gp_cli_labs_dir();
  g_autofree char *bundled = lab_name_ok(name) ? g_build_filename(labs_dir, name, NULL) : NULL;
  g_autofree char *ini = NULL;
  g_autoptr(GError) error = NULL;

  if (bundled && has_lab_file(bundled))
    lab->dir = g_steal_pointer(&bundled);
  else if (name && *name && has_lab_file(name))
    lab->dir = g_strdup(name);
  else
    return unknown_lab(labs_dir, name);
  lab->name = g_strdup(name);
  ini = g_build_filename(lab->dir, LAB_FILE, NULL);
  lab->ini = g_key_file_new();
  if (!g_key_file_load_from_file(lab->ini, ini, G_KEY_FILE_NONE, &error)) {
    g_autofree char *message = g_strdup_printf("%s: %s", ini, error->message);
    return gp_cli_fail(GP_EXIT_INPUT, message);
  }
  return GP_EXIT_OK;
}

/* Returns: (transfer full) (nullable): a string key, NULL when absent. */
static char *
ini_get(const Lab *lab, const char *group, const char *key)
{
  return g_key_file_get_string(lab->ini, group, key, NULL);
}

static char **
ini_list(const Lab *lab, const char *group, const char *key)
{
  return g_key_file_get_string_list(lab->ini, group, key, NULL, NULL);
}

/* Returns: (transfer full): the question groups, in file order. */
static GStrv
lab_questions(const Lab *lab)
{
  g_auto(GStrv) groups = g_key_file_get_groups(lab->ini, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

  for (guint i = 0; groups[i]; i++)
    if (strcmp(groups[i], LAB_GROUP) != 0)
      g_strv_builder_add(builder, groups[i]);
  return g_strv_builder_end(builder);
}

/* "q2", "Q2" and "2" all name the group q2.  Returns: (transfer full) (nullable) */
static char *
find_question(const Lab *lab, const char *id)
{
  g_auto(GStrv) groups = lab_questions(lab);

  for (guint i = 0; id && groups[i]; i++) {
    const char *bare = groups[i][0] == 'q' || groups[i][0] == 'Q' ? groups[i] + 1 : groups[i];
    if (g_ascii_strcasecmp(groups[i], id) == 0 || strcmp(bare, id) == 0)
      return g_strdup(groups[i]);
  }
  return NULL;
}

static QuestionKind
parse_kind(const char *text)
{
  if (g_strcmp0(text, "holders") == 0)
    return KIND_HOLDERS;
  if (g_strcmp0(text, "greyed") == 0)
    return KIND_GREYED;
  if (g_strcmp0(text, "whatif") == 0)
    return KIND_WHATIF;
  return KIND_WINNER;
}

static QuestionKind
question_kind(const Lab *lab, const char *group)
{
  g_autofree char *kind = ini_get(lab, group, "kind");

  return parse_kind(kind);
}

/* What is compared: a whatif question asks about the result after its change. */
static QuestionKind
asked_kind(const Lab *lab, const char *group)
{
  g_autofree char *then = ini_get(lab, group, "then");

  if (question_kind(lab, group) != KIND_WHATIF)
    return question_kind(lab, group);
  return then ? parse_kind(then) : KIND_WINNER;
}

/* ------------------------------------------------------------ text helpers */

static void
wrap_paragraph(GString *out, const char *paragraph, const char *indent)
{
  g_auto(GStrv) words = g_strsplit_set(paragraph, " \t", -1);
  gsize column = 0;

  for (guint w = 0; words[w]; w++) {
    gsize len = strlen(words[w]);
    if (len == 0)
      continue;
    if (column && column + 1 + len > WRAP_WIDTH) {
      g_string_append_c(out, '\n');
      column = 0;
    }
    if (column == 0) {
      g_string_append(out, indent);
      column = strlen(indent);
    } else {
      g_string_append_c(out, ' ');
      column++;
    }
    g_string_append(out, words[w]);
    column += len;
  }
  g_string_append_c(out, '\n');
}

/* Appends @text word-wrapped at WRAP_WIDTH with @indent; "\n" in it starts a paragraph. */
static void
append_wrapped(GString *out, const char *text, const char *indent)
{
  g_auto(GStrv) paragraphs = g_strsplit(text ? text : "", "\n", -1);

  for (guint p = 0; paragraphs[p]; p++)
    wrap_paragraph(out, paragraphs[p], indent);
}

static const char *
kind_hint(QuestionKind kind)
{
  switch (kind) {
  case KIND_WINNER:
    return "answer with a GPO name or GUID, or \"local\" when no GPO decides";
  case KIND_HOLDERS:
    return "answer with the holders' names or SIDs, comma-separated, or \"nobody\"";
  case KIND_GREYED:
    return "answer yes (greyed out) or no (editable)";
  case KIND_WHATIF:
    break;
  }
  return "";
}

/* "Server Baseline @ OU=Servers,... L1 [enforced]" for the chain. */
static void
append_entry(GString *out, const GpGpoEntry *entry)
{
  g_string_append_printf(out, "  %3u  %-34s ", entry->precedence, gp_render_entry_name(entry));
  if (entry->is_local)
    g_string_append(out, "local");
  else
    g_string_append_printf(out, "%s %s, L%u%s", gp_som_kind_to_string(entry->som->kind),
                           entry->som->dn, entry->link->link_order,
                           entry->enforced ? ", enforced" : "");
}

static const GpDefinition *
definition_of(const GpRightResult *right, const GpGpoEntry *entry)
{
  for (guint i = 0; i < right->definitions->len; i++)
    if (((const GpDefinition *)g_ptr_array_index(right->definitions, i))->entry == entry)
      return g_ptr_array_index(right->definitions, i);
  return NULL;
}

static void
append_fate(GString *out, const GpRightResult *right, const GpGpoEntry *entry)
{
  const GpDefinition *definition = definition_of(right, entry);

  if (entry->is_local) {
    g_string_append(out, right->winner ? "-> overwritten" : "-> DECIDES");
    return;
  }
  if (!entry->applied)
    g_string_append_printf(out, "not applied (%s: %s)", gp_render_reason_rule(entry->reason),
                           gp_reason_describe(entry->reason));
  else
    g_string_append(out, "applied");
  if (!definition)
    g_string_append(out, ", does not define it");
  else if (definition->outcome == GP_OUTCOME_WON)
    g_string_append(out, ", defines it -> WINS");
  else if (definition->outcome == GP_OUTCOME_OVERRIDDEN)
    g_string_append(out, ", defines it -> overridden");
  else
    g_string_append(out, ", defines it");
}

static char *
chain_text(const GpResult *result, const GpRightResult *right)
{
  GString *out = g_string_new(NULL);

  g_string_append_printf(out, "Precedence chain for %s on %s (1 wins):\n", right->right,
                         result->computer->cn);
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    append_entry(out, entry);
    g_string_append(out, "\n         ");
    append_fate(out, right, entry);
    g_string_append_c(out, '\n');
  }
  return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------ the engine's answer */

/* Every *.ldif and the sysvol/ folder of the sibling lab folder @uses. */
static void
add_used_lab(const Lab *lab, const char *uses, GStrvBuilder *ldif, GStrvBuilder *sysvol)
{
  g_autofree char *labs_dir = g_path_get_dirname(lab->dir);
  g_autofree char *dir = g_build_filename(labs_dir, uses, NULL);
  g_autofree char *sysvol_dir = g_build_filename(dir, "sysvol", NULL);
  g_autoptr(GDir) listing = lab_name_ok(uses) ? g_dir_open(dir, 0, NULL) : NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
  const char *name;

  while (listing && (name = g_dir_read_name(listing)))
    if (g_str_has_suffix(name, ".ldif"))
      g_ptr_array_add(files, g_build_filename(dir, name, NULL));
  g_ptr_array_sort(files, compare_strings);
  for (guint i = 0; i < files->len; i++)
    g_strv_builder_add(ldif, g_ptr_array_index(files, i));
  if (g_file_test(sysvol_dir, G_FILE_TEST_IS_DIR))
    g_strv_builder_add(sysvol, sysvol_dir);
}

static void
lab_data_options(const Lab *lab, GpCliOptions *options)
{
  g_autofree char *uses = ini_get(lab, LAB_GROUP, "uses");
  g_auto(GStrv) data = ini_list(lab, LAB_GROUP, "data");
  g_autoptr(GStrvBuilder) ldif = g_strv_builder_new();
  g_autoptr(GStrvBuilder) sysvol = g_strv_builder_new();

  if (uses)
    add_used_lab(lab, g_strstrip(uses), ldif, sysvol);
  for (guint i = 0; data && data[i]; i++) {
    g_autofree char *path = g_build_filename(lab->dir, g_strstrip(data[i]), NULL);
    g_strv_builder_add(g_file_test(path, G_FILE_TEST_IS_DIR) ? sysvol : ldif, path);
  }
  options->ldif = g_strv_builder_end(ldif);
  options->sysvol = g_strv_builder_end(sysvol);
}

/* The command-line options the question stands for: the lab's data, the
 * computer, the right, and the modeling keys. */
static void
question_options(const Lab *lab, const char *group, GpCliOptions *options)
{
  g_autofree char *right = ini_get(lab, group, "right");
  g_autofree char *local = ini_get(lab, group, "local");
  char *rights[] = { right, NULL };

  lab_data_options(lab, options);
  options->computer = ini_get(lab, group, "computer");
  options->rights = g_strdupv(rights);
  options->local = local ? g_build_filename(lab->dir, local, NULL) : NULL;
  options->wmi = ini_list(lab, group, "wmi");
  options->add_groups = ini_list(lab, group, "add_group");
  options->ip = ini_get(lab, group, "ip");
  options->site = ini_get(lab, group, "site");
  options->ou = ini_get(lab, group, "ou");
  options->format = g_strdup("text");
}

static gboolean
load_question(const Lab *lab, const char *group, GpCliOptions *options, GpCliData *data,
              GError **error)
{
  question_options(lab, group, options);
  if (!options->computer || !options->rights[0]) {
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                "%s/" LAB_FILE " [%s] needs computer= and right=", lab->name, group);
    return FALSE;
  }
  if (gp_cli_load(options, data, error) && gp_cli_resolve_modeling(options, data, error))
    return TRUE;
  gp_cli_print_diags(data->diags);
  return FALSE;
}

static GpResult *
evaluate(const GpCliOptions *options, GpCliData *data, GError **error)
{
  const GpComputer *computer = gp_cli_find_computer(data, options);
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  GpResult *result;

  if (!computer) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "the lab's computer '%s' is not usable",
                options->computer);
    return NULL;
  }
  result = gp_engine_evaluate(data->model, computer, &engine, error);
  if (result && result->rights->len != 1) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the lab's right '%s' gave no result",
                options->rights[0]);
    g_clear_pointer(&result, gp_result_free);
  }
  return result;
}

static void
truth_fill(Truth *truth, const GpResult *result)
{
  const GpRightResult *right = g_ptr_array_index(result->rights, 0);

  truth->winner_name = right->winner ? g_strdup(gp_render_entry_name(right->winner)) : NULL;
  truth->winner_guid
      = right->winner && right->winner->gpo ? g_strdup(right->winner->gpo->guid) : NULL;
  truth->holders = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  for (guint i = 0; i < right->holders->len; i++)
    g_ptr_array_add(truth->holders, gp_principal_copy(g_ptr_array_index(right->holders, i)));
  truth->greyed = right->local_greyed_out;
  truth->chain = chain_text(result, right);
}

static char *
answer_text(QuestionKind kind, const Truth *truth)
{
  GString *out = g_string_new(NULL);

  if (kind == KIND_GREYED) {
    g_string_append(out, truth->greyed ? "yes, greyed out" : "no, editable");
  } else if (kind == KIND_HOLDERS) {
    for (guint i = 0; i < truth->holders->len; i++) {
      const GpPrincipal *holder = g_ptr_array_index(truth->holders, i);
      g_string_append_printf(out, "%s%s", i ? ", " : "", holder->name ? holder->name : holder->sid);
    }
    if (truth->holders->len == 0)
      g_string_append(out, "nobody");
  } else if (truth->winner_name) {
    g_string_append_printf(out, "%s %s", truth->winner_name,
                           truth->winner_guid ? truth->winner_guid : "");
  } else {
    g_string_append(out, "local (no applied GPO defines it: the local layer decides)");
  }
  return g_string_free(out, FALSE);
}

static gboolean
apply_changes(const Lab *lab, const char *group, GpModel *model, GError **error)
{
  g_auto(GStrv) changes = ini_list(lab, group, "change");
  g_autofree char *text = changes ? g_strjoinv("\n", changes) : g_strdup("");
  g_autofree char *where = g_strdup_printf("%s/" LAB_FILE " [%s]", lab->name, group);
  g_autoptr(GpPlan) plan = gp_plan_parse(text, where, error);

  return plan && gp_plan_apply(plan, model, NULL, error);
}

/* whatif: the answer before the change, into truth->before. */
static gboolean
truth_before(const Lab *lab, const char *group, const GpCliOptions *options, GpCliData *data,
             Truth *truth, GError **error)
{
  g_auto(Truth) before = { 0 };
  g_autoptr(GpResult) result = evaluate(options, data, error);

  if (!result)
    return FALSE;
  truth_fill(&before, result);
  truth->before = answer_text(asked_kind(lab, group), &before);
  return TRUE;
}

/* Runs the engine on the question's data (after its change, for whatif). */
static gboolean
compute_truth(const Lab *lab, const char *group, Truth *truth, GError **error)
{
  g_auto(GpCliOptions) options = { 0 };
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GpResult) result = NULL;

  if (!load_question(lab, group, &options, &data, error))
    return FALSE;
  if (question_kind(lab, group) == KIND_WHATIF
      && (!truth_before(lab, group, &options, &data, truth, error)
          || !apply_changes(lab, group, data.model, error)))
    return FALSE;
  if (!(result = evaluate(&options, &data, error)))
    return FALSE;
  truth_fill(truth, result);
  return TRUE;
}

/* ------------------------------------------------------------ comparing answers */

/* Trimmed, outer quotes removed, blanks collapsed, case-folded. */
static char *
normalize(const char *text)
{
  g_autofree char *copy = g_strstrip(g_strdup(text ? text : ""));
  g_autoptr(GString) joined = g_string_new(NULL);
  g_auto(GStrv) words = NULL;
  gsize len = strlen(copy);

  if (len >= 2 && (copy[0] == '"' || copy[0] == '\'') && copy[len - 1] == copy[0]) {
    copy[len - 1] = '\0';
    memmove(copy, copy + 1, len - 1);
  }
  words = g_strsplit_set(copy, " \t", -1);
  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_string_append_printf(joined, "%s%s", joined->len ? " " : "", words[i]);
  return g_utf8_casefold(joined->str, -1);
}

static gboolean
in_list(const char *normalized, const char *const *words)
{
  for (guint i = 0; words[i]; i++)
    if (strcmp(normalized, words[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
winner_matches(const Truth *truth, const char *answer)
{
  static const char *const local_words[] = { "local",       "local policy",    "the local policy",
                                             "local layer", "the local layer", "default",
                                             "the default", "role default",    "none",
                                             "no gpo",      "nothing",         NULL };
  g_autofree char *a = normalize(answer);
  g_autofree char *guid = gp_guid_normalize(a);
  g_autofree char *name = truth->winner_name ? normalize(truth->winner_name) : NULL;

  if (!truth->winner_name)
    return in_list(a, local_words);
  return strcmp(a, name) == 0 || (guid && g_strcmp0(guid, truth->winner_guid) == 0);
}

/* "BUILTIN\Administrators" -> "administrators" (already normalized). */
static const char *
short_name(const char *normalized)
{
  const char *slash = strrchr(normalized, '\\');

  return slash ? slash + 1 : normalized;
}

static gboolean
principal_matches(const GpPrincipal *holder, const char *token)
{
  const char *bare = token[0] == '*' ? token + 1 : token;
  g_autofree char *name = holder->name ? normalize(holder->name) : NULL;

  if (holder->sid && g_ascii_strcasecmp(holder->sid, bare) == 0)
    return TRUE;
  return name && (strcmp(name, bare) == 0 || strcmp(short_name(name), short_name(bare)) == 0);
}

static gboolean
in_nobody_words(const char *answer)
{
  static const char *const nobody[] = { "nobody", "none", "(nobody)", "no one", "empty", "", NULL };
  g_autofree char *whole = normalize(answer);

  return in_list(whole, nobody);
}

static gboolean
holders_match(const Truth *truth, const char *answer)
{
  g_auto(GStrv) tokens = g_strsplit_set(answer ? answer : "", ",;\n", -1);
  g_autofree gboolean *matched = g_new0(gboolean, truth->holders->len + 1);

  if (in_nobody_words(answer))
    return truth->holders->len == 0;
  for (guint t = 0; tokens[t]; t++) {
    g_autofree char *token = normalize(tokens[t]);
    gboolean found = FALSE;
    for (guint h = 0; *token && h < truth->holders->len; h++)
      if (principal_matches(g_ptr_array_index(truth->holders, h), token))
        found = matched[h] = TRUE;
    if (*token && !found)
      return FALSE;
  }
  for (guint h = 0; h < truth->holders->len; h++)
    if (!matched[h])
      return FALSE;
  return TRUE;
}

/* For a wrong holders answer: who is missing, and what is not a holder. */
static void
append_holders_hint(const Truth *truth, const char *answer, GString *out)
{
  g_auto(GStrv) tokens = g_strsplit_set(answer ? answer : "", ",;\n", -1);
  g_autofree gboolean *matched = g_new0(gboolean, truth->holders->len + 1);
  g_autoptr(GString) extra = g_string_new(NULL);
  g_autoptr(GString) missing = g_string_new(NULL);

  for (guint t = 0; tokens[t]; t++) {
    g_autofree char *token = normalize(tokens[t]);
    gboolean found = FALSE;
    for (guint h = 0; *token && h < truth->holders->len; h++)
      if (principal_matches(g_ptr_array_index(truth->holders, h), token))
        found = matched[h] = TRUE;
    if (*token && !found)
      g_string_append_printf(extra, "%s%s", extra->len ? ", " : "", g_strstrip(tokens[t]));
  }
  for (guint h = 0; h < truth->holders->len; h++) {
    const GpPrincipal *holder = g_ptr_array_index(truth->holders, h);
    if (!matched[h])
      g_string_append_printf(missing, "%s%s", missing->len ? ", " : "",
                             holder->name ? holder->name : holder->sid);
  }
  if (missing->len)
    g_string_append_printf(out, "Missing from your answer: %s\n", missing->str);
  if (extra->len)
    g_string_append_printf(out, "Not holders: %s\n", extra->str);
}

static gboolean
greyed_matches(const Truth *truth, const char *answer)
{
  static const char *const yes[]
      = { "yes", "y", "true", "greyed", "greyed out", "grayed", "grayed out", "yes, greyed out",
          NULL };
  static const char *const no[]
      = { "no", "n", "false", "editable", "not greyed", "not greyed out", "no, editable", NULL };
  g_autofree char *a = normalize(answer);

  if (in_list(a, yes))
    return truth->greyed;
  return in_list(a, no) && !truth->greyed;
}

static gboolean
answer_matches(QuestionKind kind, const Truth *truth, const char *answer)
{
  switch (kind) {
  case KIND_HOLDERS:
    return holders_match(truth, answer);
  case KIND_GREYED:
    return greyed_matches(truth, answer);
  case KIND_WINNER:
  case KIND_WHATIF:
    break;
  }
  return winner_matches(truth, answer);
}

/* ------------------------------------------------------------ the verbs */

static int
lab_list(const GpCliOptions *options)
{
  g_autofree char *labs_dir = gp_cli_labs_dir();
  g_autoptr(GPtrArray) names = lab_names(labs_dir);
  g_autoptr(GString) out = g_string_new(NULL);

  g_string_append_printf(out, "%-22s %s\n", "LAB", "TITLE");
  for (guint i = 0; i < names->len; i++) {
    g_auto(Lab) lab = { 0 };
    g_autofree char *title = NULL;
    if (lab_open(g_ptr_array_index(names, i), &lab) != GP_EXIT_OK)
      return GP_EXIT_INPUT;
    title = ini_get(&lab, LAB_GROUP, "title");
    g_string_append_printf(out, "%-22s %s\n", lab.name, title ? title : "(untitled)");
  }
  g_string_append(out, "\nStart one with: gpsim lab show NAME\n");
  return gp_cli_emit(options, out);
}

static void
show_question(const Lab *lab, const char *group, GString *out)
{
  g_autofree char *question = ini_get(lab, group, "question");
  g_autofree char *computer = ini_get(lab, group, "computer");
  g_autofree char *right = ini_get(lab, group, "right");
  g_auto(GStrv) changes = ini_list(lab, group, "change");
  g_autofree char *heading = g_strdup_printf("%s. %s", group, question ? question : "");

  g_string_append_c(out, '\n');
  append_wrapped(out, heading, "  ");
  g_string_append_printf(out, "     (computer %s, right %s)\n", computer ? computer : "?",
                         right ? right : "?");
  for (guint i = 0; changes && changes[i]; i++)
    g_string_append_printf(out, "     the change: %s\n", g_strstrip(changes[i]));
  g_string_append_printf(out, "     %s\n", kind_hint(asked_kind(lab, group)));
}

/* "Explore with: gpsim explain --ldif ... --sysvol ... --computer NAME --right R --trace" */
static void
append_explore(const Lab *lab, GString *out)
{
  g_auto(GpCliOptions) data = { 0 };

  lab_data_options(lab, &data);
  g_string_append(out, "Explore with: gpsim explain");
  for (guint i = 0; data.ldif[i]; i++) {
    g_autofree char *quoted = g_shell_quote(data.ldif[i]);
    g_string_append_printf(out, " --ldif %s", quoted);
  }
  for (guint i = 0; data.sysvol[i]; i++) {
    g_autofree char *quoted = g_shell_quote(data.sysvol[i]);
    g_string_append_printf(out, " --sysvol %s", quoted);
  }
  g_string_append(out, " --computer NAME --right RIGHT --trace\n");
}

static int
lab_show(const GpCliOptions *options, const char *name)
{
  g_auto(Lab) lab = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_auto(GStrv) questions = NULL;
  g_autofree char *title = NULL, *story = NULL;
  int status;

  if ((status = lab_open(name, &lab)) != GP_EXIT_OK)
    return status;
  title = ini_get(&lab, LAB_GROUP, "title");
  story = ini_get(&lab, LAB_GROUP, "story");
  questions = lab_questions(&lab);
  g_string_append_printf(out, "Lab %s: %s\n\n", lab.name, title ? title : "(untitled)");
  append_wrapped(out, story, "");
  g_string_append_printf(out, "\nQuestions (%u):\n", g_strv_length(questions));
  for (guint i = 0; questions[i]; i++)
    show_question(&lab, questions[i], out);
  g_string_append_printf(out, "\nAnswer with: gpsim lab answer %s QUESTION \"ANSWER\"\n", lab.name);
  append_explore(&lab, out);
  return gp_cli_emit(options, out);
}

static void
render_verdict(const Lab *lab, const char *group, const Truth *truth, const char *answer,
               gboolean correct, GString *out)
{
  QuestionKind kind = asked_kind(lab, group);
  g_autofree char *question = ini_get(lab, group, "question");
  g_autofree char *explanation = ini_get(lab, group, "explanation");
  g_autofree char *right_answer = answer_text(kind, truth);

  g_string_append_printf(out, "Lab %s, %s: ", lab->name, group);
  append_wrapped(out, question, "");
  g_string_append_printf(out, "Your answer: %s\n", answer);
  if (correct)
    g_string_append_printf(out, "correct: %s\n", right_answer);
  else
    g_string_append_printf(out, "not quite: the answer is %s\n", right_answer);
  if (!correct && kind == KIND_HOLDERS && !in_nobody_words(answer))
    append_holders_hint(truth, answer, out);
  if (truth->before)
    g_string_append_printf(out, "Before the change: %s; after it: %s\n", truth->before,
                           right_answer);
  if (explanation) {
    g_string_append(out, "\nWhy:\n");
    append_wrapped(out, explanation, "  ");
  }
  g_string_append_printf(out, "\n%s%s", truth->before ? "After the change. " : "", truth->chain);
}

/* Warns when the lab file's answer is not what the engine computes. */
static void
check_expected(const Lab *lab, const char *group, const Truth *truth)
{
  g_autofree char *expected = ini_get(lab, group, "answer");
  g_autofree char *engine = NULL;

  if (expected && answer_matches(asked_kind(lab, group), truth, expected))
    return;
  engine = answer_text(asked_kind(lab, group), truth);
  fprintf(stderr,
          "gpsim: warning: %s/" LAB_FILE " [%s]: the expected answer '%s' disagrees with the "
          "engine ('%s'); the engine's answer is used\n",
          lab->name, group, expected ? expected : "(none)", engine);
}

static int
lab_answer(const GpCliOptions *options, char **args)
{
  g_auto(Lab) lab = { 0 };
  g_auto(Truth) truth = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *group = NULL;
  gboolean correct;
  int status;

  if (!args[0] || !args[1] || !args[2] || args[3])
    return gp_cli_fail(GP_EXIT_USAGE, "usage: gpsim lab answer NAME QUESTION \"ANSWER\"");
  if ((status = lab_open(args[0], &lab)) != GP_EXIT_OK)
    return status;
  if (!(group = find_question(&lab, args[1]))) {
    g_autofree char *message = g_strdup_printf("lab %s has no question '%s' (see 'gpsim lab show "
                                               "%s')",
                                               lab.name, args[1], lab.name);
    return gp_cli_fail(GP_EXIT_USAGE, message);
  }
  if (!compute_truth(&lab, group, &truth, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  check_expected(&lab, group, &truth);
  correct = answer_matches(asked_kind(&lab, group), &truth, args[2]);
  render_verdict(&lab, group, &truth, args[2], correct, out);
  status = gp_cli_emit(options, out);
  return status != GP_EXIT_OK ? status : correct ? GP_EXIT_OK : GP_EXIT_WRONG_ANSWER;
}

/* ------------------------------------------------------------ lab new */

#define NEW_COMPUTERS 8
#define NEW_OUS       4
#define NEW_GPOS      8
#define NEW_RIGHT     "SeImpersonatePrivilege"

/* Returns: (transfer full) (nullable): the name of the one *.ldif in @dir. */
static char *
new_lab_ldif(const char *dir, GError **error)
{
  g_autoptr(GDir) listing = g_dir_open(dir, 0, error);
  const char *name;

  while (listing && (name = g_dir_read_name(listing)))
    if (g_str_has_suffix(name, ".ldif"))
      return g_strdup(name);
  if (listing)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: the generator wrote no LDIF", dir);
  return NULL;
}

/* TRUE when a GPO decides NEW_RIGHT on @computer. */
static gboolean
gpo_decides(const GpCliData *data, const GpCliOptions *options, const GpComputer *computer)
{
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  g_autoptr(GpResult) result = gp_engine_evaluate(data->model, computer, &engine, NULL);

  return result && result->rights->len == 1
         && ((const GpRightResult *)g_ptr_array_index(result->rights, 0))->winner != NULL;
}

/* @computers shuffled with @rand, those a GPO decides first (stable), so the
 * first question has a GPO to find.  Returns: (transfer container): char* names. */
static GPtrArray *
shuffled_names(const GpCliData *data, const GpCliOptions *options, GRand *rand)
{
  const GPtrArray *computers = gp_model_computers(data->model);
  g_autoptr(GPtrArray) all = g_ptr_array_new();
  GPtrArray *names = g_ptr_array_new();

  for (guint i = 0; i < computers->len; i++)
    g_ptr_array_add(all, g_ptr_array_index(computers, i));
  for (guint i = all->len; i > 1; i--) {
    guint j = (guint)g_rand_int_range(rand, 0, (gint32)i);
    gpointer swap = all->pdata[i - 1];
    all->pdata[i - 1] = all->pdata[j];
    all->pdata[j] = swap;
  }
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < all->len; i++) {
      const GpComputer *computer = g_ptr_array_index(all, i);
      if (gpo_decides(data, options, computer) == (pass == 0))
        g_ptr_array_add(names, computer->cn);
    }
  return names;
}

/* Three computers of the lab's data, drawn with @seed (repeated when fewer). */
static GStrv
new_lab_computers(const Lab *lab, gint64 seed, GError **error)
{
  g_auto(GpCliOptions) options = { 0 };
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)(seed ^ (seed >> 32)) ^ 0x1ab5u);
  g_autoptr(GStrvBuilder) picks = g_strv_builder_new();
  g_autoptr(GPtrArray) names = NULL;
  char *rights[] = { (char *)NEW_RIGHT, NULL };

  lab_data_options(lab, &options);
  options.format = g_strdup("text");
  options.rights = g_strdupv(rights);
  if (!gp_cli_load(&options, &data, error))
    return NULL;
  names = shuffled_names(&data, &options, rand);
  for (guint i = 0; names->len && i < 3; i++)
    g_strv_builder_add(picks, g_ptr_array_index(names, i % names->len));
  if (names->len == 0)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "the generated lab has no computer");
  return names->len ? g_strv_builder_end(picks) : NULL;
}

static void
new_lab_question(const Lab *lab, const char *group, const char *computer, QuestionKind kind)
{
  g_autofree char *question
      = kind == KIND_GREYED
            ? g_strdup_printf("On %s, is " NEW_RIGHT " greyed out in the local security policy "
                              "editor (secpol.msc)?",
                              computer)
            : g_strdup_printf("Which GPO decides " NEW_RIGHT " on %s?", computer);

  g_key_file_set_string(lab->ini, group, "question", question);
  g_key_file_set_string(lab->ini, group, "computer", computer);
  g_key_file_set_string(lab->ini, group, "right", NEW_RIGHT);
  g_key_file_set_string(lab->ini, group, "kind", kind == KIND_GREYED ? "greyed" : "winner");
}

static const char *
new_lab_explanation(QuestionKind kind, const Truth *truth)
{
  if (kind == KIND_GREYED)
    return truth->greyed ? "An applied GPO defines the right, so secpol.msc shows the GPO's "
                           "list and greys the setting out."
                         : "No applied GPO defines the right, so the local value decides and "
                           "secpol.msc lets an administrator edit it.";
  return truth->winner_name
             ? "Walk the computer's GPO list in precedence order (enforced links first, then "
               "the nearest SOM, then link order): the first applied GPO that defines the "
               "right wins, with its whole list."
             : "No applied GPO on the computer's list defines the right, so the local layer "
               "(the role's documented default) decides.";
}

/* Runs the engine on the question and writes its answer into the lab.ini. */
static gboolean
new_lab_answer(const Lab *lab, const char *group, GError **error)
{
  g_auto(Truth) truth = { 0 };
  QuestionKind kind = asked_kind(lab, group);
  const char *answer;

  if (!compute_truth(lab, group, &truth, error))
    return FALSE;
  if (kind == KIND_GREYED)
    answer = truth.greyed ? "yes" : "no";
  else
    answer = truth.winner_name ? truth.winner_name : "local";
  g_key_file_set_string(lab->ini, group, "answer", answer);
  g_key_file_set_string(lab->ini, group, "explanation", new_lab_explanation(kind, &truth));
  return TRUE;
}

static void
new_lab_header(const Lab *lab, gint64 seed, const char *ldif)
{
  g_autofree char *title = g_strdup_printf("A generated domain (seed %" G_GINT64_FORMAT ")", seed);
  g_autofree char *data = g_strdup_printf("%s;sysvol", ldif);

  g_key_file_set_string(lab->ini, LAB_GROUP, "title", title);
  g_key_file_set_string(lab->ini, LAB_GROUP, "story",
                        "A small domain drawn by the lab generator: a few OUs, GPOs linked at "
                        "random places, some enforced, some disabled or filtered. Explore it "
                        "with gpsim explain, then answer.");
  g_key_file_set_string(lab->ini, LAB_GROUP, "data", data);
}

static gboolean
new_lab_ini(gint64 seed, const char *dir, GError **error)
{
  static const char *const groups[] = { "q1", "q2", "q3" };
  static const QuestionKind kinds[] = { KIND_WINNER, KIND_WINNER, KIND_GREYED };
  g_auto(Lab) lab = { 0 };
  g_autofree char *ldif = new_lab_ldif(dir, error);
  g_autofree char *path = g_build_filename(dir, LAB_FILE, NULL);
  g_auto(GStrv) computers = NULL;

  if (!ldif)
    return FALSE;
  lab.name = g_strdup(dir);
  lab.dir = g_strdup(dir);
  lab.ini = g_key_file_new();
  new_lab_header(&lab, seed, ldif);
  if (!(computers = new_lab_computers(&lab, seed, error)))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(groups); i++) {
    new_lab_question(&lab, groups[i], computers[i], kinds[i]);
    if (!new_lab_answer(&lab, groups[i], error))
      return FALSE;
  }
  return g_key_file_save_to_file(lab.ini, path, error);
}

static int
lab_new(const GpCliOptions *options, char **args)
{
  GpLabParams params = { (guint64)options->seed, NEW_COMPUTERS, NEW_OUS, NEW_GPOS, 1, 1 };
  g_autofree char *dir = options->out ? g_strdup(options->out)
                                      : g_strdup_printf("lab-%" G_GINT64_FORMAT, options->seed);
  g_autoptr(GError) error = NULL;

  if (args[0])
    return gp_cli_fail(GP_EXIT_USAGE, "usage: gpsim lab new --seed S [--out DIR]");
  if (g_file_test(dir, G_FILE_TEST_EXISTS)) {
    g_autofree char *message
        = g_strdup_printf("lab new: %s already exists; refusing to overwrite it", dir);
    return gp_cli_fail(GP_EXIT_USAGE, message);
  }
  if (!gp_lab_write(&params, dir, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  if (!new_lab_ini(options->seed, dir, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  printf("wrote %s (seed %" G_GINT64_FORMAT "): 3 questions\nStart with: gpsim lab show %s\n", dir,
         options->seed, dir);
  return GP_EXIT_OK;
}

int
gp_lab_exercise(GpCliOptions *options, const char *verb, char **args)
{
  if (strcmp(verb, "list") == 0)
    return args[0] ? gp_cli_fail(GP_EXIT_USAGE, "usage: gpsim lab list") : lab_list(options);
  if (strcmp(verb, "show") == 0)
    return args[0] && !args[1] ? lab_show(options, args[0])
                               : gp_cli_fail(GP_EXIT_USAGE, "usage: gpsim lab show NAME|DIR");
  if (strcmp(verb, "answer") == 0)
    return lab_answer(options, args);
  if (strcmp(verb, "new") == 0)
    return lab_new(options, args);
  return gp_cli_fail(GP_EXIT_USAGE,
                     "unknown lab verb; use: list, show NAME, answer NAME Q ANSWER, new, generate");
}
