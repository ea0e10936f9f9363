/* test_names.c - DNs, GUIDs and SIDs as strings (model/gp-names.h): case and
 * blanks, escaped commas, GUID spellings, SID text and binary forms. */
#include "gp-test.h"

#include <stdio.h>

#include "gp-names.h"

#define BYTES(literal) (const guint8 *)literal, sizeof(literal) - 1

/* ---------------------------------------------------------------------- DNs */

static const struct {
  const char *dn;
  const char *expected;
} normalize_cases[] = {
  { "OU=Web,DC=Contoso,DC=COM", "ou=web,dc=contoso,dc=com" },
  { "OU = Web , DC = contoso ,DC=com", "ou=web,dc=contoso,dc=com" },
  { "  CN=A,DC=x  ", "cn=a,dc=x" },
  { "OU=Web Servers,DC=x", "ou=web servers,dc=x" },
  /* An escaped comma stays inside its RDN, blank after it included. */
  { "CN=Smith\\, John,OU=X", "cn=smith\\, john,ou=x" },
  { "CN=Smith\\,John , OU=X", "cn=smith\\,john,ou=x" },
  /* An escaped backslash does not escape the comma after it. */
  { "CN=a\\\\,OU=X", "cn=a\\\\,ou=x" },
  { "CN={31b2f340-016d-11d2-945f-00c04fb984f9},CN=Policies",
    "cn={31b2f340-016d-11d2-945f-00c04fb984f9},cn=policies" },
  { "CN=M\xc3\x9cLLER,DC=x", "cn=m\xc3\xbcller,dc=x" },
  { "", "" },
};

static void
test_dn_normalize(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(normalize_cases); i++) {
    g_autofree char *normal = gp_dn_normalize(normalize_cases[i].dn);
    GP_ASSERT_STR(normal, normalize_cases[i].expected);
  }
}

/* gp_dn_key() gives what gp_dn_normalize() gives, from its buffer for the
 * usual DN (8 bytes at a time, so lengths around 8 and the buffer's size
 * matter) and allocated for the others. */
static void
test_dn_key(void)
{
  g_autofree char *long_dn = g_strnfill(GP_KEY_BUFFER + 10, 'X');
  g_autofree char *fits = g_strnfill(GP_KEY_BUFFER - 1, 'Y');
  const char *extra[]
      = { "CN=ABCDEFG",  "CN=ABCDEFGH,DC=X", "OU=a b,DC=Q", "OU= a,DC=q", "OU=a ,DC=q",
          "OU=\7F,DC=x", "CN=Tab\there",     "OU=\\x",      "OU=x\x7fy",  long_dn,
          fits };
  char buffer[GP_KEY_BUFFER];

  for (gsize i = 0; i < G_N_ELEMENTS(normalize_cases) + G_N_ELEMENTS(extra); i++) {
    const char *dn = i < G_N_ELEMENTS(normalize_cases) ? normalize_cases[i].dn
                                                       : extra[i - G_N_ELEMENTS(normalize_cases)];
    g_autofree char *normal = gp_dn_normalize(dn);
    g_autofree char *owned = NULL;
    const char *key = gp_dn_key(dn, buffer, &owned);
    GP_ASSERT_STR(key, normal);
    CU_ASSERT(owned == NULL ? key == buffer : key == owned);
  }
}

static const struct {
  const char *dn;
  const char *parent;
} parent_cases[] = {
  { "OU=Web,DC=contoso,DC=com", "DC=contoso,DC=com" },
  { "OU=A , DC=x", "DC=x" },
  { "CN=Smith\\, John,OU=X,DC=y", "OU=X,DC=y" },
  { "CN=Smith\\, John", NULL },
  { "DC=com", NULL },
  { "", NULL },
};

static void
test_dn_parent(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(parent_cases); i++) {
    g_autofree char *parent = gp_dn_parent(parent_cases[i].dn);
    GP_ASSERT_STR(parent, parent_cases[i].parent);
  }
}

static const struct {
  const char *dn;
  const char *type;
  const char *value;
} first_rdn_cases[] = {
  { "OU=Web,DC=x", "ou", "Web" },     { " Cn = Smith\\, John ,OU=X", "cn", "Smith, John" },
  { "CN=a\\\\b,DC=x", "cn", "a\\b" }, { "CN=\\{x\\}", "cn", "{x}" },
  { "CN=a=b,DC=x", "cn", "a=b" },     { "DC=contoso", "dc", "contoso" },
  { "garbage", "", "garbage" },
};

static void
test_dn_first_rdn(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(first_rdn_cases); i++) {
    g_autofree char *type = gp_dn_first_type(first_rdn_cases[i].dn);
    g_autofree char *value = gp_dn_first_value(first_rdn_cases[i].dn);
    GP_ASSERT_STR(type, first_rdn_cases[i].type);
    GP_ASSERT_STR(value, first_rdn_cases[i].value);
  }
}

static const struct {
  const char *dn;
  const char *dns_name;
  const char *domain_part;
} domain_cases[] = {
  { "OU=Web,DC=contoso,DC=com", "contoso.com", "DC=contoso,DC=com" },
  { "dc=Contoso,Dc=COM", "contoso.com", "dc=Contoso,Dc=COM" },
  { "CN=x,dc=Sub,DC=contoso,DC=com", "sub.contoso.com", "dc=Sub,DC=contoso,DC=com" },
  { "DC=contoso , DC=com", "contoso.com", "DC=contoso,DC=com" },
  /* Only the trailing run of DC= components is the domain. */
  { "CN=Users,DC=a,OU=weird,DC=b,DC=c", "b.c", "DC=b,DC=c" },
  { "OU=X,O=Org", NULL, NULL },
  { "CN=Schema,CN=Configuration", NULL, NULL },
  { "", NULL, NULL },
};

static void
test_dn_domain(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(domain_cases); i++) {
    g_autofree char *dns_name = gp_dn_to_dns_name(domain_cases[i].dn);
    g_autofree char *domain_part = gp_dn_domain_part(domain_cases[i].dn);
    GP_ASSERT_STR(dns_name, domain_cases[i].dns_name);
    GP_ASSERT_STR(domain_part, domain_cases[i].domain_part);
  }
}

/* -------------------------------------------------------------------- GUIDs */

#define DDP_GUID  "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define DDCP_GUID "{6AC1786C-016F-11D2-945F-00C04FB984F9}"

static const struct {
  const char *text;
  const char *expected;
} guid_cases[] = {
  { DDP_GUID, DDP_GUID },
  { "31b2f340-016d-11d2-945f-00c04fb984f9", DDP_GUID },
  { "{31b2f340-016d-11d2-945f-00c04fb984f9}", DDP_GUID },
  { "{6AC1786C-016F-11D2-945F-00C04fB984F9}", DDCP_GUID },
  /* One brace only. */
  { "{31B2F340-016D-11D2-945F-00C04FB984F9", NULL },
  { "31B2F340-016D-11D2-945F-00C04FB984F9}", NULL },
  /* Wrong lengths. */
  { "{31B2F340-016D-11D2-945F-00C04FB984F}", NULL },
  { "{31B2F340-016D-11D2-945F-00C04FB984F9A}", NULL },
  { "31B2F340-016D-11D2-945F-00C04FB984F", NULL },
  /* Non-hex digits, separators in the wrong place, wrong brackets, blanks. */
  { "{31B2F340-016D-11D2-945F-00C04FB984G9}", NULL },
  { "{31B2F340+016D-11D2-945F-00C04FB984F9}", NULL },
  { "{31B2F340016D-11D2-945F-00C04FB984F9AB}", NULL },
  { "[31B2F340-016D-11D2-945F-00C04FB984F9]", NULL },
  { " {31B2F340-016D-11D2-945F-00C04FB984F9}", NULL },
  { "", NULL },
  { NULL, NULL },
};

static void
test_guid_normalize(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(guid_cases); i++) {
    g_autofree char *guid = gp_guid_normalize(guid_cases[i].text);
    GP_ASSERT_STR(guid, guid_cases[i].expected);
  }
}

static const struct {
  const char *text;
  const char *expected;
} find_guid_cases[] = {
  { "cn={31b2f340-016d-11d2-945f-00c04fb984f9},cn=policies,cn=system,DC=x", DDP_GUID },
  { "\\\\contoso.com\\SysVol\\contoso.com\\Policies\\" DDP_GUID, DDP_GUID },
  { "{not a guid} then {6AC1786C-016F-11D2-945F-00C04fB984F9}", DDCP_GUID },
  { "cn=policies,cn=system,DC=x", NULL },
  { "31b2f340-016d-11d2-945f-00c04fb984f9", NULL },
  { "{31B2F340-016D-11D2-945F-00C04FB984F9", NULL },
  { "", NULL },
};

static void
test_guid_find_in(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(find_guid_cases); i++) {
    g_autofree char *guid = gp_guid_find_in(find_guid_cases[i].text);
    GP_ASSERT_STR(guid, find_guid_cases[i].expected);
  }
}

/* --------------------------------------------------------------------- SIDs */

static const struct {
  const char *text;
  gboolean valid;
} sid_text_cases[] = {
  { "S-1-5-32-544", TRUE },
  { "s-1-5-32-544", TRUE },
  { "S-1-1-0", TRUE },
  { "S-1-5", TRUE },
  { "S-1-5-21-1004336348-1177238915-682003330-512", TRUE },
  /* 15 sub-authorities is the maximum. */
  { "S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14", TRUE },
  { "S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", FALSE },
  /* The authority is 48 bits, a sub-authority 32 bits. */
  { "S-1-281474976710655-1", TRUE },
  { "S-1-281474976710656-1", FALSE },
  { "S-1-99999999999999999999-1", FALSE },
  { "S-1-5-4294967295", TRUE },
  { "S-1-5-4294967296", FALSE },
  /* Non-digits and empty parts. */
  { "S-1-5-21-abc", FALSE },
  { "S-1-5-32-5a", FALSE },
  { "S-1-5-+32", FALSE },
  { "S-1-5- 32", FALSE },
  { "S-1-0x5-32", FALSE },
  { "S-1-", FALSE },
  { "S-1-5-", FALSE },
  { "S-1-5--544", FALSE },
  { "S-1", FALSE },
  { "S-2-5-32", FALSE },
  { "X-1-5-32", FALSE },
  { "*S-1-5-32-544", FALSE },
  { "", FALSE },
  { NULL, FALSE },
};

static void
test_sid_is_valid(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sid_text_cases); i++) {
    gboolean valid = gp_sid_is_valid(sid_text_cases[i].text);
    if (valid != sid_text_cases[i].valid)
      printf("\n'%s': expected %s\n", sid_text_cases[i].text ? sid_text_cases[i].text : "(null)",
             sid_text_cases[i].valid ? "valid" : "invalid");
    CU_ASSERT_EQUAL(valid, sid_text_cases[i].valid);
  }
}

static const struct {
  const guint8 *data;
  gsize len;
  const char *expected;
} sid_binary_cases[] = {
  { BYTES("\x01\x02\x00\x00\x00\x00\x00\x05\x20\x00\x00\x00\x20\x02\x00\x00"), "S-1-5-32-544" },
  { BYTES("\x01\x05\x00\x00\x00\x00\x00\x05\x15\x00\x00\x00\xdc\xf4\xdc\x3b\x83\x3d\x2b\x46"
          "\x82\x8b\xa6\x28\x00\x02\x00\x00"),
    "S-1-5-21-1004336348-1177238915-682003330-512" },
  { BYTES("\x01\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00"), "S-1-1-0" },
  { BYTES("\x01\x00\x00\x00\x00\x00\x00\x05"), "S-1-5" },
  /* The authority is big-endian, sub-authorities little-endian. */
  { BYTES("\x01\x01\x00\x00\x00\x00\x01\x00\xff\xff\xff\xff"), "S-1-256-4294967295" },
  /* Revision 2. */
  { BYTES("\x02\x02\x00\x00\x00\x00\x00\x05\x20\x00\x00\x00\x20\x02\x00\x00"), NULL },
  /* Two sub-authorities announced, one given; one byte too many; too short. */
  { BYTES("\x01\x02\x00\x00\x00\x00\x00\x05\x20\x00\x00\x00"), NULL },
  { BYTES("\x01\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00"), NULL },
  { BYTES("\x01\x00\x00\x00\x00\x00\x00"), NULL },
  { BYTES(""), NULL },
  /* 16 sub-authorities, with the bytes to match. */
  { BYTES("\x01\x10\x00\x00\x00\x00\x00\x05"
          "\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00"
          "\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00"
          "\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00"
          "\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00"),
    NULL },
};

static void
test_sid_from_binary(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sid_binary_cases); i++) {
    g_autofree char *sid = gp_sid_from_binary(sid_binary_cases[i].data, sid_binary_cases[i].len);
    GP_ASSERT_STR(sid, sid_binary_cases[i].expected);
    if (sid)
      CU_ASSERT_TRUE(gp_sid_is_valid(sid));
  }
}

/* One entry a line: tests/CMakeLists.txt registers each line as a CTest test. */
/* clang-format off */
static const GpTestCase cases[] = {
  GP_TEST(test_dn_normalize),
  GP_TEST(test_dn_key),
  GP_TEST(test_dn_parent),
  GP_TEST(test_dn_first_rdn),
  GP_TEST(test_dn_domain),
  GP_TEST(test_guid_normalize),
  GP_TEST(test_guid_find_in),
  GP_TEST(test_sid_is_valid),
  GP_TEST(test_sid_from_binary),
};
/* clang-format on */

GP_TEST_MAIN("names", cases)
