/* gp-resolve.c - step E: who holds each right, and the explanation of why.
 *
 * For each right the first applied GPO in precedence order that defines it wins
 * with its whole list (never merged, precedence-rules.md section 3); otherwise
 * the local layer decides: the given local policy, or the role's defaults.
 */
#include <string.h>

#include "gp-engine-private.h"

void
gp_right_result_free(GpRightResult *right)
{
  g_free(right->right);
  g_ptr_array_unref(right->holders);
  if (right->local_holders)
    g_ptr_array_unref(right->local_holders);
  g_ptr_array_unref(right->definitions);
  g_ptr_array_unref(right->notes);
  g_free(right);
}

static const GpRightAssignment *
entry_definition(const GpGpoEntry *entry, const char *right)
{
  if (entry->is_local || !entry->gpo || !entry->gpo->machine_template)
    return NULL;
  return gp_security_template_lookup(entry->gpo->machine_template, right);
}

static GpPrincipal *
resolve_principal(const GpModel *model, const GpPrincipal *holder)
{
  const char *sid = holder->sid ? holder->sid : gp_model_principal_sid(model, holder->name);
  const char *known = sid ? gp_model_principal_name(model, sid) : NULL;

  /* The directory's full name ("BUILTIN\Administrators") over a short one an
   * export wrote ("Administrators"); a name nobody knows stays as written. */
  return gp_principal_new(sid, known ? known : holder->name);
}

static GPtrArray *
resolve_holders(const GpModel *model, const GPtrArray *holders)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);

  for (guint i = 0; holders && i < holders->len; i++)
    g_ptr_array_add(out, resolve_principal(model, g_ptr_array_index(holders, i)));
  return out;
}

static GpRightResult *
right_result_new(const GpRightInfo *info, const char *right)
{
  GpRightResult *out = g_new0(GpRightResult, 1);

  out->info = info;
  out->right = g_strdup(info ? info->constant : right);
  out->definitions = g_ptr_array_new_with_free_func(g_free);
  out->notes = g_ptr_array_new_with_free_func(g_free);
  return out;
}

static void
collect_definitions(const GpResult *result, GpRightResult *out)
{
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    const GpRightAssignment *assignment = entry_definition(entry, out->right);
    GpDefinition *definition;

    if (!assignment)
      continue;
    definition = g_new0(GpDefinition, 1);
    definition->entry = entry;
    definition->assignment = assignment;
    if (!entry->applied) {
      definition->outcome = GP_OUTCOME_NOT_APPLIED;
    } else if (!out->winner) {
      definition->outcome = GP_OUTCOME_WON;
      out->winner = entry;
    } else {
      definition->outcome = GP_OUTCOME_OVERRIDDEN;
      definition->overridden_by = out->winner;
      /* Another link of the winning GPO is not another GPO: when the GPO stops
       * defining the right, all its links do. */
      if (!out->runner_up && entry->gpo != out->winner->gpo)
        out->runner_up = entry;
    }
    g_ptr_array_add(out->definitions, definition);
  }
}

/* Applied GPOs above the winner whose settings are unknown could change the answer. */
static void
note_unknowns_above(const GpResult *result, GpRightResult *out)
{
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    gboolean unknown;

    if (entry == out->winner || entry->is_local)
      break;
    unknown = (entry->applied && entry->gpo->sysvol == GP_SYSVOL_NOT_GIVEN)
              || entry->reason == GP_REASON_SYSVOL_UNREADABLE;
    if (unknown)
      g_ptr_array_add(out->notes,
                      g_strdup_printf("GPO '%s' (precedence %u) could not be read; if it "
                                      "defines %s, it would win instead",
                                      gp_entry_label(entry), entry->precedence, out->right));
  }
}

/* The local layer: the given local policy (a secedit export lists every right
 * that has holders, so an absent right has none), else the role's defaults. */
static void
resolve_local_layer(const GpModel *model, const GpResult *result, const GpEngineOptions *options,
                    GpRightResult *out)
{
  const GPtrArray *holders = NULL;

  if (options->local_policy) {
    const GpRightAssignment *assignment
        = gp_security_template_lookup(options->local_policy, out->right);
    out->local_source = GP_SOURCE_LOCAL;
    holders = assignment ? assignment->holders : NULL;
  } else {
    out->local_source = GP_SOURCE_DEFAULT;
    holders = out->info ? out->info->defaults[result->role] : NULL;
  }
  out->local_holders = holders ? resolve_holders(model, holders) : NULL;
}

static char *
empty_definition_note(const char *right)
{
  if (g_ascii_strcasecmp(right, "SeImpersonatePrivilege") == 0)
    return g_strdup("defined with no holders: nobody may impersonate, so services (IIS, SQL "
                    "Server, print spooler...) lose impersonation and may fail");
  return g_strdup_printf("defined with no holders: nobody holds %s", right);
}

static GpRightResult *
resolve_right(const GpModel *model, const GpResult *result, const GpEngineOptions *options,
              const GpRightInfo *info, const char *right)
{
  GpRightResult *out = right_result_new(info, right);

  collect_definitions(result, out);
  note_unknowns_above(result, out);
  resolve_local_layer(model, result, options, out);
  if (out->winner) {
    const GpRightAssignment *assignment = entry_definition(out->winner, out->right);
    out->source = GP_SOURCE_GPO;
    out->local_greyed_out = TRUE;
    out->holders = resolve_holders(model, assignment->holders);
    if (assignment->holders->len == 0)
      g_ptr_array_add(out->notes, empty_definition_note(out->right));
    if (out->runner_up)
      out->if_winner_removed = GP_PERSIST_NEXT_GPO;
    else if (out->local_holders)
      out->if_winner_removed = GP_PERSIST_REVERTED_TO_LOCAL;
    else
      out->if_winner_removed = GP_PERSIST_TATTOOED;
  } else {
    out->source = out->local_source;
    out->defined_nowhere = out->local_holders == NULL;
    out->holders = resolve_holders(model, out->local_holders);
  }
  return out;
}

/* ------------------------------------------------- which rights to resolve */

static void
add_right_name(GPtrArray *names, GHashTable *seen, const char *name)
{
  g_autofree char *key = g_ascii_strdown(name, -1);

  if (g_hash_table_contains(seen, key))
    return;
  g_hash_table_add(seen, g_steal_pointer(&key));
  g_ptr_array_add(names, (gpointer)name);
}

static void
add_template_rights(const GpSecurityTemplate *tmpl, GPtrArray *names, GHashTable *seen)
{
  for (guint i = 0; tmpl && i < tmpl->rights->len; i++)
    add_right_name(names, seen, ((GpRightAssignment *)g_ptr_array_index(tmpl->rights, i))->right);
}

/* Every right some GPO on the list or the local policy defines, catalogue first. */
static GPtrArray *
rights_defined_anywhere(const GpModel *model, const GpResult *result,
                        const GpEngineOptions *options)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new();
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) found_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  const GPtrArray *catalogue = gp_model_rights(model);
  GPtrArray *ordered = g_ptr_array_new();

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->gpo)
      add_template_rights(entry->gpo->machine_template, found, seen);
  }
  add_template_rights(options->local_policy, found, seen);
  for (guint i = 0; i < catalogue->len; i++) {
    const GpRightInfo *info = g_ptr_array_index(catalogue, i);
    g_autofree char *key = g_ascii_strdown(info->constant, -1);
    if (g_hash_table_contains(seen, key))
      add_right_name(ordered, found_keys, info->constant);
  }
  for (guint i = 0; i < found->len; i++)
    add_right_name(ordered, found_keys, g_ptr_array_index(found, i));
  return ordered;
}

static gboolean
right_defined_on_list(const GpResult *result, const char *right)
{
  for (guint i = 0; i < result->entries->len; i++)
    if (entry_definition(g_ptr_array_index(result->entries, i), right))
      return TRUE;
  return FALSE;
}

static gboolean
resolve_requested(const GpModel *model, GpResult *result, const GpEngineOptions *options,
                  GError **error)
{
  for (guint i = 0; options->rights[i]; i++) {
    const char *name = options->rights[i];
    const GpRightInfo *info = gp_model_lookup_right(model, name);
    if (!info && !right_defined_on_list(result, name)) {
      g_set_error(error, GP_ENGINE_ERROR, GP_ENGINE_ERROR_UNKNOWN_RIGHT,
                  "unknown user right '%s'; use a constant such as SeImpersonatePrivilege "
                  "or its display name",
                  name);
      return FALSE;
    }
    g_ptr_array_add(result->rights, resolve_right(model, result, options, info, name));
  }
  return TRUE;
}

static void
resolve_all(const GpModel *model, GpResult *result, const GpEngineOptions *options)
{
  g_autoptr(GPtrArray) names = rights_defined_anywhere(model, result, options);

  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    g_ptr_array_add(result->rights, resolve_right(model, result, options,
                                                  gp_model_lookup_right(model, name), name));
  }
}

gboolean
gp_resolve_rights(const GpModel *model, const GpEngineOptions *options, GpResult *result,
                  GError **error)
{
  if (options->rights)
    return resolve_requested(model, result, options, error);
  resolve_all(model, result, options);
  return TRUE;
}
