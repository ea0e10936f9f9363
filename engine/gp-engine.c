/* gp-engine.c - gp_engine_evaluate() and the result's lifetime.
 *
 * The steps live in gp-site.c (which site), gp-list.c (SOM list, precedence
 * list, filters) and gp-resolve.c (rights); gp-access.c builds the computer's
 * token and checks GPO security descriptors.  This file orchestrates them and
 * adds the WMI sensitivity notes.
 *
 */
#include <string.h>

#include "gp-engine-private.h"
#include "gp-names.h"

/* The first argument is the quark's name as written. */
/* clang-format off */
G_DEFINE_QUARK(gp-engine-error-quark, gp_engine_error)
/* clang-format on */

/* ------------------------------------------------------------ enum names */

const char *
gp_reason_to_string(GpReason reason)
{
  static const char *const names[] = {
    NULL,
    "LINK_DISABLED",
    "BLOCKED",
    "GPO_NOT_FOUND",
    "BAD_FUNCTIONALITY_VERSION",
    "COMPUTER_SETTINGS_DISABLED",
    "SECURITY_FILTER_DENIED",
    "WMI_FILTER_FALSE",
    "EMPTY_GPO",
    "SECURITY_CSE_NOT_REGISTERED",
    "SYSVOL_UNREADABLE",
  };

  return reason < G_N_ELEMENTS(names) ? names[reason] : NULL;
}

const char *
gp_reason_describe(GpReason reason)
{
  static const char *const text[] = {
    "applied",
    "link disabled",
    "blocked by block inheritance",
    "GPO not found in the directory data (deleted, or not readable)",
    "gPCFunctionalityVersion is not 2",
    "computer configuration disabled (GPO status)",
    "denied by security filtering",
    "WMI filter evaluated false",
    "no computer settings (computer version 0)",
    "GptTmpl.inf present but the Security CSE is not registered on the GPO",
    "SYSVOL part unreadable",
  };

  return reason < G_N_ELEMENTS(text) ? text[reason] : "unknown";
}

const char *
gp_outcome_to_string(GpOutcome outcome)
{
  switch (outcome) {
  case GP_OUTCOME_WON:
    return "won";
  case GP_OUTCOME_OVERRIDDEN:
    return "overridden";
  case GP_OUTCOME_NOT_APPLIED:
    return "not-applied";
  }
  return "unknown";
}

const char *
gp_source_to_string(GpRightSource source)
{
  switch (source) {
  case GP_SOURCE_GPO:
    return "gpo";
  case GP_SOURCE_LOCAL:
    return "local";
  case GP_SOURCE_DEFAULT:
    return "default";
  }
  return "unknown";
}

const char *
gp_persistence_to_string(GpPersistence persistence)
{
  switch (persistence) {
  case GP_PERSIST_NEXT_GPO:
    return "next-gpo";
  case GP_PERSIST_REVERTED_TO_LOCAL:
    return "reverted-to-local";
  case GP_PERSIST_TATTOOED:
    return "tattooed";
  }
  return "unknown";
}

/* ------------------------------------------------------------- lifetimes */

GpGpoEntry *
gp_entry_new(const GpSom *som, const GpLink *link)
{
  GpGpoEntry *entry = g_new0(GpGpoEntry, 1);

  entry->som = som;
  entry->link = link;
  entry->is_local = link == NULL;
  entry->applied = TRUE;
  entry->assumptions = g_ptr_array_new_with_free_func(g_free);
  return entry;
}

void
gp_entry_free(GpGpoEntry *entry)
{
  g_ptr_array_unref(entry->assumptions);
  g_free(entry->detail);
  g_free(entry->wmi_filter_id);
  g_free(entry);
}

const char *
gp_entry_label(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return "Local Group Policy";
  if (entry->gpo && entry->gpo->display_name)
    return entry->gpo->display_name;
  return entry->link->gpo_guid ? entry->link->gpo_guid : entry->link->gpo_dn;
}

void
gp_result_free(GpResult *result)
{
  if (!result)
    return;
  g_free(result->role_reason);
  g_free(result->site);
  g_free(result->site_reason);
  g_ptr_array_unref(result->soms);
  g_ptr_array_unref(result->entries);
  g_ptr_array_unref(result->rights);
  g_ptr_array_unref(result->notes);
  g_free(result);
}

static GpResult *
result_new(const GpComputer *computer)
{
  GpResult *result = g_new0(GpResult, 1);

  result->computer = computer;
  result->soms = g_ptr_array_new();
  result->entries = g_ptr_array_new_with_free_func((GDestroyNotify)gp_entry_free);
  result->rights = g_ptr_array_new_with_free_func((GDestroyNotify)gp_right_result_free);
  result->notes = g_ptr_array_new_with_free_func(g_free);
  return result;
}

/* ------------------------------------------------------------ the cache */

/* The SOM list of one container (the part of a placement DN after its first RDN). */
typedef struct {
  GPtrArray *soms;      /* const GpSom*, nearest first */
  GPtrArray *notes;     /* char*: what gp_list_build_soms() noted */
  GPtrArray *sensitive; /* const GpGpo*: som_sensitive_gpos() of each SOM, in order */
} Chain;

struct _GpEngineCache {
  const GpModel *model;
  GpEngineOptions options;
  GpEngineAids aids;
  GHashTable *chains; /* parent DN as written -> Chain* */
  GHashTable
      *sensitive; /* const GpSom* -> GPtrArray of const GpGpo* whose verdict needs the token */
  GpEngineClasses *classes;
  GpEngineClasses *own_classes; /* (nullable) when not shared */
  GByteArray *key;              /* the class key being built, reused */
  GHashTable *known;            /* GBytes key -> class + 1: classes this cache has met */
};

struct _GpEngineClasses {
  GMutex lock;
  GHashTable *keys; /* GBytes key -> class number + 1 */
};

GpEngineClasses *
gp_engine_classes_new(void)
{
  GpEngineClasses *classes = g_new0(GpEngineClasses, 1);

  g_mutex_init(&classes->lock);
  classes->keys
      = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
  return classes;
}

void
gp_engine_classes_free(GpEngineClasses *classes)
{
  if (!classes)
    return;
  g_hash_table_unref(classes->keys);
  g_mutex_clear(&classes->lock);
  g_free(classes);
}

/* The number of the class whose key is the @len bytes at @data; TRUE in
 * @out_new when it is new (the key is then copied). */
static guint
classes_number(GpEngineClasses *classes, const guint8 *data, gsize len, gboolean *out_new)
{
  g_autoptr(GBytes) key = g_bytes_new_static(data, len);
  gpointer found;
  gboolean is_new;

  g_mutex_lock(&classes->lock);
  found = g_hash_table_lookup(classes->keys, key);
  is_new = found == NULL;
  if (is_new) {
    found = GUINT_TO_POINTER(g_hash_table_size(classes->keys) + 1);
    g_hash_table_insert(classes->keys, g_bytes_new(data, len), found);
  }
  g_mutex_unlock(&classes->lock);
  if (out_new)
    *out_new = is_new;
  return GPOINTER_TO_UINT(found) - 1;
}

static void
chain_free(Chain *chain)
{
  g_ptr_array_unref(chain->soms);
  g_ptr_array_unref(chain->notes);
  g_ptr_array_unref(chain->sensitive);
  g_free(chain);
}

GpEngineCache *
gp_engine_cache_new(const GpModel *model, const GpEngineOptions *options)
{
  GpEngineClasses *classes = gp_engine_classes_new();
  GpEngineCache *cache = gp_engine_cache_new_shared(model, options, classes);

  cache->own_classes = classes;
  return cache;
}

GpEngineCache *
gp_engine_cache_new_shared(const GpModel *model, const GpEngineOptions *options,
                           GpEngineClasses *classes)
{
  static const GpEngineOptions no_options;
  GpEngineCache *cache = g_new0(GpEngineCache, 1);

  cache->model = model;
  cache->options = options ? *options : no_options;
  cache->aids.tokens = gp_token_index_new(model);
  cache->chains
      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)chain_free);
  cache->sensitive = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
  cache->classes = classes;
  cache->key = g_byte_array_new();
  cache->known
      = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
  return cache;
}

void
gp_engine_cache_free(GpEngineCache *cache)
{
  if (!cache)
    return;
  gp_token_index_free(cache->aids.tokens);
  if (cache->aids.link_gpos)
    g_hash_table_unref(cache->aids.link_gpos);
  if (cache->aids.sites)
    g_hash_table_unref(cache->aids.sites);
  g_hash_table_unref(cache->chains);
  g_hash_table_unref(cache->sensitive);
  gp_engine_classes_free(cache->own_classes);
  g_byte_array_unref(cache->key);
  g_hash_table_unref(cache->known);
  g_free(cache);
}

/* Where gp_dn_parent() starts: after the first comma not escaped by '\'. */
static const char *
dn_parent_part(const char *dn)
{
  for (const char *p = dn; *p; p++) {
    if (*p == '\\' && p[1])
      p++;
    else if (*p == ',')
      return p + 1;
  }
  return NULL;
}

static const GPtrArray *som_sensitive_gpos(GpEngineCache *cache, const GpSom *som);

/* The SOM list (and its notes) of @dn's container, computed once per container,
 * with the GPOs whose verdict needs the token: a computer then looks up its
 * container once, rather than each SOM of it. */
static const Chain *
cache_chain(GpEngineCache *cache, const char *dn)
{
  const char *parent = dn_parent_part(dn);
  Chain *chain = g_hash_table_lookup(cache->chains, parent ? parent : "");
  g_autoptr(GpResult) scratch = NULL;

  if (chain)
    return chain;
  scratch = result_new(NULL);
  gp_list_build_soms(cache->model, dn, scratch);
  chain = g_new0(Chain, 1);
  chain->soms = g_steal_pointer(&scratch->soms);
  chain->notes = g_steal_pointer(&scratch->notes);
  chain->sensitive = g_ptr_array_new();
  for (guint i = 0; i < chain->soms->len; i++)
    g_ptr_array_extend(chain->sensitive,
                       (GPtrArray *)som_sensitive_gpos(cache, chain->soms->pdata[i]), NULL, NULL);
  scratch->soms = g_ptr_array_new();
  scratch->notes = g_ptr_array_new();
  g_hash_table_insert(cache->chains, g_strdup(parent ? parent : ""), chain);
  return chain;
}

/* GPOs linked on @som whose security-filtering verdict depends on the token. */
static const GPtrArray *
som_sensitive_gpos(GpEngineCache *cache, const GpSom *som)
{
  GPtrArray *gpos = g_hash_table_lookup(cache->sensitive, som);

  if (gpos)
    return gpos;
  gpos = g_ptr_array_new();
  for (guint i = 0; i < som->links->len; i++) {
    const GpGpo *gpo = gp_list_link_gpo(cache->model, &cache->aids, som->links->pdata[i]);
    if (gpo && gpo->security_descriptor && !gp_access_token_independent(gpo->security_descriptor))
      g_ptr_array_add(gpos, (gpointer)gpo);
  }
  g_hash_table_insert(cache->sensitive, (gpointer)som, gpos);
  return gpos;
}

/* ------------------------------------------------------ WMI sensitivity */

static GpResult *evaluate(const GpModel *model, const GpComputer *computer,
                          const GpEngineOptions *options, GpEngineCache *cache, GError **error);

static const char *
winner_label(const GpRightResult *right)
{
  return right->winner ? gp_entry_label(right->winner) : "the local layer";
}

/* Re-evaluates with one WMI filter flipped and notes every right whose winner
 * changes: the answer a reader should not take for granted. */
static void
note_wmi_flip(const GpModel *model, const GpEngineOptions *options, GpEngineCache *cache,
              const GpGpoEntry *entry, GpResult *result)
{
  g_autoptr(GHashTable) values = g_hash_table_new(g_str_hash, g_str_equal);
  GpEngineOptions flipped = *options;
  g_autoptr(GpResult) other = NULL;
  gboolean now_true = entry->reason != GP_REASON_WMI_FILTER_FALSE;
  const char *label = entry->wmi_filter && entry->wmi_filter->name ? entry->wmi_filter->name
                                                                   : entry->wmi_filter_id;

  if (options->wmi_values) {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, options->wmi_values);
    while (g_hash_table_iter_next(&iter, &key, &value))
      g_hash_table_insert(values, key, value);
  }
  g_hash_table_insert(values, entry->wmi_filter_id, GINT_TO_POINTER(now_true ? 2 : 1));
  flipped.wmi_values = values;
  flipped.no_sensitivity = TRUE;
  other = evaluate(model, result->computer, &flipped, cache, NULL);
  for (guint i = 0; other && i < result->rights->len; i++) {
    GpRightResult *right = g_ptr_array_index(result->rights, i);
    const GpRightResult *alt = gp_result_find_right(other, right->right);
    if (!alt || g_strcmp0(winner_label(alt), winner_label(right)) == 0)
      continue;
    g_ptr_array_add(right->notes,
                    g_strdup_printf("if WMI filter '%s' were %s, %s would win", label,
                                    now_true ? "false" : "true",
                                    alt->winner ? gp_entry_label(alt->winner) : "the local layer"));
  }
}

static void
note_wmi_sensitivity(const GpModel *model, const GpEngineOptions *options, GpEngineCache *cache,
                     GpResult *result)
{
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (!entry->wmi_filter_id || !g_hash_table_add(seen, entry->wmi_filter_id))
      continue;
    note_wmi_flip(model, options, cache, entry, result);
  }
}

/* ------------------------------------------------------------ the whole */

/* The DN the SOM list starts from: the computer's, or where --ou puts it. */
static char *
placement_dn(const GpComputer *computer, const GpEngineOptions *options, GpResult *result)
{
  g_autofree char *rdn = NULL;

  if (!options->ou)
    return g_strdup(computer->dn);
  rdn = g_strdup_printf("CN=%s", computer->cn ? computer->cn : "computer");
  g_ptr_array_add(result->notes,
                  g_strdup_printf("modeled as if the computer were in %s (--ou)", options->ou));
  return g_strdup_printf("%s,%s", rdn, options->ou);
}

/* Steps A and the site: the SOM list, shared by the containers' computers with a cache. */
static const GpSom *
build_soms(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options,
           GpEngineCache *cache, GpResult *result, const Chain **out_chain)
{
  g_autofree char *dn = placement_dn(computer, options, result);
  const GpSom *site;

  if (options->standalone) {
    g_ptr_array_add(result->notes, g_strdup("stand-alone computer: no directory data, only the "
                                            "local policy applies"));
  } else if (cache) {
    const Chain *chain = cache_chain(cache, dn);
    if (out_chain)
      *out_chain = chain;
    g_ptr_array_extend(result->soms, chain->soms, NULL, NULL);
    g_ptr_array_extend(result->notes, chain->notes, (GCopyFunc)(void (*)(void))g_strdup, NULL);
  } else {
    gp_list_build_soms(model, dn, result);
  }
  site = gp_site_choose(model, computer, options, cache ? &cache->aids : NULL, result);
  if (site)
    g_ptr_array_add(result->soms, (gpointer)site);
  return site;
}

static GPtrArray *
computer_token(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options,
               GpEngineCache *cache)
{
  if (cache)
    return gp_token_index_token(cache->aids.tokens, computer, options->extra_groups);
  return gp_engine_computer_token(model, computer, options->extra_groups);
}

static void
decide_role(const GpComputer *computer, const GpEngineOptions *options, GpResult *result)
{
  if (options->standalone) {
    result->role = GP_ROLE_STANDALONE;
    result->role_reason = g_strdup("stand-alone: no directory data was given");
  } else {
    result->role = gp_engine_computer_role(computer, &result->role_assumed, &result->role_reason);
  }
}

static GpResult *
evaluate(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options,
         GpEngineCache *cache, GError **error)
{
  g_autoptr(GpResult) result = result_new(computer);
  g_autoptr(GPtrArray) token = NULL;

  decide_role(computer, options, result);
  build_soms(model, computer, options, cache, result, NULL);
  gp_list_build_entries(result);
  token = computer_token(model, computer, options, cache);
  gp_list_filter_entries(model, options, token, cache ? &cache->aids : NULL, result);
  if (!gp_resolve_rights(model, options, result, error))
    return NULL;
  if (!options->no_sensitivity)
    note_wmi_sensitivity(model, options, cache, result);
  return g_steal_pointer(&result);
}

GpResult *
gp_engine_evaluate(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options,
                   GError **error)
{
  static const GpEngineOptions no_options;

  return evaluate(model, computer, options ? options : &no_options, NULL, error);
}

GpResult *
gp_engine_cache_evaluate(GpEngineCache *cache, const GpComputer *computer, GError **error)
{
  return evaluate(cache->model, computer, &cache->options, cache, error);
}

static void
key_add_decisions(GpEngineCache *cache, GpTokenRef *token, const GpComputer *computer,
                  const GPtrArray *gpos, GByteArray *key)
{
  for (guint k = 0; k < gpos->len; k++) {
    const GpGpo *gpo = gpos->pdata[k];
    guint decisions[4];
    gp_token_index_decisions(cache->aids.tokens, token, computer, cache->options.extra_groups,
                             gpo->security_descriptor, decisions);
    g_byte_array_append(key, (const guint8 *)decisions, sizeof decisions);
  }
}

/* Appends the ACE numbers that decide each token-dependent GPO of the SOM
 * list: @chain's (nullable), then @site's (nullable).  The token index knows
 * them for the groups computers share, so most computers get them without a
 * token of their own. */
static void
key_add_verdicts(GpEngineCache *cache, const GpComputer *computer, const Chain *chain,
                 const GpSom *site, GByteArray *key)
{
  g_auto(GpTokenRef) token = { 0 };

  if (chain)
    key_add_decisions(cache, &token, computer, chain->sensitive, key);
  if (site)
    key_add_decisions(cache, &token, computer, som_sensitive_gpos(cache, site), key);
}

/* The class of the key in cache->key: from the classes this cache has met
 * (no lock), else from the shared ones. */
static guint
cache_class(GpEngineCache *cache, gboolean *out_new)
{
  g_autoptr(GBytes) key = g_bytes_new_static(cache->key->data, cache->key->len);
  gpointer found = g_hash_table_lookup(cache->known, key);
  guint klass;

  if (out_new)
    *out_new = FALSE;
  if (found)
    return GPOINTER_TO_UINT(found) - 1;
  klass = classes_number(cache->classes, cache->key->data, cache->key->len, out_new);
  g_hash_table_insert(cache->known, g_bytes_new(cache->key->data, cache->key->len),
                      GUINT_TO_POINTER(klass + 1));
  return klass;
}

GpResult *
gp_engine_cache_head(GpEngineCache *cache, const GpComputer *computer, guint *out_class,
                     gboolean *out_new)
{
  GpResult *result = result_new(computer);
  GByteArray *key = cache->key;
  const Chain *chain = NULL;
  const GpSom *site;
  guint role;

  g_byte_array_set_size(key, 0);
  decide_role(computer, &cache->options, result);
  site = build_soms(cache->model, computer, &cache->options, cache, result, &chain);
  role = result->role;
  for (guint i = 0; i < result->notes->len; i++)
    g_byte_array_append(key, result->notes->pdata[i], (guint)strlen(result->notes->pdata[i]) + 1);
  g_ptr_array_set_size(result->notes, 0);
  /* The SOM list itself is known from the container and the site. */
  g_byte_array_append(key, (const guint8 *)&site, sizeof site);
  g_byte_array_append(key, (const guint8 *)&role, sizeof role);
  g_byte_array_append(key, (const guint8 *)result->soms->pdata,
                      result->soms->len * (guint)sizeof(gpointer));
  key_add_verdicts(cache, computer, chain, site, key);
  *out_class = cache_class(cache, out_new);
  return result;
}

const GpRightResult *
gp_result_find_right(const GpResult *result, const char *right)
{
  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *candidate = g_ptr_array_index(result->rights, i);
    if (g_ascii_strcasecmp(candidate->right, right) == 0
        || (candidate->info && g_ascii_strcasecmp(candidate->info->display_name, right) == 0))
      return candidate;
  }
  return NULL;
}

GpPersistence
gp_engine_persistence(const GpRightResult *before, const GpRightResult *after)
{
  (void)before;
  if (after->source == GP_SOURCE_GPO)
    return GP_PERSIST_NEXT_GPO;
  return after->local_holders ? GP_PERSIST_REVERTED_TO_LOCAL : GP_PERSIST_TATTOOED;
}
