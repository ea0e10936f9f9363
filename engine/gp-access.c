/* gp-access.c - security filtering (precedence-rules.md 1.6, D4).
 *
 * Exports gp_engine_computer_token(), the SIDs a domain controller sees for a
 * computer that reads GPOs, and gp_engine_check_gpo_access(), which walks a
 * GPO's DACL for that token the way the access check does and says whether
 * the computer may read the GPO and apply it.
 *
 * rsop asks for the token of every computer whose GPOs filter on groups: the
 * part computers share (all but their own SID) is worked out once for all the
 * computers with the same groups, and the DACL walk compares SIDs without
 * allocating.  rsop does not even need the token, only which ACEs decide: those
 * are remembered per shared part and descriptor (gp_token_index_decisions()).
 */
#include <string.h>

#include "gp-engine-private.h"
#include "gp-names.h"

/* ------------------------------------------------------------------ tokens */

#define RID_DOMAIN_COMPUTERS       515u
#define SID_ENTERPRISE_CONTROLLERS "S-1-5-9"
#define SID_DOMAIN_PREFIX          "S-1-5-21-"
/* How many group parts an index remembers.  Where most computers have
 * memberships of their own, the memo would otherwise grow by one entry per
 * computer; past the limit tokens are worked out in full, as without it. */
#define MEMO_MAX 16384u
/* How many (shared part, descriptor) decisions an index remembers: a few MB.
 * Past the limit they are worked out again each time, still without a token. */
#define DECIDED_MAX 65536u

/* The SIDs of every network logon of a domain computer. */
static const char *const logon_sids[] = {
  "S-1-1-0",      /* Everyone */
  "S-1-5-11",     /* Authenticated Users */
  "S-1-5-15",     /* This Organization */
  "S-1-5-2",      /* NETWORK */
  "S-1-5-32-545", /* BUILTIN\Users */
};

static char
lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* g_ascii_strcasecmp() == 0 for two strings of @len bytes, compared from the
 * end: SIDs of a domain differ in their last digits. */
static gboolean
equal_from_end(const char *a, const char *b, gsize len)
{
  while (len-- > 0)
    if (a[len] != b[len] && lower(a[len]) != lower(b[len]))
      return FALSE;
  return TRUE;
}

/* A signature being built, reused from one computer to the next. */
typedef struct {
  guint8 *data;
  gsize len;
  gsize size;
} Scratch;

static void
scratch_add(Scratch *scratch, const void *data, gsize len)
{
  if (len == 0)
    return;
  if (scratch->len + len > scratch->size) {
    scratch->size = MAX(2 * scratch->size, scratch->len + len);
    scratch->data = g_realloc(scratch->data, scratch->size);
  }
  memcpy(scratch->data + scratch->len, data, len);
  scratch->len += len;
}

static void
scratch_add_size(Scratch *scratch, gsize value)
{
  guint64 wide = value;

  scratch_add(scratch, &wide, sizeof wide);
}

/* The length goes first, so that no two lists of strings encode alike. */
static void
scratch_add_text(Scratch *scratch, const char *text, gsize len)
{
  scratch_add_size(scratch, len);
  scratch_add(scratch, text, len);
}

/* FNV-1a over 8-byte words: signatures are a few hundred bytes at most. */
static guint
bytes_hash(const guint8 *data, gsize len)
{
  const guint64 prime = G_GUINT64_CONSTANT(0x100000001B3);
  guint64 hash = G_GUINT64_CONSTANT(0xCBF29CE484222325) ^ len;
  gsize i = 0;

  for (; i + sizeof hash <= len; i += sizeof hash) {
    guint64 word;
    memcpy(&word, data + i, sizeof word);
    hash = (hash ^ word) * prime;
    hash ^= hash >> 29;
  }
  for (; i < len; i++)
    hash = (hash ^ data[i]) * prime;
  return (guint)(hash ^ (hash >> 32));
}

/* g_str_hash() goes a byte at a time; DNs are long and rsop looks one up per computer. */
static guint
dn_hash(gconstpointer dn)
{
  return bytes_hash(dn, strlen(dn));
}

/* A token SID and its length.  The SIDs of a domain share a long prefix:
 * comparing lengths, then from the end, rules most of them out at once. */
typedef struct {
  const char *sid;
  gsize len;
} SidView;

/* The group part of the tokens of one signature (token_signature()): every SID
 * but the computer's own, in token order. */
typedef struct {
  guint hash;
  gsize key_len;
  const guint8 *key;
  guint n_sids;
  SidView *sids; /* interned in the index's pool */
} Memo;

/* Which ACEs decide for the group part of @memo alone, for one descriptor. */
typedef struct {
  const Memo *memo;
  const GpSecurityDescriptor *sd;
  guint decisions[4];
} Decided;

static guint
decided_hash(gconstpointer decided)
{
  const Decided *d = decided;
  guint64 sd = (guintptr)d->sd;

  /* Descriptors are heap blocks: the low bits say nothing. */
  return d->memo->hash ^ (guint)((sd >> 4) * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15) >> 32);
}

static gboolean
decided_equal(gconstpointer a, gconstpointer b)
{
  const Decided *x = a, *y = b;

  return x->memo == y->memo && x->sd == y->sd;
}

static guint
memo_hash(gconstpointer memo)
{
  return ((const Memo *)memo)->hash;
}

static gboolean
memo_equal(gconstpointer a, gconstpointer b)
{
  const Memo *x = a, *y = b;

  return x->hash == y->hash && x->key_len == y->key_len && memcmp(x->key, y->key, x->key_len) == 0;
}

/* What one normalised DN is to the model's groups. */
typedef struct {
  guint group;     /* index + 1 of the first group with this DN, 0 for none */
  GArray *holders; /* (nullable) guint: the groups whose member list names it, ascending */
} DnNode;

static void
dn_node_free(DnNode *node)
{
  if (node->holders)
    g_array_unref(node->holders);
  g_free(node);
}

/* The model's groups indexed for tokens, built once per evaluation or cache.
 * It remembers group parts of tokens, and the ACEs that decide for them, as it
 * goes, without a lock: one thread at a time uses it (each rsop thread has its
 * own GpEngineCache). */
struct _GpTokenIndex {
  const GpModel *model;
  GPtrArray *keys;     /* const char*: each group's normalised DN (by_dn's key), model order */
  GHashTable *by_dn;   /* normalised DN -> DnNode*, for groups and the DNs member lists name */
  GHashTable *by_sid;  /* upper-case SID -> index + 1 of the first group with it */
  GHashTable *memo;    /* Memo* (owned), a set */
  GHashTable *pool;    /* char* (owned): the SIDs memo entries point to, a set */
  GHashTable *decided; /* Decided* (owned), a set; entries point to memo entries */
  Scratch signature;
  char dn[GP_KEY_BUFFER]; /* the normalised DN of the computer being signed... */
  char *dn_owned;         /* (nullable) ...when it does not fit there */
};

/* Returns: (transfer none): the node of @dn, added when new; its key in @out_key. */
static DnNode *
index_node(GpTokenIndex *index, const char *dn, const char **out_key)
{
  char *key = gp_dn_normalize(dn);
  gpointer stored, node;

  if (g_hash_table_lookup_extended(index->by_dn, key, &stored, &node)) {
    g_free(key);
  } else {
    node = g_new0(DnNode, 1);
    stored = key;
    g_hash_table_insert(index->by_dn, key, node);
  }
  if (out_key)
    *out_key = stored;
  return node;
}

static void
index_member(GpTokenIndex *index, const char *member, guint group)
{
  DnNode *node = index_node(index, member, NULL);

  if (!node->holders)
    node->holders = g_array_new(FALSE, FALSE, sizeof(guint));
  if (node->holders->len == 0
      || g_array_index(node->holders, guint, node->holders->len - 1) != group)
    g_array_append_val(node->holders, group);
}

GpTokenIndex *
gp_token_index_new(const GpModel *model)
{
  const GPtrArray *groups = gp_model_groups(model);
  GpTokenIndex *index = g_new0(GpTokenIndex, 1);

  index->model = model;
  index->keys = g_ptr_array_new();
  index->by_dn = g_hash_table_new_full(dn_hash, g_str_equal, g_free, (GDestroyNotify)dn_node_free);
  index->by_sid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  index->memo = g_hash_table_new_full(memo_hash, memo_equal, g_free, NULL);
  index->pool = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  index->decided = g_hash_table_new_full(decided_hash, decided_equal, g_free, NULL);
  for (guint i = 0; i < groups->len; i++) {
    const GpGroup *group = g_ptr_array_index(groups, i);
    const char *key;
    DnNode *node = index_node(index, group->dn, &key);

    g_ptr_array_add(index->keys, (gpointer)key);
    if (node->group == 0)
      node->group = i + 1;
    if (group->sid && !g_hash_table_contains(index->by_sid, group->sid))
      g_hash_table_insert(index->by_sid, g_ascii_strup(group->sid, -1), GUINT_TO_POINTER(i + 1));
    for (guint m = 0; m < group->members->len; m++)
      index_member(index, g_ptr_array_index(group->members, m), i);
  }
  return index;
}

void
gp_token_index_free(GpTokenIndex *index)
{
  if (!index)
    return;
  g_ptr_array_unref(index->keys);
  g_hash_table_unref(index->by_dn);
  g_hash_table_unref(index->by_sid);
  g_hash_table_unref(index->decided);
  g_hash_table_unref(index->memo);
  g_hash_table_unref(index->pool);
  g_free(index->signature.data);
  g_free(index->dn_owned);
  g_free(index);
}

static const DnNode *
index_lookup(const GpTokenIndex *index, const char *key)
{
  return g_hash_table_lookup(index->by_dn, key);
}

static const GpGroup *
index_group(const GpTokenIndex *index, guint position)
{
  return position ? g_ptr_array_index(gp_model_groups(index->model), position - 1) : NULL;
}

/* ------------------------------------------------------ the group walk */

/* Tokens are small (tens of SIDs), so plain arrays beat hash tables here. */
typedef struct {
  const GpTokenIndex *index;
  GPtrArray *sids;     /* char*, upper case, the result being built */
  GPtrArray *in_token; /* char*: normalised DNs of the computer and its groups */
  GQueue pending;      /* char* DNs (owned) of groups still to visit */
} Token;

static gboolean
strv_has(const GPtrArray *array, const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp(g_ptr_array_index(array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
token_add_sid(Token *token, const char *sid)
{
  char *upper;

  if (sid == NULL || *sid == '\0')
    return;
  upper = g_ascii_strup(sid, -1);
  if (strv_has(token->sids, upper)) {
    g_free(upper);
    return;
  }
  g_ptr_array_add(token->sids, upper);
}

/* Visits every pending group DN: records it, adds its SID, and queues the
 * groups it is a member of.  A DN already seen is skipped, so cycles end. */
static void
token_drain(Token *token)
{
  char *dn;

  while ((dn = g_queue_pop_head(&token->pending))) {
    char *key = gp_dn_normalize(dn);
    const DnNode *node;
    const GpGroup *group;

    g_free(dn);
    if (strv_has(token->in_token, key)) {
      g_free(key);
      continue;
    }
    g_ptr_array_add(token->in_token, key);
    node = index_lookup(token->index, key);
    group = node ? index_group(token->index, node->group) : NULL;
    if (group == NULL)
      continue;
    token_add_sid(token, group->sid);
    for (guint i = 0; i < group->member_of->len; i++)
      g_queue_push_tail(&token->pending, g_strdup(g_ptr_array_index(group->member_of, i)));
  }
}

static gint
compare_guint(gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *)a, y = *(const guint *)b;

  return x < y ? -1 : x > y;
}

/* Queues, in model order, the groups not yet in the token whose member list
 * names something in it.  Returns: TRUE when it queued any. */
static gboolean
token_scan_members(Token *token)
{
  const GPtrArray *groups = gp_model_groups(token->index->model);
  g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(guint));
  guint queued = 0;

  for (guint i = 0; i < token->in_token->len; i++) {
    const DnNode *node = index_lookup(token->index, g_ptr_array_index(token->in_token, i));
    const GArray *holders = node ? node->holders : NULL;
    for (guint k = 0; holders && k < holders->len; k++) {
      guint group = g_array_index(holders, guint, k);
      if (!strv_has(token->in_token, g_ptr_array_index(token->index->keys, group)))
        g_array_append_val(found, group);
    }
  }
  g_array_sort(found, compare_guint);
  for (guint i = 0; i < found->len; i++) {
    guint group = g_array_index(found, guint, i);
    if (i > 0 && g_array_index(found, guint, i - 1) == group)
      continue;
    g_queue_push_tail(&token->pending, g_strdup(((GpGroup *)groups->pdata[group])->dn));
    queued++;
  }
  return queued > 0;
}

/* Follows memberOf and member links until nothing new turns up. */
static void
token_expand(Token *token)
{
  do
    token_drain(token);
  while (token_scan_members(token));
}

/* Adds @sid and queues the model's group of that SID, so that the groups it is
 * a member of join the token too. */
static void
token_add_group_sid(Token *token, const char *sid)
{
  g_autofree char *upper = NULL;
  const GpGroup *group;

  if (sid == NULL || *sid == '\0')
    return;
  token_add_sid(token, sid);
  upper = g_ascii_strup(sid, -1);
  group = index_group(token->index,
                      GPOINTER_TO_UINT(g_hash_table_lookup(token->index->by_sid, upper)));
  if (group)
    g_queue_push_tail(&token->pending, g_strdup(group->dn));
}

/* -------------------------------------------------- what a token depends on */

/* The computer's primary group: domain SID + primaryGroupID (515 when absent). */
typedef struct {
  const char *domain; /* (nullable) the domain SID's first domain_len bytes; NULL when unknown */
  gsize domain_len;
  guint32 rid;
} Primary;

/* g_ascii_strncasecmp(@sid, @prefix, strlen(@prefix)) == 0 for a prefix "S-"
 * and digits and dashes, whose only letter is the 'S'. */
static gboolean
has_sid_prefix(const char *sid, const char *prefix)
{
  return (sid[0] == 'S' || sid[0] == 's') && strncmp(sid + 1, prefix + 1, strlen(prefix) - 1) == 0;
}

/* TRUE when @sid is valid in its canonical spelling: "S-1-" and at most 16
 * parts of 1 to 10 digits without leading zeros, each at most 2^32 - 1, which
 * is within gp_sid_is_valid()'s bounds.  It saves parsing every part with the
 * general number parser; FALSE means: ask gp_sid_is_valid(). */
static gboolean
sid_is_plainly_valid(const char *sid)
{
  const char *p = sid + 4;
  guint parts = 0;

  if (!has_sid_prefix(sid, "S-1-"))
    return FALSE;
  for (;;) {
    const char *start = p;
    guint64 value = 0;
    while (*p >= '0' && *p <= '9' && p - start < 10)
      value = 10 * value + (guint64)(*p++ - '0');
    if (p == start || value > G_MAXUINT32 || (*start == '0' && p - start > 1) || ++parts > 16)
      return FALSE;
    if (*p == '\0')
      return TRUE;
    if (*p++ != '-')
      return FALSE;
  }
}

/* The domain SID is the computer's own SID without the last RID, else the SID
 * of the domain its DN is in. */
static void
primary_group_of(const GpModel *model, const GpComputer *computer, Primary *out)
{
  const char *sid = computer->sid;
  g_autofree char *domain_dn = NULL;
  const GpDomain *domain;

  out->rid = computer->primary_group_id ? computer->primary_group_id : RID_DOMAIN_COMPUTERS;
  out->domain = NULL;
  out->domain_len = 0;
  if (sid && has_sid_prefix(sid, SID_DOMAIN_PREFIX)
      && (sid_is_plainly_valid(sid) || gp_sid_is_valid(sid))) {
    out->domain = sid;
    out->domain_len = (gsize)(strrchr(sid, '-') - sid);
    return;
  }
  domain_dn = computer->dn ? gp_dn_domain_part(computer->dn) : NULL;
  domain = domain_dn ? gp_model_find_domain(model, domain_dn) : NULL;
  if (domain && domain->sid) {
    out->domain = domain->sid;
    out->domain_len = strlen(domain->sid);
  }
}

/* Writes to the index's scratch all that the token, bar the computer's own SID,
 * depends on: the role, the primary group, memberOf as written, the groups
 * whose member list names the computer, and @extra_groups.
 * Returns: FALSE when the computer's DN is also a group's: the walk then takes
 * that group as visited, which others of the signature need not share, so the
 * token is not remembered. */
static gboolean
token_signature(GpTokenIndex *index, const GpComputer *computer, const Primary *primary,
                gboolean dc, const char *const *extra_groups)
{
  Scratch *key = &index->signature;
  const DnNode *node = NULL;
  gsize n_extra = 0;

  if (computer->dn) {
    g_clear_pointer(&index->dn_owned, g_free);
    node = index_lookup(index, gp_dn_key(computer->dn, index->dn, &index->dn_owned));
  }

  if (node && node->group)
    return FALSE;
  key->len = 0;
  scratch_add_size(key, (gsize)dc);
  scratch_add_size(key, primary->rid);
  scratch_add_size(key, primary->domain != NULL);
  scratch_add_text(key, primary->domain, primary->domain_len);
  scratch_add_size(key, computer->member_of->len);
  for (guint i = 0; i < computer->member_of->len; i++) {
    const char *dn = g_ptr_array_index(computer->member_of, i);
    scratch_add_text(key, dn, strlen(dn));
  }
  scratch_add_size(key, node && node->holders ? node->holders->len : 0);
  if (node && node->holders)
    scratch_add(key, node->holders->data, node->holders->len * sizeof(guint));
  while (extra_groups && extra_groups[n_extra])
    n_extra++;
  scratch_add_size(key, n_extra);
  for (gsize i = 0; i < n_extra; i++)
    scratch_add_text(key, extra_groups[i], strlen(extra_groups[i]));
  return TRUE;
}

/* Returns: (transfer full): every SID of the token but the computer's own, in
 * the order the walk adds them; the computer's DN counts as visited. */
static GPtrArray *
token_groups(GpTokenIndex *index, const GpComputer *computer, const Primary *primary, gboolean dc,
             const char *const *extra_groups)
{
  Token token = { index, g_ptr_array_new_with_free_func(g_free),
                  g_ptr_array_new_with_free_func(g_free), G_QUEUE_INIT };

  if (computer->dn)
    g_ptr_array_add(token.in_token, gp_dn_normalize(computer->dn));
  if (primary->domain) {
    g_autofree char *sid
        = g_strdup_printf("%.*s-%u", (int)primary->domain_len, primary->domain, primary->rid);
    token_add_group_sid(&token, sid);
  }
  for (guint i = 0; i < computer->member_of->len; i++)
    g_queue_push_tail(&token.pending, g_strdup(g_ptr_array_index(computer->member_of, i)));
  token_expand(&token);
  for (guint i = 0; extra_groups && extra_groups[i]; i++)
    token_add_group_sid(&token, extra_groups[i]);
  token_expand(&token);
  for (gsize i = 0; i < G_N_ELEMENTS(logon_sids); i++)
    token_add_sid(&token, logon_sids[i]);
  if (dc)
    token_add_sid(&token, SID_ENTERPRISE_CONTROLLERS);
  g_ptr_array_unref(token.in_token);
  return token.sids;
}

/* ------------------------------------------------------------ the memo */

static const char *
pool_intern(GHashTable *pool, const char *sid)
{
  char *stored = g_hash_table_lookup(pool, sid);

  if (!stored) {
    stored = g_strdup(sid);
    g_hash_table_add(pool, stored);
  }
  return stored;
}

/* Returns: (transfer none) (nullable): the group part of the signature in the
 * index's scratch, whose hash is @hash. */
static const Memo *
memo_find(const GpTokenIndex *index, guint hash)
{
  Memo probe = { hash, index->signature.len, index->signature.data, 0, NULL };

  return g_hash_table_lookup(index->memo, &probe);
}

/* Remembers @groups as the group part of the signature in the index's scratch.
 * Returns: (transfer none) (nullable): the entry, NULL when the memo is full. */
static const Memo *
memo_add(GpTokenIndex *index, guint hash, const GPtrArray *groups)
{
  gsize key_len = index->signature.len;
  Memo *memo;

  if (g_hash_table_size(index->memo) >= MEMO_MAX)
    return NULL;
  /* One block: the record, the SIDs, then the signature. */
  memo = g_malloc(sizeof *memo + groups->len * sizeof(SidView) + key_len);
  memo->hash = hash;
  memo->key_len = key_len;
  memo->n_sids = groups->len;
  memo->sids = (SidView *)(memo + 1);
  memo->key = memcpy(memo->sids + groups->len, index->signature.data, key_len);
  for (guint i = 0; i < groups->len; i++) {
    memo->sids[i].sid = pool_intern(index->pool, g_ptr_array_index(groups, i));
    memo->sids[i].len = strlen(memo->sids[i].sid);
  }
  g_hash_table_add(index->memo, memo);
  return memo;
}

/* g_ascii_strup() without a call per byte. */
static char *
upper_dup(const char *text)
{
  gsize len = strlen(text);
  char *upper = g_malloc(len + 1);

  for (gsize i = 0; i <= len; i++)
    upper[i] = text[i] >= 'a' && text[i] <= 'z' ? (char)(text[i] - 'a' + 'A') : text[i];
  return upper;
}

/* Returns: (transfer full): the computer's own SID, then @sids but that one. */
static GPtrArray *
token_assemble(const char *own_sid, const SidView *sids, guint n_sids)
{
  GPtrArray *token = g_ptr_array_new_full(n_sids + 1, g_free);
  char *own = own_sid && *own_sid ? upper_dup(own_sid) : NULL;

  if (own)
    g_ptr_array_add(token, own);
  for (guint i = 0; i < n_sids; i++)
    if (!own || strcmp(sids[i].sid, own) != 0)
      g_ptr_array_add(token, g_strdup(sids[i].sid));
  return token;
}

/* Computers of one signature share every SID but their own: the walk visits
 * the same DNs for them, and the own SID, added first, only keeps its copy out
 * of the rest.  So the rest is worked out once per signature.
 * Returns: (transfer none) (nullable): the memo entry of the computer's group
 * part; NULL when it is not remembered, and then the group part is in
 * @out_groups (transfer full). */
static const Memo *
index_share(GpTokenIndex *index, const GpComputer *computer, const char *const *extra_groups,
            GPtrArray **out_groups)
{
  gboolean assumed;
  gboolean dc = gp_role_decide(computer, &assumed, NULL) == GP_ROLE_DOMAIN_CONTROLLER;
  Primary primary;
  g_autoptr(GPtrArray) groups = NULL;
  const Memo *memo = NULL;

  primary_group_of(index->model, computer, &primary);
  if (token_signature(index, computer, &primary, dc, extra_groups)) {
    guint hash = bytes_hash(index->signature.data, index->signature.len);
    memo = memo_find(index, hash);
    if (memo)
      return memo;
    groups = token_groups(index, computer, &primary, dc, extra_groups);
    memo = memo_add(index, hash, groups);
  } else {
    groups = token_groups(index, computer, &primary, dc, extra_groups);
  }
  if (!memo)
    *out_groups = g_steal_pointer(&groups);
  return memo;
}

/* Returns: (transfer full): views of the SIDs in @groups, which they point into. */
static SidView *
views_of(GPtrArray *groups)
{
  SidView *views = g_new(SidView, groups->len);

  for (guint i = 0; i < groups->len; i++) {
    views[i].sid = g_ptr_array_index(groups, i);
    views[i].len = strlen(views[i].sid);
  }
  return views;
}

/* Returns: (transfer full): the token of @computer whose group part is @groups. */
static GPtrArray *
token_of_groups(const GpComputer *computer, GPtrArray *groups)
{
  g_autofree SidView *views = views_of(groups);

  return token_assemble(computer->sid, views, groups->len);
}

GPtrArray *
gp_token_index_token(GpTokenIndex *index, const GpComputer *computer,
                     const char *const *extra_groups)
{
  g_autoptr(GPtrArray) groups = NULL;
  const Memo *memo = index_share(index, computer, extra_groups, &groups);

  if (memo)
    return token_assemble(computer->sid, memo->sids, memo->n_sids);
  return token_of_groups(computer, groups);
}

GPtrArray *
gp_engine_computer_token(const GpModel *model, const GpComputer *computer,
                         const char *const *extra_groups)
{
  GpTokenIndex *index = gp_token_index_new(model);
  GPtrArray *sids = gp_token_index_token(index, computer, extra_groups);

  gp_token_index_free(index);
  return sids;
}

/* ---------------------------------------------------------- access check */

typedef enum {
  RIGHT_READ,
  RIGHT_APPLY,
  RIGHT_COUNT,
} GpoRight;

static const char *const right_names[RIGHT_COUNT] = { "Read", "Apply Group Policy" };

/* Who decided a right: 1-based ACE numbers, 0 for none. */
typedef struct {
  guint granted_by;
  guint denied_by;
} RightState;

/* A token as the DACL walk sees it: @n SIDs, and the computer's own SID kept
 * apart when the rest is an index's shared part. */
typedef struct {
  const SidView *sids;
  guint n;
  const SidView *own; /* (nullable) */
} TokenView;

static gboolean
view_is(const SidView *view, const char *sid, gsize len)
{
  return view->len == len && equal_from_end(view->sid, sid, len);
}

static gboolean
token_has(const TokenView *token, const char *sid)
{
  gsize len;

  if (sid == NULL)
    return FALSE;
  len = strlen(sid);
  if (token->own && view_is(token->own, sid, len))
    return TRUE;
  for (guint i = 0; i < token->n; i++)
    if (view_is(&token->sids[i], sid, len))
      return TRUE;
  return FALSE;
}

/* TRUE when @object_type names Apply Group Policy; the usual "{...}" form is
 * compared in place, any other spelling normalised first. */
static gboolean
is_apply_guid(const char *object_type)
{
  g_autofree char *normal = NULL;

  if (object_type[0] == '{' && strlen(object_type) == strlen(GP_APPLY_GROUP_POLICY_GUID))
    return equal_from_end(object_type, GP_APPLY_GROUP_POLICY_GUID,
                          strlen(GP_APPLY_GROUP_POLICY_GUID));
  normal = gp_guid_normalize(object_type);
  return g_strcmp0(normal, GP_APPLY_GROUP_POLICY_GUID) == 0;
}

/* Returns: the GpoRight bits @ace speaks about.  Read is READ_PROPERTY on the
 * whole object (no object type); Apply is CONTROL_ACCESS on the whole object or
 * on the Apply Group Policy right.  Generic bits count as what they map to. */
static guint
ace_rights(const GpAce *ace)
{
  gboolean whole = ace->object_type == NULL;
  gboolean apply_object = whole || is_apply_guid(ace->object_type);
  guint32 mask = ace->mask;
  guint rights = 0;

  if (mask & GP_ACCESS_GENERIC_ALL)
    mask |= GP_ACCESS_READ_PROPERTY | GP_ACCESS_CONTROL_ACCESS;
  if (mask & GP_ACCESS_GENERIC_READ)
    mask |= GP_ACCESS_READ_PROPERTY;
  if (whole && (mask & GP_ACCESS_READ_PROPERTY))
    rights |= 1u << RIGHT_READ;
  if (apply_object && (mask & GP_ACCESS_CONTROL_ACCESS))
    rights |= 1u << RIGHT_APPLY;
  return rights;
}

/* Applies ACE number @number to @states: the first ACE to name a right decides it. */
static void
apply_ace(const GpAce *ace, guint number, RightState *states)
{
  guint rights = ace_rights(ace);

  for (guint r = 0; r < RIGHT_COUNT; r++) {
    if (!(rights & (1u << r)) || states[r].granted_by || states[r].denied_by)
      continue;
    if (ace->type == GP_ACE_ALLOW)
      states[r].granted_by = number;
    else
      states[r].denied_by = number;
  }
}

/* Returns: (transfer full): why @right is as @state says. */
static char *
describe_right(const GPtrArray *dacl, GpoRight right, const RightState *state)
{
  guint number = state->denied_by ? state->denied_by : state->granted_by;
  char digits[GP_UINT_TEXT_SIZE];
  const GpAce *ace;

  if (number == 0)
    return g_strconcat("no ACE grants ", right_names[right], " to the computer's token", NULL);
  ace = g_ptr_array_index(dacl, number - 1);
  return g_strconcat(state->denied_by ? "denied" : "granted", " by ACE ",
                     gp_uint_text(number, digits), state->denied_by ? " (deny " : " (allow ",
                     right_names[right], " to ", ace->sid, ")", NULL);
}

/* Decides from the final @states and says why in @out_why (nullable). */
static GpAccessResult
access_verdict(const GPtrArray *dacl, const RightState *states, char **out_why)
{
  g_autofree char *read = NULL;
  g_autofree char *apply = NULL;

  if (!states[RIGHT_READ].granted_by) {
    if (out_why)
      *out_why = describe_right(dacl, RIGHT_READ, &states[RIGHT_READ]);
    return GP_ACCESS_NO_READ;
  }
  if (!states[RIGHT_APPLY].granted_by) {
    if (out_why)
      *out_why = describe_right(dacl, RIGHT_APPLY, &states[RIGHT_APPLY]);
    return GP_ACCESS_NO_APPLY;
  }
  if (out_why == NULL)
    return GP_ACCESS_GRANTED;
  read = describe_right(dacl, RIGHT_READ, &states[RIGHT_READ]);
  apply = describe_right(dacl, RIGHT_APPLY, &states[RIGHT_APPLY]);
  *out_why = g_strconcat("Read ", read, "; Apply Group Policy ", apply, NULL);
  return GP_ACCESS_GRANTED;
}

static gboolean
all_decided(const RightState *states)
{
  for (guint r = 0; r < RIGHT_COUNT; r++)
    if (!states[r].granted_by && !states[r].denied_by)
      return FALSE;
  return TRUE;
}

/* Once every right is decided the remaining ACEs change nothing. */
static void
walk_dacl(const GPtrArray *dacl, const TokenView *token, RightState *states)
{
  for (guint i = 0; i < dacl->len && !all_decided(states); i++) {
    const GpAce *ace = g_ptr_array_index(dacl, i);

    if (ace->type == GP_ACE_OTHER || (ace->flags & GP_ACE_INHERIT_ONLY)
        || !token_has(token, ace->sid))
      continue;
    apply_ace(ace, i + 1, states);
  }
}

/* walk_dacl() for a token given as its SIDs. */
static void
walk_dacl_for(const GPtrArray *dacl, const GPtrArray *token, RightState *states)
{
  SidView on_stack[64];
  g_autofree SidView *on_heap = NULL;
  TokenView view = { on_stack, token->len, NULL };
  SidView *views = on_stack;

  if (token->len > G_N_ELEMENTS(on_stack))
    view.sids = views = on_heap = g_new(SidView, token->len);
  for (guint i = 0; i < token->len; i++) {
    views[i].sid = g_ptr_array_index(token, i);
    views[i].len = views[i].sid ? strlen(views[i].sid) : G_MAXSIZE;
  }
  walk_dacl(dacl, &view, states);
}

GpAccessResult
gp_engine_check_gpo_access(const GpSecurityDescriptor *sd, const GPtrArray *token, char **out_why)
{
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };

  if (sd == NULL || sd->dacl == NULL) {
    if (out_why)
      *out_why = g_strdup(sd ? "the descriptor has no DACL" : "no security descriptor is known");
    return GP_ACCESS_GRANTED;
  }
  walk_dacl_for(sd->dacl, token, states);
  return access_verdict(sd->dacl, states, out_why);
}

static void
decisions_of(const RightState *states, guint out[4])
{
  out[0] = states[RIGHT_READ].granted_by;
  out[1] = states[RIGHT_READ].denied_by;
  out[2] = states[RIGHT_APPLY].granted_by;
  out[3] = states[RIGHT_APPLY].denied_by;
}

void
gp_access_decisions(const GpSecurityDescriptor *sd, const GPtrArray *token, guint out[4])
{
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };

  if (sd != NULL && sd->dacl != NULL)
    walk_dacl_for(sd->dacl, token, states);
  decisions_of(states, out);
}

/* ---------------------------------------- decisions without a token */

void
gp_token_ref_clear(GpTokenRef *ref)
{
  g_clear_pointer(&ref->token, g_ptr_array_unref);
  ref->index = NULL;
  ref->computer = NULL;
  ref->extra_groups = NULL;
  ref->shared = NULL;
}

/* Points @ref at @computer's token in @index, unless it already is. */
static void
token_ref_fill(GpTokenRef *ref, GpTokenIndex *index, const GpComputer *computer,
               const char *const *extra_groups)
{
  g_autoptr(GPtrArray) groups = NULL;

  if (ref->index == index && ref->computer == computer && ref->extra_groups == extra_groups)
    return;
  gp_token_ref_clear(ref);
  ref->index = index;
  ref->computer = computer;
  ref->extra_groups = extra_groups;
  ref->shared = index_share(index, computer, extra_groups, &groups);
  if (!ref->shared)
    ref->token = token_of_groups(computer, groups);
}

/* TRUE when an ACE of @dacl names @own, as token_has() compares. */
static gboolean
dacl_names(const GPtrArray *dacl, const SidView *own)
{
  for (guint i = 0; i < dacl->len; i++) {
    const GpAce *ace = g_ptr_array_index(dacl, i);
    if (ace->sid && view_is(own, ace->sid, strlen(ace->sid)))
      return TRUE;
  }
  return FALSE;
}

/* The decisions for @memo's SIDs alone, remembered while there is room. */
static void
shared_decisions(GpTokenIndex *index, const Memo *memo, const GpSecurityDescriptor *sd,
                 guint out[4])
{
  Decided probe = { memo, sd, { 0, 0, 0, 0 } };
  const Decided *known = g_hash_table_lookup(index->decided, &probe);
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };
  TokenView token = { memo->sids, memo->n_sids, NULL };

  if (known) {
    memcpy(out, known->decisions, sizeof known->decisions);
    return;
  }
  walk_dacl(sd->dacl, &token, states);
  decisions_of(states, out);
  if (g_hash_table_size(index->decided) < DECIDED_MAX) {
    decisions_of(states, probe.decisions);
    g_hash_table_add(index->decided, g_memdup2(&probe, sizeof probe));
  }
}

/* A token is its own SID and the shared part, as a set: the walk only asks
 * whether ACE SIDs are in it.  Where no ACE names the own SID, the shared part
 * alone gets the same answers, whichever computer of the signature asks. */
void
gp_token_index_decisions(GpTokenIndex *index, GpTokenRef *ref, const GpComputer *computer,
                         const char *const *extra_groups, const GpSecurityDescriptor *sd,
                         guint out[4])
{
  const Memo *memo;
  const char *own_sid = computer->sid;
  SidView own = { own_sid, own_sid ? strlen(own_sid) : 0 };
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };
  TokenView token;

  token_ref_fill(ref, index, computer, extra_groups);
  memo = ref->shared;
  if (!memo) {
    gp_access_decisions(sd, ref->token, out);
    return;
  }
  if (sd == NULL || sd->dacl == NULL) {
    decisions_of(states, out);
    return;
  }
  /* The own SID is left out of the token when empty (token_assemble()). */
  if (own.len == 0 || !dacl_names(sd->dacl, &own)) {
    shared_decisions(index, memo, sd, out);
    return;
  }
  token = (TokenView){ memo->sids, memo->n_sids, &own };
  walk_dacl(sd->dacl, &token, states);
  decisions_of(states, out);
}

static gboolean
is_logon_sid(const char *sid)
{
  for (gsize i = 0; sid && i < G_N_ELEMENTS(logon_sids); i++)
    if (g_ascii_strcasecmp(sid, logon_sids[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Every computer's token holds the logon SIDs: an allow ACE for one of them
 * reached before any deny ACE for the same right settles the right, whatever
 * else the token holds.  Returns: TRUE when both rights are settled so. */
gboolean
gp_access_token_independent(const GpSecurityDescriptor *sd)
{
  gboolean settled[RIGHT_COUNT] = { FALSE, FALSE };

  if (sd == NULL || sd->dacl == NULL)
    return TRUE;
  for (guint i = 0; i < sd->dacl->len; i++) {
    const GpAce *ace = g_ptr_array_index(sd->dacl, i);
    guint rights;

    if (ace->type == GP_ACE_OTHER || (ace->flags & GP_ACE_INHERIT_ONLY))
      continue;
    rights = ace_rights(ace);
    for (guint r = 0; r < RIGHT_COUNT; r++) {
      if (!(rights & (1u << r)) || settled[r])
        continue;
      if (ace->type != GP_ACE_ALLOW)
        return FALSE;
      settled[r] = is_logon_sid(ace->sid);
    }
  }
  return settled[RIGHT_READ] && settled[RIGHT_APPLY];
}
