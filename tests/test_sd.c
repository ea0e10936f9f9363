/* test_sd.c - security descriptors (loaders/gp-sd.c): the self-relative binary
 * form built byte by byte, then broken in every way the parser checks; SDDL with
 * aliases, flags, rights and errors with columns; and the real GPMC backups,
 * whose Backup.xml (hex bytes) and gpreport.xml (SDDL) hold the same descriptor. */
#include "gp-test.h"

#include <string.h>

#include "gp-loaders.h"

#define DOM          "S-1-5-21-1-2-3"
#define ROOT         "S-1-5-21-7-8-9"
#define APPLY        GP_APPLY_GROUP_POLICY_GUID
#define APPLY_LOWER  "edacfd8f-ffb3-11d1-b41d-00a0c968f939"
#define USER_CLASS   "bf967aa5-0de6-11d0-a285-00aa003049e2"
#define MEMBER_PROP  "bf9679c0-0de6-11d0-a285-00aa003049e2"
#define READ_MASK    0x00020094u /* RP LC LO RC, also what GENERIC_READ maps to */
#define FULL_CONTROL 0x000F01FFu /* what GENERIC_ALL maps to */

/* ------------------------------------------------------------ byte builder */

typedef struct {
  guint8 type;
  guint8 flags;
  guint32 mask;
  guint32 object_flags; /* object ACEs only: 1 object type, 2 inherited type */
  const char *object_type;
  const char *inherited;
  const char *sid;
} TestAce;

static void
put_u8(GByteArray *out, guint v)
{
  guint8 byte = (guint8)v;

  g_byte_array_append(out, &byte, 1);
}

static void
put_u16(GByteArray *out, guint v)
{
  put_u8(out, v & 0xff);
  put_u8(out, (v >> 8) & 0xff);
}

static void
put_u32(GByteArray *out, guint32 v)
{
  put_u16(out, v & 0xffff);
  put_u16(out, v >> 16);
}

static void
set_u16(GByteArray *out, gsize at, guint v)
{
  out->data[at] = (guint8)(v & 0xff);
  out->data[at + 1] = (guint8)((v >> 8) & 0xff);
}

static void
set_u32(GByteArray *out, gsize at, guint32 v)
{
  set_u16(out, at, v & 0xffff);
  set_u16(out, at + 2, v >> 16);
}

static void
put_sid(GByteArray *out, const char *sid)
{
  g_auto(GStrv) parts = g_strsplit(sid, "-", -1);
  guint n = g_strv_length(parts);
  guint64 authority = g_ascii_strtoull(parts[2], NULL, 10);

  put_u8(out, 1);
  put_u8(out, n - 3);
  for (int shift = 40; shift >= 0; shift -= 8)
    put_u8(out, (guint)((authority >> shift) & 0xff));
  for (guint i = 3; i < n; i++)
    put_u32(out, (guint32)g_ascii_strtoull(parts[i], NULL, 10));
}

static guint32
hex_at(const char *p, guint digits)
{
  guint32 value = 0;

  for (guint i = 0; i < digits; i++)
    value = value << 4 | (guint32)g_ascii_xdigit_value(p[i]);
  return value;
}

/* Writes "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in the wire order. */
static void
put_guid(GByteArray *out, const char *guid)
{
  put_u32(out, hex_at(guid, 8));
  put_u16(out, hex_at(guid + 9, 4));
  put_u16(out, hex_at(guid + 14, 4));
  for (guint i = 0; i < 2; i++)
    put_u8(out, hex_at(guid + 19 + 2 * i, 2));
  for (guint i = 0; i < 6; i++)
    put_u8(out, hex_at(guid + 24 + 2 * i, 2));
}

static void
put_ace(GByteArray *out, const TestAce *ace)
{
  gsize start = out->len;
  gboolean object = ace->type >= 0x05 && ace->type <= 0x08;

  put_u8(out, ace->type);
  put_u8(out, ace->flags);
  put_u16(out, 0);
  put_u32(out, ace->mask);
  if (object) {
    put_u32(out, ace->object_flags);
    if (ace->object_flags & 1)
      put_guid(out, ace->object_type);
    if (ace->object_flags & 2)
      put_guid(out, ace->inherited);
  }
  put_sid(out, ace->sid);
  set_u16(out, start + 2, (guint)(out->len - start));
}

/* Builds header, owner (nullable) and DACL (present when @control says so).
 * @ace_offsets (nullable) receives where each ACE starts. */
static GByteArray *
build_sd(const char *owner, guint control, const TestAce *aces, guint n, gsize *ace_offsets)
{
  GByteArray *out = g_byte_array_new();
  gsize acl;

  put_u8(out, 1);
  put_u8(out, 0);
  put_u16(out, control);
  for (guint i = 0; i < 4; i++)
    put_u32(out, 0);
  if (owner) {
    set_u32(out, 4, (guint32)out->len);
    put_sid(out, owner);
  }
  acl = out->len;
  set_u32(out, 16, (guint32)acl);
  put_u8(out, 2);
  put_u8(out, 0);
  put_u16(out, 0);
  put_u16(out, n);
  put_u16(out, 0);
  for (guint i = 0; i < n; i++) {
    if (ace_offsets)
      ace_offsets[i] = out->len;
    put_ace(out, &aces[i]);
  }
  set_u16(out, acl + 2, (guint)(out->len - acl));
  return out;
}

/* Parses a copy of exactly @len bytes, so that a read past the end is caught
 * by the sanitizers and valgrind. */
static GpSecurityDescriptor *
parse_exact(const guint8 *data, gsize len, GError **error)
{
  g_autofree guint8 *copy = g_memdup2(data, len);

  return gp_sd_from_binary(copy, len, error);
}

static void
assert_ace(const GpAce *ace, GpAceType type, guint8 flags, guint32 mask, const char *object_type,
           const char *sid)
{
  CU_ASSERT_EQUAL(ace->type, type);
  CU_ASSERT_EQUAL(ace->flags, flags);
  CU_ASSERT_EQUAL(ace->mask, mask);
  GP_ASSERT_STR(ace->object_type, object_type);
  GP_ASSERT_STR(ace->sid, sid);
}

/* ------------------------------------------------------ well-formed binary */

/* Layout (byte offsets): header 0, owner 20 (16 bytes), ACL header 36, then
 * the ACEs at 44, 84, 104, 140, 180, 216, 236, 296; 316 bytes in all. */
static const TestAce base_aces[] = {
  { 0x05, 0x02, 0x100, 1, APPLY_LOWER, NULL, "S-1-5-11" },
  { 0x00, 0x02, READ_MASK, 0, NULL, NULL, "S-1-5-11" },
  { 0x01, 0x00, 0x100, 0, NULL, NULL, DOM "-1107" },
  { 0x05, 0x00, 0x10, 2, NULL, USER_CLASS, "S-1-5-18" },
  { 0x00, 0x00, 0x40000000u | 0x20000000u, 0, NULL, NULL, DOM "-512" },
  { 0x02, 0x40, 0x20, 0, NULL, NULL, "S-1-1-0" },
  { 0x06, 0x08, 0x20, 3, MEMBER_PROP, USER_CLASS, "S-1-5-32-544" },
  { 0x00, 0x00, 0x10000000u, 0, NULL, NULL, "S-1-5-18" },
};

static const gsize base_offsets[] = { 44, 84, 104, 140, 180, 216, 236, 296 };

static GByteArray *
build_base(void)
{
  gsize offsets[G_N_ELEMENTS(base_aces)];
  GByteArray *sd = build_sd("S-1-5-32-544", 0x8004, base_aces, G_N_ELEMENTS(base_aces), offsets);

  CU_ASSERT_EQUAL_FATAL(sd->len, 316);
  for (gsize i = 0; i < G_N_ELEMENTS(base_offsets); i++)
    CU_ASSERT_EQUAL(offsets[i], base_offsets[i]);
  return sd;
}

static void
test_binary_well_formed(void)
{
  g_autoptr(GByteArray) bytes = build_base();
  g_autoptr(GError) error = NULL;
  GpSecurityDescriptor *sd = parse_exact(bytes->data, bytes->len, &error);
  GPtrArray *dacl;

  CU_ASSERT_PTR_NULL(error);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  GP_ASSERT_STR(sd->owner, "S-1-5-32-544");
  dacl = sd->dacl;
  CU_ASSERT_EQUAL_FATAL(dacl->len, 8);
  assert_ace(dacl->pdata[0], GP_ACE_ALLOW, 0x02, 0x100, APPLY, "S-1-5-11");
  assert_ace(dacl->pdata[1], GP_ACE_ALLOW, 0x02, READ_MASK, NULL, "S-1-5-11");
  assert_ace(dacl->pdata[2], GP_ACE_DENY, 0, 0x100, NULL, DOM "-1107");
  /* Only an inherited object type: the ACE names no object type of its own. */
  assert_ace(dacl->pdata[3], GP_ACE_ALLOW, 0, 0x10, NULL, "S-1-5-18");
  /* GENERIC_WRITE | GENERIC_EXECUTE: RC SW WP | RC LC. */
  assert_ace(dacl->pdata[4], GP_ACE_ALLOW, 0, 0x0002002Cu, NULL, DOM "-512");
  assert_ace(dacl->pdata[5], GP_ACE_OTHER, 0x40, 0x20, NULL, "S-1-1-0");
  assert_ace(dacl->pdata[6], GP_ACE_DENY, 0x08, 0x20, "{BF9679C0-0DE6-11D0-A285-00AA003049E2}",
             "S-1-5-32-544");
  assert_ace(dacl->pdata[7], GP_ACE_ALLOW, 0, FULL_CONTROL, NULL, "S-1-5-18");
  gp_security_descriptor_free(sd);
}

static const struct {
  guint32 mask;
  guint32 expected;
} generic_cases[] = {
  { 0x80000000u, READ_MASK },
  { 0x40000000u, 0x00020028u },
  { 0x20000000u, 0x00020004u },
  { 0x10000000u, FULL_CONTROL },
  { 0x10000000u | 0x80000000u, FULL_CONTROL },
  /* Other bits are kept as they are. */
  { 0x80000100u, READ_MASK | 0x100 },
  { 0x01000000u, 0x01000000u },
};

static void
test_binary_generic_rights(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(generic_cases); i++) {
    TestAce ace = { 0x00, 0, generic_cases[i].mask, 0, NULL, NULL, "S-1-5-11" };
    g_autoptr(GByteArray) bytes = build_sd(NULL, 0x8004, &ace, 1, NULL);
    GpSecurityDescriptor *sd = parse_exact(bytes->data, bytes->len, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
    CU_ASSERT_PTR_NULL(sd->owner);
    CU_ASSERT_EQUAL(((GpAce *)sd->dacl->pdata[0])->mask, generic_cases[i].expected);
    gp_security_descriptor_free(sd);
  }
}

/* No SE_DACL_PRESENT, or present with offset 0: a NULL DACL.  Present with no
 * ACEs: an empty DACL, which is not the same thing. */
static void
test_binary_dacl_presence(void)
{
  g_autoptr(GByteArray) absent = build_sd("S-1-5-18", 0x8000, base_aces, 2, NULL);
  g_autoptr(GByteArray) zero = build_sd(NULL, 0x8004, NULL, 0, NULL);
  g_autoptr(GByteArray) empty = build_sd(NULL, 0x8004, NULL, 0, NULL);
  GpSecurityDescriptor *sd = parse_exact(absent->data, absent->len, NULL);

  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  CU_ASSERT_PTR_NULL(sd->dacl);
  GP_ASSERT_STR(sd->owner, "S-1-5-18");
  gp_security_descriptor_free(sd);
  set_u32(zero, 16, 0);
  sd = parse_exact(zero->data, zero->len, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  CU_ASSERT_PTR_NULL(sd->dacl);
  gp_security_descriptor_free(sd);
  sd = parse_exact(empty->data, empty->len, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd->dacl);
  CU_ASSERT_EQUAL(sd->dacl->len, 0);
  gp_security_descriptor_free(sd);
}

/* ACL revision 4 (object ACEs), slack after the last ACE, and slack after the
 * SID inside an ACE are all allowed. */
static void
test_binary_lenient_layout(void)
{
  g_autoptr(GByteArray) bytes = build_sd(NULL, 0x8004, base_aces, 2, NULL);
  GpSecurityDescriptor *sd;

  bytes->data[20] = 4;
  for (guint i = 0; i < 8; i++)
    put_u8(bytes, 0);
  set_u16(bytes, 22, (guint)(bytes->len - 20));
  sd = parse_exact(bytes->data, bytes->len, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  CU_ASSERT_EQUAL(sd->dacl->len, 2);
  gp_security_descriptor_free(sd);
  /* Grow ACE 2 (at 68, 20 bytes) by the 8 bytes of slack: its SID still parses. */
  set_u16(bytes, 68 + 2, 28);
  sd = parse_exact(bytes->data, bytes->len, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  assert_ace(sd->dacl->pdata[1], GP_ACE_ALLOW, 0x02, READ_MASK, NULL, "S-1-5-11");
  gp_security_descriptor_free(sd);
}

/* ACE types other than allow and deny never fail the descriptor: a callback ACE
 * keeps its SID, a compound or unknown one has none, and a broken SID in an
 * audit ACE is dropped. */
static void
test_binary_other_ace_types(void)
{
  static const struct {
    guint8 type;
    gboolean break_sid;
    const char *sid;
  } cases[] = {
    { 0x09, FALSE, "S-1-1-0" }, { 0x11, FALSE, "S-1-1-0" }, { 0x07, FALSE, "S-1-1-0" },
    { 0x04, FALSE, NULL },      { 0x42, FALSE, NULL },      { 0x02, TRUE, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    TestAce ace = { 0x02, 0, 0x20, 0, NULL, NULL, "S-1-1-0" };
    g_autoptr(GByteArray) bytes = build_sd(NULL, 0x8004, &ace, 1, NULL);
    GpSecurityDescriptor *sd;

    /* The ACE is at 28: type at 28, mask at 32, SID at 36 (count at 37). */
    bytes->data[28] = cases[i].type;
    if (cases[i].type == 0x07)
      set_u32(bytes, 36, 0x01010000u); /* object flags 0: the SID follows at 40 */
    if (cases[i].break_sid)
      bytes->data[37] = 9;
    sd = parse_exact(bytes->data, bytes->len, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
    CU_ASSERT_EQUAL(((GpAce *)sd->dacl->pdata[0])->type, GP_ACE_OTHER);
    if (cases[i].type != 0x07)
      GP_ASSERT_STR(((GpAce *)sd->dacl->pdata[0])->sid, cases[i].sid);
    gp_security_descriptor_free(sd);
  }
}

/* ------------------------------------------------------- malformed binary */

typedef struct {
  gsize at;
  guint width; /* 1, 2 or 4 bytes written at @at; 0 truncates the input to @at */
  guint32 value;
  const char *message;
} BadBinary;

static const BadBinary bad_binary_cases[] = {
  { 19, 0, 0, "security descriptor: 19 bytes, shorter than the 20-byte header" },
  { 0, 0, 0, "security descriptor: 0 bytes, shorter than the 20-byte header" },
  { 0, 1, 2, "security descriptor: revision 2 at byte 0 is not 1" },
  { 4, 4, 8, "owner offset 8 points into the 20-byte header" },
  { 4, 4, 312, "owner SID at byte 312 runs past the end of the descriptor" },
  { 4, 4, 0xFFFFFFF0u, "owner SID at byte 4294967280 runs past the end of the descriptor" },
  { 21, 1, 80, "owner SID at byte 20 (328 bytes) runs past the end of the descriptor" },
  { 20, 1, 2, "owner SID at byte 20 is not a SID (revision 2, 2 sub-authorities)" },
  { 16, 4, 4, "DACL offset 4 points into the 20-byte header" },
  { 16, 4, 312, "DACL header at byte 312 runs past the end of the descriptor (316 bytes)" },
  { 16, 4, 0xFFFFFFFFu, "DACL header at byte 4294967295 runs past the end" },
  { 36, 1, 3, "DACL revision 3 at byte 36 is neither 2 nor 4" },
  { 38, 2, 4, "DACL size 4 at byte 38 does not fit" },
  { 38, 2, 284,
    "DACL size 284 at byte 38 does not fit between its 8-byte header and the end of "
    "the descriptor (316 bytes)" },
  { 40, 2, 9, "security descriptor: ACE 9 at byte 316 runs past the end of the DACL" },
  { 38, 2, 270, "ACE 8 at byte 296 runs past the end of the DACL" },
  { 86, 2, 22, "ACE 2 at byte 84 has size 22, not a multiple of 4" },
  { 86, 2, 0, "ACE 2 at byte 84 has size 0, not a multiple of 4" },
  { 106, 2, 400, "ACE 3 at byte 104 runs past the end of the DACL" },
  { 86, 2, 4, "ACE 2 at byte 84 is too short for an access mask" },
  { 46, 2, 8, "ACE 1 at byte 44 is too short for an object ACE" },
  { 46, 2, 24, "ACE 1 object type at byte 56 runs past the end of the ACE" },
  { 52, 4, 3, "ACE 1 inherited object type at byte 72 runs past the end of the ACE" },
  { 93, 1, 5, "ACE 2 SID at byte 92 (28 bytes) runs past the end of the ACE" },
  { 92, 1, 0, "ACE 2 SID at byte 92 is not a SID" },
  { 86, 2, 12, "ACE 2 SID at byte 92 runs past the end of the ACE" },
  { 93, 1, 16, "ACE 2 SID at byte 92 (72 bytes) runs past the end of the ACE" },
};

static void
apply_bad(GByteArray *bytes, const BadBinary *bad)
{
  if (bad->width == 0)
    g_byte_array_set_size(bytes, (guint)bad->at);
  else if (bad->width == 1)
    bytes->data[bad->at] = (guint8)bad->value;
  else if (bad->width == 2)
    set_u16(bytes, bad->at, bad->value);
  else
    set_u32(bytes, bad->at, bad->value);
}

static void
test_binary_malformed(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad_binary_cases); i++) {
    g_autoptr(GByteArray) bytes = build_base();
    g_autoptr(GError) error = NULL;
    GpSecurityDescriptor *sd;

    apply_bad(bytes, &bad_binary_cases[i]);
    sd = parse_exact(bytes->data, bytes->len, &error);
    CU_ASSERT_PTR_NULL(sd);
    gp_security_descriptor_free(sd);
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
    if (!strstr(error->message, bad_binary_cases[i].message))
      GP_ASSERT_STR(error->message, bad_binary_cases[i].message);
  }
}

/* Every proper prefix of a descriptor is an error, never a read past the end. */
static void
test_binary_every_truncation(void)
{
  g_autoptr(GByteArray) bytes = build_base();

  for (gsize len = 0; len < bytes->len; len++) {
    g_autoptr(GError) error = NULL;
    GpSecurityDescriptor *sd = parse_exact(bytes->data, len, &error);

    CU_ASSERT_PTR_NULL(sd);
    gp_security_descriptor_free(sd);
    CU_ASSERT(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
  }
}

/* Any single corrupted byte gives a descriptor or an error, never a crash or a
 * read out of bounds (the sanitizer and valgrind runs check the latter). */
static void
test_binary_corrupt_bytes(void)
{
  static const guint8 values[] = { 0x00, 0x01, 0x7F, 0x80, 0xFF };
  g_autoptr(GByteArray) bytes = build_base();

  for (gsize at = 0; at < bytes->len; at++) {
    guint8 saved = bytes->data[at];
    for (gsize v = 0; v < G_N_ELEMENTS(values); v++) {
      g_autoptr(GError) error = NULL;
      GpSecurityDescriptor *sd;

      bytes->data[at] = values[v];
      sd = parse_exact(bytes->data, bytes->len, &error);
      CU_ASSERT((sd == NULL) != (error == NULL));
      gp_security_descriptor_free(sd);
    }
    bytes->data[at] = saved;
  }
}

/* -------------------------------------------------------------------- SDDL */

static GpSecurityDescriptor *
sddl_ok(const char *sddl, const char *domain_sid, const char *root_sid)
{
  g_autoptr(GError) error = NULL;
  GpSecurityDescriptor *sd = gp_sd_from_sddl(sddl, domain_sid, root_sid, &error);

  if (error)
    GP_ASSERT_STR(error->message, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  return sd;
}

static void
test_sddl_default_dacl(void)
{
  GpSecurityDescriptor *sd
      = sddl_ok("D:(A;CI;RPLCLORC;;;AU)(OA;CI;CR;" APPLY_LOWER ";;AU)", NULL, NULL);

  CU_ASSERT_PTR_NULL(sd->owner);
  CU_ASSERT_EQUAL_FATAL(sd->dacl->len, 2);
  assert_ace(sd->dacl->pdata[0], GP_ACE_ALLOW, 0x02, READ_MASK, NULL, "S-1-5-11");
  assert_ace(sd->dacl->pdata[1], GP_ACE_ALLOW, 0x02, 0x100, APPLY, "S-1-5-11");
  gp_security_descriptor_free(sd);
}

static const struct {
  const char *alias;
  const char *domain_sid;
  const char *root_sid;
  const char *sid;
} alias_cases[] = {
  { "WD", NULL, NULL, "S-1-1-0" },
  { "AU", NULL, NULL, "S-1-5-11" },
  { "SY", NULL, NULL, "S-1-5-18" },
  { "BA", NULL, NULL, "S-1-5-32-544" },
  { "BU", NULL, NULL, "S-1-5-32-545" },
  { "ED", NULL, NULL, "S-1-5-9" },
  { "CO", NULL, NULL, "S-1-3-0" },
  { "PS", NULL, NULL, "S-1-5-10" },
  { "NS", NULL, NULL, "S-1-5-20" },
  { "LS", NULL, NULL, "S-1-5-19" },
  { "AN", NULL, NULL, "S-1-5-7" },
  { "NU", NULL, NULL, "S-1-5-2" },
  { "IU", NULL, NULL, "S-1-5-4" },
  { "SU", NULL, NULL, "S-1-5-6" },
  { "RD", NULL, NULL, "S-1-5-32-555" },
  { "AO", NULL, NULL, "S-1-5-32-548" },
  { "SO", NULL, NULL, "S-1-5-32-549" },
  { "PO", NULL, NULL, "S-1-5-32-550" },
  { "BO", NULL, NULL, "S-1-5-32-551" },
  { "PU", NULL, NULL, "S-1-5-32-547" },
  { "RU", NULL, NULL, "S-1-5-32-554" },
  { "DA", DOM, NULL, DOM "-512" },
  { "DU", DOM, NULL, DOM "-513" },
  { "DG", DOM, NULL, DOM "-514" },
  { "DC", DOM, NULL, DOM "-515" },
  { "DD", DOM, NULL, DOM "-516" },
  { "CA", DOM, NULL, DOM "-517" },
  { "PA", DOM, NULL, DOM "-520" },
  { "CN", DOM, NULL, DOM "-522" },
  { "RS", DOM, NULL, DOM "-553" },
  { "EA", DOM, ROOT, ROOT "-519" },
  { "SA", DOM, ROOT, ROOT "-518" },
  { "RO", DOM, ROOT, ROOT "-498" },
  /* No forest root SID: a single-domain forest is assumed. */
  { "EA", DOM, NULL, DOM "-519" },
  /* Aliases and SIDs in any case. */
  { "da", DOM, NULL, DOM "-512" },
  { "s-1-5-21-4-5-6-1107", NULL, NULL, "S-1-5-21-4-5-6-1107" },
};

static void
test_sddl_sid_aliases(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(alias_cases); i++) {
    g_autofree char *sddl
        = g_strdup_printf("O:%sD:(A;;RP;;;%s)", alias_cases[i].alias, alias_cases[i].alias);
    GpSecurityDescriptor *sd = sddl_ok(sddl, alias_cases[i].domain_sid, alias_cases[i].root_sid);

    GP_ASSERT_STR(sd->owner, alias_cases[i].sid);
    CU_ASSERT_EQUAL_FATAL(sd->dacl->len, 1);
    GP_ASSERT_STR(((GpAce *)sd->dacl->pdata[0])->sid, alias_cases[i].sid);
    gp_security_descriptor_free(sd);
  }
}

static const struct {
  const char *rights;
  guint32 mask;
} rights_cases[] = {
  { "", 0 },
  { "RP", 0x10 },
  { "CR", 0x100 },
  { "CCDCLCSWRPWPDTLOSDRCWDWO", 0x000F00FFu },
  { "GA", FULL_CONTROL },
  { "GR", READ_MASK },
  { "GW", 0x00020028u },
  { "GX", 0x00020004u },
  { "GRGW", READ_MASK | 0x00020028u },
  { "0x100", 0x100 },
  { "0X10000000", FULL_CONTROL },
  { "0xF01FF", FULL_CONTROL },
  { "16", 0x10 },
  { "020", 0x10 },
  { "FA", 0x001F01FFu },
  { "rplc", 0x14 },
};

static void
test_sddl_rights(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(rights_cases); i++) {
    g_autofree char *sddl = g_strdup_printf("D:(A;;%s;;;WD)", rights_cases[i].rights);
    GpSecurityDescriptor *sd = sddl_ok(sddl, NULL, NULL);

    CU_ASSERT_EQUAL(((GpAce *)sd->dacl->pdata[0])->mask, rights_cases[i].mask);
    gp_security_descriptor_free(sd);
  }
}

static const struct {
  const char *flags;
  guint8 value;
} flag_cases[] = {
  { "", 0x00 },     { "OI", 0x01 },         { "CI", 0x02 },   { "NP", 0x04 },
  { "IO", 0x08 },   { "ID", 0x10 },         { "SA", 0x40 },   { "FA", 0x80 },
  { "CIIO", 0x0A }, { "CIIOIDNPOI", 0x1F }, { "SAFA", 0xC0 },
};

static void
test_sddl_ace_flags(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(flag_cases); i++) {
    g_autofree char *sddl = g_strdup_printf("D:(A;%s;RP;;;WD)", flag_cases[i].flags);
    GpSecurityDescriptor *sd = sddl_ok(sddl, NULL, NULL);

    CU_ASSERT_EQUAL(((GpAce *)sd->dacl->pdata[0])->flags, flag_cases[i].value);
    gp_security_descriptor_free(sd);
  }
}

static void
test_sddl_ace_types(void)
{
  GpSecurityDescriptor *sd = sddl_ok(
      "D:(A;;RP;;;WD)(D;;RP;;;WD)(OA;;CR;" APPLY_LOWER ";;WD)(OD;;WP;;" USER_CLASS ";WD)"
      "(AU;SA;RP;;;WD)(ML;;NW;;;LW)(XA;;CR;;;WD;(@User.Title == \"a)b(\"))(OU;SA;WP;;;WD)",
      NULL, NULL);
  GPtrArray *dacl = sd->dacl;

  CU_ASSERT_EQUAL_FATAL(dacl->len, 8);
  assert_ace(dacl->pdata[0], GP_ACE_ALLOW, 0, 0x10, NULL, "S-1-1-0");
  assert_ace(dacl->pdata[1], GP_ACE_DENY, 0, 0x10, NULL, "S-1-1-0");
  assert_ace(dacl->pdata[2], GP_ACE_ALLOW, 0, 0x100, APPLY, "S-1-1-0");
  /* Only an inherited object type: no object type. */
  assert_ace(dacl->pdata[3], GP_ACE_DENY, 0, 0x20, NULL, "S-1-1-0");
  assert_ace(dacl->pdata[4], GP_ACE_OTHER, 0x40, 0x10, NULL, "S-1-1-0");
  assert_ace(dacl->pdata[5], GP_ACE_OTHER, 0, 0x1, NULL, "S-1-16-4096");
  assert_ace(dacl->pdata[6], GP_ACE_OTHER, 0, 0x100, NULL, "S-1-1-0");
  assert_ace(dacl->pdata[7], GP_ACE_OTHER, 0x40, 0x20, NULL, "S-1-1-0");
  gp_security_descriptor_free(sd);
}

/* Parts in any order; the SACL and the group are read but not kept; DACL
 * flags; NO_ACCESS_CONTROL and a missing DACL give a NULL DACL, "D:" an empty one. */
static void
test_sddl_parts(void)
{
  GpSecurityDescriptor *sd = sddl_ok("S:AI(OU;CIIDSA;WPWD;;f30e3bc2-9ff0-11d1-b603-0000f80367c1;WD)"
                                     "D:PAIAR(A;;RP;;;AU) G:DU O:BA ",
                                     NULL, NULL);

  GP_ASSERT_STR(sd->owner, "S-1-5-32-544");
  CU_ASSERT_EQUAL(sd->dacl->len, 1);
  gp_security_descriptor_free(sd);
  sd = sddl_ok("O:SYD:NO_ACCESS_CONTROL", NULL, NULL);
  CU_ASSERT_PTR_NULL(sd->dacl);
  gp_security_descriptor_free(sd);
  sd = sddl_ok("O:SYG:SY", NULL, NULL);
  CU_ASSERT_PTR_NULL(sd->dacl);
  gp_security_descriptor_free(sd);
  sd = sddl_ok("D:", NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd->dacl);
  CU_ASSERT_EQUAL(sd->dacl->len, 0);
  gp_security_descriptor_free(sd);
  sd = sddl_ok("O:S-1-5-21-1-2-3-500G:S-1-5-21-1-2-3-513D:P", NULL, NULL);
  GP_ASSERT_STR(sd->owner, "S-1-5-21-1-2-3-500");
  gp_security_descriptor_free(sd);
}

static const struct {
  const char *sddl;
  const char *domain_sid;
  const char *message;
} bad_sddl_cases[] = {
  { "", NULL, "SDDL column 1: empty security descriptor" },
  { "   ", NULL, "SDDL column 4: empty security descriptor" },
  { "X:BA", NULL, "SDDL column 1: expected 'O:', 'G:', 'D:' or 'S:'" },
  { "O:BAO:SY", NULL, "SDDL column 5: a second 'O:' part" },
  { "O:XX", NULL, "SDDL column 3: unknown SID alias 'XX'" },
  { "O:1", NULL, "SDDL column 3: expected a SID or a two-letter SID alias" },
  { "G:QQ", NULL, "SDDL column 3: unknown SID alias 'QQ'" },
  { "O:DA", NULL, "SDDL column 3: SID alias 'DA' needs the domain SID, which is not known" },
  { "D:(A;;RP;;;EA)", NULL,
    "SDDL column 12: SID alias 'EA' needs the forest root domain SID, which is not known" },
  { "D:(A;;RP;;;DC)", NULL, "SDDL column 12: SID alias 'DC' needs the domain SID" },
  { "D:(Q;;RP;;;AU)", NULL, "SDDL column 4: unknown ACE type 'Q'" },
  { "D:(A;XX;RP;;;AU)", NULL, "SDDL column 6: unknown ACE flag 'XX'" },
  { "D:(A;CIO;RP;;;AU)", NULL, "SDDL column 8: unknown ACE flag 'O'" },
  { "D:(A;;RPQQ;;;AU)", NULL, "SDDL column 9: unknown right 'QQ'" },
  { "D:(A;;RPL;;;AU)", NULL, "SDDL column 9: unknown right 'L'" },
  { "D:(A;;0xZZ;;;AU)", NULL, "SDDL column 7: '0xZZ' is not an access mask" },
  { "D:(A;;0x;;;AU)", NULL, "SDDL column 7: '0x' is not an access mask" },
  { "D:(A;;0x100000000;;;AU)", NULL, "SDDL column 7: '0x100000000' is not an access mask" },
  { "D:(A;;08;;;AU)", NULL, "SDDL column 7: '08' is not an access mask" },
  { "D:(OA;;CR;not-a-guid;;AU)", NULL, "SDDL column 11: 'not-a-guid' is not a GUID" },
  { "D:(A;;CR;" APPLY_LOWER ";;AU)", NULL, "SDDL column 10: ACE type 'A' takes no object GUID" },
  { "D:(OA;;CR;;x;AU)", NULL, "SDDL column 12: 'x' is not a GUID" },
  { "D:(A;;RP;;AU)", NULL, "SDDL column 3: ACE has 5 fields, expected 6" },
  { "D:(A)", NULL, "SDDL column 3: ACE has 1 field, expected 6" },
  { "D:(A;;RP;;;AU", NULL, "SDDL column 3: ACE is not closed by ')'" },
  { "D:(A;;RP;;;AU;x)", NULL, "SDDL column 14: ACE type 'A' takes 6 fields" },
  { "D:(A;;RP;;;S-1-5-x)", NULL, "SDDL column 12: 'S-1-5-x' is not a valid SID" },
  { "D:(A;;RP;;;AUX)", NULL, "SDDL column 12: unknown SID alias 'AUX'" },
  { "D:(A;;RP;;;)", NULL, "SDDL column 12: ACE has no SID" },
  { "D:NO_ACCESS_CONTROL(A;;RP;;;AU)", NULL,
    "SDDL column 3: NO_ACCESS_CONTROL is followed by ACEs" },
  { "D:(A;;RP;;;AU)junk", NULL, "SDDL column 15: expected 'O:', 'G:', 'D:' or 'S:'" },
  { "D:(A;;RP;;;AU)S:(AU;SA;RP;;;WD", NULL, "SDDL column 17: ACE is not closed by ')'" },
  { "O:BAD:(A;;RP;;;AU)D:", NULL, "SDDL column 19: a second 'D:' part" },
};

static void
test_sddl_errors(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad_sddl_cases); i++) {
    g_autoptr(GError) error = NULL;
    GpSecurityDescriptor *sd
        = gp_sd_from_sddl(bad_sddl_cases[i].sddl, bad_sddl_cases[i].domain_sid, NULL, &error);

    CU_ASSERT_PTR_NULL(sd);
    gp_security_descriptor_free(sd);
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
    if (!g_str_has_prefix(error->message, bad_sddl_cases[i].message))
      GP_ASSERT_STR(error->message, bad_sddl_cases[i].message);
  }
}

/* The group is not kept, so a domain alias there needs no domain SID. */
static void
test_sddl_group_not_resolved(void)
{
  GpSecurityDescriptor *sd = sddl_ok("G:DAD:(A;;RP;;;AU)", NULL, NULL);

  CU_ASSERT_PTR_NULL(sd->owner);
  CU_ASSERT_EQUAL(sd->dacl->len, 1);
  gp_security_descriptor_free(sd);
}

/* ------------------------------------------------------------ real samples */

static const char *const sample_dirs[] = {
  "gpmc_backup/t0x01-security-local/GPOs/{72A90472-1833-4FE8-92E4-D454256D337B}",
  "gpmc_backup/t0x01-security-local/GPOs/{11487784-8A54-41BA-99B2-F580F704F987}",
  "gpmc_backup/t0x01-security-local/GPOs/{BCC33A6A-B1E2-4EE9-9759-FDB4C1505B37}",
  "gpmc_backup/t0x01-security-local/GPOs/{CAB5F8A2-E42D-4512-89BD-75CCFA453790}",
  "gpmc_backup/t0x01-security-local/GPOs/{FD97D1E3-19F3-465E-BC62-B4EFD7F6EFC3}",
  "gpmc_backup/nsacyber-shb-win10-computer/{A2A38432-E322-437F-9975-B7CC7F16F4AA}",
  "gpmc_backup/simeononsecurity-disa-stig/DoD - Windows 8 - Computer/"
  "{2199EA28-42D1-4F0C-8043-EDD3A546BD9A}",
};

/* Returns: (transfer full): the text between @open's '>' and @close. */
static char *
element_text(const char *text, const char *open, const char *close)
{
  const char *start = strstr(text, open);
  const char *end;

  CU_ASSERT_PTR_NOT_NULL_FATAL(start);
  start = strchr(start, '>');
  CU_ASSERT_PTR_NOT_NULL_FATAL(start);
  end = strstr(start, close);
  CU_ASSERT_PTR_NOT_NULL_FATAL(end);
  return g_strndup(start + 1, (gsize)(end - start - 1));
}

/* Returns: (transfer full): the bytes of Backup.xml's <SecurityDescriptor>. */
static GByteArray *
backup_descriptor(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "Backup.xml", NULL);
  g_autofree char *xml = gp_test_read(path, NULL);
  g_autofree char *hex = element_text(xml, "<SecurityDescriptor>", "</SecurityDescriptor>");
  g_auto(GStrv) pairs = g_strsplit_set(g_strstrip(hex), " \r\n\t", -1);
  GByteArray *out = g_byte_array_new();

  for (guint i = 0; pairs[i]; i++)
    if (*pairs[i])
      put_u8(out, hex_at(pairs[i], 2));
  return out;
}

/* Returns: (transfer full): gpreport.xml's <SDDL>. */
static char *
report_sddl(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "gpreport.xml", NULL);
  gsize len = 0;
  g_autofree char *raw = gp_test_read(path, &len);
  g_autofree char *text = gp_text_decode(raw, len, path, NULL, NULL);

  CU_ASSERT_PTR_NOT_NULL_FATAL(text);
  return element_text(text, "<SDDL", "</SDDL>");
}

/* Returns: (transfer full): the domain SID: a Domain Admins ACE's SID without its RID. */
static char *
sample_domain_sid(const GpSecurityDescriptor *sd)
{
  for (guint i = 0; i < sd->dacl->len; i++) {
    const GpAce *ace = sd->dacl->pdata[i];
    if (g_str_has_prefix(ace->sid, "S-1-5-21-") && g_str_has_suffix(ace->sid, "-512"))
      return g_strndup(ace->sid, strlen(ace->sid) - 4);
  }
  CU_FAIL_FATAL("no Domain Admins ACE");
  return NULL;
}

static void
assert_same_dacl(const GPtrArray *a, const GPtrArray *b)
{
  CU_ASSERT_EQUAL_FATAL(a->len, b->len);
  for (guint i = 0; i < a->len; i++) {
    const GpAce *x = a->pdata[i];
    const GpAce *y = b->pdata[i];
    assert_ace(y, x->type, x->flags, x->mask, x->object_type, x->sid);
  }
}

static void
check_sample(const char *dir)
{
  g_autoptr(GByteArray) bytes = backup_descriptor(dir);
  g_autofree char *sddl = report_sddl(dir);
  g_autoptr(GError) error = NULL;
  GpSecurityDescriptor *binary = parse_exact(bytes->data, bytes->len, &error);
  g_autofree char *domain_sid = NULL;
  g_autofree char *admins = NULL;
  GpSecurityDescriptor *text;

  CU_ASSERT_PTR_NOT_NULL_FATAL(binary);
  domain_sid = sample_domain_sid(binary);
  admins = g_strdup_printf("%s-512", domain_sid);
  text = sddl_ok(sddl, domain_sid, NULL);
  /* GPMC's backup keeps no owner; the report names Domain Admins. */
  CU_ASSERT_PTR_NULL(binary->owner);
  GP_ASSERT_STR(text->owner, admins);
  assert_same_dacl(binary->dacl, text->dacl);
  CU_ASSERT_EQUAL(binary->dacl->len, 8);
  assert_ace(binary->dacl->pdata[0], GP_ACE_ALLOW, 0x02, 0x100, APPLY, "S-1-5-11");
  assert_ace(binary->dacl->pdata[5], GP_ACE_ALLOW, 0x02, READ_MASK, NULL, "S-1-5-11");
  assert_ace(binary->dacl->pdata[7], GP_ACE_ALLOW, 0x0A, 0x000F00FFu, NULL, "S-1-3-0");
  gp_security_descriptor_free(binary);
  gp_security_descriptor_free(text);
}

static void
test_samples_binary_matches_sddl(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sample_dirs); i++) {
    g_autofree char *dir = gp_test_sample(sample_dirs[i]);
    if (dir == NULL)
      return;
    check_sample(dir);
  }
}

static const GpTestCase cases[] = {
  GP_TEST(test_binary_well_formed),
  GP_TEST(test_binary_generic_rights),
  GP_TEST(test_binary_dacl_presence),
  GP_TEST(test_binary_lenient_layout),
  GP_TEST(test_binary_other_ace_types),
  GP_TEST(test_binary_malformed),
  GP_TEST(test_binary_every_truncation),
  GP_TEST(test_binary_corrupt_bytes),
  GP_TEST(test_sddl_default_dacl),
  GP_TEST(test_sddl_sid_aliases),
  GP_TEST(test_sddl_rights),
  GP_TEST(test_sddl_ace_flags),
  GP_TEST(test_sddl_ace_types),
  GP_TEST(test_sddl_parts),
  GP_TEST(test_sddl_errors),
  GP_TEST(test_sddl_group_not_resolved),
  GP_TEST(test_samples_binary_matches_sddl),
};
GP_TEST_MAIN("sd", cases)
