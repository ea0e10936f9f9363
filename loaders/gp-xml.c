/* gp-xml.c - safe XML parsing and local-name navigation; see gp-xml.h. */
#include "gp-xml.h"

#include <libxml/parser.h>
#include <stdarg.h>
#include <string.h>

#include "gp-loaders.h"

/* Microsoft's exports never carry a DTD; refusing one up front removes entity
 * expansion and external subsets from the attack surface altogether.
 * Returns: the 1-based line of the first <!DOCTYPE, or 0 when there is none. */
static guint
doctype_line(const char *text)
{
  const char *at = strstr(text, "<!DOCTYPE");
  guint line = 1;

  if (at == NULL)
    return 0;
  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  return line;
}

/* Errors are read back with xmlCtxtGetLastError(); this keeps libxml2 from
 * printing them on stderr through its global handler. */
static void
silent_error(void *user_data, xmlErrorPtr error)
{
  (void)user_data;
  (void)error;
}

static xmlDoc *
parse_utf8(const char *text, gsize len, const char *file, GError **error)
{
  xmlParserCtxt *ctxt = xmlNewParserCtxt();
  xmlDoc *doc;
  const xmlError *last;

  if (!ctxt) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, file, 0, "cannot create an XML parser");
    return NULL;
  }
  ctxt->sax->serror = silent_error;
  /* "UTF-8" overrides the encoding="utf-16" the text still declares once decoded. */
  doc = xmlCtxtReadMemory(ctxt, text, (int)len, file, "UTF-8",
                          XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING
                              | XML_PARSE_NOERROR);
  last = xmlCtxtGetLastError(ctxt);
  if (!doc || !ctxt->wellFormed) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, file, last ? (guint)last->line : 0,
                      "not well-formed XML: %s",
                      last && last->message ? g_strchomp(last->message) : "unknown error");
    xmlFreeDoc(doc);
    doc = NULL;
  }
  xmlFreeParserCtxt(ctxt);
  return doc;
}

xmlDoc *
gp_xml_parse(const char *data, gsize len, const char *file, GError **error)
{
  g_autofree char *text = gp_text_decode(data, len, file, NULL, error);
  gsize text_len;
  guint doctype;

  if (!text)
    return NULL;
  text_len = strlen(text);
  if (text_len > G_MAXINT) {
    gp_set_load_error(error, GP_LOAD_ERROR_LIMIT, file, 0, "XML file over 2 GiB");
    return NULL;
  }
  if ((doctype = doctype_line(text)) > 0) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, file, doctype,
                      "has a <!DOCTYPE> declaration; Group Policy exports have none, so it is "
                      "refused (no DTD or entity is ever loaded)");
    return NULL;
  }
  return parse_utf8(text, text_len, file, error);
}

gboolean
gp_xml_is(const xmlNode *node, const char *name)
{
  return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

xmlNode *
gp_xml_child(const xmlNode *parent, const char *name)
{
  if (!parent)
    return NULL;
  for (xmlNode *child = parent->children; child; child = child->next)
    if (gp_xml_is(child, name))
      return child;
  return NULL;
}

xmlNode *
gp_xml_next_named(const xmlNode *node)
{
  for (xmlNode *next = node ? node->next : NULL; next; next = next->next)
    if (gp_xml_is(next, (const char *)node->name))
      return next;
  return NULL;
}

xmlNode *
gp_xml_path(const xmlNode *node, ...)
{
  va_list args;
  const char *name;
  xmlNode *current = (xmlNode *)node;

  va_start(args, node);
  while (current && (name = va_arg(args, const char *)))
    current = gp_xml_child(current, name);
  va_end(args);
  return current;
}

char *
gp_xml_text(const xmlNode *node)
{
  xmlChar *content;
  char *text;

  if (!node)
    return NULL;
  content = xmlNodeGetContent(node);
  text = g_strstrip(g_strdup(content ? (const char *)content : ""));
  xmlFree(content);
  return text;
}

char *
gp_xml_child_text(const xmlNode *parent, const char *name)
{
  return gp_xml_text(gp_xml_child(parent, name));
}

gboolean
gp_xml_child_bool(const xmlNode *parent, const char *name, gboolean fallback)
{
  g_autofree char *text = gp_xml_child_text(parent, name);

  if (text && g_ascii_strcasecmp(text, "true") == 0)
    return TRUE;
  if (text && g_ascii_strcasecmp(text, "false") == 0)
    return FALSE;
  return fallback;
}

gboolean
gp_xml_child_uint(const xmlNode *parent, const char *name, guint64 *out)
{
  g_autofree char *text = gp_xml_child_text(parent, name);

  return text && g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, out, NULL);
}

guint
gp_xml_line(const xmlNode *node)
{
  long line = node ? xmlGetLineNo(node) : 0;

  return line > 0 ? (guint)line : 0;
}
