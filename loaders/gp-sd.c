/* gp-sd.c - security descriptors, from bytes and from SDDL.
 *
 * Exports gp_sd_from_binary() (the self-relative form of MS-DTYP 2.4.6, as LDAP
 * returns nTSecurityDescriptor) and gp_sd_from_sddl() (MS-DTYP 2.5.1, as
 * ldbsearch and GPMC reports print it).  Both keep the owner and the DACL and
 * nothing else; allow and deny ACEs (plain and object) become GP_ACE_ALLOW and
 * GP_ACE_DENY, every other ACE type GP_ACE_OTHER.  Generic rights are mapped to
 * the directory rights they stand for, as the directory's access check maps
 * them, so the engine only ever sees directory bits.
 *
 * Every problem is a GP_LOAD_ERROR_SYNTAX naming where it is: a byte offset from
 * the start of the descriptor, or a 1-based column of the SDDL string.
 */
#include "gp-loaders.h"

#include <string.h>

#include "gp-names.h"

/* ------------------------------------------------------------ access masks */

/* Directory rights (MS-ADTS 5.1.3.2) and standard rights (MS-DTYP 2.4.3). */
#define DS_CREATE_CHILD   0x00000001u
#define DS_DELETE_CHILD   0x00000002u
#define DS_LIST_CHILDREN  0x00000004u
#define DS_SELF_WRITE     0x00000008u
#define DS_READ_PROPERTY  0x00000010u
#define DS_WRITE_PROPERTY 0x00000020u
#define DS_DELETE_TREE    0x00000040u
#define DS_LIST_OBJECT    0x00000080u
#define DS_CONTROL_ACCESS 0x00000100u
#define STD_DELETE        0x00010000u
#define STD_READ_CONTROL  0x00020000u
#define STD_WRITE_DAC     0x00040000u
#define STD_WRITE_OWNER   0x00080000u
#define GENERIC_ALL       0x10000000u
#define GENERIC_EXECUTE   0x20000000u
#define GENERIC_WRITE     0x40000000u
#define GENERIC_READ      0x80000000u

#define DS_ALL_RIGHTS                                                                              \
  (DS_CREATE_CHILD | DS_DELETE_CHILD | DS_LIST_CHILDREN | DS_SELF_WRITE | DS_READ_PROPERTY         \
   | DS_WRITE_PROPERTY | DS_DELETE_TREE | DS_LIST_OBJECT | DS_CONTROL_ACCESS | STD_DELETE          \
   | STD_READ_CONTROL | STD_WRITE_DAC | STD_WRITE_OWNER)

/* Replaces the generic bits of @mask with the directory rights they stand for. */
static guint32
map_generic(guint32 mask)
{
  guint32 out = mask & ~(GENERIC_ALL | GENERIC_EXECUTE | GENERIC_WRITE | GENERIC_READ);

  if (mask & GENERIC_READ)
    out |= STD_READ_CONTROL | DS_LIST_CHILDREN | DS_READ_PROPERTY | DS_LIST_OBJECT;
  if (mask & GENERIC_WRITE)
    out |= STD_READ_CONTROL | DS_SELF_WRITE | DS_WRITE_PROPERTY;
  if (mask & GENERIC_EXECUTE)
    out |= STD_READ_CONTROL | DS_LIST_CHILDREN;
  if (mask & GENERIC_ALL)
    out |= DS_ALL_RIGHTS;
  return out;
}

/* ------------------------------------------------------------ binary form */

#define SD_HEADER_SIZE         20u
#define ACL_HEADER_SIZE        8u
#define SE_DACL_PRESENT        0x0004u
#define ACE_OBJECT_TYPE        0x1u
#define ACE_INHERITED_OBJ_TYPE 0x2u

/* ACE types (MS-DTYP 2.4.4.1) by layout: mask then SID, or mask, flags, GUIDs, SID. */
typedef enum {
  ACE_LAYOUT_NONE,
  ACE_LAYOUT_PLAIN,
  ACE_LAYOUT_OBJECT,
} AceLayout;

typedef struct {
  const guint8 *data;
  gsize len;
  GError **error;
} SdBytes;

/* What an ACE's body holds, once decoded. */
typedef struct {
  guint32 mask;
  char *object_type; /* (nullable) owned */
  char *sid;         /* (nullable) owned */
} AceBody;

static guint32
read_u16(const guint8 *p)
{
  return (guint32)p[0] | (guint32)p[1] << 8;
}

static guint32
read_u32(const guint8 *p)
{
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* Sets the error for @sd.  Returns: FALSE, for `return sd_fail (...)`. */
static gboolean sd_fail(const SdBytes *sd, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
sd_fail(const SdBytes *sd, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  gp_set_load_error(sd->error, GP_LOAD_ERROR_SYNTAX, NULL, 0, "security descriptor: %s", message);
  return FALSE;
}

/* TRUE when @count bytes at @start lie before @end (no overflow possible). */
static gboolean
fits(gsize start, gsize count, gsize end)
{
  return start <= end && end - start >= count;
}

/* Decodes the SID at @start, which must end by @end (the end of its @container).
 * @what names it in errors ("owner SID", "ACE 3 SID").
 * Returns: (transfer full) (nullable) */
static char *
sid_at(const SdBytes *sd, gsize start, gsize end, const char *what, const char *container)
{
  gsize size;
  char *sid;

  if (!fits(start, 8, end)) {
    sd_fail(sd, "%s at byte %" G_GSIZE_FORMAT " runs past the end of the %s", what, start,
            container);
    return NULL;
  }
  size = 8 + 4 * (gsize)sd->data[start + 1];
  if (!fits(start, size, end)) {
    sd_fail(sd,
            "%s at byte %" G_GSIZE_FORMAT " (%" G_GSIZE_FORMAT " bytes) runs past the end "
            "of the %s",
            what, start, size, container);
    return NULL;
  }
  sid = gp_sid_from_binary(sd->data + start, size);
  if (!sid)
    sd_fail(sd, "%s at byte %" G_GSIZE_FORMAT " is not a SID (revision %u, %u sub-authorities)",
            what, start, sd->data[start], sd->data[start + 1]);
  return sid;
}

/* Returns: (transfer full): "{UPPER}"; the first three fields are little-endian. */
static char *
guid_at(const guint8 *p)
{
  return g_strdup_printf("{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", read_u32(p),
                         read_u16(p + 4), read_u16(p + 6), p[8], p[9], p[10], p[11], p[12], p[13],
                         p[14], p[15]);
}

static AceLayout
ace_layout(guint8 type)
{
  switch (type) {
  case 0x00: /* access allowed */
  case 0x01: /* access denied */
  case 0x02: /* system audit */
  case 0x03: /* system alarm */
  case 0x09: /* access allowed callback */
  case 0x0A: /* access denied callback */
  case 0x0D: /* system audit callback */
  case 0x0E: /* system alarm callback */
  case 0x11: /* mandatory label */
  case 0x12: /* resource attribute */
  case 0x13: /* scoped policy id */
    return ACE_LAYOUT_PLAIN;
  case 0x05: /* access allowed object */
  case 0x06: /* access denied object */
  case 0x07: /* system audit object */
  case 0x08: /* system alarm object */
  case 0x0B: /* access allowed callback object */
  case 0x0C: /* access denied callback object */
  case 0x0F: /* system audit callback object */
  case 0x10: /* system alarm callback object */
    return ACE_LAYOUT_OBJECT;
  default: /* 0x04 compound, and types this code does not know */
    return ACE_LAYOUT_NONE;
  }
}

static GpAceType
ace_kind(guint8 type)
{
  if (type == 0x00 || type == 0x05)
    return GP_ACE_ALLOW;
  if (type == 0x01 || type == 0x06)
    return GP_ACE_DENY;
  return GP_ACE_OTHER;
}

/* Decodes the rest of an object ACE starting at @pos (its header): the object
 * flags, the GUIDs they announce, then the SID, all before @end. */
static gboolean
object_body(const SdBytes *sd, gsize pos, gsize end, guint index, AceBody *body)
{
  g_autofree char *what = g_strdup_printf("ACE %u SID", index);
  gsize cursor = pos + 12;
  guint32 flags;

  if (!fits(pos, 12, end))
    return sd_fail(sd, "ACE %u at byte %" G_GSIZE_FORMAT " is too short for an object ACE", index,
                   pos);
  flags = read_u32(sd->data + pos + 8);
  if (flags & ACE_OBJECT_TYPE) {
    if (!fits(cursor, 16, end))
      return sd_fail(sd,
                     "ACE %u object type at byte %" G_GSIZE_FORMAT " runs past the end of "
                     "the ACE",
                     index, cursor);
    body->object_type = guid_at(sd->data + cursor);
    cursor += 16;
  }
  if (flags & ACE_INHERITED_OBJ_TYPE) {
    if (!fits(cursor, 16, end))
      return sd_fail(sd,
                     "ACE %u inherited object type at byte %" G_GSIZE_FORMAT " runs past "
                     "the end of the ACE",
                     index, cursor);
    cursor += 16;
  }
  body->sid = sid_at(sd, cursor, end, what, "ACE");
  return body->sid != NULL;
}

/* Decodes the body of the ACE of @layout at @pos..@end into @body. */
static gboolean
ace_body(const SdBytes *sd, AceLayout layout, gsize pos, gsize end, guint index, AceBody *body)
{
  g_autofree char *what = NULL;

  if (layout == ACE_LAYOUT_NONE)
    return FALSE;
  if (!fits(pos, 8, end))
    return sd_fail(sd, "ACE %u at byte %" G_GSIZE_FORMAT " is too short for an access mask", index,
                   pos);
  body->mask = map_generic(read_u32(sd->data + pos + 4));
  if (layout == ACE_LAYOUT_OBJECT)
    return object_body(sd, pos, end, index, body);
  what = g_strdup_printf("ACE %u SID", index);
  body->sid = sid_at(sd, pos + 8, end, what, "ACE");
  return body->sid != NULL;
}

/* Checks the header of ACE @index at @pos, inside a DACL ending at @end.
 * Returns: the ACE's size, or 0 with an error. */
static gsize
ace_size_at(const SdBytes *sd, gsize pos, gsize end, guint index)
{
  gsize size;

  if (!fits(pos, 4, end)) {
    sd_fail(sd, "ACE %u at byte %" G_GSIZE_FORMAT " runs past the end of the DACL", index, pos);
    return 0;
  }
  size = read_u16(sd->data + pos + 2);
  if (size < 4 || size % 4 != 0) {
    sd_fail(sd,
            "ACE %u at byte %" G_GSIZE_FORMAT " has size %" G_GSIZE_FORMAT ", not a "
            "multiple of 4",
            index, pos, size);
    return 0;
  }
  if (!fits(pos, size, end)) {
    sd_fail(sd, "ACE %u at byte %" G_GSIZE_FORMAT " runs past the end of the DACL", index, pos);
    return 0;
  }
  return size;
}

/* Parses ACE @index at @pos into @dacl.  Allow and deny ACEs must decode
 * completely; of other types, what decodes is kept (sid NULL otherwise).
 * Returns: the ACE's size, or 0 with an error. */
static gsize
parse_ace(const SdBytes *sd, gsize pos, gsize end, guint index, GPtrArray *dacl)
{
  const SdBytes quiet = { sd->data, sd->len, NULL };
  gsize size = ace_size_at(sd, pos, end, index);
  AceBody body = { 0, NULL, NULL };
  GpAceType kind;
  gboolean ok = TRUE;

  if (size == 0)
    return 0;
  kind = ace_kind(sd->data[pos]);
  if (kind == GP_ACE_OTHER)
    ace_body(&quiet, ace_layout(sd->data[pos]), pos, pos + size, index, &body);
  else
    ok = ace_body(sd, ace_layout(sd->data[pos]), pos, pos + size, index, &body);
  if (ok)
    g_ptr_array_add(dacl,
                    gp_ace_new(kind, sd->data[pos + 1], body.mask, body.object_type, body.sid));
  g_free(body.object_type);
  g_free(body.sid);
  return ok ? size : 0;
}

/* Checks the ACL header at @offset.  Returns: the ACL's size, or 0 with an error. */
static gsize
acl_size_at(const SdBytes *sd, gsize offset)
{
  gsize size;

  if (offset < SD_HEADER_SIZE) {
    sd_fail(sd, "DACL offset %" G_GSIZE_FORMAT " points into the 20-byte header", offset);
    return 0;
  }
  if (!fits(offset, ACL_HEADER_SIZE, sd->len)) {
    sd_fail(sd,
            "DACL header at byte %" G_GSIZE_FORMAT " runs past the end of the descriptor "
            "(%" G_GSIZE_FORMAT " bytes)",
            offset, sd->len);
    return 0;
  }
  if (sd->data[offset] != 2 && sd->data[offset] != 4) {
    sd_fail(sd, "DACL revision %u at byte %" G_GSIZE_FORMAT " is neither 2 nor 4", sd->data[offset],
            offset);
    return 0;
  }
  size = read_u16(sd->data + offset + 2);
  if (size < ACL_HEADER_SIZE || !fits(offset, size, sd->len)) {
    sd_fail(sd,
            "DACL size %" G_GSIZE_FORMAT " at byte %" G_GSIZE_FORMAT " does not fit "
            "between its 8-byte header and the end of the descriptor (%" G_GSIZE_FORMAT " bytes)",
            size, offset + 2, sd->len);
    return 0;
  }
  return size;
}

/* Parses the ACL at @offset.  Returns: (transfer full) (nullable): GpAce*. */
static GPtrArray *
parse_dacl(const SdBytes *sd, gsize offset)
{
  g_autoptr(GPtrArray) dacl = g_ptr_array_new_with_free_func((GDestroyNotify)gp_ace_free);
  gsize size = acl_size_at(sd, offset);
  guint count;
  gsize pos = offset + ACL_HEADER_SIZE;

  if (size == 0)
    return NULL;
  count = read_u16(sd->data + offset + 4);
  for (guint i = 0; i < count; i++) {
    gsize ace_size = parse_ace(sd, pos, offset + size, i + 1, dacl);
    if (ace_size == 0)
      return NULL;
    pos += ace_size;
  }
  return g_steal_pointer(&dacl);
}

/* Assembles the result.  Returns: (transfer full) */
static GpSecurityDescriptor *
sd_new_from_parts(char *owner, GPtrArray *dacl)
{
  GpSecurityDescriptor *out = gp_security_descriptor_new();

  g_ptr_array_unref(out->dacl);
  out->owner = owner;
  out->dacl = dacl;
  return out;
}

GpSecurityDescriptor *
gp_sd_from_binary(const guint8 *data, gsize len, GError **error)
{
  const SdBytes sd = { data, len, error };
  g_autofree char *owner = NULL;
  g_autoptr(GPtrArray) dacl = NULL;
  gsize owner_offset, dacl_offset;

  g_return_val_if_fail(data != NULL || len == 0, NULL);
  if (len < SD_HEADER_SIZE) {
    sd_fail(&sd, "%" G_GSIZE_FORMAT " bytes, shorter than the 20-byte header", len);
    return NULL;
  }
  if (data[0] != 1) {
    sd_fail(&sd, "revision %u at byte 0 is not 1", data[0]);
    return NULL;
  }
  owner_offset = read_u32(data + 4);
  dacl_offset = read_u32(data + 16);
  if (owner_offset != 0 && owner_offset < SD_HEADER_SIZE) {
    sd_fail(&sd, "owner offset %" G_GSIZE_FORMAT " points into the 20-byte header", owner_offset);
    return NULL;
  }
  if (owner_offset != 0 && !(owner = sid_at(&sd, owner_offset, len, "owner SID", "descriptor")))
    return NULL;
  /* No SE_DACL_PRESENT, or present with no ACL: a NULL DACL, which grants everything. */
  if ((read_u16(data + 2) & SE_DACL_PRESENT) && dacl_offset != 0
      && !(dacl = parse_dacl(&sd, dacl_offset)))
    return NULL;
  return sd_new_from_parts(g_steal_pointer(&owner), g_steal_pointer(&dacl));
}

/* -------------------------------------------------------------------- SDDL */

typedef enum {
  ALIAS_FIXED,  /* a well-known SID */
  ALIAS_DOMAIN, /* a RID of the domain the descriptor lives in */
  ALIAS_ROOT,   /* a RID of the forest root domain */
} AliasScope;

typedef struct {
  char alias[3];
  AliasScope scope;
  const char *sid; /* the SID, or the RID for domain and forest aliases */
} SidAlias;

/* MS-DTYP 2.5.1.1 sid-token, with the SIDs of MS-DTYP 2.4.2.4. */
static const SidAlias sid_aliases[] = {
  { "AA", ALIAS_FIXED, "S-1-5-32-579" }, { "AC", ALIAS_FIXED, "S-1-15-2-1" },
  { "AN", ALIAS_FIXED, "S-1-5-7" },      { "AO", ALIAS_FIXED, "S-1-5-32-548" },
  { "AP", ALIAS_DOMAIN, "525" },         { "AS", ALIAS_FIXED, "S-1-18-1" },
  { "AU", ALIAS_FIXED, "S-1-5-11" },     { "BA", ALIAS_FIXED, "S-1-5-32-544" },
  { "BG", ALIAS_FIXED, "S-1-5-32-546" }, { "BO", ALIAS_FIXED, "S-1-5-32-551" },
  { "BU", ALIAS_FIXED, "S-1-5-32-545" }, { "CA", ALIAS_DOMAIN, "517" },
  { "CD", ALIAS_FIXED, "S-1-5-32-574" }, { "CG", ALIAS_FIXED, "S-1-3-1" },
  { "CN", ALIAS_DOMAIN, "522" },         { "CO", ALIAS_FIXED, "S-1-3-0" },
  { "CY", ALIAS_FIXED, "S-1-5-32-569" }, { "DA", ALIAS_DOMAIN, "512" },
  { "DC", ALIAS_DOMAIN, "515" },         { "DD", ALIAS_DOMAIN, "516" },
  { "DG", ALIAS_DOMAIN, "514" },         { "DU", ALIAS_DOMAIN, "513" },
  { "EA", ALIAS_ROOT, "519" },           { "ED", ALIAS_FIXED, "S-1-5-9" },
  { "EK", ALIAS_ROOT, "527" },           { "ER", ALIAS_FIXED, "S-1-5-32-573" },
  { "ES", ALIAS_FIXED, "S-1-5-32-576" }, { "HA", ALIAS_FIXED, "S-1-5-32-578" },
  { "HI", ALIAS_FIXED, "S-1-16-12288" }, { "IS", ALIAS_FIXED, "S-1-5-32-568" },
  { "IU", ALIAS_FIXED, "S-1-5-4" },      { "KA", ALIAS_DOMAIN, "526" },
  { "LA", ALIAS_DOMAIN, "500" },         { "LG", ALIAS_DOMAIN, "501" },
  { "LS", ALIAS_FIXED, "S-1-5-19" },     { "LU", ALIAS_FIXED, "S-1-5-32-559" },
  { "LW", ALIAS_FIXED, "S-1-16-4096" },  { "ME", ALIAS_FIXED, "S-1-16-8192" },
  { "MP", ALIAS_FIXED, "S-1-16-8448" },  { "MS", ALIAS_FIXED, "S-1-5-32-577" },
  { "MU", ALIAS_FIXED, "S-1-5-32-558" }, { "NO", ALIAS_FIXED, "S-1-5-32-556" },
  { "NS", ALIAS_FIXED, "S-1-5-20" },     { "NU", ALIAS_FIXED, "S-1-5-2" },
  { "OW", ALIAS_FIXED, "S-1-3-4" },      { "PA", ALIAS_DOMAIN, "520" },
  { "PO", ALIAS_FIXED, "S-1-5-32-550" }, { "PS", ALIAS_FIXED, "S-1-5-10" },
  { "PU", ALIAS_FIXED, "S-1-5-32-547" }, { "RA", ALIAS_FIXED, "S-1-5-32-575" },
  { "RC", ALIAS_FIXED, "S-1-5-12" },     { "RD", ALIAS_FIXED, "S-1-5-32-555" },
  { "RE", ALIAS_FIXED, "S-1-5-32-552" }, { "RM", ALIAS_FIXED, "S-1-5-32-580" },
  { "RO", ALIAS_ROOT, "498" },           { "RS", ALIAS_DOMAIN, "553" },
  { "RU", ALIAS_FIXED, "S-1-5-32-554" }, { "SA", ALIAS_ROOT, "518" },
  { "SI", ALIAS_FIXED, "S-1-16-16384" }, { "SO", ALIAS_FIXED, "S-1-5-32-549" },
  { "SS", ALIAS_FIXED, "S-1-18-2" },     { "SU", ALIAS_FIXED, "S-1-5-6" },
  { "SY", ALIAS_FIXED, "S-1-5-18" },     { "UD", ALIAS_FIXED, "S-1-5-84-0-0-0-0-0" },
  { "WD", ALIAS_FIXED, "S-1-1-0" },      { "WR", ALIAS_FIXED, "S-1-5-33" },
};

typedef struct {
  char code[3];
  guint32 bits;
} SddlCode;

/* Rights letters (MS-DTYP 2.5.1.1 text-rights-string). */
static const SddlCode sddl_rights[] = {
  { "GA", GENERIC_ALL },       { "GR", GENERIC_READ },      { "GW", GENERIC_WRITE },
  { "GX", GENERIC_EXECUTE },   { "RC", STD_READ_CONTROL },  { "SD", STD_DELETE },
  { "WD", STD_WRITE_DAC },     { "WO", STD_WRITE_OWNER },   { "RP", DS_READ_PROPERTY },
  { "WP", DS_WRITE_PROPERTY }, { "CC", DS_CREATE_CHILD },   { "DC", DS_DELETE_CHILD },
  { "LC", DS_LIST_CHILDREN },  { "SW", DS_SELF_WRITE },     { "LO", DS_LIST_OBJECT },
  { "DT", DS_DELETE_TREE },    { "CR", DS_CONTROL_ACCESS }, { "FA", 0x001F01FFu },
  { "FR", 0x00120089u },       { "FW", 0x00120116u },       { "FX", 0x001200A0u },
  { "KA", 0x000F003Fu },       { "KR", 0x00020019u },       { "KW", 0x00020006u },
  { "KX", 0x00020019u },       { "NR", 0x00000002u },       { "NW", 0x00000001u },
  { "NX", 0x00000004u },
};

/* ACE flags (MS-DTYP 2.5.1.1 ace-flag-string, values of 2.4.4.1). */
static const SddlCode sddl_ace_flags[] = {
  { "OI", 0x01 }, { "CI", 0x02 }, { "NP", 0x04 }, { "IO", GP_ACE_INHERIT_ONLY },
  { "ID", 0x10 }, { "CR", 0x20 }, { "SA", 0x40 }, { "TP", 0x40 },
  { "FA", 0x80 },
};

typedef struct {
  const char *code;
  GpAceType kind;
  gboolean object; /* takes object GUIDs */
} SddlAceType;

static const SddlAceType sddl_ace_types[] = {
  { "A", GP_ACE_ALLOW, FALSE },  { "D", GP_ACE_DENY, FALSE },   { "OA", GP_ACE_ALLOW, TRUE },
  { "OD", GP_ACE_DENY, TRUE },   { "AU", GP_ACE_OTHER, FALSE }, { "AL", GP_ACE_OTHER, FALSE },
  { "OU", GP_ACE_OTHER, TRUE },  { "OL", GP_ACE_OTHER, TRUE },  { "ML", GP_ACE_OTHER, FALSE },
  { "XA", GP_ACE_OTHER, FALSE }, { "XD", GP_ACE_OTHER, FALSE }, { "XU", GP_ACE_OTHER, FALSE },
  { "ZA", GP_ACE_OTHER, TRUE },  { "RA", GP_ACE_OTHER, FALSE }, { "SP", GP_ACE_OTHER, FALSE },
};

typedef struct {
  const char *text; /* the whole string, for columns */
  const char *p;    /* the cursor */
  const char *domain_sid;
  const char *root_sid;
  GError **error;
} Sddl;

/* A piece of the input: never NUL-terminated. */
typedef struct {
  const char *at;
  gsize len;
} Span;

#define ACE_FIELDS 6

/* Sets the error, naming the column of @at.  Returns: FALSE */
static gboolean sddl_fail(const Sddl *s, const char *at, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static gboolean
sddl_fail(const Sddl *s, const char *at, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  gp_set_load_error(s->error, GP_LOAD_ERROR_SYNTAX, NULL, 0, "SDDL column %u: %s",
                    (guint)(at - s->text) + 1, message);
  return FALSE;
}

/* Returns: (transfer full): @span as valid UTF-8, for messages. */
static char *
span_text(Span span)
{
  return g_utf8_make_valid(span.at, (gssize)span.len);
}

static gboolean
span_is(Span span, const char *code)
{
  return span.len == strlen(code) && g_ascii_strncasecmp(span.at, code, span.len) == 0;
}

static const SidAlias *
find_alias(Span span)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sid_aliases); i++)
    if (span_is(span, sid_aliases[i].alias))
      return &sid_aliases[i];
  return NULL;
}

/* Maps a domain or forest alias to its SID.  Returns: (transfer full) (nullable) */
static char *
relative_sid(const Sddl *s, Span span, const SidAlias *alias)
{
  const char *base = alias->scope == ALIAS_DOMAIN ? s->domain_sid : s->root_sid;

  /* Without the forest root's SID, assume a single-domain forest. */
  if (alias->scope == ALIAS_ROOT && base == NULL)
    base = s->domain_sid;
  if (base == NULL) {
    sddl_fail(s, span.at, "SID alias '%s' needs the %s SID, which is not known", alias->alias,
              alias->scope == ALIAS_DOMAIN ? "domain" : "forest root domain");
    return NULL;
  }
  return g_strdup_printf("%s-%s", base, alias->sid);
}

/* Maps the SID string @span ("S-1-..." or an alias) to an upper-case SID.  With
 * @resolve FALSE (a part that is not kept) only its syntax is checked and ""
 * is returned.  Returns: (transfer full) (nullable) */
static char *
sddl_sid(const Sddl *s, Span span, gboolean resolve)
{
  g_autofree char *text = span_text(span);
  const SidAlias *alias;

  if (span.len >= 2 && g_ascii_toupper(span.at[0]) == 'S' && span.at[1] == '-') {
    if (!gp_sid_is_valid(text)) {
      sddl_fail(s, span.at, "'%s' is not a valid SID", text);
      return NULL;
    }
    return resolve ? g_ascii_strup(text, -1) : g_strdup("");
  }
  alias = find_alias(span);
  if (alias == NULL) {
    sddl_fail(s, span.at, "unknown SID alias '%s'", text);
    return NULL;
  }
  if (!resolve)
    return g_strdup("");
  if (alias->scope == ALIAS_FIXED)
    return g_strdup(alias->sid);
  return relative_sid(s, span, alias);
}

/* Returns: the length of the owner or group SID string at @p: a run of SID
 * characters after "S-", else two letters. */
static gsize
sid_token_length(const char *p)
{
  gsize n = 2;

  if (g_ascii_toupper(p[0]) == 'S' && p[1] == '-') {
    while (g_ascii_isdigit(p[n]) || p[n] == '-')
      n++;
    return n;
  }
  return g_ascii_isalpha(p[0]) && g_ascii_isalpha(p[1]) ? 2 : 0;
}

/* Parses "O:<sid>" or "G:<sid>" after the colon into @out. */
static gboolean
sddl_owner_part(Sddl *s, char **out, gboolean resolve)
{
  Span span = { s->p, sid_token_length(s->p) };

  if (span.len == 0)
    return sddl_fail(s, s->p, "expected a SID or a two-letter SID alias");
  *out = sddl_sid(s, span, resolve);
  if (*out == NULL)
    return FALSE;
  s->p += span.len;
  return TRUE;
}

/* Parses two-letter codes from @table in @span into @out (OR-ed). */
static gboolean
sddl_codes(const Sddl *s, Span span, const SddlCode *table, gsize n, const char *what, guint32 *out)
{
  *out = 0;
  for (gsize i = 0; i < span.len; i += 2) {
    Span code = { span.at + i, MIN(2, span.len - i) };
    gsize k = 0;

    while (k < n && !span_is(code, table[k].code))
      k++;
    if (k == n) {
      g_autofree char *text = span_text(code);
      return sddl_fail(s, code.at, "unknown %s '%s'", what, text);
    }
    *out |= table[k].bits;
  }
  return TRUE;
}

/* Parses the rights field: letters, or a number (0x hex, 0 octal, decimal). */
static gboolean
sddl_rights_field(const Sddl *s, Span span, guint32 *out)
{
  g_autofree char *text = NULL;
  const char *digits;
  guint base = 10;
  guint64 value;

  if (span.len == 0 || !g_ascii_isdigit(span.at[0]))
    return sddl_codes(s, span, sddl_rights, G_N_ELEMENTS(sddl_rights), "right", out);
  text = span_text(span);
  digits = text;
  if (span.len > 2 && (text[1] == 'x' || text[1] == 'X') && text[0] == '0') {
    base = 16;
    digits += 2;
  } else if (span.len > 1 && text[0] == '0') {
    base = 8;
    digits += 1;
  }
  if (!g_ascii_isxdigit(digits[0])
      || !g_ascii_string_to_unsigned(digits, base, 0, G_MAXUINT32, &value, NULL))
    return sddl_fail(s, span.at, "'%s' is not an access mask", text);
  *out = (guint32)value;
  return TRUE;
}

/* Parses an object GUID field into @out (NULL when empty). */
static gboolean
sddl_guid_field(const Sddl *s, Span span, const SddlAceType *type, char **out)
{
  g_autofree char *text = NULL;

  if (span.len == 0)
    return TRUE;
  if (!type->object)
    return sddl_fail(s, span.at, "ACE type '%s' takes no object GUID", type->code);
  text = span_text(span);
  *out = gp_guid_normalize(text);
  if (*out == NULL)
    return sddl_fail(s, span.at, "'%s' is not a GUID", text);
  return TRUE;
}

/* Splits the ACE between @open and @close into its six fields.  @out_more is
 * set when a seventh field (condition, resource attribute) follows. */
static gboolean
split_ace(const Sddl *s, const char *open, const char *close, Span *fields, gboolean *out_more)
{
  const char *p = open + 1;

  for (guint i = 0; i < ACE_FIELDS; i++) {
    const char *end = p;

    while (end < close && *end != ';')
      end++;
    if (end == close && i + 1 < ACE_FIELDS)
      return sddl_fail(s, open, "ACE has %u field%s, expected 6", i + 1, i ? "s" : "");
    fields[i] = (Span){ p, (gsize)(end - p) };
    *out_more = end < close;
    p = end + 1;
  }
  return TRUE;
}

static const SddlAceType *
find_ace_type(Span span)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sddl_ace_types); i++)
    if (span_is(span, sddl_ace_types[i].code))
      return &sddl_ace_types[i];
  return NULL;
}

/* Parses the ACE between @open and @close and appends it to @dacl. */
static gboolean
sddl_ace(const Sddl *s, const char *open, const char *close, GPtrArray *dacl)
{
  Span f[ACE_FIELDS];
  gboolean more = FALSE;
  const SddlAceType *type;
  guint32 flags = 0, mask = 0;
  g_autofree char *object_type = NULL;
  g_autofree char *inherited = NULL;
  g_autofree char *sid = NULL;

  if (!split_ace(s, open, close, f, &more))
    return FALSE;
  type = find_ace_type(f[0]);
  if (type == NULL) {
    g_autofree char *text = span_text(f[0]);
    return sddl_fail(s, f[0].at, "unknown ACE type '%s'", text);
  }
  if (more && type->kind != GP_ACE_OTHER)
    return sddl_fail(s, f[5].at + f[5].len, "ACE type '%s' takes 6 fields", type->code);
  if (!sddl_codes(s, f[1], sddl_ace_flags, G_N_ELEMENTS(sddl_ace_flags), "ACE flag", &flags)
      || !sddl_rights_field(s, f[2], &mask) || !sddl_guid_field(s, f[3], type, &object_type)
      || !sddl_guid_field(s, f[4], type, &inherited))
    return FALSE;
  if (f[5].len == 0)
    return sddl_fail(s, f[5].at, "ACE has no SID");
  sid = sddl_sid(s, f[5], TRUE);
  if (sid == NULL)
    return FALSE;
  g_ptr_array_add(dacl, gp_ace_new(type->kind, (guint8)flags, map_generic(mask), object_type, sid));
  return TRUE;
}

/* Returns: (nullable): the ')' closing the ACE that opens at @open, counting
 * nested parentheses of conditions and skipping quoted strings. */
static const char *
ace_close(const Sddl *s, const char *open)
{
  guint depth = 0;
  gboolean quoted = FALSE;

  for (const char *q = open; *q; q++) {
    if (*q == '"')
      quoted = !quoted;
    else if (quoted)
      continue;
    else if (*q == '(')
      depth++;
    else if (*q == ')' && --depth == 0)
      return q;
  }
  sddl_fail(s, open, "ACE is not closed by ')'");
  return NULL;
}

/* Parses the ACL flags (P, AI, AR, NO_ACCESS_CONTROL).  @out_null is set by
 * NO_ACCESS_CONTROL. */
static void
sddl_acl_flags(Sddl *s, gboolean *out_null)
{
  static const char *const acl_flags[] = { "NO_ACCESS_CONTROL", "AI", "AR", "P" };
  gboolean found = TRUE;

  while (found) {
    found = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(acl_flags) && !found; i++) {
      gsize n = strlen(acl_flags[i]);
      if (g_ascii_strncasecmp(s->p, acl_flags[i], n) == 0) {
        *out_null |= i == 0;
        s->p += n;
        found = TRUE;
      }
    }
  }
}

/* Parses "D:..." or "S:..." after the colon.  For the DACL, @out receives the
 * ACEs (NULL for NO_ACCESS_CONTROL); the SACL (@out NULL) is only skipped. */
static gboolean
sddl_acl_part(Sddl *s, GPtrArray **out)
{
  gboolean null_acl = FALSE;
  const char *flags_at = s->p;

  sddl_acl_flags(s, &null_acl);
  if (out && !null_acl)
    *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_ace_free);
  while (*s->p == '(') {
    const char *close = ace_close(s, s->p);

    if (close == NULL)
      return FALSE;
    if (out && null_acl)
      return sddl_fail(s, flags_at, "NO_ACCESS_CONTROL is followed by ACEs");
    if (out && !sddl_ace(s, s->p, close, *out))
      return FALSE;
    s->p = close + 1;
  }
  return TRUE;
}

typedef struct {
  char *owner;     /* (nullable) */
  GPtrArray *dacl; /* (nullable) */
  guint seen;      /* bit per part letter in "OGDS" */
} SddlParts;

/* Parses one "X:..." part at the cursor into @parts. */
static gboolean
sddl_part(Sddl *s, SddlParts *parts)
{
  static const char part_letters[] = "OGDS";
  const char *at = s->p;
  char kind = g_ascii_toupper(at[0]);
  const char *which = kind ? strchr(part_letters, kind) : NULL;
  g_autofree char *group = NULL;

  if (which == NULL || at[1] != ':')
    return sddl_fail(s, at, "expected 'O:', 'G:', 'D:' or 'S:'");
  if (parts->seen & (1u << (which - part_letters)))
    return sddl_fail(s, at, "a second '%c:' part", kind);
  parts->seen |= 1u << (which - part_letters);
  s->p += 2;
  switch (kind) {
  case 'O':
    return sddl_owner_part(s, &parts->owner, TRUE);
  case 'G':
    return sddl_owner_part(s, &group, FALSE);
  case 'D':
    return sddl_acl_part(s, &parts->dacl);
  default:
    return sddl_acl_part(s, NULL);
  }
}

GpSecurityDescriptor *
gp_sd_from_sddl(const char *sddl, const char *domain_sid, const char *root_sid, GError **error)
{
  Sddl s = { sddl, sddl, domain_sid, root_sid, error };
  SddlParts parts = { NULL, NULL, 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail(sddl != NULL, NULL);
  while (ok) {
    while (g_ascii_isspace(*s.p))
      s.p++;
    if (*s.p == '\0')
      break;
    ok = sddl_part(&s, &parts);
  }
  if (ok && parts.seen == 0)
    ok = sddl_fail(&s, s.p, "empty security descriptor");
  if (!ok) {
    g_free(parts.owner);
    g_clear_pointer(&parts.dacl, g_ptr_array_unref);
    return NULL;
  }
  return sd_new_from_parts(parts.owner, parts.dacl);
}
