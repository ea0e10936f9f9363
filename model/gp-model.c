/* gp-model.c - records and the container that owns them; see gp-model.h. */
#include "gp-model.h"

#include <string.h>

#include "gp-names.h"

/* An open-addressed index: mask + 1 slots (a power of two, at most half of
 * them used) of one of the slot types below. */
typedef struct {
  gpointer slots;
  guint32 mask;
  guint32 used; /* slots with a key */
} SlotIndex;

/* The principal directory: an entry per name given, in model->strings,
 * indexed by open addressing on (hash, entry) pairs.  A million computer
 * accounts are named while loading: a probe reads the 8-byte slots and the
 * entry only when the hashes agree, and the keys (upper-case SIDs, folded
 * names) are worked out in a stack buffer rather than stored. */
typedef struct {
  const char *sid;  /* upper case; shared by the entries of one SID */
  const char *name; /* as given */
} PrincipalEntry;

typedef struct {
  guint32 hash;
  guint32 entry; /* 1 + the entry's index, 0 for a free slot; PRINCIPAL_SHORT: its short name */
} PrincipalSlot;

typedef SlotIndex PrincipalIndex; /* of PrincipalSlot */

#define PRINCIPAL_SHORT 0x80000000u

/* The DN indexes: open addressing on (hash, key, value), the key in
 * model->strings.  A probe finds in one slot what a GHashTable keeps in three
 * arrays, and "find, else add" hashes the DN once: a million computers are
 * filed while the load's other threads wait for the one applying records. */
typedef struct {
  const char *key; /* NULL: a free slot */
  gpointer value;  /* NULL with a key: removed (the key may come back) */
  guint32 hash;
} DnSlot;

typedef SlotIndex DnIndex; /* of DnSlot */

struct _GpModel {
  /* Keys of the DN indexes and the strings of the principal directory: a
   * million computers make millions of them, allocated and freed in bulk. */
  GStringChunk *strings;
  GPtrArray *rights;           /* GpRightInfo* (owned) */
  GHashTable *rights_by_name;  /* folded constant or display name -> GpRightInfo* */
  GArray *principals;          /* PrincipalEntry, the principal directory */
  PrincipalIndex *by_sid;      /* upper-case SID -> the entry that named it first */
  PrincipalIndex *by_name;     /* folded name, and short name after "DOMAIN\" -> entry */
  GHashTable *domain_accounts; /* RID -> name (owned) */
  GHashTable *server_sites;    /* computer DN key -> site name (owned), from server objects */
  GPtrArray *domains;          /* GpDomain* (owned) */
  DnIndex *domains_by_dn;      /* gp_dn_key() -> GpDomain*; so are the other *_by_dn */
  GPtrArray *soms;             /* GpSom* (owned) */
  DnIndex *soms_by_dn;
  GPtrArray *gpos; /* GpGpo* (owned) */
  DnIndex *gpos_by_dn;
  GHashTable *gpos_by_guid; /* "{UPPER}" -> GPtrArray of GpGpo*, model order */
  GPtrArray *computers;     /* GpComputer* (owned) */
  DnIndex *computers_by_dn;
  GPtrArray *groups; /* GpGroup* (owned) */
  DnIndex *groups_by_dn;
  GPtrArray *users; /* GpUser* (owned) */
  DnIndex *users_by_dn;
  GPtrArray *wmi_filters; /* GpWmiFilter* (owned) */
  GHashTable *wmi_filters_by_id;
  GPtrArray *subnets; /* GpSubnet* (owned) */
};

/* Case-insensitive key for names that may hold non-ASCII text (ASCII text
 * case-folds to its lower case, without the Unicode tables). */
static char *
fold(const char *text)
{
  const char *p = text;

  while (*p && (guchar)*p < 0x80)
    p++;
  if (*p == '\0')
    return g_ascii_strdown(text, p - text);
  if (g_utf8_validate(text, -1, NULL))
    return g_utf8_casefold(text, -1);
  return g_ascii_strdown(text, -1);
}

/* Room for the keys of names, SIDs and DNs as exports write them, so that
 * looking one up allocates nothing. */
#define KEY_BUFFER GP_KEY_BUFFER

/* Returns: (transfer none): fold(@text), in @buffer when it is short ASCII
 * text, else in *@owned. */
static const char *
fold_key(const char *text, char *buffer, char **owned)
{
  gsize len = strlen(text);

  if (len >= KEY_BUFFER || !gp_ascii_case_copy(buffer, text, len, FALSE))
    return *owned = fold(text);
  buffer[len] = '\0';
  return buffer;
}

/* Returns: (transfer none): @sid in upper case, in @buffer when it fits, else
 * in *@owned. */
static const char *
sid_key(const char *sid, char *buffer, char **owned)
{
  gsize len = strlen(sid);

  if (len >= KEY_BUFFER)
    return *owned = g_ascii_strup(sid, -1);
  gp_ascii_case_copy(buffer, sid, len, TRUE);
  buffer[len] = '\0';
  return buffer;
}

/* gp_dn_first_value() for a first RDN without '\\' or outer blanks. */
static char *
dn_first_value(const char *dn)
{
  const char *eq = strchr(dn, '=');
  const char *end = eq ? strpbrk(eq, ",\\") : NULL;
  gsize len;

  if (!eq || (end && *end == '\\'))
    return gp_dn_first_value(dn);
  len = end ? (gsize)(end - eq - 1) : strlen(eq + 1);
  if (len == 0 || (guchar)eq[1] <= ' ' || (guchar)eq[len] <= ' '
      || memchr(dn, ' ', (gsize)(eq - dn)))
    return gp_dn_first_value(dn);
  return g_strndup(eq + 1, len);
}

/* ------------------------------------------------------------- principals */

GpPrincipal *
gp_principal_new(const char *sid, const char *name)
{
  GpPrincipal *principal = g_new0(GpPrincipal, 1);

  principal->sid = g_strdup(sid);
  principal->name = g_strdup(name);
  return principal;
}

GpPrincipal *
gp_principal_copy(const GpPrincipal *principal)
{
  return gp_principal_new(principal->sid, principal->name);
}

void
gp_principal_free(GpPrincipal *principal)
{
  if (!principal)
    return;
  g_free(principal->sid);
  g_free(principal->name);
  g_free(principal);
}

/* ------------------------------------------------------ security template */

GpRightAssignment *
gp_right_assignment_new(const char *right, const char *file, guint line)
{
  GpRightAssignment *assignment = g_new0(GpRightAssignment, 1);

  assignment->right = g_strdup(right);
  assignment->holders = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  assignment->file = g_strdup(file);
  assignment->line = line;
  return assignment;
}

void
gp_right_assignment_free(GpRightAssignment *assignment)
{
  if (!assignment)
    return;
  g_free(assignment->right);
  g_ptr_array_unref(assignment->holders);
  g_free(assignment->file);
  g_free(assignment);
}

static void
inf_entry_free(GpInfEntry *entry)
{
  g_free(entry->key);
  g_free(entry->value);
  g_free(entry);
}

static void
inf_section_free(GpInfSection *section)
{
  g_free(section->name);
  g_ptr_array_unref(section->entries);
  g_free(section);
}

GpSecurityTemplate *
gp_security_template_new(const char *file)
{
  GpSecurityTemplate *tmpl = g_new0(GpSecurityTemplate, 1);

  tmpl->file = g_strdup(file);
  tmpl->rights = g_ptr_array_new_with_free_func((GDestroyNotify)gp_right_assignment_free);
  tmpl->by_right = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  tmpl->sections = g_ptr_array_new_with_free_func((GDestroyNotify)inf_section_free);
  return tmpl;
}

GpInfSection *
gp_inf_section_new(const char *name, guint line)
{
  GpInfSection *section = g_new0(GpInfSection, 1);

  section->name = g_strdup(name);
  section->line = line;
  section->entries = g_ptr_array_new_with_free_func((GDestroyNotify)inf_entry_free);
  return section;
}

void
gp_inf_section_add_entry(GpInfSection *section, const char *key, const char *value, guint line)
{
  GpInfEntry *entry = g_new0(GpInfEntry, 1);

  entry->key = g_strdup(key);
  entry->value = g_strdup(value);
  entry->line = line;
  g_ptr_array_add(section->entries, entry);
}

void
gp_security_template_free(GpSecurityTemplate *tmpl)
{
  if (!tmpl)
    return;
  g_free(tmpl->file);
  g_hash_table_unref(tmpl->by_right);
  g_ptr_array_unref(tmpl->rights);
  g_ptr_array_unref(tmpl->sections);
  g_free(tmpl);
}

void
gp_security_template_add(GpSecurityTemplate *tmpl, GpRightAssignment *assignment)
{
  g_autofree char *key = fold(assignment->right);
  GpRightAssignment *earlier = g_hash_table_lookup(tmpl->by_right, key);

  /* A later line for the same right replaces the earlier one everywhere. */
  if (earlier)
    g_ptr_array_remove(tmpl->rights, earlier);
  g_ptr_array_add(tmpl->rights, assignment);
  g_hash_table_replace(tmpl->by_right, g_steal_pointer(&key), assignment);
}

const GpRightAssignment *
gp_security_template_lookup(const GpSecurityTemplate *tmpl, const char *right)
{
  g_autofree char *key = fold(right);

  return g_hash_table_lookup(tmpl->by_right, key);
}

/* ----------------------------------------------------------------- rights */

const char *
gp_role_to_string(GpRole role)
{
  static const char *const names[GP_ROLE_COUNT]
      = { "domain-controller", "member-server", "client", "standalone" };

  return role < GP_ROLE_COUNT ? names[role] : "unknown";
}

GpRightInfo *
gp_right_info_new(const char *constant, const char *display_name)
{
  GpRightInfo *info = g_new0(GpRightInfo, 1);

  info->constant = g_strdup(constant);
  info->display_name = g_strdup(display_name);
  return info;
}

void
gp_right_info_free(GpRightInfo *info)
{
  if (!info)
    return;
  g_free(info->constant);
  g_free(info->display_name);
  for (int role = 0; role < GP_ROLE_COUNT; role++)
    if (info->defaults[role])
      g_ptr_array_unref(info->defaults[role]);
  g_free(info);
}

/* --------------------------------------------------------------- topology */

const char *
gp_som_kind_to_string(GpSomKind kind)
{
  switch (kind) {
  case GP_SOM_SITE:
    return "site";
  case GP_SOM_DOMAIN:
    return "domain";
  case GP_SOM_OU:
    return "ou";
  }
  return "unknown";
}

void
gp_link_free(GpLink *link)
{
  if (!link)
    return;
  g_free(link->gpo_dn);
  g_free(link->gpo_guid);
  g_free(link);
}

static void
som_free(GpSom *som)
{
  g_free(som->dn);
  g_free(som->name);
  g_free(som->gplink_raw);
  g_ptr_array_unref(som->links);
  g_free(som->file);
  g_free(som);
}

/* --------------------------------------------------------- access control */

GpAce *
gp_ace_new(GpAceType type, guint8 flags, guint32 mask, const char *object_type, const char *sid)
{
  GpAce *ace = g_new0(GpAce, 1);

  ace->type = type;
  ace->flags = flags;
  ace->mask = mask;
  ace->object_type = g_strdup(object_type);
  ace->sid = g_strdup(sid);
  return ace;
}

void
gp_ace_free(GpAce *ace)
{
  if (!ace)
    return;
  g_free(ace->object_type);
  g_free(ace->sid);
  g_free(ace);
}

GpSecurityDescriptor *
gp_security_descriptor_new(void)
{
  GpSecurityDescriptor *sd = g_new0(GpSecurityDescriptor, 1);

  sd->dacl = g_ptr_array_new_with_free_func((GDestroyNotify)gp_ace_free);
  return sd;
}

void
gp_security_descriptor_free(GpSecurityDescriptor *sd)
{
  if (!sd)
    return;
  g_free(sd->owner);
  if (sd->dacl)
    g_ptr_array_unref(sd->dacl);
  g_free(sd);
}

/* ------------------------------------------------------------------ GPOs */

gboolean
gp_gpo_has_security_cse(const GpGpo *gpo)
{
  g_autofree char *upper = NULL;

  if (!gpo->machine_extension_names)
    return FALSE;
  upper = g_ascii_strup(gpo->machine_extension_names, -1);
  return strstr(upper, GP_SECURITY_CSE_GUID) != NULL;
}

static void
gpo_free(GpGpo *gpo)
{
  g_free(gpo->guid);
  g_free(gpo->dn);
  g_free(gpo->display_name);
  g_free(gpo->machine_extension_names);
  g_free(gpo->file_sys_path);
  g_free(gpo->sysvol_problem);
  gp_security_template_free(gpo->machine_template);
  gp_security_descriptor_free(gpo->security_descriptor);
  g_free(gpo->wql_filter);
  g_free(gpo->file);
  g_free(gpo);
}

static void
computer_free(GpComputer *computer)
{
  g_free(computer->dn);
  g_free(computer->cn);
  g_free(computer->sam_account_name);
  g_free(computer->dns_host_name);
  g_free(computer->operating_system);
  g_free(computer->sid);
  g_ptr_array_unref(computer->member_of);
  g_free(computer->site);
  g_free(computer->file);
  g_free(computer);
}

static void
group_free(GpGroup *group)
{
  g_free(group->dn);
  g_free(group->sid);
  g_free(group->name);
  g_ptr_array_unref(group->member_of);
  g_ptr_array_unref(group->members);
  g_free(group);
}

static void
user_free(GpUser *user)
{
  g_free(user->dn);
  g_free(user->sid);
  g_free(user->name);
  g_ptr_array_unref(user->member_of);
  g_free(user);
}

static void
wmi_filter_free(GpWmiFilter *filter)
{
  g_free(filter->id);
  g_free(filter->name);
  g_free(filter->query);
  g_free(filter->domain_dn);
  g_free(filter);
}

static void
subnet_free(GpSubnet *subnet)
{
  g_free(subnet->cidr);
  g_free(subnet->site_dn);
  g_free(subnet);
}

static void
domain_free(GpDomain *domain)
{
  g_free(domain->dn);
  g_free(domain->dns_name);
  g_free(domain->netbios_name);
  g_free(domain->sid);
  g_free(domain);
}

/* ------------------------------------------------------------------ model */

static GHashTable *
index_new(void)
{
  return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/* A string hash 8 bytes at a time, for the DN indexes: a million computers
 * hash a million long DNs twice each, and g_str_hash() goes a byte at a time.
 * Nothing iterates these indexes, so their order does not show.  (Names and
 * SIDs keep g_str_hash(): those that differ in their last characters only,
 * as a run of accounts does, land in nearby slots, which is worth more than
 * the instructions this saves.) */
static guint
key_hash(gconstpointer key)
{
  const guint64 mix = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
  const char *text = key;
  gsize len = strlen(text);
  guint64 hash = len * mix;
  guint64 word;
  gsize i;

  for (i = 0; i + 8 <= len; i += 8) {
    memcpy(&word, text + i, 8);
    hash = (hash ^ word) * mix;
    hash ^= hash >> 29;
  }
  if (i < len) {
    word = 0;
    memcpy(&word, text + i, len - i);
    hash = (hash ^ word) * mix;
    hash ^= hash >> 29;
  }
  return (guint)(hash ^ (hash >> 32));
}

/* Zeroed by writing: calloc() leaves a large block on the shared zero page,
 * and the first write after a probe has read it then costs every core a TLB
 * flush (a tenth of the time of loading a million principals). */
static gpointer
slots_new(gsize count, gsize slot_size)
{
  gpointer slots = g_malloc_n(count, slot_size);

  memset(slots, 0, count * slot_size);
  return slots;
}

static SlotIndex *
slot_index_new(guint32 count, gsize slot_size)
{
  SlotIndex *index = g_new0(SlotIndex, 1);

  index->mask = count - 1;
  index->slots = slots_new(count, slot_size);
  return index;
}

static void
slot_index_free(SlotIndex *index)
{
  g_free(index->slots);
  g_free(index);
}

/* Doubles @index's slots when @more keys would fill more than half of them.
 * Returns: (transfer full) (nullable): the old slots, for the caller to file
 * again (the index counts none of them), or NULL when there was room. */
static gpointer
slot_index_grow(SlotIndex *index, guint32 more, gsize slot_size)
{
  gpointer old = index->slots;
  guint32 size = index->mask + 1;

  if ((index->used + more) * 2 <= size)
    return NULL;
  index->mask = 2 * size - 1;
  index->slots = slots_new(2 * (gsize)size, slot_size);
  index->used = 0;
  return old;
}

/* The DN indexes have their keys in model->strings. */
static DnIndex *
dn_index_new(void)
{
  return slot_index_new(64, sizeof(DnSlot));
}

/* Returns: the slot of @key: the one holding it, else the free one where it would go. */
static DnSlot *
dn_index_slot(const DnIndex *index, const char *key, guint32 hash)
{
  DnSlot *slots = index->slots;
  guint32 at = hash & index->mask;

  while (slots[at].key != NULL && (slots[at].hash != hash || strcmp(slots[at].key, key) != 0))
    at = (at + 1) & index->mask;
  return &slots[at];
}

static gpointer
dn_index_lookup(const DnIndex *index, const char *key)
{
  return dn_index_slot(index, key, key_hash(key))->value;
}

/* Makes room for one more key (removed keys are dropped on the way). */
static void
dn_index_reserve(DnIndex *index)
{
  g_autofree DnSlot *old = slot_index_grow(index, 1, sizeof(DnSlot));
  DnSlot *slots = index->slots;

  for (guint32 i = 0; old && i < (index->mask + 1) / 2; i++) {
    guint32 at = old[i].hash & index->mask;
    if (old[i].value == NULL)
      continue;
    while (slots[at].key != NULL)
      at = (at + 1) & index->mask;
    slots[at] = old[i];
    index->used++;
  }
}

/* Returns: (nullable): what @index files @dn under. */
static gpointer
dn_index_find(const DnIndex *index, const char *dn)
{
  char buffer[KEY_BUFFER];
  g_autofree char *owned = NULL;

  return dn_index_lookup(index, gp_dn_key(dn, buffer, &owned));
}

/* A DN being filed, from dn_index_claim() to dn_index_fill(): its key and the
 * slot for it, which stays valid while nothing is added to the index. */
typedef struct {
  char buffer[KEY_BUFFER];
  char *owned;
  const char *key;
  guint32 hash;
  DnSlot *slot;
} DnClaim;

static void
dn_claim_clear(DnClaim *claim)
{
  g_free(claim->owned);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DnClaim, dn_claim_clear)

/* Finds @dn's slot in @index, with room to fill it ("find, else add" hashes
 * the DN once).  Returns: (nullable): what is filed there already. */
static gpointer
dn_index_claim(DnIndex *index, const char *dn, DnClaim *claim)
{
  claim->key = gp_dn_key(dn, claim->buffer, &claim->owned);
  claim->hash = key_hash(claim->key);
  dn_index_reserve(index);
  claim->slot = dn_index_slot(index, claim->key, claim->hash);
  return claim->slot->value;
}

static void
dn_index_fill(GpModel *model, DnIndex *index, const DnClaim *claim, gpointer value)
{
  if (claim->slot->key == NULL) {
    claim->slot->key = g_string_chunk_insert(model->strings, claim->key);
    claim->slot->hash = claim->hash;
    index->used++;
  }
  claim->slot->value = value;
}

/* Returns: (transfer none): a copy of @text that lives as long as @model. */
static char *
model_strdup(GpModel *model, const char *text)
{
  return g_string_chunk_insert(model->strings, text);
}

GpModel *
gp_model_new(void)
{
  GpModel *model = g_new0(GpModel, 1);

  model->strings = g_string_chunk_new(64 * 1024);
  model->rights = g_ptr_array_new_with_free_func((GDestroyNotify)gp_right_info_free);
  model->rights_by_name = index_new();
  model->principals = g_array_new(FALSE, FALSE, sizeof(PrincipalEntry));
  model->by_sid = slot_index_new(256, sizeof(PrincipalSlot));
  model->by_name = slot_index_new(256, sizeof(PrincipalSlot));
  model->domain_accounts = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  model->server_sites = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  model->domains = g_ptr_array_new_with_free_func((GDestroyNotify)domain_free);
  model->domains_by_dn = dn_index_new();
  model->soms = g_ptr_array_new_with_free_func((GDestroyNotify)som_free);
  model->soms_by_dn = dn_index_new();
  model->gpos = g_ptr_array_new_with_free_func((GDestroyNotify)gpo_free);
  model->gpos_by_dn = dn_index_new();
  model->gpos_by_guid
      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  model->computers = g_ptr_array_new_with_free_func((GDestroyNotify)computer_free);
  model->computers_by_dn = dn_index_new();
  model->groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
  model->groups_by_dn = dn_index_new();
  model->users = g_ptr_array_new_with_free_func((GDestroyNotify)user_free);
  model->users_by_dn = dn_index_new();
  model->wmi_filters = g_ptr_array_new_with_free_func((GDestroyNotify)wmi_filter_free);
  model->wmi_filters_by_id = index_new();
  model->subnets = g_ptr_array_new_with_free_func((GDestroyNotify)subnet_free);
  return model;
}

void
gp_model_free(GpModel *model)
{
  if (!model)
    return;
  g_hash_table_unref(model->rights_by_name);
  g_ptr_array_unref(model->rights);
  g_array_unref(model->principals);
  slot_index_free(model->by_sid);
  slot_index_free(model->by_name);
  g_hash_table_unref(model->domain_accounts);
  g_hash_table_unref(model->server_sites);
  slot_index_free(model->domains_by_dn);
  g_ptr_array_unref(model->domains);
  slot_index_free(model->soms_by_dn);
  g_ptr_array_unref(model->soms);
  slot_index_free(model->gpos_by_dn);
  g_hash_table_unref(model->gpos_by_guid);
  g_ptr_array_unref(model->gpos);
  slot_index_free(model->computers_by_dn);
  g_ptr_array_unref(model->computers);
  slot_index_free(model->groups_by_dn);
  g_ptr_array_unref(model->groups);
  slot_index_free(model->users_by_dn);
  g_ptr_array_unref(model->users);
  g_hash_table_unref(model->wmi_filters_by_id);
  g_ptr_array_unref(model->wmi_filters);
  g_ptr_array_unref(model->subnets);
  g_string_chunk_free(model->strings);
  g_free(model);
}

void
gp_model_add_right_info(GpModel *model, GpRightInfo *info)
{
  g_ptr_array_add(model->rights, info);
  g_hash_table_replace(model->rights_by_name, fold(info->constant), info);
  if (info->display_name)
    g_hash_table_insert(model->rights_by_name, fold(info->display_name), info);
}

const GpRightInfo *
gp_model_lookup_right(const GpModel *model, const char *name)
{
  g_autofree char *key = fold(name);

  return g_hash_table_lookup(model->rights_by_name, key);
}

const GPtrArray *
gp_model_rights(const GpModel *model)
{
  return model->rights;
}

/* Makes room for @more keys, so that the slots found next stay valid. */
static void
principal_index_reserve(PrincipalIndex *index, guint32 more)
{
  g_autofree PrincipalSlot *old = slot_index_grow(index, more, sizeof(PrincipalSlot));
  PrincipalSlot *slots = index->slots;

  for (guint32 i = 0; old && i < (index->mask + 1) / 2; i++) {
    guint32 at = old[i].hash & index->mask;
    if (old[i].entry == 0)
      continue;
    while (slots[at].entry != 0)
      at = (at + 1) & index->mask;
    slots[at] = old[i];
    index->used++;
  }
}

static const PrincipalEntry *
principal_entry(const GpModel *model, guint32 entry)
{
  return &g_array_index(model->principals, PrincipalEntry, (entry & ~PRINCIPAL_SHORT) - 1);
}

static gboolean
sid_matches(const GpModel *model, guint32 entry, const char *key)
{
  return strcmp(principal_entry(model, entry)->sid, key) == 0;
}

static gboolean
name_matches(const GpModel *model, guint32 entry, const char *key)
{
  const char *name = principal_entry(model, entry)->name;
  char buffer[KEY_BUFFER];
  g_autofree char *owned = NULL;

  if (entry & PRINCIPAL_SHORT)
    name = strrchr(name, '\\') + 1;
  return strcmp(fold_key(name, buffer, &owned), key) == 0;
}

typedef gboolean (*PrincipalMatch)(const GpModel *model, guint32 entry, const char *key);

/* Returns: the slot of @key: the one holding it, else the free slot where it
 * would go. */
static PrincipalSlot *
principal_slot(const GpModel *model, const PrincipalIndex *index, guint32 hash,
               PrincipalMatch match, const char *key)
{
  PrincipalSlot *slots = index->slots;
  guint32 at = hash & index->mask;

  while (slots[at].entry != 0 && (slots[at].hash != hash || !match(model, slots[at].entry, key)))
    at = (at + 1) & index->mask;
  return &slots[at];
}

/* A key of the directory and its slot.  g_str_hash() keeps a run of accounts
 * (names or SIDs that differ in their last characters) in nearby slots, which
 * is cheaper than spreading them. */
typedef struct {
  char buffer[KEY_BUFFER];
  char *owned;
  const char *key;
  guint32 hash;
  PrincipalMatch match;
  PrincipalSlot *slot;
} PrincipalKey;

/* Works out @text's key (a SID in upper case, else a folded name) and starts
 * fetching its slot: the three slots of a new principal are far apart in
 * memory, and waiting for each in turn is most of the cost of naming one. */
static void
start_key(const PrincipalIndex *index, const char *text, gboolean is_sid, PrincipalKey *found)
{
  found->owned = NULL;
  found->key = is_sid ? sid_key(text, found->buffer, &found->owned)
                      : fold_key(text, found->buffer, &found->owned);
  found->hash = g_str_hash(found->key);
  found->match = is_sid ? sid_matches : name_matches;
  found->slot = NULL;
#if defined(__GNUC__)
  __builtin_prefetch((const PrincipalSlot *)index->slots + (found->hash & index->mask));
#endif
}

static void
find_slot(const GpModel *model, const PrincipalIndex *index, PrincipalKey *found)
{
  found->slot = principal_slot(model, index, found->hash, found->match, found->key);
}

/* Returns: (nullable): the entry @index files @text (a SID or a name) under. */
static const PrincipalEntry *
principal_find(const GpModel *model, const PrincipalIndex *index, const char *text, gboolean is_sid)
{
  PrincipalKey found;
  const PrincipalEntry *entry;

  start_key(index, text, is_sid, &found);
  find_slot(model, index, &found);
  entry = found.slot->entry != 0 ? principal_entry(model, found.slot->entry) : NULL;
  g_free(found.owned);
  return entry;
}

static void
fill_slot(PrincipalIndex *index, const PrincipalKey *found, guint32 entry)
{
  *found->slot = (PrincipalSlot){ found->hash, entry };
  index->used++;
}

void
gp_model_add_principal(GpModel *model, const char *sid, const char *name)
{
  const char *backslash = strrchr(name, '\\');
  gboolean has_short = backslash && backslash[1];
  PrincipalKey by_sid, full, part;
  PrincipalEntry entry;
  guint32 number = model->principals->len + 1;

  g_return_if_fail(number < PRINCIPAL_SHORT);
  principal_index_reserve(model->by_sid, 1);
  principal_index_reserve(model->by_name, 2);
  start_key(model->by_sid, sid, TRUE, &by_sid);
  start_key(model->by_name, name, FALSE, &full);
  part.owned = NULL;
  if (has_short)
    start_key(model->by_name, backslash + 1, FALSE, &part);
  find_slot(model, model->by_sid, &by_sid);
  find_slot(model, model->by_name, &full);
  if (has_short)
    find_slot(model, model->by_name, &part);
  if (by_sid.slot->entry == 0 || full.slot->entry == 0 || (has_short && part.slot->entry == 0)) {
    entry.name = model_strdup(model, name);
    if (by_sid.slot->entry != 0) {
      entry.sid = principal_entry(model, by_sid.slot->entry)->sid;
    } else {
      entry.sid = model_strdup(model, by_sid.key);
      fill_slot(model->by_sid, &by_sid, number);
    }
    g_array_append_val(model->principals, entry);
    if (full.slot->entry == 0)
      fill_slot(model->by_name, &full, number);
    /* The full name may have taken the free slot the short one had found. */
    if (has_short && part.slot == full.slot)
      find_slot(model, model->by_name, &part);
    if (has_short && part.slot->entry == 0)
      fill_slot(model->by_name, &part, number | PRINCIPAL_SHORT);
  }
  g_free(by_sid.owned);
  g_free(full.owned);
  g_free(part.owned);
}

const char *
gp_model_principal_name(const GpModel *model, const char *sid)
{
  const PrincipalEntry *entry = principal_find(model, model->by_sid, sid, TRUE);

  return entry ? entry->name : NULL;
}

static const char *
sid_by_name(const GpModel *model, const char *name)
{
  const PrincipalEntry *entry = principal_find(model, model->by_name, name, FALSE);

  return entry ? entry->sid : NULL;
}

const char *
gp_model_principal_sid(const GpModel *model, const char *name)
{
  const char *sid = sid_by_name(model, name);
  const char *backslash = strrchr(name, '\\');

  if (!sid && backslash && backslash[1])
    sid = sid_by_name(model, backslash + 1);
  return sid;
}

void
gp_model_add_domain_account(GpModel *model, guint32 rid, const char *name)
{
  g_hash_table_replace(model->domain_accounts, GUINT_TO_POINTER(rid), g_strdup(name));
}

static void
name_domain_accounts(GpModel *model, const GpDomain *domain)
{
  GHashTableIter iter;
  gpointer rid, name;

  g_hash_table_iter_init(&iter, model->domain_accounts);
  while (g_hash_table_iter_next(&iter, &rid, &name)) {
    g_autofree char *sid = g_strdup_printf("%s-%u", domain->sid, GPOINTER_TO_UINT(rid));
    g_autofree char *full = g_strdup_printf("%s\\%s", domain->netbios_name, (char *)name);
    gp_model_add_principal(model, sid, full);
  }
}

void
gp_model_add_server_site(GpModel *model, const char *computer_dn, const char *site)
{
  g_hash_table_replace(model->server_sites, gp_dn_normalize(computer_dn), g_strdup(site));
}

/* Server objects may come before, after, or in another file than their
 * computer.  Each computer is filed under the key of its DN (ensure and move
 * keep it so), so the few servers find their computers, rather than every
 * computer looking for a server. */
static void
apply_server_sites(GpModel *model)
{
  GHashTableIter iter;
  gpointer key, site;

  g_hash_table_iter_init(&iter, model->server_sites);
  while (g_hash_table_iter_next(&iter, &key, &site)) {
    GpComputer *computer = dn_index_lookup(model->computers_by_dn, key);
    if (computer && !computer->site)
      computer->site = g_strdup(site);
  }
}

void
gp_model_complete(GpModel *model)
{
  if (g_hash_table_size(model->server_sites) > 0)
    apply_server_sites(model);
  for (guint i = 0; i < model->domains->len; i++) {
    GpDomain *domain = g_ptr_array_index(model->domains, i);
    if (!domain->netbios_name && domain->dns_name) {
      g_auto(GStrv) labels = g_strsplit(domain->dns_name, ".", 2);
      /* "DC=" gives an empty DNS name, and no label (found by fuzz_inherit). */
      if (labels[0] != NULL)
        domain->netbios_name = g_ascii_strup(labels[0], -1);
    }
    if (domain->sid && domain->netbios_name)
      name_domain_accounts(model, domain);
  }
}

GpDomain *
gp_model_ensure_domain(GpModel *model, const char *dn)
{
  g_auto(DnClaim) claim = { .owned = NULL };
  GpDomain *domain = dn_index_claim(model->domains_by_dn, dn, &claim);

  if (domain)
    return domain;
  domain = g_new0(GpDomain, 1);
  domain->dn = g_strdup(dn);
  domain->dns_name = gp_dn_to_dns_name(dn);
  g_ptr_array_add(model->domains, domain);
  dn_index_fill(model, model->domains_by_dn, &claim, domain);
  return domain;
}

const GpDomain *
gp_model_find_domain(const GpModel *model, const char *dn)
{
  return dn_index_find(model->domains_by_dn, dn);
}

const GPtrArray *
gp_model_domains(const GpModel *model)
{
  return model->domains;
}

GpSom *
gp_model_ensure_som(GpModel *model, const char *dn, GpSomKind kind)
{
  g_auto(DnClaim) claim = { .owned = NULL };
  GpSom *som = dn_index_claim(model->soms_by_dn, dn, &claim);

  if (som)
    return som;
  som = g_new0(GpSom, 1);
  som->dn = g_strdup(dn);
  som->kind = kind;
  som->links = g_ptr_array_new_with_free_func((GDestroyNotify)gp_link_free);
  g_ptr_array_add(model->soms, som);
  dn_index_fill(model, model->soms_by_dn, &claim, som);
  return som;
}

const GpSom *
gp_model_find_som(const GpModel *model, const char *dn)
{
  return dn_index_find(model->soms_by_dn, dn);
}

const GpSom *
gp_model_find_site(const GpModel *model, const char *name)
{
  for (guint i = 0; i < model->soms->len; i++) {
    const GpSom *som = g_ptr_array_index(model->soms, i);
    if (som->kind == GP_SOM_SITE && som->name && g_ascii_strcasecmp(som->name, name) == 0)
      return som;
  }
  return NULL;
}

const GPtrArray *
gp_model_soms(const GpModel *model)
{
  return model->soms;
}

static GpGpo *
gpo_new(GpModel *model, const char *guid)
{
  GpGpo *gpo = g_new0(GpGpo, 1);

  GPtrArray *same = g_hash_table_lookup(model->gpos_by_guid, guid);

  gpo->guid = g_strdup(guid);
  g_ptr_array_add(model->gpos, gpo);
  if (!same) {
    same = g_ptr_array_new();
    g_hash_table_insert(model->gpos_by_guid, g_strdup(guid), same);
  }
  g_ptr_array_add(same, gpo);
  return gpo;
}

GpGpo *
gp_model_ensure_gpo_dn(GpModel *model, const char *dn)
{
  g_autofree char *cn = gp_dn_first_value(dn);
  g_autofree char *guid = gp_guid_normalize(cn);
  g_auto(DnClaim) claim = { .owned = NULL };
  GpGpo *gpo = dn_index_claim(model->gpos_by_dn, dn, &claim);

  if (gpo)
    return gpo;
  if (!guid)
    return NULL;
  gpo = gpo_new(model, guid);
  gpo->dn = g_strdup(dn);
  dn_index_fill(model, model->gpos_by_dn, &claim, gpo);
  return gpo;
}

GpGpo *
gp_model_add_gpo_guid(GpModel *model, const char *guid)
{
  g_autofree char *normal = gp_guid_normalize(guid);

  g_return_val_if_fail(normal != NULL, NULL);
  return gpo_new(model, normal);
}

const GpGpo *
gp_model_find_gpo_dn(const GpModel *model, const char *dn)
{
  return dn_index_find(model->gpos_by_dn, dn);
}

GPtrArray *
gp_model_find_gpos_guid(const GpModel *model, const char *guid)
{
  g_autofree char *normal = gp_guid_normalize(guid);
  const GPtrArray *same = normal ? g_hash_table_lookup(model->gpos_by_guid, normal) : NULL;
  GPtrArray *found = g_ptr_array_new();

  /* Indexed when created; a GUID changed since is checked again here. */
  for (guint i = 0; same && i < same->len; i++) {
    GpGpo *gpo = g_ptr_array_index(same, i);
    if (strcmp(gpo->guid, normal) == 0)
      g_ptr_array_add(found, gpo);
  }
  return found;
}

const GPtrArray *
gp_model_gpos(const GpModel *model)
{
  return model->gpos;
}

GpComputer *
gp_model_ensure_computer(GpModel *model, const char *dn)
{
  g_auto(DnClaim) claim = { .owned = NULL };
  GpComputer *computer = dn_index_claim(model->computers_by_dn, dn, &claim);

  if (computer)
    return computer;
  computer = g_new0(GpComputer, 1);
  computer->dn = g_strdup(dn);
  computer->cn = dn_first_value(dn);
  computer->member_of = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(model->computers, computer);
  dn_index_fill(model, model->computers_by_dn, &claim, computer);
  return computer;
}

const GPtrArray *
gp_model_computers(const GpModel *model)
{
  return model->computers;
}

static gboolean
sam_matches(const char *sam, const char *name)
{
  gsize len = strlen(sam);

  if (g_ascii_strcasecmp(sam, name) == 0)
    return TRUE;
  /* "WEB01" matches "WEB01$" */
  return len > 1 && sam[len - 1] == '$' && strlen(name) == len - 1
         && g_ascii_strncasecmp(sam, name, len - 1) == 0;
}

static gboolean
computer_matches(const GpComputer *computer, const char *name)
{
  /* Every name compared starts like @name: most computers fail on the first byte. */
  char first = g_ascii_tolower(name[0]);

  if ((!computer->cn || g_ascii_tolower(computer->cn[0]) != first)
      && (!computer->sam_account_name || g_ascii_tolower(computer->sam_account_name[0]) != first)
      && (!computer->dns_host_name || g_ascii_tolower(computer->dns_host_name[0]) != first))
    return FALSE;
  if (computer->cn && g_ascii_strcasecmp(computer->cn, name) == 0)
    return TRUE;
  if (computer->sam_account_name && sam_matches(computer->sam_account_name, name))
    return TRUE;
  return computer->dns_host_name && g_ascii_strcasecmp(computer->dns_host_name, name) == 0;
}

gboolean
gp_computer_matches(const GpComputer *computer, const char *name)
{
  char buffer[KEY_BUFFER], other_buffer[KEY_BUFFER];
  g_autofree char *owned = NULL, *other_owned = NULL;

  if (computer_matches(computer, name))
    return TRUE;
  if (!strchr(name, '=') || !computer->dn)
    return FALSE;
  return strcmp(gp_dn_key(name, buffer, &owned),
                gp_dn_key(computer->dn, other_buffer, &other_owned))
         == 0;
}

/* A name that is a DN matches the computer filed under it: one index lookup,
 * rather than normalising every computer's DN. */
GPtrArray *
gp_model_find_computers(const GpModel *model, const char *name)
{
  GPtrArray *found = g_ptr_array_new();
  const GpComputer *by_dn = strchr(name, '=') ? dn_index_find(model->computers_by_dn, name) : NULL;

  for (guint i = 0; i < model->computers->len; i++) {
    GpComputer *computer = g_ptr_array_index(model->computers, i);
    if (computer == by_dn || computer_matches(computer, name))
      g_ptr_array_add(found, computer);
  }
  return found;
}

gboolean
gp_model_move_computer(GpModel *model, GpComputer *computer, const char *new_dn)
{
  char old_buffer[KEY_BUFFER];
  g_autofree char *old_owned = NULL;
  const char *old_key = gp_dn_key(computer->dn, old_buffer, &old_owned);
  g_auto(DnClaim) claim = { .owned = NULL };
  GpComputer *there = dn_index_claim(model->computers_by_dn, new_dn, &claim);

  if (there && there != computer)
    return FALSE;
  /* The old key stays, without a value, until the index grows (clearing it
   * adds nothing: the claim's slot stays valid). */
  if (dn_index_lookup(model->computers_by_dn, old_key) == computer)
    dn_index_slot(model->computers_by_dn, old_key, key_hash(old_key))->value = NULL;
  dn_index_fill(model, model->computers_by_dn, &claim, computer);
  g_free(computer->dn);
  computer->dn = g_strdup(new_dn);
  g_free(computer->cn);
  computer->cn = gp_dn_first_value(new_dn);
  return TRUE;
}

/* ------------------------------------------------- groups, WMI, subnets */

GpGroup *
gp_model_ensure_group(GpModel *model, const char *dn)
{
  g_auto(DnClaim) claim = { .owned = NULL };
  GpGroup *group = dn_index_claim(model->groups_by_dn, dn, &claim);

  if (group)
    return group;
  group = g_new0(GpGroup, 1);
  group->dn = g_strdup(dn);
  group->member_of = g_ptr_array_new_with_free_func(g_free);
  group->members = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(model->groups, group);
  dn_index_fill(model, model->groups_by_dn, &claim, group);
  return group;
}

const GpGroup *
gp_model_find_group(const GpModel *model, const char *dn)
{
  return dn_index_find(model->groups_by_dn, dn);
}

const GpGroup *
gp_model_find_group_sid(const GpModel *model, const char *sid)
{
  for (guint i = 0; i < model->groups->len; i++) {
    const GpGroup *group = g_ptr_array_index(model->groups, i);
    if (group->sid && g_ascii_strcasecmp(group->sid, sid) == 0)
      return group;
  }
  return NULL;
}

const GPtrArray *
gp_model_groups(const GpModel *model)
{
  return model->groups;
}

/* ------------------------------------------------------------------ users */

GpUser *
gp_model_ensure_user(GpModel *model, const char *dn)
{
  g_auto(DnClaim) claim = { .owned = NULL };
  GpUser *user = dn_index_claim(model->users_by_dn, dn, &claim);

  if (user)
    return user;
  user = g_new0(GpUser, 1);
  user->dn = g_strdup(dn);
  user->member_of = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(model->users, user);
  dn_index_fill(model, model->users_by_dn, &claim, user);
  return user;
}

const GpUser *
gp_model_find_user_sid(const GpModel *model, const char *sid)
{
  for (guint i = 0; sid && i < model->users->len; i++) {
    const GpUser *user = g_ptr_array_index(model->users, i);
    if (user->sid && g_ascii_strcasecmp(user->sid, sid) == 0)
      return user;
  }
  return NULL;
}

const GPtrArray *
gp_model_users(const GpModel *model)
{
  return model->users;
}

/* ------------------------------------------------------------- users: end */

GpWmiFilter *
gp_model_ensure_wmi_filter(GpModel *model, const char *id)
{
  g_autofree char *key = gp_guid_normalize(id);
  GpWmiFilter *filter;

  if (!key)
    return NULL;
  filter = g_hash_table_lookup(model->wmi_filters_by_id, key);
  if (filter)
    return filter;
  filter = g_new0(GpWmiFilter, 1);
  filter->id = g_strdup(key);
  g_ptr_array_add(model->wmi_filters, filter);
  g_hash_table_insert(model->wmi_filters_by_id, g_steal_pointer(&key), filter);
  return filter;
}

const GpWmiFilter *
gp_model_find_wmi_filter(const GpModel *model, const char *id_or_name)
{
  g_autofree char *key = gp_guid_normalize(id_or_name);

  if (key)
    return g_hash_table_lookup(model->wmi_filters_by_id, key);
  for (guint i = 0; i < model->wmi_filters->len; i++) {
    const GpWmiFilter *filter = g_ptr_array_index(model->wmi_filters, i);
    if (filter->name && g_ascii_strcasecmp(filter->name, id_or_name) == 0)
      return filter;
  }
  return NULL;
}

const GPtrArray *
gp_model_wmi_filters(const GpModel *model)
{
  return model->wmi_filters;
}

GpSubnet *
gp_model_ensure_subnet(GpModel *model, const char *cidr)
{
  GpSubnet *subnet;

  for (guint i = 0; i < model->subnets->len; i++) {
    subnet = g_ptr_array_index(model->subnets, i);
    if (g_ascii_strcasecmp(subnet->cidr, cidr) == 0)
      return subnet;
  }
  subnet = g_new0(GpSubnet, 1);
  subnet->cidr = g_strdup(cidr);
  g_ptr_array_add(model->subnets, subnet);
  return subnet;
}

const GPtrArray *
gp_model_subnets(const GpModel *model)
{
  return model->subnets;
}
