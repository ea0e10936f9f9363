/* gp-names.h - the identifiers of the directory: DNs, GUIDs and SIDs.
 *
 * Pure string functions, no model state.  Every comparison the rules need is
 * case-insensitive (formats.md section 0), so the model keys everything by the
 * normalised forms these functions return.
 */
#ifndef GP_NAMES_H
#define GP_NAMES_H

#include <glib.h>

G_BEGIN_DECLS

/* Lower-cased DN with the blanks around ',' and '=' removed: the key under which
 * the model files SOMs, GPOs and computers.  Returns: (transfer full) */
char *gp_dn_normalize(const char *dn);

/* Room for the key of a DN, name or SID as exports write them (gp_dn_key()). */
#define GP_KEY_BUFFER 256

/* gp_dn_normalize(@dn) without an allocation for the usual DN (printable
 * ASCII, no '\\', no blank next to ',' or '='), which normalises to its lower
 * case.  Returns: (transfer none): the key, in @buffer (GP_KEY_BUFFER bytes)
 * when it fits, else in *@owned, which the caller frees. */
const char *gp_dn_key(const char *dn, char *buffer, char **owned);

/* Copies @len bytes of @src to @dst in ASCII lower case (upper with @upper),
 * bytes from 0x80 up as they are.  Returns: whether all bytes were ASCII. */
gboolean gp_ascii_case_copy(char *dst, const char *src, gsize len, gboolean upper);

/* Call before starting threads that parse numbers.  GLib's g_ascii_strto*()
 * set their C locale up on first use, under g_once: a thread that waits there
 * may come back with errno set by the wait, which g_ascii_string_to_unsigned()
 * then takes for a bad number. */
void gp_names_prepare_threads(void);

/* Returns: (transfer full) (nullable): the DN without its first RDN, or NULL
 * when @dn has a single RDN.  Escaped commas ("\,") are honoured. */
char *gp_dn_parent(const char *dn);

/* Returns: (transfer full): the attribute type of the first RDN, lower case
 * ("ou", "dc", "cn"...), or "" for a malformed DN. */
char *gp_dn_first_type(const char *dn);

/* Returns: (transfer full): the value of the first RDN, unescaped. */
char *gp_dn_first_value(const char *dn);

/* "DC=contoso,DC=com" -> "contoso.com".  Returns: (transfer full) (nullable):
 * NULL when @dn has no DC= components. */
char *gp_dn_to_dns_name(const char *dn);

/* Returns: (transfer full) (nullable): the trailing DC= part of @dn
 * ("DC=contoso,DC=com"), in the case it was written. */
char *gp_dn_domain_part(const char *dn);

/* Canonical name to DN: "contoso.com/Servers/Web" -> "OU=Web,OU=Servers,DC=contoso,DC=com";
 * "contoso.com" -> "DC=contoso,DC=com"; a site path "root.com/Configuration/Sites/HQ"
 * -> "CN=HQ,CN=Sites,CN=Configuration,DC=root,DC=com".  Commas in names are
 * escaped.  Returns: (transfer full) (nullable): NULL for an empty path. */
char *gp_dn_from_canonical(const char *path);

/* Accepts "{xxxxxxxx-...}" or without braces, any case.
 * Returns: (transfer full) (nullable): "{UPPER-CASE}" or NULL when not a GUID. */
char *gp_guid_normalize(const char *text);

/* Finds the first brace-enclosed GUID inside @text (for "cn={...},cn=policies...").
 * Returns: (transfer full) (nullable): normalised GUID. */
char *gp_guid_find_in(const char *text);

/* TRUE for "S-1-<authority>-<sub>..." with decimal parts, at most 15 sub-authorities. */
gboolean gp_sid_is_valid(const char *text);

/* Decodes a binary SID (as in objectSid).  Returns: (transfer full) (nullable):
 * "S-1-5-..." or NULL when the bytes are not a SID. */
char *gp_sid_from_binary(const guint8 *data, gsize len);

G_END_DECLS

#endif
