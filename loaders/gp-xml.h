/* gp-xml.h - the one safe way loaders read XML (private to loaders/).
 *
 * Every XML format gpsim reads (Get-GPOReport, gpreport.xml, GPMC Backup.xml,
 * bkupInfo.xml, manifest.xml, gpresult /x) goes through gp_xml_parse(): the
 * bytes are decoded by gp_text_decode() first (UTF-16LE with BOM, UTF-8, the
 * "encoding=utf-16" declaration of a file saved as UTF-8), then parsed with
 * XML_PARSE_NONET and without entity substitution or DTD loading, so a hostile
 * file can neither read another file nor reach the network.  Elements are
 * found by local name: Microsoft's exports change namespace prefixes from file
 * to file (q1, q2...), the local names stay.
 *
 * Ownership: gp_xml_parse() returns an xmlDoc the caller frees with
 * xmlFreeDoc (g_autoptr(xmlDoc) works); strings returned are g_malloc'ed copies.
 */
#ifndef GP_XML_H
#define GP_XML_H

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)

/* Returns: (transfer full) (nullable): the document, or NULL with @error
 * (GP_LOAD_ERROR_ENCODING or _SYNTAX, "FILE:LINE: what libxml2 said"). */
xmlDoc *gp_xml_parse(const char *data, gsize len, const char *file, GError **error);

/* TRUE when @node is an element whose local name is @name (namespace ignored). */
gboolean gp_xml_is(const xmlNode *node, const char *name);

/* Returns: (transfer none) (nullable): the first child element named @name. */
xmlNode *gp_xml_child(const xmlNode *parent, const char *name);

/* Returns: (transfer none) (nullable): the next sibling element of @node named like it. */
xmlNode *gp_xml_next_named(const xmlNode *node);

/* Follows a path of child names ("Computer", "ExtensionData", NULL).
 * Returns: (transfer none) (nullable) */
xmlNode *gp_xml_path(const xmlNode *node, ...) G_GNUC_NULL_TERMINATED;

/* Returns: (transfer full) (nullable): the text of @node (CDATA included), blanks
 * trimmed; NULL when @node is NULL. */
char *gp_xml_text(const xmlNode *node);

/* The text of the first child named @name.  Returns: (transfer full) (nullable) */
char *gp_xml_child_text(const xmlNode *parent, const char *name);

/* TRUE/FALSE for a child "true"/"false" (any case); @fallback when absent or other. */
gboolean gp_xml_child_bool(const xmlNode *parent, const char *name, gboolean fallback);

/* Parses a child's text as an unsigned number; FALSE when absent or not a number. */
gboolean gp_xml_child_uint(const xmlNode *parent, const char *name, guint64 *out);

/* The line of @node in its file (for messages). */
guint gp_xml_line(const xmlNode *node);

G_END_DECLS

#endif
