/* fuzz_xml.c - the one XML parser (gp_xml_parse) and the local-name helpers
 * every XML loader navigates with.
 */
#include "fuzz-common.h"
#include "gp-xml.h"

/* Visits every element under @node with the helpers loaders use. */
static void
walk(const xmlNode *node)
{
  for (const xmlNode *child = node->children; child != NULL; child = child->next) {
    g_autofree char *text = NULL;
    guint64 number = 0;

    if (child->type != XML_ELEMENT_NODE)
      continue;
    text = gp_xml_text(child);
    (void)gp_xml_line(child);
    (void)gp_xml_next_named(child);
    (void)gp_xml_child_bool(child, "Enabled", FALSE);
    (void)gp_xml_child_uint(child, "VersionDirectory", &number);
    (void)gp_xml_path(child, "Identifier", "Identifier", NULL);
    walk(child);
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = gp_xml_parse((const char *)data, size, "fuzz.xml", &error);
  xmlNode *root;

  fuzz_check_result(doc != NULL, error);
  if (doc == NULL)
    return 0;
  root = xmlDocGetRootElement(doc);
  if (root != NULL)
    walk(root);
  return 0;
}
