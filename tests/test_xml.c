/* test_xml.c - gp_xml_parse(): encodings Windows writes, and hostile XML.
 *
 * Every hostile case must end in a one-line GError naming the file, never in a
 * crash, a file read, a network access or an expansion blow-up.
 */
#include <string.h>

#include "gp-loaders.h"
#include "gp-test.h"
#include "gp-xml.h"

static char *
utf16le_with_bom(const char *text, gsize *out_len)
{
  gsize written = 0;
  g_autofree char *body = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &written, NULL);
  char *out = g_malloc(written + 2);

  out[0] = '\xff';
  out[1] = '\xfe';
  memcpy(out + 2, body, written);
  *out_len = written + 2;
  return out;
}

static void
test_utf16_with_bom_and_declaration(void)
{
  gsize len;
  g_autofree char *data = utf16le_with_bom(
      "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<GPO><Name>Caf\xc3\xa9\n</Name></GPO>\r\n",
      &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = gp_xml_parse(data, len, "r.xml", &error);
  g_autofree char *name = NULL;

  CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
  name = gp_xml_child_text(xmlDocGetRootElement(doc), "Name");
  GP_ASSERT_STR(name, "Caf\xc3\xa9");
}

/* PowerShell 7 saves as UTF-8 and keeps the utf-16 declaration. */
static void
test_utf8_with_utf16_declaration(void)
{
  const char *text = "<?xml version=\"1.0\" encoding=\"utf-16\"?><GPO><Name>x</Name></GPO>";
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = gp_xml_parse(text, strlen(text), "r.xml", &error);

  CU_ASSERT_PTR_NOT_NULL(doc);
  CU_ASSERT_PTR_NULL(error);
}

static void
test_local_names_ignore_prefixes(void)
{
  const char *text = "<a xmlns:q1='urn:x' xmlns:q7='urn:y'><q1:b><q7:c> v </q7:c></q1:b>"
                     "<q1:b><q7:c>w</q7:c></q1:b><flag>TRUE</flag><n>42</n></a>";
  g_autoptr(xmlDoc) doc = gp_xml_parse(text, strlen(text), "p.xml", NULL);
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNode *first = gp_xml_child(root, "b");
  g_autofree char *v = gp_xml_text(gp_xml_path(root, "b", "c", NULL));
  g_autofree char *w = gp_xml_child_text(gp_xml_next_named(first), "c");
  guint64 n = 0;

  GP_ASSERT_STR(v, "v");
  GP_ASSERT_STR(w, "w");
  CU_ASSERT_TRUE(gp_xml_child_bool(root, "flag", FALSE));
  CU_ASSERT_TRUE(gp_xml_child_bool(root, "missing", TRUE));
  CU_ASSERT_TRUE(gp_xml_child_uint(root, "n", &n));
  CU_ASSERT_EQUAL(n, 42);
  CU_ASSERT_FALSE(gp_xml_child_uint(root, "flag", &n));
  CU_ASSERT_EQUAL(gp_xml_line(first), 1);
}

static const struct {
  const char *name;
  const char *text;
  const char *message; /* a part of the one-line error */
} hostile[] = {
  { "external entity (XXE)",
    "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><r>&x;</r>",
    "DOCTYPE" },
  { "network DTD", "<?xml version='1.0'?><!DOCTYPE r SYSTEM 'http://127.0.0.1:9/evil.dtd'><r/>",
    "DOCTYPE" },
  { "billion laughs",
    "<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
    "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]><lolz>&lol3;</lolz>",
    "DOCTYPE" },
  { "undeclared entity", "<r>&undefined;</r>", "not well-formed" },
  { "truncated", "<?xml version='1.0'?><GPO><Name>x</Na", "not well-formed" },
  { "mismatched tags", "<a><b></a></b>", "not well-formed" },
  { "not XML at all", "dn: CN=x\n", "not well-formed" },
  { "empty", "", "not well-formed" },
};

static void
test_hostile_documents(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(xmlDoc) doc = gp_xml_parse(hostile[i].text, strlen(hostile[i].text), "h.xml", &error);

    printf("\n  %s: %s", hostile[i].name, error ? error->message : "(parsed)");
    CU_ASSERT_PTR_NULL(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT_TRUE(g_str_has_prefix(error->message, "h.xml"));
    CU_ASSERT_PTR_NOT_NULL(strstr(error->message, hostile[i].message));
    CU_ASSERT_PTR_NULL(strchr(error->message, '\n'));
  }
}

/* libxml2 refuses nesting deeper than 256 levels without XML_PARSE_HUGE. */
static void
test_deep_nesting_is_refused(void)
{
  GString *text = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append(text, "<a>");
  doc = gp_xml_parse(text->str, text->len, "deep.xml", &error);
  g_string_free(text, TRUE);
  CU_ASSERT_PTR_NULL(doc);
  CU_ASSERT_PTR_NOT_NULL(error);
}

static void
test_bad_utf16(void)
{
  static const char odd[] = "\xff\xfe<\x00r\x00/\x00>"; /* odd length */
  static const char lone[]
      = "\xff\xfe<\x00r\x00>\x00\x00\xd8<\x00/\x00r\x00>\x00"; /* lone surrogate */
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(xmlDoc) d1 = gp_xml_parse(odd, sizeof odd - 1, "odd.xml", &e1);
  g_autoptr(xmlDoc) d2 = gp_xml_parse(lone, sizeof lone - 1, "lone.xml", &e2);

  CU_ASSERT_PTR_NULL(d1);
  CU_ASSERT_PTR_NULL(d2);
  CU_ASSERT_TRUE(e1 && g_error_matches(e1, GP_LOAD_ERROR, GP_LOAD_ERROR_ENCODING));
  CU_ASSERT_TRUE(e2 && g_error_matches(e2, GP_LOAD_ERROR, GP_LOAD_ERROR_ENCODING));
}

static void
test_real_samples_parse(void)
{
  static const char *const samples[] = {
    "gpo_report_xml/t0x01_WindowsEventForwarding_gpreport.xml",
    "rsop_xml/laymanstake_rsop.xml",
    "gpmc_backup/troennes-private-secure-windows_manifest.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS(samples); i++) {
    g_autofree char *path = gp_test_sample(samples[i]);
    g_autofree char *data = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    gsize len;

    if (!path)
      return;
    data = gp_test_read(path, &len);
    doc = gp_xml_parse(data, len, path, &error);
    CU_ASSERT_PTR_NOT_NULL(doc);
  }
}

static const GpTestCase cases[] = {
  GP_TEST(test_utf16_with_bom_and_declaration),
  GP_TEST(test_utf8_with_utf16_declaration),
  GP_TEST(test_local_names_ignore_prefixes),
  GP_TEST(test_hostile_documents),
  GP_TEST(test_deep_nesting_is_refused),
  GP_TEST(test_bad_utf16),
  GP_TEST(test_real_samples_parse),
};

GP_TEST_MAIN("xml", cases)
