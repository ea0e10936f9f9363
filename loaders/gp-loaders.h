/* gp-loaders.h - turning input files into the model.
 *
 * One file per format in loaders/; this header is their common surface.  Every
 * loader:
 *  - reads bytes from memory or a path, never aborts, never touches the network;
 *  - returns FALSE with @error (GP_LOAD_ERROR, "FILE:LINE: what") only when the
 *    input cannot be loaded at all, leaving @model as it was where it can;
 *  - appends a GpDiagnostic for everything it skips or assumes, and goes on.
 */
#ifndef GP_LOADERS_H
#define GP_LOADERS_H

#include <glib.h>

#include "gp-model.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------ text decoding */

/* Decodes a text file as Windows writes them: FF FE -> UTF-16LE, EF BB BF -> UTF-8,
 * no BOM -> UTF-8 when valid, else UTF-16LE when it looks like it (NUL high
 * bytes), else Windows-1252.  Returns: (transfer full) (nullable): UTF-8 text
 * without the BOM, or NULL with @error (GP_LOAD_ERROR_ENCODING, naming the byte
 * offset).  @out_note (nullable) receives a static description of the encoding
 * found ("UTF-16LE with BOM"...). */
char *gp_text_decode(const char *data, gsize len, const char *file, const char **out_note,
                     GError **error);

/* ------------------------------------------------------- security templates */

/* Parses a security template (GptTmpl.inf, secedit /export).  [Privilege Rights]
 * is interpreted (names of rights matched against @model's catalogue); other
 * sections are kept in tmpl->sections.  Warnings: unknown rights, malformed SIDs,
 * duplicate keys, lines outside any section.
 * Returns: (transfer full) (nullable) */
GpSecurityTemplate *gp_inf_load_from_data(const char *data, gsize len, const char *file,
                                          const GpModel *model, GPtrArray *diags, GError **error);
GpSecurityTemplate *gp_inf_load_file(const char *path, const GpModel *model, GPtrArray *diags,
                                     GError **error);

/* Parses GPT.INI and returns its [General] Version in @out_version.
 * A missing [General] or Version is an error (MS-GPOL 2.2.4: corrupt). */
gboolean gp_gptini_load_from_data(const char *data, gsize len, const char *file,
                                  guint32 *out_version, GPtrArray *diags, GError **error);

/* --------------------------------------------------------------------- LDIF */

/* Reads an LDIF file (ldapsearch, ldbsearch, ldifde) into @model; several files
 * may be loaded into one model: objects are merged by DN. */
gboolean gp_ldif_load_from_data(const char *data, gsize len, const char *file, GpModel *model,
                                GPtrArray *diags, GError **error);
gboolean gp_ldif_load_file(const char *path, GpModel *model, GPtrArray *diags, GError **error);

/* ------------------------------------------------------------------- SYSVOL */

/* Reads a copy of \\domain\SYSVOL\domain\Policies (or a folder holding it, or a
 * whole sysvol): every {GUID} folder's GPT.INI and Machine/Microsoft/Windows NT/
 * SecEdit/GptTmpl.inf, names matched case-insensitively at every level.  Folders
 * are attached to the model's GPOs of the same GUID; GPOs of the data's domains
 * with no folder are marked GP_SYSVOL_MISSING. */
gboolean gp_sysvol_load_dir(const char *path, GpModel *model, GPtrArray *diags, GError **error);

/* ----------------------------------------------------- security descriptors */

/* Parses a self-relative security descriptor (MS-DTYP 2.4.6), as ldapsearch and
 * ldifde export nTSecurityDescriptor (base64 of these bytes).  Only the owner
 * and the DACL are kept; ACE types other than (object) allow/deny become
 * GP_ACE_OTHER.  Errors (GP_LOAD_ERROR_SYNTAX) name the byte offset.
 * Returns: (transfer full) (nullable) */
GpSecurityDescriptor *gp_sd_from_binary(const guint8 *data, gsize len, GError **error);

/* Parses SDDL as ldbsearch prints nTSecurityDescriptor ("O:DAG:DAD:PAI(A;CI;..."),
 * mapping SID aliases (AU, DA, EA, ED, SY, BA, WD, CO...) to SIDs; domain-relative
 * aliases (DA, DU, DC, CA...) need @domain_sid, forest ones (EA, SA) @root_sid
 * (both nullable: an alias that cannot be mapped is an error).  Rights letters
 * (RP, WP, CR, GA, GR...) are mapped to mask bits, generic rights to the
 * directory rights they stand for.  Returns: (transfer full) (nullable) */
GpSecurityDescriptor *gp_sd_from_sddl(const char *sddl, const char *domain_sid,
                                      const char *root_sid, GError **error);

/* ----------------------------------------------------------- reference data */

/* Loads gpsim's own rights catalogue (data/user-rights.tsv) and SID names
 * (data/well-known-sids.tsv) into @model. */
gboolean gp_data_load_rights(const char *path, GpModel *model, GError **error);
gboolean gp_data_load_sids(const char *path, GpModel *model, GError **error);

G_END_DECLS

#endif
