/* gp-ldif.c - LDIF (RFC 2849) as ldapsearch, ldbsearch and ldifde write it.
 *
 * Exports gp_ldif_load_from_data() and gp_ldif_load_file() (gp-loaders.h).
 *
 * Three stages, so that a syntax error leaves the model untouched:
 *  1. split: decoded text -> groups of logical lines (continuations unfolded,
 *     comments dropped, blank lines end a group), each line keeping the number of
 *     its first physical line;
 *  2. parse: each group -> one LdifRecord (DN plus decoded attribute values,
 *     each tagged with the id of its name, and the record's class), or nothing
 *     for `version:` lines and ldapsearch trailers;
 *  3. apply: each record is dispatched on its class into the model.
 * Only stages 1 and 2 can fail; stage 3 reports problems as diagnostics.
 */
#include "gp-loaders.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gp-names.h"

/* A logical line longer than this after unfolding is skipped: no attribute gpsim
 * reads comes near it, and it bounds the memory one line can take. */
#define LDIF_MAX_LINE (1024u * 1024u)
/* How much of an over-long line is kept, to name it in the warning. */
#define LDIF_LONG_LINE_HEAD 64u
/* How much of a value is quoted in a message. */
#define LDIF_QUOTE_CHARS 80

/* ------------------------------------------------------------------ records */

typedef struct {
  char *text;        /* unfolded, without line end; only a head when too_long */
  guint line;        /* first physical line */
  gboolean too_long; /* over LDIF_MAX_LINE: reported and skipped */
  GString *buffer;   /* holds text when the line was folded; lines belong to the splitter's pool */
  char *in_place;    /* (nullable) the line in the chunk's text, while it is not folded */
  gsize in_place_len;
} LdifLine;

/* What an attribute name is to gpsim.  Each distinct name of a chunk is
 * compared with the known names once, when stage 2 first meets it
 * (attribute_id()); stage 3 then finds attributes by comparing ids rather than
 * names (a large export repeats the same few names millions of times). */
typedef enum {
  LDIF_ATTR_OTHER,   /* kept, but never looked up */
  LDIF_ATTR_DROPPED, /* one of dropped_attributes */
  LDIF_ATTR_DN,
  LDIF_ATTR_CHANGETYPE,
  LDIF_ATTR_TRAILER, /* search, result, ref: ldapsearch's trailer */
  /* read by stage 3 */
  LDIF_ATTR_OBJECT_CLASS,
  LDIF_ATTR_OBJECT_SID,
  LDIF_ATTR_SAM_ACCOUNT_NAME,
  LDIF_ATTR_CN,
  LDIF_ATTR_DNS_HOST_NAME,
  LDIF_ATTR_OPERATING_SYSTEM,
  LDIF_ATTR_USER_ACCOUNT_CONTROL,
  LDIF_ATTR_PRIMARY_GROUP_ID,
  LDIF_ATTR_MEMBER_OF,
  LDIF_ATTR_MEMBER,
  LDIF_ATTR_GPLINK,
  LDIF_ATTR_GPOPTIONS,
  LDIF_ATTR_DISPLAY_NAME,
  LDIF_ATTR_FLAGS,
  LDIF_ATTR_VERSION_NUMBER,
  LDIF_ATTR_GPC_FUNCTIONALITY_VERSION,
  LDIF_ATTR_GPC_FILE_SYS_PATH,
  LDIF_ATTR_GPC_MACHINE_EXTENSION_NAMES,
  LDIF_ATTR_GPC_WQL_FILTER,
  LDIF_ATTR_NT_SECURITY_DESCRIPTOR,
  LDIF_ATTR_WMI_ID,
  LDIF_ATTR_WMI_NAME,
  LDIF_ATTR_WMI_PARM2,
  LDIF_ATTR_SITE_OBJECT,
  LDIF_ATTR_SERVER_REFERENCE,
  LDIF_ATTR_NETBIOS_NAME,
  LDIF_ATTR_NC_NAME,
  LDIF_ATTR_COUNT
} LdifAttrId;

/* The names of the ids, as messages spell them. */
static const char *const attribute_names[LDIF_ATTR_COUNT] = {
  [LDIF_ATTR_DN] = "dn",
  [LDIF_ATTR_CHANGETYPE] = "changetype",
  [LDIF_ATTR_OBJECT_CLASS] = "objectClass",
  [LDIF_ATTR_OBJECT_SID] = "objectSid",
  [LDIF_ATTR_SAM_ACCOUNT_NAME] = "sAMAccountName",
  [LDIF_ATTR_CN] = "cn",
  [LDIF_ATTR_DNS_HOST_NAME] = "dNSHostName",
  [LDIF_ATTR_OPERATING_SYSTEM] = "operatingSystem",
  [LDIF_ATTR_USER_ACCOUNT_CONTROL] = "userAccountControl",
  [LDIF_ATTR_PRIMARY_GROUP_ID] = "primaryGroupID",
  [LDIF_ATTR_MEMBER_OF] = "memberOf",
  [LDIF_ATTR_MEMBER] = "member",
  [LDIF_ATTR_GPLINK] = "gPLink",
  [LDIF_ATTR_GPOPTIONS] = "gPOptions",
  [LDIF_ATTR_DISPLAY_NAME] = "displayName",
  [LDIF_ATTR_FLAGS] = "flags",
  [LDIF_ATTR_VERSION_NUMBER] = "versionNumber",
  [LDIF_ATTR_GPC_FUNCTIONALITY_VERSION] = "gPCFunctionalityVersion",
  [LDIF_ATTR_GPC_FILE_SYS_PATH] = "gPCFileSysPath",
  [LDIF_ATTR_GPC_MACHINE_EXTENSION_NAMES] = "gPCMachineExtensionNames",
  [LDIF_ATTR_GPC_WQL_FILTER] = "gPCWQLFilter",
  [LDIF_ATTR_NT_SECURITY_DESCRIPTOR] = "nTSecurityDescriptor",
  [LDIF_ATTR_WMI_ID] = "msWMI-ID",
  [LDIF_ATTR_WMI_NAME] = "msWMI-Name",
  [LDIF_ATTR_WMI_PARM2] = "msWMI-Parm2",
  [LDIF_ATTR_SITE_OBJECT] = "siteObject",
  [LDIF_ATTR_SERVER_REFERENCE] = "serverReference",
  [LDIF_ATTR_NETBIOS_NAME] = "nETBIOSName",
  [LDIF_ATTR_NC_NAME] = "nCName",
};

/* One attribute value, in the load's arena.  The records of a large export
 * are all held until stage 3: millions of these. */
typedef struct {
  gsize len;
  LdifAttrId id; /* the attribute type, options (";binary") removed */
  gboolean base64;
  gboolean text; /* valid UTF-8 (plain values always are; base64 ones checked once) */
  guint line;
  char value[]; /* decoded bytes, NUL-terminated; may hold NULs when base64 */
} LdifAttr;

/* Where the records of one load live: carved from large blocks freed together,
 * rather than millions of small allocations freed one by one. */
typedef struct {
  GPtrArray *blocks; /* char* (owned) */
  char *next;
  gsize left;
} LdifArena;

/* A record's attributes, in file order: read like a GPtrArray (len, pdata). */
typedef struct {
  gpointer *pdata;
  guint len;
  guint size;
} LdifAttrs;

typedef enum {
  LDIF_CLASS_NONE, /* no objectClass at all */
  LDIF_CLASS_OTHER,
  LDIF_CLASS_DOMAIN,
  LDIF_CLASS_OU,
  LDIF_CLASS_SITE,
  LDIF_CLASS_CONTAINER,
  LDIF_CLASS_GPC,
  LDIF_CLASS_COMPUTER,
  LDIF_CLASS_CROSSREF,
  LDIF_CLASS_GROUP,
  LDIF_CLASS_WMI_FILTER,
  LDIF_CLASS_SUBNET,
  LDIF_CLASS_SERVER,
  /* a computer other than GpLdifOptions.only_computer: only its account's name is read */
  LDIF_CLASS_OTHER_COMPUTER,
} LdifClass;

typedef struct {
  char *dn; /* in the arena */
  guint line;
  LdifAttrs *attrs; /* LdifAttr*, file order; points to attr_list */
  LdifAttrs attr_list;
  LdifClass cls;          /* set by record_classify() once the record is read */
  const char *class_name; /* (nullable) borrowed from attrs or known_classes, for the note */
} LdifRecord;

typedef struct {
  char *name; /* class as first written */
  guint count;
} LdifIgnored;

/* Everything the stages share for one file. */
typedef struct {
  const char *file; /* name used in messages and records */
  GpModel *model;
  GPtrArray *diags;
  GArray *ignored;                /* LdifIgnored, first-seen order */
  GArray *pending_sddl;           /* LdifPendingSddl */
  GStringChunk *names;            /* attribute names, interned */
  LdifArena *arena;               /* the records */
  struct LdifNameTable *attr_ids; /* attribute names as written, with their ids */
  struct LdifDomainCache *domain; /* the last domain a principal was named after */
  const char *only_computer;      /* (nullable) the one computer to keep (GpLdifOptions) */
  guint *skipped_computers;       /* the other computer records, counted in stage 2 */
} LdifLoad;

/* principal_name() for a run of principals of one domain. */
typedef struct LdifDomainCache {
  char *domain_dn; /* (nullable) as gp_dn_domain_part() gave it */
  char *prefix;    /* "NETBIOS\" or "" */
} LdifDomainCache;

/* A GPO whose SDDL descriptor waits for its domain's SID (aliases such as DA). */
typedef struct {
  GpGpo *gpo;
  const char *sddl; /* borrowed from the record */
  guint line;
} LdifPendingSddl;

static void
ldif_line_free(LdifLine *line)
{
  if (line == NULL)
    return;
  g_string_free(line->buffer, TRUE);
  g_free(line);
}

static gpointer
arena_alloc(LdifArena *arena, gsize size)
{
  gpointer memory;

  size = (size + 7) & ~(gsize)7;
  if (size > arena->left) {
    gsize block = MAX(size, (gsize)1 << 20);
    arena->next = g_malloc(block);
    arena->left = block;
    g_ptr_array_add(arena->blocks, arena->next);
  }
  memory = arena->next;
  arena->next += size;
  arena->left -= size;
  return memory;
}

static char *
arena_strdup(LdifArena *arena, const char *text)
{
  gsize len = strlen(text);
  char *copy = arena_alloc(arena, len + 1);

  memcpy(copy, text, len + 1);
  return copy;
}

static void
attrs_add(LdifArena *arena, LdifAttrs *attrs, gpointer attr)
{
  if (attrs->len == attrs->size) {
    guint size = attrs->size ? attrs->size * 2 : 16;
    gpointer *pdata = arena_alloc(arena, size * sizeof(gpointer));
    if (attrs->len)
      memcpy(pdata, attrs->pdata, attrs->len * sizeof(gpointer));
    attrs->pdata = pdata;
    attrs->size = size;
  }
  attrs->pdata[attrs->len++] = attr;
}

static LdifRecord *
ldif_record_new(LdifArena *arena, guint line)
{
  LdifRecord *rec = arena_alloc(arena, sizeof(LdifRecord));

  memset(rec, 0, sizeof *rec);
  rec->line = line;
  rec->attrs = &rec->attr_list;
  return rec;
}

/* Records live in the load's arena: nothing to free one by one. */
static void
ldif_record_free(LdifRecord *rec)
{
  (void)rec;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(LdifRecord, ldif_record_free)

static void
ldif_ignored_clear(gpointer data)
{
  g_free(((LdifIgnored *)data)->name);
}

/* Returns: (transfer full): @text made printable for a message: valid UTF-8, no
 * control characters, cut after LDIF_QUOTE_CHARS characters. */
static char *
quote(const char *text, gssize len)
{
  g_autofree char *valid = g_utf8_make_valid(text, len);

  for (char *p = valid; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = '?';
  if (g_utf8_strlen(valid, -1) <= LDIF_QUOTE_CHARS)
    return g_steal_pointer(&valid);
  g_autofree char *head = g_utf8_substring(valid, 0, LDIF_QUOTE_CHARS);
  return g_strconcat(head, "...", NULL);
}

static gboolean
is_blank(const char *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (p[i] != ' ' && p[i] != '\t')
      return FALSE;
  return TRUE;
}

/* -------------------------------------------------------- stage 1: unfolding */

static gboolean parse_group(const LdifLoad *ld, GPtrArray *group, GPtrArray *records,
                            GError **error);

/* Each group is parsed into @records as soon as it ends, so the logical lines
 * of a large file are never all held at once; the lines' buffers are reused
 * from group to group rather than allocated per line. */
typedef struct {
  const char *file;
  const LdifLoad *ld;
  GPtrArray *records;  /* LdifRecord* */
  GError *parse_error; /* (nullable) the first failure of stage 2 */
  GPtrArray *pool;     /* LdifLine* (owned), reused */
  GPtrArray *current;  /* the group being filled: lines of the pool, in order */
  LdifLine *open;      /* (nullable) logical line being unfolded, from the pool */
  gboolean in_comment; /* continuations of a comment are comment too */
  gboolean after_blank;
} LdifSplitter;

static void splitter_append(LdifSplitter *sp, const char *p, gsize len);

/* Takes the next free line of the pool for a logical line starting at @lineno
 * with the @len bytes at @p.  Most lines are not folded: they stay where they
 * are in the text (which the load owns), ended in place by a NUL when closed,
 * rather than copied. */
static void
splitter_open_line(LdifSplitter *sp, guint lineno, char *p, gsize len)
{
  LdifLine *line;

  if (sp->current->len == sp->pool->len) {
    line = g_new0(LdifLine, 1);
    line->buffer = g_string_sized_new(128);
    g_ptr_array_add(sp->pool, line);
  }
  line = g_ptr_array_index(sp->pool, sp->current->len);
  line->line = lineno;
  line->too_long = FALSE;
  line->in_place = NULL;
  sp->open = line;
  if (len <= LDIF_MAX_LINE) {
    line->in_place = p;
    line->in_place_len = len;
  } else {
    g_string_truncate(line->buffer, 0);
    splitter_append(sp, p, len);
  }
}

static void
splitter_close_line(LdifSplitter *sp)
{
  LdifLine *line = sp->open;

  if (line == NULL)
    return;
  if (line->in_place) {
    /* Over its '\r' or '\n', or the NUL that ends the whole text. */
    line->in_place[line->in_place_len] = '\0';
    line->text = line->in_place;
  } else {
    line->text = line->buffer->str;
  }
  g_ptr_array_add(sp->current, g_steal_pointer(&sp->open));
}

static void
splitter_end_group(LdifSplitter *sp)
{
  splitter_close_line(sp);
  if (sp->current->len > 0 && sp->parse_error == NULL)
    parse_group(sp->ld, sp->current, sp->records, &sp->parse_error);
  g_ptr_array_set_size(sp->current, 0);
}

static void
splitter_append(LdifSplitter *sp, const char *p, gsize len)
{
  GString *text = sp->open->buffer;

  if (sp->open->in_place) {
    /* A fold: the logical line is built in the buffer from now on (a buffer
     * is emptied only then: most lines never touch theirs). */
    g_string_truncate(text, 0);
    g_string_append_len(text, sp->open->in_place, (gssize)sp->open->in_place_len);
    sp->open->in_place = NULL;
  }
  if (sp->open->too_long)
    return;
  if (text->len + len > LDIF_MAX_LINE) {
    /* Keep only a head, enough to say which attribute was dropped. */
    g_string_append_len(text, p, MIN(len, LDIF_LONG_LINE_HEAD));
    g_string_truncate(text, MIN(text->len, LDIF_LONG_LINE_HEAD));
    sp->open->too_long = TRUE;
    return;
  }
  g_string_append_len(text, p, (gssize)len);
}

static gboolean
splitter_continue(LdifSplitter *sp, const char *p, gsize len, guint lineno, GError **error)
{
  if (sp->in_comment)
    return TRUE;
  if (sp->open == NULL && sp->after_blank) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, sp->file, lineno,
                      "continuation line (starting with a space) follows a blank line; "
                      "remove the blank line or the leading space");
    return FALSE;
  }
  if (sp->open == NULL) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, sp->file, lineno,
                      "file starts with a continuation line (starting with a space); "
                      "an LDIF file starts with 'dn:', 'version:' or a '#' comment");
    return FALSE;
  }
  splitter_append(sp, p + 1, len - 1);
  return TRUE;
}

/* Feeds one physical line, without its line end. */
static gboolean
splitter_feed(LdifSplitter *sp, char *p, gsize len, guint lineno, GError **error)
{
  /* A line of blanks only is taken as the blank line it looks like: a real fold
   * never leaves a continuation made of spaces alone. */
  gboolean blank = is_blank(p, len);

  if (!blank && p[0] == ' ')
    return splitter_continue(sp, p, len, lineno, error);
  splitter_close_line(sp);
  sp->in_comment = FALSE;
  sp->after_blank = blank;
  if (blank) {
    splitter_end_group(sp);
  } else if (p[0] == '#') {
    sp->in_comment = TRUE;
  } else {
    splitter_open_line(sp, lineno, p, len);
  }
  return TRUE;
}

/* Splits @len bytes of @text into groups of logical lines, one per record, and
 * parses each into @records.  @text starts at a record boundary: the file's
 * start (@at_start) or just after a blank line; its first line is number
 * @first_line.  Lines are ended in place: @text is written to, up to and
 * including @text[@len] (its line end, or the NUL that ends the whole text).
 * Returns: FALSE with @split_error on a continuation line with nothing to
 * continue (that error wins, wherever it is), else with @parse_error on the
 * first record that cannot be parsed. */
static gboolean
split_groups(const LdifLoad *ld, char *text, gsize len, guint first_line, gboolean at_start,
             GPtrArray *records, GError **split_error, GError **parse_error)
{
  LdifSplitter sp = { .file = ld->file, .ld = ld, .records = records, .after_blank = !at_start };
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func((GDestroyNotify)ldif_line_free);
  g_autoptr(GPtrArray) current = g_ptr_array_new();
  char *p = text, *end = text + len;
  guint lineno = first_line;
  gboolean ok = TRUE;

  sp.pool = pool;
  sp.current = current;
  while (ok && p < end) {
    char *nl = memchr(p, '\n', (gsize)(end - p));
    gsize line_len = nl != NULL ? (gsize)(nl - p) : (gsize)(end - p);
    gsize content = line_len;

    if (content > 0 && p[content - 1] == '\r')
      content--;
    ok = splitter_feed(&sp, p, content, ++lineno, split_error);
    p = nl != NULL ? nl + 1 : end;
  }
  splitter_end_group(&sp);
  if (!ok) {
    g_clear_error(&sp.parse_error);
    return FALSE;
  }
  if (sp.parse_error) {
    g_propagate_error(parse_error, sp.parse_error);
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------- stage 2: records */

typedef enum {
  LDIF_VALUE_PLAIN,
  LDIF_VALUE_BASE64,
  LDIF_VALUE_URL,
} LdifValueKind;

/* One "name;options: value" line cut into its parts. */
typedef struct {
  const char *name; /* options removed; interned in the load's names */
  LdifAttrId id;
  LdifValueKind kind;
  const char *value; /* borrowed from the line, leading FILL spaces removed */
} LdifField;

static void
ldif_field_clear(LdifField *field)
{
  field->name = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(LdifField, ldif_field_clear)

/* Attributes that stage 3 never reads: the bookkeeping every exported object
 * carries.  They are checked like the others (bad base64 and URLs are still
 * reported) and then dropped, so that the records of a large export, all held
 * until stage 3, stay small.  An attribute read by stage 3 must not be here. */
static const char *const dropped_attributes[] = {
  "objectGUID",
  "whenCreated",
  "whenChanged",
  "uSNCreated",
  "uSNChanged",
  "dSCorePropagationData",
  "objectCategory",
  "instanceType",
  "distinguishedName",
  "name",
  "servicePrincipalName",
  "lastLogon",
  "lastLogonTimestamp",
  "lastLogoff",
  "pwdLastSet",
  "badPasswordTime",
  "badPwdCount",
  "logonCount",
  "codePage",
  "countryCode",
  "accountExpires",
  "localPolicyFlags",
  "sAMAccountType",
  "msDS-SupportedEncryptionTypes",
  "isCriticalSystemObject",
  "showInAdvancedViewOnly",
  "systemFlags",
  "operatingSystemVersion",
};

static const char *const trailer_names[] = { "search", "result", "ref" };

static LdifAttrId
attribute_id(const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS(dropped_attributes); i++)
    if (g_ascii_strcasecmp(name, dropped_attributes[i]) == 0)
      return LDIF_ATTR_DROPPED;
  for (gsize i = 0; i < G_N_ELEMENTS(trailer_names); i++)
    if (g_ascii_strcasecmp(name, trailer_names[i]) == 0)
      return LDIF_ATTR_TRAILER;
  for (gsize i = 0; i < LDIF_ATTR_COUNT; i++)
    if (attribute_names[i] != NULL && g_ascii_strcasecmp(name, attribute_names[i]) == 0)
      return (LdifAttrId)i;
  return LDIF_ATTR_OTHER;
}

/* The attribute names a chunk has met, with their ids: every line looks its
 * name up, so the table is looked up with the bytes of the line, in place. */
typedef struct {
  const char *name; /* (nullable) in the load's names; NULL for a free slot */
  gsize len;
  LdifAttrId id;
} LdifNameSlot;

typedef struct LdifNameTable {
  LdifNameSlot *slots;
  gsize mask; /* slots - 1; slots is a power of two, at most half used */
  gsize used;
} LdifNameTable;

static LdifNameTable *
ldif_name_table_new(void)
{
  LdifNameTable *table = g_new0(LdifNameTable, 1);

  table->mask = 63;
  table->slots = g_new0(LdifNameSlot, table->mask + 1);
  return table;
}

static void
ldif_name_table_free(LdifNameTable *table)
{
  g_free(table->slots);
  g_free(table);
}

static gsize
name_hash(const char *text, gsize len)
{
  const guint64 mix = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
  guint64 hash = len;
  guint64 word;
  gsize i;

  for (i = 0; i + 8 <= len; i += 8) {
    memcpy(&word, text + i, 8);
    hash = (hash ^ word) * mix;
  }
  word = 0;
  memcpy(&word, text + i, len - i);
  hash = (hash ^ word) * mix;
  return (gsize)(hash ^ (hash >> 32));
}

/* Returns: the slot of the @len bytes of @text, free when they are new. */
static LdifNameSlot *
name_table_slot(LdifNameTable *table, const char *text, gsize len)
{
  gsize i = name_hash(text, len) & table->mask;

  while (table->slots[i].name != NULL
         && (table->slots[i].len != len || memcmp(table->slots[i].name, text, len) != 0))
    i = (i + 1) & table->mask;
  return &table->slots[i];
}

static void
name_table_grow(LdifNameTable *table)
{
  g_autofree LdifNameSlot *old = table->slots;
  gsize size = table->mask + 1;

  table->mask = 2 * size - 1;
  table->slots = g_new0(LdifNameSlot, 2 * size);
  for (gsize i = 0; i < size; i++)
    if (old[i].name != NULL)
      *name_table_slot(table, old[i].name, old[i].len) = old[i];
}

/* Returns: (transfer none): @len bytes of @text, interned for the whole chunk,
 * with their id in @id: a name is compared with the known ones only the first
 * time the chunk meets it. */
static const char *
intern_name(const LdifLoad *ld, const char *text, gsize len, LdifAttrId *id)
{
  LdifNameTable *table = ld->attr_ids;
  LdifNameSlot *slot = name_table_slot(table, text, len);
  const char *name;

  if (slot->name != NULL) {
    *id = slot->id;
    return slot->name;
  }
  name = g_string_chunk_insert_len(ld->names, text, (gssize)len);
  *slot = (LdifNameSlot){ name, len, attribute_id(name) };
  *id = slot->id;
  /* Growing moves the slots: @slot is not used after this. */
  if (++table->used * 2 > table->mask + 1)
    name_table_grow(table);
  return name;
}

/* Whether @c may appear in an attribute description (type and options). */
static gboolean
is_description_char(char c)
{
  return g_ascii_isalnum(c) || c == '-' || c == '.' || c == ';' || c == '_';
}

/* Finds the ':' that ends the attribute description starting @text, and the
 * length of its type (options after ';' left out).  Returns: the ':', or
 * NULL when there is none; *@type_len is 0 when the text before it is not an
 * attribute description. */
static const char *
find_colon(const char *text, gsize *type_len)
{
  const char *p = text;
  const char *semicolon = NULL;

  /* One pass over the description, the usual case; strchr() otherwise. */
  for (; *p != ':' && is_description_char(*p); p++)
    if (*p == ';' && semicolon == NULL)
      semicolon = p;
  *type_len = p == text || text[0] == ';' ? 0 : (gsize)((semicolon ? semicolon : p) - text);
  if (*p == ':')
    return p;
  *type_len = 0;
  return strchr(p, ':');
}

static gboolean
split_field(const LdifLoad *ld, const LdifLine *line, LdifField *field, GError **error)
{
  gsize type_len;
  const char *colon = find_colon(line->text, &type_len);
  const char *value;

  if (colon == NULL) {
    g_autofree char *shown = quote(line->text, -1);
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, line->line,
                      "line '%s' has no ':' separator; LDIF lines read 'attribute: value' "
                      "and continuation lines start with one space",
                      shown);
    return FALSE;
  }
  if (type_len == 0) {
    g_autofree char *shown = quote(line->text, colon - line->text);
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, line->line,
                      "'%s' is not an attribute name; LDIF lines read 'attribute: value'", shown);
    return FALSE;
  }
  field->name = intern_name(ld, line->text, type_len, &field->id);
  value = colon + 1;
  field->kind = LDIF_VALUE_PLAIN;
  if (*value == ':' || *value == '<') {
    field->kind = *value == ':' ? LDIF_VALUE_BASE64 : LDIF_VALUE_URL;
    value++;
  }
  while (*value == ' ')
    value++;
  field->value = value;
  return TRUE;
}

static gboolean
is_base64_char(char c)
{
  return g_ascii_isalnum(c) || c == '+' || c == '/';
}

/* g_base64_decode() skips characters outside the alphabet, so a damaged value
 * would decode to other bytes without complaint: check it first. */
static gboolean
is_base64(const char *text, gsize len)
{
  gsize padding = 0;

  if (len % 4 != 0)
    return FALSE;
  while (padding < 2 && padding < len && text[len - 1 - padding] == '=')
    padding++;
  for (gsize i = 0; i < len - padding; i++)
    if (!is_base64_char(text[i]))
      return FALSE;
  return TRUE;
}

/* Returns: (transfer full) (nullable): the decoded bytes, NUL-terminated, or NULL
 * when @text is not base64. */
static char *
decode_base64(const char *text, gsize *out_len)
{
  g_autofree char *trimmed = g_strdup(text);
  gsize len;

  /* Trailing blanks are not base64 but are harmless when a tool leaves them. */
  g_strchomp(trimmed);
  len = strlen(trimmed);
  if (!is_base64(trimmed, len))
    return NULL;
  if (len == 0) {
    *out_len = 0;
    return g_strdup("");
  }
  guchar *raw = g_base64_decode(trimmed, out_len);
  char *value = g_malloc(*out_len + 1);
  memcpy(value, raw, *out_len);
  value[*out_len] = '\0';
  g_free(raw);
  return value;
}

/* The DN of a record: plain or base64, never a URL. */
static gboolean
decode_dn(const LdifLoad *ld, const LdifLine *line, const LdifField *field, char **out_dn,
          GError **error)
{
  gsize len = 0;
  g_autofree char *dn = NULL;
  g_autofree char *shown = NULL;

  if (field->kind == LDIF_VALUE_PLAIN) {
    *out_dn = g_strdup(field->value);
    return TRUE;
  }
  if (field->kind == LDIF_VALUE_URL) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, line->line,
                      "'dn:<' gives the DN as a URL, which LDIF does not allow; "
                      "write 'dn: value' or 'dn:: base64'");
    return FALSE;
  }
  dn = decode_base64(field->value, &len);
  if (dn != NULL && g_utf8_validate(dn, (gssize)len, NULL)) {
    *out_dn = g_steal_pointer(&dn);
    return TRUE;
  }
  shown = quote(field->value, -1);
  gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, line->line,
                    "'dn:: %s' is not a base64-encoded UTF-8 DN; fix or remove this record", shown);
  return FALSE;
}

/* The length of the base64 text at the start of @text: what decode_base64()
 * decodes, trailing blanks left out. */
static gsize
base64_len(const char *text)
{
  gsize len = strlen(text);

  while (len > 0 && g_ascii_isspace(text[len - 1]))
    len--;
  return len;
}

static void
report_bad_base64(const LdifLoad *ld, const LdifLine *line, const LdifField *field)
{
  g_autofree char *shown = quote(field->value, -1);

  gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, line->line,
              "value of '%s' is not valid base64 ('%s'); attribute skipped", field->name, shown);
}

/* Returns: a new attribute of @rec for @field, with room for a value of @len
 * bytes and its NUL; the caller fills the value and its length. */
static LdifAttr *
record_new_attr(const LdifLoad *ld, LdifRecord *rec, const LdifLine *line, const LdifField *field,
                gsize len)
{
  LdifAttr *attr = arena_alloc(ld->arena, sizeof(LdifAttr) + len + 1);

  attr->id = field->id;
  attr->base64 = field->kind == LDIF_VALUE_BASE64;
  attr->line = line->line;
  attrs_add(ld->arena, rec->attrs, attr);
  return attr;
}

/* A base64 value, decoded straight into the arena: g_base64_decode() of the
 * trimmed text, without its copies. */
static void
record_add_base64(const LdifLoad *ld, LdifRecord *rec, const LdifLine *line, const LdifField *field)
{
  gsize len = base64_len(field->value);
  gint state = 0;
  guint save = 0;
  LdifAttr *attr;

  if (!is_base64(field->value, len)) {
    report_bad_base64(ld, line, field);
    return;
  }
  if (field->id == LDIF_ATTR_DROPPED)
    return;
  /* Whole quanta: at most 3 bytes per 4 characters. */
  attr = record_new_attr(ld, rec, line, field, len / 4 * 3);
  attr->len = g_base64_decode_step(field->value, len, (guchar *)attr->value, &state, &save);
  attr->value[attr->len] = '\0';
  attr->text = g_utf8_validate(attr->value, (gssize)attr->len, NULL);
}

/* Adds one attribute line to @rec; bad values are reported and skipped. */
static void
record_add_field(const LdifLoad *ld, LdifRecord *rec, const LdifLine *line, const LdifField *field)
{
  LdifAttr *attr;
  gsize len;

  if (field->kind == LDIF_VALUE_URL) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, line->line,
                "value of '%s' is a URL ('%s:<'), which gpsim does not fetch; attribute skipped",
                field->name, field->name);
    return;
  }
  if (field->kind == LDIF_VALUE_BASE64) {
    record_add_base64(ld, rec, line, field);
    return;
  }
  if (field->id == LDIF_ATTR_DROPPED)
    return;
  len = strlen(field->value);
  attr = record_new_attr(ld, rec, line, field, len);
  memcpy(attr->value, field->value, len + 1);
  attr->len = len;
  attr->text = TRUE;
}

typedef enum {
  LDIF_STEP_OK,
  LDIF_STEP_DROP, /* record reported and skipped */
  LDIF_STEP_ERROR,
} LdifStep;

static LdifStep
check_changetype(const LdifLoad *ld, const LdifRecord *rec, const LdifLine *line,
                 const LdifField *field)
{
  g_autofree char *shown = NULL;
  g_autofree char *dn = NULL;

  if (field->kind == LDIF_VALUE_PLAIN && g_ascii_strcasecmp(field->value, "add") == 0)
    return LDIF_STEP_OK;
  shown = quote(field->value, -1);
  dn = quote(rec->dn, -1);
  gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, line->line,
              "record '%s' has changetype '%s'; gpsim reads only entries and 'add' records, "
              "record skipped",
              dn, shown);
  return LDIF_STEP_DROP;
}

static LdifStep
parse_attribute_line(const LdifLoad *ld, LdifRecord *rec, const LdifLine *line, GError **error)
{
  g_auto(LdifField) field = { 0 };

  if (line->too_long) {
    g_autofree char *shown = quote(line->text, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, line->line,
                "line '%s' is longer than 1 MiB after unfolding; attribute skipped", shown);
    return LDIF_STEP_OK;
  }
  if (!split_field(ld, line, &field, error))
    return LDIF_STEP_ERROR;
  if (field.id == LDIF_ATTR_DN) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, line->line,
                      "second 'dn:' inside one record; separate records with a blank line");
    return LDIF_STEP_ERROR;
  }
  if (field.id == LDIF_ATTR_CHANGETYPE)
    return check_changetype(ld, rec, line, &field);
  record_add_field(ld, rec, line, &field);
  return LDIF_STEP_OK;
}

/* Skips a leading `version:` line.  Returns: the index of the first other line. */
static guint
skip_version(const LdifLoad *ld, GPtrArray *group)
{
  const LdifLine *line = group->pdata[0];
  g_autofree char *value = NULL;

  if (line->too_long || g_ascii_strncasecmp(line->text, "version:", 8) != 0)
    return 0;
  value = g_strstrip(g_strdup(line->text + 8));
  if (strcmp(value, "1") != 0) {
    g_autofree char *shown = quote(value, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, line->line,
                "LDIF version '%s' is not 1; reading the file as version 1", shown);
  }
  return 1;
}

/* ldapsearch ends with "search: N" / "result: 0 Success" and prints referrals as
 * "ref:" groups: no entry, but a failed search means the export is incomplete. */
static void
check_trailer(const LdifLoad *ld, GPtrArray *group, guint start)
{
  for (guint i = start; i < group->len; i++) {
    const LdifLine *line = group->pdata[i];
    const char *value;

    if (line->too_long || g_ascii_strncasecmp(line->text, "result:", 7) != 0)
      continue;
    value = line->text + 7;
    while (*value == ' ')
      value++;
    if (value[0] == '0' && (value[1] == '\0' || value[1] == ' '))
      continue;
    g_autofree char *shown = quote(value, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, line->line,
                "ldapsearch reported 'result: %s'; the export may be incomplete", shown);
  }
}

/* Reads the first line of a record: its DN.  Returns: (transfer full) (nullable):
 * the record, or NULL when the group holds none (@error tells whether it failed). */
static LdifRecord *
parse_record_head(const LdifLoad *ld, GPtrArray *group, guint start, GError **error)
{
  const LdifLine *first = group->pdata[start];
  g_auto(LdifField) field = { 0 };
  g_autoptr(LdifRecord) rec = NULL;
  g_autofree char *dn = NULL;

  if (first->too_long) {
    g_autofree char *shown = quote(first->text, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, first->line,
                "line '%s' is longer than 1 MiB after unfolding; record skipped", shown);
    return NULL;
  }
  if (!split_field(ld, first, &field, error))
    return NULL;
  if (field.id == LDIF_ATTR_TRAILER) {
    check_trailer(ld, group, start);
    return NULL;
  }
  if (field.id != LDIF_ATTR_DN) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, first->line,
                      "record starts with '%s:', not 'dn:'; every LDIF record starts with "
                      "its DN (is a blank line misplaced?)",
                      field.name);
    return NULL;
  }
  rec = ldif_record_new(ld->arena, first->line);
  if (!decode_dn(ld, first, &field, &dn, error))
    return NULL;
  rec->dn = arena_strdup(ld->arena, dn);
  return g_steal_pointer(&rec);
}

/* ------------------------------------------------------- stage 2: classes */

typedef struct {
  const char *name;
  gsize len;
  LdifClass cls;
  int rank; /* how specific: a computer is also a user, a GPC also a container */
} LdifClassInfo;

#define LDIF_CLASS_INFO(name, cls, rank)                                                           \
  {                                                                                                \
    name, sizeof name - 1, cls, rank                                                               \
  }

static const LdifClassInfo known_classes[] = {
  LDIF_CLASS_INFO("top", LDIF_CLASS_OTHER, 0),
  LDIF_CLASS_INFO("person", LDIF_CLASS_OTHER, 1),
  LDIF_CLASS_INFO("organizationalPerson", LDIF_CLASS_OTHER, 1),
  LDIF_CLASS_INFO("domain", LDIF_CLASS_OTHER, 1),
  LDIF_CLASS_INFO("container", LDIF_CLASS_CONTAINER, 1),
  LDIF_CLASS_INFO("user", LDIF_CLASS_OTHER, 2),
  LDIF_CLASS_INFO("group", LDIF_CLASS_GROUP, 2),
  LDIF_CLASS_INFO("msWMI-Som", LDIF_CLASS_WMI_FILTER, 2),
  LDIF_CLASS_INFO("subnet", LDIF_CLASS_SUBNET, 2),
  LDIF_CLASS_INFO("server", LDIF_CLASS_SERVER, 2),
  LDIF_CLASS_INFO("domainDNS", LDIF_CLASS_DOMAIN, 2),
  LDIF_CLASS_INFO("organizationalUnit", LDIF_CLASS_OU, 2),
  LDIF_CLASS_INFO("site", LDIF_CLASS_SITE, 2),
  LDIF_CLASS_INFO("groupPolicyContainer", LDIF_CLASS_GPC, 2),
  LDIF_CLASS_INFO("crossRef", LDIF_CLASS_CROSSREF, 2),
  LDIF_CLASS_INFO("computer", LDIF_CLASS_COMPUTER, 3),
};

/* Returns: (nullable): the known class the text value @attr names, any case. */
static const LdifClassInfo *
lookup_class(const LdifAttr *attr)
{
  /* A text value holds no NUL: only names of its length can match, and
   * only those whose first letter matches in either case. */
  for (gsize i = 0; i < G_N_ELEMENTS(known_classes); i++)
    if (known_classes[i].len == attr->len
        && (known_classes[i].name[0] | 0x20) == (attr->value[0] | 0x20)
        && g_ascii_strcasecmp(known_classes[i].name, attr->value) == 0)
      return &known_classes[i];
  return NULL;
}

/* Exports list objectClass from top to the most specific class, so the last value
 * names the object.  A directory may also return the values in another order (they
 * are a set): when the last value is a class we know, the most specific known
 * class listed wins.  An unknown last value (msDS-GroupManagedServiceAccount)
 * stays the object's class.  Done in stage 2, on the threads. */
static void
record_classify(LdifRecord *rec)
{
  const LdifAttr *last = NULL;
  const LdifClassInfo *last_info = NULL;
  const LdifClassInfo *best = NULL;

  for (guint i = 0; i < rec->attrs->len; i++) {
    const LdifAttr *attr = rec->attrs->pdata[i];

    if (attr->id != LDIF_ATTR_OBJECT_CLASS || !attr->text)
      continue;
    last = attr;
    last_info = lookup_class(attr);
    if (last_info != NULL && (best == NULL || last_info->rank >= best->rank))
      best = last_info;
  }
  rec->cls = LDIF_CLASS_NONE;
  if (last == NULL)
    return;
  rec->class_name = last->value;
  rec->cls = LDIF_CLASS_OTHER;
  if (last_info == NULL)
    return;
  rec->class_name = best->name;
  rec->cls = best->cls;
}

static const LdifAttr *record_attr(const LdifRecord *rec, LdifAttrId id);

/* The text of the last value of @id, or NULL: no finding, unlike record_text(). */
static const char *
quiet_text(const LdifRecord *rec, LdifAttrId id)
{
  const LdifAttr *attr = record_attr(rec, id);

  return attr && attr->text ? attr->value : NULL;
}

/* Whether the computer of @rec answers to @name, as gp_computer_matches() tells
 * from the record's own names. */
static gboolean
record_names_computer(const LdifRecord *rec, const char *name)
{
  g_autofree char *first = NULL;
  GpComputer view = { .dn = rec->dn };

  view.cn = (char *)quiet_text(rec, LDIF_ATTR_CN);
  if (view.cn == NULL)
    view.cn = first = gp_dn_first_value(rec->dn);
  view.sam_account_name = (char *)quiet_text(rec, LDIF_ATTR_SAM_ACCOUNT_NAME);
  view.dns_host_name = (char *)quiet_text(rec, LDIF_ATTR_DNS_HOST_NAME);
  return gp_computer_matches(&view, name);
}

static gboolean
parse_group(const LdifLoad *ld, GPtrArray *group, GPtrArray *records, GError **error)
{
  guint start = skip_version(ld, group);
  GError *local = NULL;
  g_autoptr(LdifRecord) rec = NULL;

  if (start >= group->len)
    return TRUE;
  rec = parse_record_head(ld, group, start, &local);
  if (rec == NULL) {
    if (local == NULL)
      return TRUE;
    g_propagate_error(error, local);
    return FALSE;
  }
  for (guint i = start + 1; i < group->len; i++) {
    LdifStep step = parse_attribute_line(ld, rec, group->pdata[i], error);
    if (step == LDIF_STEP_ERROR)
      return FALSE;
    if (step == LDIF_STEP_DROP)
      return TRUE;
  }
  record_classify(rec);
  if (ld->only_computer && rec->cls == LDIF_CLASS_COMPUTER
      && !record_names_computer(rec, ld->only_computer)) {
    rec->cls = LDIF_CLASS_OTHER_COMPUTER;
    (*ld->skipped_computers)++;
  }
  g_ptr_array_add(records, g_steal_pointer(&rec));
  return TRUE;
}

/* --------------------------------------------------------- record accessors */

/* Returns: (nullable) (transfer none): the last value of attribute @id. */
static const LdifAttr *
record_attr(const LdifRecord *rec, LdifAttrId id)
{
  for (guint i = rec->attrs->len; i > 0; i--) {
    const LdifAttr *attr = rec->attrs->pdata[i - 1];
    if (attr->id == id)
      return attr;
  }
  return NULL;
}

static gboolean
attr_is_text(const LdifAttr *attr)
{
  return attr->text;
}

/* Returns: (nullable) (transfer none): @attr as text.  A value that is not
 * UTF-8 (base64 of binary bytes) is reported and ignored. */
static const char *
attr_text(const LdifLoad *ld, const LdifRecord *rec, const LdifAttr *attr)
{
  if (attr == NULL)
    return NULL;
  if (!attr_is_text(attr)) {
    g_autofree char *dn = quote(rec->dn, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, attr->line,
                "value of '%s' on '%s' is not UTF-8 text; attribute ignored",
                attribute_names[attr->id], dn);
    return NULL;
  }
  return attr->value;
}

/* Returns: (nullable) (transfer none): the last value of @id as text (attr_text()). */
static const char *
record_text(const LdifLoad *ld, const LdifRecord *rec, LdifAttrId id)
{
  return attr_text(ld, rec, record_attr(rec, id));
}

/* g_ascii_string_to_signed() of @text with its blanks (g_strstrip()) left out,
 * without copying a value of the usual length to the heap. */
static gboolean
parse_integer(const char *text, gint64 min, gint64 max, gint64 *out)
{
  const char *end = text + strlen(text);
  char small[64];
  g_autofree char *big = NULL;
  char *copy = small;
  gsize len;

  while (g_ascii_isspace(*text))
    text++;
  while (end > text && g_ascii_isspace(end[-1]))
    end--;
  len = (gsize)(end - text);
  /* The usual value, a few digits, cannot overflow: no need for strtoll(). */
  if (len > 0 && len <= 18 && strspn(text, "0123456789") >= len) {
    gint64 value = 0;
    for (gsize i = 0; i < len; i++)
      value = value * 10 + (text[i] - '0');
    if (value < min || value > max)
      return FALSE;
    *out = value;
    return TRUE;
  }
  if (len >= sizeof small)
    copy = big = g_malloc(len + 1);
  memcpy(copy, text, len);
  copy[len] = '\0';
  return g_ascii_string_to_signed(copy, 10, min, max, out, NULL);
}

/* Parses the last value of @id as a whole decimal number in [@min, @max].
 * Returns: TRUE with @out set; FALSE when absent, or bad (then reported). */
static gboolean
record_integer(const LdifLoad *ld, const LdifRecord *rec, LdifAttrId id, gint64 min, gint64 max,
               gint64 *out)
{
  const LdifAttr *attr = record_attr(rec, id);
  const char *text = attr_text(ld, rec, attr);

  if (text == NULL)
    return FALSE;
  if (parse_integer(text, min, max, out))
    return TRUE;
  g_autofree char *shown = quote(text, -1);
  gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, attr->line,
              "value '%s' of '%s' is not an integer in %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
              "; attribute ignored",
              shown, attribute_names[id], min, max);
  return FALSE;
}

/* 32-bit fields (flags, versionNumber, userAccountControl, gPOptions): AD stores
 * them as signed INTEGER, so a tool may print a set high bit as a negative value;
 * both spellings give the same bits. */
static gboolean
record_bits32(const LdifLoad *ld, const LdifRecord *rec, LdifAttrId id, guint32 *out)
{
  gint64 value;

  if (!record_integer(ld, rec, id, G_MININT32, G_MAXUINT32, &value))
    return FALSE;
  *out = (guint32)value;
  return TRUE;
}

/* Replaces *@field with a copy of @value when @value is set: later records of the
 * same DN fill or overwrite what earlier ones gave, never erase it. */
static void
set_string(char **field, const char *value)
{
  if (value == NULL || (*field != NULL && strcmp(*field, value) == 0))
    return;
  g_free(*field);
  *field = g_strdup(value);
}

static void
set_location(const LdifLoad *ld, const LdifRecord *rec, char **file, guint *line)
{
  set_string(file, ld->file);
  *line = rec->line;
}

/* Returns: (transfer full) (nullable): objectSid as "S-1-...", text (ldbsearch) or
 * binary (objectSid::); a value that is neither is reported. */
static char *
record_sid(const LdifLoad *ld, const LdifRecord *rec)
{
  const LdifAttr *attr = record_attr(rec, LDIF_ATTR_OBJECT_SID);
  char *sid = NULL;

  if (attr == NULL)
    return NULL;
  /* Upper case: the principal directory and the SIDs of templates use "S-1-". */
  if (attr_is_text(attr) && gp_sid_is_valid(attr->value))
    return g_ascii_strup(attr->value, -1);
  if (attr->base64)
    sid = gp_sid_from_binary((const guint8 *)attr->value, attr->len);
  if (sid == NULL) {
    g_autofree char *dn = quote(rec->dn, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, attr->line,
                "objectSid of '%s' is neither 'S-1-...' text nor a binary SID; ignored", dn);
  }
  return sid;
}

/* ---------------------------------------------------------- stage 3: apply */

/* Reads gPLink and gPOptions, common to sites, domains and OUs. */
static void
apply_som_fields(const LdifLoad *ld, const LdifRecord *rec, GpSom *som)
{
  const char *gplink = record_text(ld, rec, LDIF_ATTR_GPLINK);
  guint32 options;

  if (gplink != NULL)
    gp_som_set_gplink(som, gplink, ld->diags, ld->file, record_attr(rec, LDIF_ATTR_GPLINK)->line);
  if (record_bits32(ld, rec, LDIF_ATTR_GPOPTIONS, &options))
    som->gp_options = options;
  /* The directory object itself: its links and blocking are known, not assumed. */
  som->link_order_assumed = FALSE;
  som->block_unknown = FALSE;
  /* The location worth showing is where the links were read. */
  if (som->file == NULL || gplink != NULL)
    set_location(ld, rec, &som->file, &som->line);
}

static gboolean
apply_domain(const LdifLoad *ld, const LdifRecord *rec)
{
  g_autofree char *dns_name = gp_dn_to_dns_name(rec->dn);
  g_autofree char *sid = NULL;
  GpDomain *domain;
  GpSom *som;

  if (dns_name == NULL) {
    g_autofree char *dn = quote(rec->dn, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, rec->line,
                "domainDNS object '%s' has no DC= components; record skipped", dn);
    return TRUE;
  }
  domain = gp_model_ensure_domain(ld->model, rec->dn);
  set_string(&domain->dns_name, dns_name);
  sid = record_sid(ld, rec);
  set_string(&domain->sid, sid);
  som = gp_model_ensure_som(ld->model, rec->dn, GP_SOM_DOMAIN);
  set_string(&som->name, dns_name);
  apply_som_fields(ld, rec, som);
  return TRUE;
}

static gboolean
apply_ou(const LdifLoad *ld, const LdifRecord *rec)
{
  g_autofree char *name = gp_dn_first_value(rec->dn);
  GpSom *som = gp_model_ensure_som(ld->model, rec->dn, GP_SOM_OU);

  set_string(&som->name, name);
  apply_som_fields(ld, rec, som);
  return TRUE;
}

static gboolean
apply_site(const LdifLoad *ld, const LdifRecord *rec)
{
  g_autofree char *rdn = gp_dn_first_value(rec->dn);
  const char *cn = record_text(ld, rec, LDIF_ATTR_CN);
  GpSom *som = gp_model_ensure_som(ld->model, rec->dn, GP_SOM_SITE);

  set_string(&som->name, cn != NULL ? cn : rdn);
  apply_som_fields(ld, rec, som);
  return TRUE;
}

/* Returns: FALSE, so the container is counted among the unused records. */
static gboolean
apply_container(const LdifLoad *ld, const LdifRecord *rec)
{
  const LdifAttr *gplink = record_attr(rec, LDIF_ATTR_GPLINK);

  if (gplink != NULL) {
    g_autofree char *dn = quote(rec->dn, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gplink->line,
                "gPLink on container '%s' is ignored: Group Policy applies links of sites, "
                "domains and OUs only",
                dn);
  }
  return FALSE;
}

/* nTSecurityDescriptor: binary (ldapsearch, ldifde: base64) is parsed now; SDDL
 * (ldbsearch) may name domain aliases, so it waits for the whole file. */
static void
apply_gpc_descriptor(const LdifLoad *ld, const LdifRecord *rec, GpGpo *gpo)
{
  const LdifAttr *attr = record_attr(rec, LDIF_ATTR_NT_SECURITY_DESCRIPTOR);
  g_autoptr(GError) error = NULL;
  GpSecurityDescriptor *sd;

  if (attr == NULL)
    return;
  if (attr_is_text(attr) && !g_ascii_isdigit(attr->value[0])) {
    LdifPendingSddl pending = { gpo, attr->value, attr->line };
    g_array_append_val(ld->pending_sddl, pending);
    return;
  }
  sd = gp_sd_from_binary((const guint8 *)attr->value, attr->len, &error);
  if (sd == NULL) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, attr->line,
                "nTSecurityDescriptor of GPO %s cannot be read (%s); security filtering will "
                "assume it applies",
                gpo->guid, error->message);
    return;
  }
  gp_security_descriptor_free(gpo->security_descriptor);
  gpo->security_descriptor = sd;
}

static gboolean
apply_gpc(const LdifLoad *ld, const LdifRecord *rec)
{
  GpGpo *gpo = gp_model_ensure_gpo_dn(ld->model, rec->dn);
  gint64 version;

  if (gpo == NULL) {
    g_autofree char *dn = quote(rec->dn, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, rec->line,
                "groupPolicyContainer '%s' has no {GUID} as its cn; record skipped", dn);
    return TRUE;
  }
  gpo->in_directory = TRUE;
  set_string(&gpo->display_name, record_text(ld, rec, LDIF_ATTR_DISPLAY_NAME));
  record_bits32(ld, rec, LDIF_ATTR_FLAGS, &gpo->flags);
  record_bits32(ld, rec, LDIF_ATTR_VERSION_NUMBER, &gpo->version_number);
  if (record_integer(ld, rec, LDIF_ATTR_GPC_FUNCTIONALITY_VERSION, G_MININT, G_MAXINT, &version)) {
    gpo->functionality_version = (gint)version;
    gpo->has_functionality_version = TRUE;
  }
  set_string(&gpo->file_sys_path, record_text(ld, rec, LDIF_ATTR_GPC_FILE_SYS_PATH));
  set_string(&gpo->machine_extension_names,
             record_text(ld, rec, LDIF_ATTR_GPC_MACHINE_EXTENSION_NAMES));
  set_string(&gpo->wql_filter, record_text(ld, rec, LDIF_ATTR_GPC_WQL_FILTER));
  apply_gpc_descriptor(ld, rec, gpo);
  set_location(ld, rec, &gpo->file, &gpo->line);
  return TRUE;
}

/* g_ascii_strncasecmp(@rdn, "dc=", 3) == 0, inline: it runs for every RDN of
 * every principal. */
static gboolean
is_dc_rdn(const char *rdn)
{
  return (rdn[0] | 0x20) == 'd' && (rdn[1] | 0x20) == 'c' && rdn[2] == '=';
}

/* The trailing DC= run of @dn, in place, when @dn is written plainly (no '\\',
 * no blank in that run): what gp_dn_domain_part() returns, without copying. */
static const char *
domain_suffix(const char *dn)
{
  const char *start = NULL;

  if (strchr(dn, '\\'))
    return NULL;
  for (const char *rdn = dn; rdn;) {
    const char *comma = strchr(rdn, ',');
    if (!is_dc_rdn(rdn))
      start = NULL;
    else if (!start)
      start = rdn;
    rdn = comma ? comma + 1 : NULL;
  }
  return start && !strchr(start, ' ') ? start : NULL;
}

/* "NETBIOS\\" for principals of @domain_dn, or "" when the DN tells no domain. */
static char *
domain_prefix(const LdifLoad *ld, const char *domain_dn)
{
  g_autofree char *label = NULL;
  g_autofree char *upper = NULL;
  const GpDomain *domain = gp_model_find_domain(ld->model, domain_dn);

  if (domain != NULL && domain->netbios_name != NULL)
    return g_strdup_printf("%s\\", domain->netbios_name);
  /* Without a crossRef the first DC label is the usual NetBIOS name. */
  label = gp_dn_first_value(domain_dn);
  if (label == NULL || *label == '\0')
    return g_strdup("");
  upper = g_utf8_strup(label, -1);
  return g_strdup_printf("%s\\", upper);
}

/* Returns: (transfer none): the "DOMAIN\" that names a security principal of
 * @dn ("" when the DN tells no domain); *@owned holds it when it is not the
 * cached one.  Principals come in runs of one domain, whose prefix is worked
 * out once: a domain's NetBIOS name comes from crossRefs, applied before any
 * principal. */
static const char *
principal_prefix(const LdifLoad *ld, const char *dn, const char *sid, char **owned)
{
  const char *suffix;
  g_autofree char *domain_dn = NULL;

  /* Windows names the S-1-5-32 aliases BUILTIN\..., not after the domain. */
  if (g_str_has_prefix(sid, "S-1-5-32-"))
    return "BUILTIN\\";
  suffix = domain_suffix(dn);
  if (suffix && ld->domain && g_strcmp0(ld->domain->domain_dn, suffix) == 0)
    return ld->domain->prefix;
  domain_dn = suffix ? g_strdup(suffix) : gp_dn_domain_part(dn);
  if (domain_dn == NULL)
    return "";
  if (!suffix || !ld->domain)
    return *owned = domain_prefix(ld, domain_dn);
  g_free(ld->domain->domain_dn);
  g_free(ld->domain->prefix);
  ld->domain->domain_dn = g_steal_pointer(&domain_dn);
  ld->domain->prefix = domain_prefix(ld, ld->domain->domain_dn);
  return ld->domain->prefix;
}

/* Returns: TRUE when @rec named a principal (objectSid and sAMAccountName). */
static gboolean
add_principal(const LdifLoad *ld, const LdifRecord *rec, const char *sid)
{
  const char *sam = record_text(ld, rec, LDIF_ATTR_SAM_ACCOUNT_NAME);
  g_autofree char *owned = NULL;
  g_autofree char *big = NULL;
  char small[256];
  const char *prefix;
  char *name = small;
  gsize prefix_len, sam_len;

  if (sid == NULL || sam == NULL)
    return FALSE;
  /* "DOMAIN\sam", on the stack: the model keeps its own copy. */
  prefix = principal_prefix(ld, rec->dn, sid, &owned);
  prefix_len = strlen(prefix);
  sam_len = strlen(sam);
  if (prefix_len + sam_len >= sizeof small)
    name = big = g_malloc(prefix_len + sam_len + 1);
  memcpy(name, prefix, prefix_len);
  memcpy(name + prefix_len, sam, sam_len + 1);
  gp_model_add_principal(ld->model, sid, name);
  return TRUE;
}

/* Adds @dn to the computer's memberOf unless it is there in another spelling. */
static void
computer_add_member_of(GpComputer *computer, const char *dn)
{
  char buffer[GP_KEY_BUFFER], other[GP_KEY_BUFFER];
  g_autofree char *owned = NULL;
  const char *key = gp_dn_key(dn, buffer, &owned);

  if (computer->member_of == NULL)
    computer->member_of = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < computer->member_of->len; i++) {
    g_autofree char *other_owned = NULL;
    if (strcmp(key, gp_dn_key(computer->member_of->pdata[i], other, &other_owned)) == 0)
      return;
  }
  g_ptr_array_add(computer->member_of, g_strdup(dn));
}

static void
apply_computer_groups(const LdifLoad *ld, const LdifRecord *rec, GpComputer *computer)
{
  for (guint i = 0; i < rec->attrs->len; i++) {
    const LdifAttr *attr = rec->attrs->pdata[i];

    if (attr->id != LDIF_ATTR_MEMBER_OF)
      continue;
    if (attr_is_text(attr))
      computer_add_member_of(computer, attr->value);
    else
      gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, attr->line,
                  "value of 'memberOf' is not UTF-8 text; attribute ignored");
  }
}

static gboolean
apply_computer(const LdifLoad *ld, const LdifRecord *rec)
{
  GpComputer *computer = gp_model_ensure_computer(ld->model, rec->dn);
  const char *cn = record_text(ld, rec, LDIF_ATTR_CN);
  g_autofree char *sid = record_sid(ld, rec);
  gint64 group_id;

  if (cn != NULL)
    set_string(&computer->cn, cn);
  else if (computer->cn == NULL)
    computer->cn = gp_dn_first_value(rec->dn);
  set_string(&computer->sam_account_name, record_text(ld, rec, LDIF_ATTR_SAM_ACCOUNT_NAME));
  set_string(&computer->dns_host_name, record_text(ld, rec, LDIF_ATTR_DNS_HOST_NAME));
  set_string(&computer->operating_system, record_text(ld, rec, LDIF_ATTR_OPERATING_SYSTEM));
  if (record_bits32(ld, rec, LDIF_ATTR_USER_ACCOUNT_CONTROL, &computer->user_account_control))
    computer->has_user_account_control = TRUE;
  if (record_integer(ld, rec, LDIF_ATTR_PRIMARY_GROUP_ID, 0, G_MAXUINT32, &group_id))
    computer->primary_group_id = (guint32)group_id;
  set_string(&computer->sid, sid);
  apply_computer_groups(ld, rec, computer);
  set_location(ld, rec, &computer->file, &computer->line);
  add_principal(ld, rec, sid);
  return TRUE;
}

static void
append_dn_values(const LdifLoad *ld, const LdifRecord *rec, LdifAttrId id, GPtrArray *out)
{
  for (guint i = 0; i < rec->attrs->len; i++) {
    const LdifAttr *attr = rec->attrs->pdata[i];

    if (attr->id != id)
      continue;
    if (attr_is_text(attr))
      g_ptr_array_add(out, g_strdup(attr->value));
    else
      gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, attr->line,
                  "value of '%s' is not UTF-8 text; ignored", attribute_names[id]);
  }
}

/* Groups: for the computer's token (security filtering) and for names. */
static gboolean
apply_group(const LdifLoad *ld, const LdifRecord *rec)
{
  GpGroup *group = gp_model_ensure_group(ld->model, rec->dn);
  g_autofree char *sid = record_sid(ld, rec);

  set_string(&group->sid, sid);
  set_string(&group->name, record_text(ld, rec, LDIF_ATTR_SAM_ACCOUNT_NAME));
  append_dn_values(ld, rec, LDIF_ATTR_MEMBER_OF, group->member_of);
  append_dn_values(ld, rec, LDIF_ATTR_MEMBER, group->members);
  add_principal(ld, rec, sid);
  return TRUE;
}

/* ------------------------------------------------------------------ users */

/* Accounts that log on: class user (not computer, which has its own class here)
 * and managed service accounts, whose last objectClass gpsim does not know. */
static gboolean
record_is_account(const LdifRecord *rec)
{
  static const char *const classes[]
      = { "user", "msDS-GroupManagedServiceAccount", "msDS-ManagedServiceAccount" };

  for (guint i = 0; i < rec->attrs->len; i++) {
    const LdifAttr *attr = rec->attrs->pdata[i];

    if (attr->id != LDIF_ATTR_OBJECT_CLASS || !attr_is_text(attr))
      continue;
    for (gsize c = 0; c < G_N_ELEMENTS(classes); c++)
      if (g_ascii_strcasecmp(attr->value, classes[c]) == 0)
        return TRUE;
  }
  return FALSE;
}

/* Users: their groups, for the tokens of accounts. */
static void
apply_user(const LdifLoad *ld, const LdifRecord *rec, const char *sid)
{
  GpUser *user = gp_model_ensure_user(ld->model, rec->dn);
  gint64 group_id;

  set_string(&user->sid, sid);
  set_string(&user->name, record_text(ld, rec, LDIF_ATTR_SAM_ACCOUNT_NAME));
  if (record_integer(ld, rec, LDIF_ATTR_PRIMARY_GROUP_ID, 0, G_MAXUINT32, &group_id))
    user->primary_group_id = (guint32)group_id;
  append_dn_values(ld, rec, LDIF_ATTR_MEMBER_OF, user->member_of);
}

/* ------------------------------------------------------------- users: end */

static gboolean
apply_wmi_filter(const LdifLoad *ld, const LdifRecord *rec)
{
  const char *id = record_text(ld, rec, LDIF_ATTR_WMI_ID);
  GpWmiFilter *filter = gp_model_ensure_wmi_filter(ld->model, id ? id : "");
  g_autofree char *domain_dn = gp_dn_domain_part(rec->dn);

  if (filter == NULL) {
    g_autofree char *dn = quote(rec->dn, -1);
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, rec->line,
                "WMI filter '%s' has no msWMI-ID GUID; record skipped", dn);
    return TRUE;
  }
  set_string(&filter->name, record_text(ld, rec, LDIF_ATTR_WMI_NAME));
  set_string(&filter->query, record_text(ld, rec, LDIF_ATTR_WMI_PARM2));
  set_string(&filter->domain_dn, domain_dn);
  return TRUE;
}

static gboolean
apply_subnet(const LdifLoad *ld, const LdifRecord *rec)
{
  g_autofree char *rdn = gp_dn_first_value(rec->dn);
  const char *cn = record_text(ld, rec, LDIF_ATTR_CN);
  GpSubnet *subnet = gp_model_ensure_subnet(ld->model, cn ? cn : rdn);

  set_string(&subnet->site_dn, record_text(ld, rec, LDIF_ATTR_SITE_OBJECT));
  return TRUE;
}

/* CN=DC01,CN=Servers,CN=<site>,CN=Sites,...: a domain controller's site. */
static gboolean
apply_server(const LdifLoad *ld, const LdifRecord *rec)
{
  const char *reference = record_text(ld, rec, LDIF_ATTR_SERVER_REFERENCE);
  g_autofree char *servers = gp_dn_parent(rec->dn);
  g_autofree char *site_dn = servers ? gp_dn_parent(servers) : NULL;
  g_autofree char *site = site_dn ? gp_dn_first_value(site_dn) : NULL;

  if (reference == NULL || site == NULL)
    return FALSE;
  /* Applied by gp_model_complete(): the computer may come later, or from another file. */
  gp_model_add_server_site(ld->model, reference, site);
  return TRUE;
}

/* A crossRef of a domain partition carries the domain's NetBIOS name. */
static gboolean
apply_cross_ref(const LdifLoad *ld, const LdifRecord *rec)
{
  const char *netbios = record_text(ld, rec, LDIF_ATTR_NETBIOS_NAME);
  const char *nc_name = record_text(ld, rec, LDIF_ATTR_NC_NAME);
  GpDomain *domain;

  if (netbios == NULL || nc_name == NULL)
    return FALSE;
  domain = gp_model_ensure_domain(ld->model, nc_name);
  set_string(&domain->netbios_name, netbios);
  return TRUE;
}

/* Returns: FALSE when nothing of @rec went into the model (it is then counted in
 * the note), TRUE when it was used or reported. */
static gboolean
apply_record(const LdifLoad *ld, const LdifRecord *rec)
{
  g_autofree char *sid = NULL;

  switch (rec->cls) {
  case LDIF_CLASS_DOMAIN:
    return apply_domain(ld, rec);
  case LDIF_CLASS_OU:
    return apply_ou(ld, rec);
  case LDIF_CLASS_SITE:
    return apply_site(ld, rec);
  case LDIF_CLASS_CONTAINER:
    return apply_container(ld, rec);
  case LDIF_CLASS_GPC:
    return apply_gpc(ld, rec);
  case LDIF_CLASS_COMPUTER:
    return apply_computer(ld, rec);
  case LDIF_CLASS_OTHER_COMPUTER:
    sid = record_sid(ld, rec);
    add_principal(ld, rec, sid);
    return TRUE;
  case LDIF_CLASS_CROSSREF:
    return apply_cross_ref(ld, rec);
  case LDIF_CLASS_GROUP:
    return apply_group(ld, rec);
  case LDIF_CLASS_WMI_FILTER:
    return apply_wmi_filter(ld, rec);
  case LDIF_CLASS_SUBNET:
    return apply_subnet(ld, rec);
  case LDIF_CLASS_SERVER:
    return apply_server(ld, rec);
  case LDIF_CLASS_OTHER:
    /* Users also fill a GpUser; any other security principal: only its name matters. */
    if (record_attr(rec, LDIF_ATTR_OBJECT_SID) == NULL
        || record_attr(rec, LDIF_ATTR_SAM_ACCOUNT_NAME) == NULL)
      return FALSE;
    sid = record_sid(ld, rec);
    if (sid != NULL && record_is_account(rec))
      apply_user(ld, rec, sid);
    return add_principal(ld, rec, sid) || sid == NULL;
  case LDIF_CLASS_NONE:
    break;
  }
  return FALSE;
}

/* ------------------------------------------------------------ unused note */

static void
count_ignored(LdifLoad *ld, const char *class_name)
{
  LdifIgnored entry;

  for (guint i = 0; i < ld->ignored->len; i++) {
    LdifIgnored *seen = &g_array_index(ld->ignored, LdifIgnored, i);
    if (g_ascii_strcasecmp(seen->name, class_name) == 0) {
      seen->count++;
      return;
    }
  }
  entry.name = g_strdup(class_name);
  entry.count = 1;
  g_array_append_val(ld->ignored, entry);
}

/* One note per file rather than one per record: a full export holds thousands of
 * objects gpsim has no use for, yet dropping them silently is not allowed. */
static void
emit_ignored_note(const LdifLoad *ld)
{
  g_autoptr(GString) list = g_string_new(NULL);
  guint total = 0;

  for (guint i = 0; i < ld->ignored->len; i++) {
    const LdifIgnored *seen = &g_array_index(ld->ignored, LdifIgnored, i);
    g_autofree char *shown = quote(seen->name, -1);

    g_string_append_printf(list, "%s%s(%u)", i > 0 ? ", " : "", shown, seen->count);
    total += seen->count;
  }
  if (total == 0)
    return;
  gp_diag_add(ld->diags, GP_SEVERITY_NOTE, ld->file, 0,
              "skipped %u record%s of classes not used yet: %s", total, total == 1 ? "" : "s",
              list->str);
}

static const char *
domain_sid_of(const LdifLoad *ld, const char *dn)
{
  g_autofree char *domain_dn = gp_dn_domain_part(dn);
  const GpDomain *domain = domain_dn ? gp_model_find_domain(ld->model, domain_dn) : NULL;

  return domain ? domain->sid : NULL;
}

static void
resolve_pending_sddl(const LdifLoad *ld)
{
  for (guint i = 0; i < ld->pending_sddl->len; i++) {
    const LdifPendingSddl *pending = &g_array_index(ld->pending_sddl, LdifPendingSddl, i);
    const char *sid = domain_sid_of(ld, pending->gpo->dn);
    g_autoptr(GError) error = NULL;
    GpSecurityDescriptor *sd = gp_sd_from_sddl(pending->sddl, sid, NULL, &error);

    if (sd == NULL) {
      gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, pending->line,
                  "nTSecurityDescriptor of GPO %s cannot be read (%s); security filtering will "
                  "assume it applies",
                  pending->gpo->guid, error->message);
      continue;
    }
    gp_security_descriptor_free(pending->gpo->security_descriptor);
    pending->gpo->security_descriptor = sd;
  }
}

static void
apply_records(LdifLoad *ld, GPtrArray *records)
{
  /* crossRefs first: they give the NetBIOS names that principal names use, and a
   * full export lists the Configuration partition after the domain's objects. */
  for (guint i = 0; i < records->len; i++) {
    const LdifRecord *rec = records->pdata[i];
    if (rec->cls == LDIF_CLASS_CROSSREF && !apply_record(ld, rec))
      count_ignored(ld, rec->class_name);
  }
  for (guint i = 0; i < records->len; i++) {
    const LdifRecord *rec = records->pdata[i];
    if (rec->cls != LDIF_CLASS_CROSSREF && rec->cls != LDIF_CLASS_SERVER && !apply_record(ld, rec))
      count_ignored(ld, rec->class_name != NULL ? rec->class_name : "(no objectClass)");
  }
  /* Servers last: they point at computers that may come later in the file. */
  for (guint i = 0; i < records->len; i++) {
    const LdifRecord *rec = records->pdata[i];
    if (rec->cls == LDIF_CLASS_SERVER && !apply_record(ld, rec))
      count_ignored(ld, rec->class_name);
  }
  resolve_pending_sddl(ld);
  emit_ignored_note(ld);
}

/* ------------------------------------------------- stages 1 and 2 in chunks
 *
 * A large export is cut at blank lines into chunks that threads split and
 * parse on every core, each chunk with its own arena, names and findings.
 * Stage 3 then applies the records in file order on the calling thread, and
 * the findings are appended in file order, so the model, the messages and
 * their order are those of a single pass. */

/* Below twice this, a text in memory is one chunk and no thread is started;
 * a file is read this much at a time. */
#define LDIF_CHUNK_BYTES (4u << 20)

typedef struct {
  char *text; /* starts a line after a blank one, or the file; written to by stage 1 */
  gsize len;
  char *owned;       /* (nullable) the text, when the chunk holds its own copy */
  gboolean at_start; /* the file's first chunk */
  guint first_line;  /* physical lines before the chunk */
  guint newlines;    /* in the chunk */
  gboolean plain;    /* UTF-8 without NUL */
  LdifLoad load;     /* stage 2 state of this chunk: its names, arena and findings */
  LdifArena arena;
  GPtrArray *records; /* LdifRecord* in the arena */
  guint skipped_computers;
  GError *split_error;
  GError *parse_error;
} LdifChunk;

static void
ldif_chunk_free(LdifChunk *chunk)
{
  g_free(chunk->owned);
  g_clear_pointer(&chunk->records, g_ptr_array_unref);
  g_clear_pointer(&chunk->arena.blocks, g_ptr_array_unref);
  g_clear_pointer(&chunk->load.names, g_string_chunk_free);
  g_clear_pointer(&chunk->load.attr_ids, ldif_name_table_free);
  g_clear_pointer(&chunk->load.diags, g_ptr_array_unref);
  g_clear_error(&chunk->split_error);
  g_clear_error(&chunk->parse_error);
  g_free(chunk);
}

static GPtrArray *
chunk_list_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)ldif_chunk_free);
}

static LdifChunk *
chunk_new(char *text, gsize len, gboolean at_start)
{
  LdifChunk *chunk = g_new0(LdifChunk, 1);

  chunk->text = text;
  chunk->len = len;
  chunk->at_start = at_start;
  return chunk;
}

/* Where the first blank line after the line holding @from ends: a point
 * where the splitter's state is known (no open line, no comment, after a
 * blank), so that a chunk may start there.  @end when there is none. */
static const char *
next_boundary(const char *from, const char *end)
{
  const char *p = memchr(from, '\n', (gsize)(end - from));

  for (p = p ? p + 1 : end; p < end;) {
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    gsize content;

    if (nl == NULL)
      return end;
    content = (gsize)(nl - p);
    if (content > 0 && p[content - 1] == '\r')
      content--;
    if (is_blank(p, content))
      return nl + 1;
    p = nl + 1;
  }
  return end;
}

/* Cuts @text into chunks of about @chunk_bytes.  Returns: (transfer full) LdifChunk*. */
static GPtrArray *
cut_chunks(char *text, gsize len, gsize chunk_bytes)
{
  GPtrArray *chunks = chunk_list_new();
  char *p = text, *end = text + len;

  while (p < end) {
    gsize left = (gsize)(end - p);
    gsize take = left / 2 < chunk_bytes ? left : (gsize)(next_boundary(p + chunk_bytes, end) - p);

    g_ptr_array_add(chunks, chunk_new(p, take, p == text));
    p += take;
  }
  return chunks;
}

typedef void (*LdifChunkFunc)(const LdifLoad *ld, LdifChunk *chunk);

/* Chunks handed out one at a time to whichever thread is free. */
typedef struct {
  const LdifLoad *ld;
  GPtrArray *chunks;
  LdifChunkFunc func;
  gint next;
} LdifWork;

static gpointer
work_on_chunks(gpointer data)
{
  LdifWork *work = data;
  guint i;

  while ((i = (guint)g_atomic_int_add(&work->next, 1)) < work->chunks->len)
    work->func(work->ld, g_ptr_array_index(work->chunks, i));
  return NULL;
}

/* Starts up to @count threads running @func(@data); fewer when one cannot be
 * started.  Returns: (transfer full) the GThread*s, to join. */
static GPtrArray *
start_threads(const char *name, guint count, GThreadFunc func, gpointer data)
{
  GPtrArray *threads = g_ptr_array_new();

  gp_names_prepare_threads();
  for (guint t = 0; t < count; t++) {
    GThread *thread = g_thread_try_new(name, func, data, NULL);
    if (thread == NULL)
      break;
    g_ptr_array_add(threads, thread);
  }
  return threads;
}

static void
join_threads(GPtrArray *threads)
{
  for (guint t = 0; t < threads->len; t++)
    g_thread_join(g_ptr_array_index(threads, t));
  g_ptr_array_unref(threads);
}

/* Runs @func on every chunk, on as many threads as there are processors and
 * chunks, the calling one included. */
static void
for_each_chunk(const LdifLoad *ld, GPtrArray *chunks, LdifChunkFunc func)
{
  LdifWork work = { ld, chunks, func, 0 };
  guint threads = MIN((guint)g_get_num_processors(), chunks->len);
  GPtrArray *helpers
      = start_threads("gpsim-ldif", threads > 1 ? threads - 1 : 0, work_on_chunks, &work);

  work_on_chunks(&work);
  join_threads(helpers);
}

/* UTF-8 without NUL, what g_utf8_validate_len() and memchr() tell, faster:
 * exports are mostly ASCII, checked a word at a time, and a multi-byte
 * character never holds a '\n', so each non-ASCII run is validated up to the
 * end of its line. */
static gboolean
is_plain_text(const char *text, gsize len)
{
  const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT(0x8080808080808080);
  gsize i = 0;

  while (i < len) {
    guint64 word;
    const char *nl;
    gsize span;

    if (i + 8 <= len) {
      memcpy(&word, text + i, 8);
      /* no byte with its high bit set, and no zero byte */
      if (((word | ((word - ones) & ~word)) & highs) == 0) {
        i += 8;
        continue;
      }
    }
    if (text[i] == '\0')
      return FALSE;
    if ((guchar)text[i] < 0x80) {
      i++;
      continue;
    }
    nl = memchr(text + i, '\n', len - i);
    span = nl ? (gsize)(nl - (text + i)) : len - i;
    if (memchr(text + i, '\0', span) || !g_utf8_validate_len(text + i, span, NULL))
      return FALSE;
    i += span;
  }
  return TRUE;
}

static guint
count_newlines(const char *text, gsize len)
{
  const char *p = text, *end = text + len;
  guint count = 0;

  while ((p = memchr(p, '\n', (gsize)(end - p))) != NULL) {
    count++;
    p++;
  }
  return count;
}

/* Counts the chunk's lines, and checks it is text gpsim can read in place. */
static void
scan_chunk(const LdifLoad *ld, LdifChunk *chunk)
{
  (void)ld;
  chunk->newlines = count_newlines(chunk->text, chunk->len);
  chunk->plain = is_plain_text(chunk->text, chunk->len);
}

/* Stages 1 and 2 of one chunk, into its own records and findings. */
static void
parse_chunk(const LdifLoad *ld, LdifChunk *chunk)
{
  chunk->load = *ld;
  chunk->load.diags = gp_diag_list_new();
  chunk->load.names = g_string_chunk_new(4096);
  chunk->load.attr_ids = ldif_name_table_new();
  chunk->arena.blocks = g_ptr_array_new_with_free_func(g_free);
  chunk->load.arena = &chunk->arena;
  chunk->records = g_ptr_array_new();
  chunk->load.skipped_computers = &chunk->skipped_computers;
  split_groups(&chunk->load, chunk->text, chunk->len, chunk->first_line, chunk->at_start,
               chunk->records, &chunk->split_error, &chunk->parse_error);
}

/* Gives each chunk the number of its first line; TRUE when all are plain text. */
static gboolean
number_chunks(GPtrArray *chunks)
{
  guint line = 0;
  gboolean plain = TRUE;

  for (guint i = 0; i < chunks->len; i++) {
    LdifChunk *chunk = g_ptr_array_index(chunks, i);
    chunk->first_line = line;
    line += chunk->newlines;
    plain = plain && chunk->plain;
  }
  return plain;
}

/* What one pass would have reported: the findings up to the first chunk that
 * failed, a continuation error wherever it is, else the first parse error.
 * Returns: TRUE, with every record in file order in @records, when none failed. */
static gboolean
gather_chunks(const LdifLoad *ld, GPtrArray *chunks, GPtrArray *records, GError **error)
{
  const LdifChunk *failed = NULL;

  for (guint i = 0; i < chunks->len; i++) {
    LdifChunk *chunk = g_ptr_array_index(chunks, i);
    if (failed == NULL && ld->diags)
      g_ptr_array_extend_and_steal(ld->diags, g_steal_pointer(&chunk->load.diags));
    if (chunk->split_error) {
      g_propagate_error(error, g_steal_pointer(&chunk->split_error));
      return FALSE;
    }
    if (failed == NULL && chunk->parse_error)
      failed = chunk;
    if (failed == NULL)
      g_ptr_array_extend(records, chunk->records, NULL, NULL);
  }
  if (failed == NULL)
    return TRUE;
  g_propagate_error(error, g_error_copy(failed->parse_error));
  return FALSE;
}

/* Stage 3 over the records of every chunk. */
static void
apply_all(LdifLoad *ld, GPtrArray *records)
{
  LdifDomainCache domain = { NULL, NULL };

  ld->domain = &domain;
  ld->ignored = g_array_new(FALSE, FALSE, sizeof(LdifIgnored));
  g_array_set_clear_func(ld->ignored, ldif_ignored_clear);
  ld->pending_sddl = g_array_new(FALSE, FALSE, sizeof(LdifPendingSddl));
  apply_records(ld, records);
  g_array_unref(ld->pending_sddl);
  g_array_unref(ld->ignored);
  g_free(domain.domain_dn);
  g_free(domain.prefix);
}

/* The computers read for their names only (GpLdifOptions.only_computer), said once a file. */
static void
note_skipped_computers(const LdifLoad *ld, GPtrArray *chunks)
{
  guint skipped = 0;

  for (guint i = 0; i < chunks->len; i++)
    skipped += ((const LdifChunk *)g_ptr_array_index(chunks, i))->skipped_computers;
  if (skipped > 0)
    gp_diag_add(ld->diags, GP_SEVERITY_NOTE, ld->file, 0,
                "only the computer '%s' was asked for: %u other computer record%s read for "
                "%s account name only",
                ld->only_computer, skipped, skipped == 1 ? "" : "s",
                skipped == 1 ? "its" : "their");
}

/* Stage 3 for parsed chunks, then frees them. */
static gboolean
apply_chunks(LdifLoad *ld, GPtrArray *chunks, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new();
  gboolean ok = gather_chunks(ld, chunks, records, error);

  if (ok) {
    apply_all(ld, records);
    note_skipped_computers(ld, chunks);
  }
  g_ptr_array_set_size(chunks, 0);
  return ok;
}

/* Stages 1 to 3 over @len bytes of text, cut into chunks of @chunk_bytes.
 * *@text (owned) is freed as soon as stage 2 is done with it, so that stage 3
 * runs with the records alone.  When @check_plain, the text is checked to be
 * UTF-8 without NUL on the way; FALSE with *@text untouched and no error
 * when it is not (the caller decodes it). */
static gboolean
load_chunks(LdifLoad *ld, char **text, gsize len, gsize chunk_bytes, gboolean check_plain,
            gboolean *plain, GError **error)
{
  g_autoptr(GPtrArray) chunks = cut_chunks(*text, len, chunk_bytes);

  *plain = TRUE;
  for_each_chunk(ld, chunks, scan_chunk);
  if (!number_chunks(chunks) && check_plain) {
    *plain = FALSE;
    return FALSE;
  }
  for_each_chunk(ld, chunks, parse_chunk);
  g_clear_pointer(text, g_free);
  return apply_chunks(ld, chunks, error);
}

/* A byte-order mark: the text needs gp_text_decode(). */
static gboolean
has_bom(const char *data, gsize len)
{
  const guchar *bytes = (const guchar *)data;

  if (len >= 2
      && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
    return TRUE;
  return len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
}

static gboolean
load_decoded(LdifLoad *ld, const char *data, gsize len, gsize chunk_bytes, GError **error)
{
  g_autofree char *text = NULL;
  GError *local = NULL;
  gboolean plain;

  if (len == 0)
    return TRUE;
  text = gp_text_decode(data, len, ld->file, NULL, &local);
  if (text == NULL) {
    if (local == NULL)
      gp_set_load_error(&local, GP_LOAD_ERROR_ENCODING, ld->file, 0, "cannot decode the text");
    g_propagate_error(error, local);
    return FALSE;
  }
  /* A NUL left in decoded text ends it, as it always has. */
  return load_chunks(ld, &text, strlen(text), MAX(chunk_bytes, 1), FALSE, &plain, error);
}

/* A whole file's @len bytes (owned, NUL-terminated): UTF-8 without a BOM or
 * a NUL, the usual export, is parsed in place, anything else decoded first. */
static gboolean
load_contents(LdifLoad *ld, char **contents, gsize len, GError **error)
{
  gboolean plain = FALSE;
  gboolean loaded;

  if (len == 0)
    return TRUE;
  if (!has_bom(*contents, len)) {
    loaded = load_chunks(ld, contents, len, LDIF_CHUNK_BYTES, TRUE, &plain, error);
    if (plain)
      return loaded;
  }
  return load_decoded(ld, *contents, len, LDIF_CHUNK_BYTES, error);
}

/* The whole file read at once. */
static gboolean
load_whole_file(LdifLoad *ld, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;

  if (!g_file_get_contents(ld->file, &contents, &len, &local)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, ld->file, 0, "cannot read the LDIF file: %s",
                      local->message);
    return FALSE;
  }
  return load_contents(ld, &contents, len, error);
}

/* ---------------------------------------------------- files read as they parse
 *
 * gp_ldif_load_files() does not hold a file's text whole: threads take turns
 * cutting the next chunk off the file being read (a block, up to its last
 * blank line) and parse it, while the calling thread applies each file once
 * all its chunks are parsed; the next file is read and parsed meanwhile, at
 * most LDIF_AHEAD_BYTES ahead.  Anything unusual (not a regular file, a read
 * error, a BOM, text that is not plain UTF-8) sends the file to
 * load_whole_file(), which reads it again and reports what is wrong in the
 * words it always has. */

/* Text cut from the files after the one being applied, at most. */
#define LDIF_AHEAD_BYTES (64u << 20)
/* With only one computer read in full, records are small: read further ahead. */
#define LDIF_AHEAD_BYTES_ONE_COMPUTER (256u << 20)

typedef struct {
  LdifLoad load; /* the file's name, the model, the findings */
  int fd;        /* -1 before opening and once read */
  gboolean opened;
  gboolean eof;
  gboolean cut_all; /* no more chunks will come */
  gboolean whole;   /* left to load_whole_file() */
  GString *carry;   /* read, not yet cut */
  guint lines;      /* physical lines in the chunks cut so far */
  guint64 cut_bytes;
  GPtrArray *chunks; /* LdifChunk*, file order */
  guint parsed;      /* chunks whose stage 2 is done */
  /* A FIFO or a device can be opened only once: read whole when opened. */
  GString *read_whole; /* (nullable) what it held */
  char *read_error;    /* (nullable) why it could not be read */
} LdifStream;

typedef struct {
  LdifStream *streams;
  guint count;
  gsize chunk_bytes;
  GMutex lock; /* guards the streams' state and what follows */
  GCond changed;
  guint cutting;  /* the stream chunks are cut from */
  guint applying; /* the stream the calling thread applies or waits for */
  gboolean stop;
} LdifPipeline;

static void
stream_clear(LdifStream *stream)
{
  if (stream->read_whole)
    g_string_free(stream->read_whole, TRUE);
  g_free(stream->read_error);
  if (stream->fd >= 0)
    close(stream->fd);
  if (stream->carry)
    g_string_free(stream->carry, TRUE);
  g_clear_pointer(&stream->chunks, g_ptr_array_unref);
}

/* Everything a FIFO or a device gives, from the descriptor already open. */
static void
stream_read_whole(LdifStream *stream)
{
  GString *text = g_string_sized_new(1u << 16);
  char block[1u << 16];

  for (;;) {
    ssize_t n = read(stream->fd, block, sizeof block);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      stream->read_error = g_strdup(g_strerror(errno));
      g_string_free(text, TRUE);
      return;
    }
    if (n == 0)
      break;
    g_string_append_len(text, block, n);
  }
  stream->read_whole = text;
}

/* Opens a regular file to read block by block.  Returns: FALSE when the file
 * is for the whole-file path: a FIFO or a device is then read whole at once
 * (it could not be opened again), anything else is left to load_whole_file(). */
static gboolean
stream_open(LdifStream *stream)
{
  struct stat st;

  stream->opened = TRUE;
  stream->fd = g_open(stream->load.file, O_RDONLY | O_CLOEXEC, 0);
  if (stream->fd < 0 || fstat(stream->fd, &st) != 0)
    return FALSE;
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))
    stream_read_whole(stream);
  if (!S_ISREG(st.st_mode))
    return FALSE;
  stream->carry = g_string_sized_new(0);
  return TRUE;
}

/* Appends up to @want bytes to the carry.  Returns: FALSE on a read error. */
static gboolean
stream_read(LdifStream *stream, gsize want)
{
  gsize start = stream->carry->len;
  gsize got = 0;

  g_string_set_size(stream->carry, start + want);
  while (got < want) {
    ssize_t n = read(stream->fd, stream->carry->str + start + got, want - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      stream->eof = n == 0;
      g_string_set_size(stream->carry, start + got);
      return n == 0;
    }
    got += (gsize)n;
  }
  return TRUE;
}

/* memrchr(), which is not POSIX. */
static const char *
last_newline(const char *text, gsize len)
{
  for (const char *p = text + len; p > text;)
    if (*--p == '\n')
      return p;
  return NULL;
}

/* Where the last blank line of @text ends, 0 when there is none: a chunk may
 * end there.  @text starts at the start of a line. */
static gsize
last_boundary(const char *text, gsize len)
{
  const char *end = text + len;

  while (end > text) {
    const char *nl = last_newline(text, (gsize)(end - text));
    const char *start;
    gsize content;

    if (nl == NULL)
      return 0;
    start = last_newline(text, (gsize)(nl - text));
    start = start ? start + 1 : text;
    content = (gsize)(nl - start);
    if (content > 0 && start[content - 1] == '\r')
      content--;
    if (is_blank(start, content))
      return (gsize)(nl + 1 - text);
    end = nl;
  }
  return 0;
}

/* How many bytes of the carry the next chunk takes: up to the last blank line,
 * or all once the file is read; reads until there is one. */
static gsize
stream_fill(LdifStream *stream, gsize chunk_bytes)
{
  gsize cut = 0;

  while (!stream->whole && !stream->eof && cut == 0) {
    if (!stream_read(stream, chunk_bytes)
        || (stream->chunks->len == 0 && has_bom(stream->carry->str, stream->carry->len)))
      stream->whole = TRUE;
    else if (stream->eof)
      cut = stream->carry->len;
    else
      cut = last_boundary(stream->carry->str, stream->carry->len);
  }
  return stream->whole ? 0 : cut;
}

/* The next chunk of @stream, read and cut with the pipeline locked; NULL when
 * there is none (cut_all is then set). */
static LdifChunk *
stream_cut(LdifStream *stream, gsize chunk_bytes)
{
  LdifChunk *chunk;
  gsize cut = 0;
  gsize total;
  char *text;

  if (!stream->opened && !stream_open(stream))
    stream->whole = TRUE;
  cut = stream_fill(stream, chunk_bytes);
  if (stream->whole || stream->eof) {
    stream->cut_all = TRUE;
    if (stream->fd >= 0)
      close(stream->fd);
    stream->fd = -1;
  }
  if (cut == 0)
    return NULL;
  total = stream->carry->len;
  text = g_string_free(g_steal_pointer(&stream->carry), FALSE);
  stream->carry = g_string_new_len(text + cut, (gssize)(total - cut));
  chunk = chunk_new(text, cut, stream->chunks->len == 0);
  chunk->owned = text;
  chunk->first_line = stream->lines;
  chunk->newlines = count_newlines(text, cut);
  stream->lines += chunk->newlines;
  stream->cut_bytes += cut;
  g_ptr_array_add(stream->chunks, chunk);
  return chunk;
}

/* May threads cut further?  Not too far ahead of the file being applied. */
static gboolean
pipeline_may_cut(const LdifPipeline *pipe)
{
  guint64 ahead = 0;

  for (guint k = pipe->applying + 1; k <= pipe->cutting && k < pipe->count; k++)
    ahead += pipe->streams[k].cut_bytes;
  return pipe->cutting <= pipe->applying
         || ahead < (pipe->streams[0].load.only_computer ? LDIF_AHEAD_BYTES_ONE_COMPUTER
                                                         : LDIF_AHEAD_BYTES);
}

/* A thread's loop: cut the next chunk, then check and parse it unlocked. */
static gpointer
pipeline_worker(gpointer data)
{
  LdifPipeline *pipe = data;

  g_mutex_lock(&pipe->lock);
  while (!pipe->stop && pipe->cutting < pipe->count) {
    LdifStream *stream = &pipe->streams[pipe->cutting];
    LdifChunk *chunk;

    if (!pipeline_may_cut(pipe)) {
      g_cond_wait(&pipe->changed, &pipe->lock);
      continue;
    }
    chunk = stream_cut(stream, pipe->chunk_bytes);
    if (stream->cut_all)
      pipe->cutting++;
    if (chunk == NULL) {
      g_cond_broadcast(&pipe->changed);
      continue;
    }
    g_mutex_unlock(&pipe->lock);
    chunk->plain = is_plain_text(chunk->text, chunk->len);
    if (chunk->plain)
      parse_chunk(&stream->load, chunk);
    g_clear_pointer(&chunk->owned, g_free);
    g_mutex_lock(&pipe->lock);
    stream->parsed++;
    g_cond_broadcast(&pipe->changed);
  }
  g_mutex_unlock(&pipe->lock);
  return NULL;
}

/* Waits for every chunk of stream @k, then applies them, or the whole file. */
static gboolean
pipeline_apply(LdifPipeline *pipe, guint k, GError **error)
{
  LdifStream *stream = &pipe->streams[k];
  gboolean whole;

  g_mutex_lock(&pipe->lock);
  pipe->applying = k;
  g_cond_broadcast(&pipe->changed);
  while (!(stream->cut_all && stream->parsed == stream->chunks->len))
    g_cond_wait(&pipe->changed, &pipe->lock);
  g_mutex_unlock(&pipe->lock);
  whole = stream->whole;
  for (guint i = 0; i < stream->chunks->len; i++)
    whole = whole || !((LdifChunk *)g_ptr_array_index(stream->chunks, i))->plain;
  if (!whole)
    return apply_chunks(&stream->load, stream->chunks, error);
  g_ptr_array_set_size(stream->chunks, 0);
  if (stream->read_error) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, stream->load.file, 0,
                      "cannot read the LDIF file: %s", stream->read_error);
    return FALSE;
  }
  if (stream->read_whole) {
    gsize len = stream->read_whole->len;
    char *contents = g_string_free(g_steal_pointer(&stream->read_whole), FALSE);
    gboolean loaded = load_contents(&stream->load, &contents, len, error);
    g_free(contents);
    return loaded;
  }
  return load_whole_file(&stream->load, error);
}

static gboolean
load_streams(LdifPipeline *pipe, GError **error)
{
  guint threads = MAX(1u, (guint)g_get_num_processors());
  GPtrArray *workers = start_threads("gpsim-ldif", threads, pipeline_worker, pipe);
  gboolean ok = TRUE;

  for (guint k = 0; ok && k < pipe->count; k++)
    ok = workers->len > 0 ? pipeline_apply(pipe, k, error)
                          : load_whole_file(&pipe->streams[k].load, error);
  g_mutex_lock(&pipe->lock);
  pipe->stop = TRUE;
  g_cond_broadcast(&pipe->changed);
  g_mutex_unlock(&pipe->lock);
  join_threads(workers);
  return ok;
}

static gboolean
load_files(const char *const *paths, const GpLdifOptions *options, GpModel *model, GPtrArray *diags,
           GError **error)
{
  LdifPipeline pipe
      = { .count = g_strv_length((char **)paths),
          .chunk_bytes = options->chunk_bytes ? options->chunk_bytes : LDIF_CHUNK_BYTES };
  gboolean ok;

  pipe.streams = g_new0(LdifStream, pipe.count);
  for (guint k = 0; k < pipe.count; k++) {
    LdifStream *stream = &pipe.streams[k];
    stream->load = (LdifLoad){
      .file = paths[k], .model = model, .diags = diags, .only_computer = options->only_computer
    };
    stream->fd = -1;
    stream->chunks = chunk_list_new();
  }
  g_mutex_init(&pipe.lock);
  g_cond_init(&pipe.changed);
  ok = load_streams(&pipe, error);
  for (guint k = 0; k < pipe.count; k++)
    stream_clear(&pipe.streams[k]);
  g_free(pipe.streams);
  g_mutex_clear(&pipe.lock);
  g_cond_clear(&pipe.changed);
  return ok;
}

/* ------------------------------------------------------------------ public */

gboolean
gp_ldif_load_chunked(const char *data, gsize len, const char *file, GpModel *model,
                     GPtrArray *diags, gsize chunk_bytes, GError **error)
{
  LdifLoad ld = { .file = file != NULL ? file : "<memory>", .model = model, .diags = diags };

  g_return_val_if_fail(data != NULL || len == 0, FALSE);
  g_return_val_if_fail(model != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  return load_decoded(&ld, data, len, chunk_bytes, error);
}

gboolean
gp_ldif_load_from_data(const char *data, gsize len, const char *file, GpModel *model,
                       GPtrArray *diags, GError **error)
{
  return gp_ldif_load_chunked(data, len, file, model, diags, LDIF_CHUNK_BYTES, error);
}

gboolean
gp_ldif_load_files_with(const char *const *paths, const GpLdifOptions *options, GpModel *model,
                        GPtrArray *diags, GError **error)
{
  static const GpLdifOptions defaults = { 0 };

  g_return_val_if_fail(paths != NULL, FALSE);
  g_return_val_if_fail(model != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  return load_files(paths, options ? options : &defaults, model, diags, error);
}

gboolean
gp_ldif_load_files_chunked(const char *const *paths, GpModel *model, GPtrArray *diags,
                           gsize chunk_bytes, GError **error)
{
  GpLdifOptions options = { .chunk_bytes = MAX(chunk_bytes, 1) };

  return gp_ldif_load_files_with(paths, &options, model, diags, error);
}

gboolean
gp_ldif_load_files(const char *const *paths, GpModel *model, GPtrArray *diags, GError **error)
{
  return gp_ldif_load_files_with(paths, NULL, model, diags, error);
}

gboolean
gp_ldif_load_file(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  const char *paths[] = { path, NULL };

  g_return_val_if_fail(path != NULL, FALSE);
  return gp_ldif_load_files(paths, model, diags, error);
}
