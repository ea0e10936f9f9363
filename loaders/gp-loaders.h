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
#include "gp-baseline.h"
#include "gp-rsop.h"

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

/* -------------------------------------------------------------- size limits */

/* Files that a folder loader (gp_sysvol_load_dir, gp_backup_load_dir) finds
 * inside the folder it was given are refused above this size, before they are
 * read: real GPT.INI, GptTmpl.inf and backup XML files are KiB.  Files given by
 * path are checked by the caller (gpsim: --max-file-size, README "Security"). */
#define GP_MAX_FOLDER_FILE_BYTES (64u * 1024u * 1024u)

typedef enum {
  GP_FILE_CHECK_DEFAULT = 0,          /* follow symbolic links; let FIFOs through */
  GP_FILE_CHECK_NO_SYMLINK = 1 << 0,  /* a symbolic link is refused, not followed */
  GP_FILE_CHECK_REGULAR_ONLY = 1 << 1 /* a FIFO is refused too (it could block) */
} GpFileCheck;

/* Checks @path with stat() (lstat() with GP_FILE_CHECK_NO_SYMLINK) before it
 * is read, without opening it: a folder, a device (and a FIFO or a symbolic
 * link when @flags say so) is refused (GP_LOAD_ERROR_IO, "PATH: is a ..."), and
 * so is a regular file over @max_bytes (0: no limit) (GP_LOAD_ERROR_LIMIT,
 * "PATH: N bytes is over the MAX-byte limit; @hint"). */
gboolean gp_check_input_file(const char *path, guint64 max_bytes, GpFileCheck flags,
                             const char *hint, GError **error);

/* Returns: (transfer full) (nullable): @dir/@name with @name matched
 * case-insensitively, as Windows paths are (SYSVOL copies, GPMC backups).
 * An entry spelled exactly @name wins over others differing only by case
 * (which a Windows folder cannot hold), and is found without listing @dir. */
char *gp_dir_find_child(const char *dir, const char *name);

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
 * may be loaded into one model: objects are merged by DN.  A large file is
 * read and parsed in chunks on every processor (threads that end with the
 * call); the model and the findings are the same as a single pass gives.  A
 * syntax error leaves @model untouched by that file. */
gboolean gp_ldif_load_from_data(const char *data, gsize len, const char *file, GpModel *model,
                                GPtrArray *diags, GError **error);
gboolean gp_ldif_load_file(const char *path, GpModel *model, GPtrArray *diags, GError **error);
/* Loads @paths (NULL-terminated) in order, as gp_ldif_load_file() on each
 * would, stopping at the first that fails; the next file is read and parsed
 * while one is applied to the model. */
gboolean gp_ldif_load_files(const char *const *paths, GpModel *model, GPtrArray *diags,
                            GError **error);
/* How gp_ldif_load_files_with() reads. */
typedef struct {
  gsize chunk_bytes; /* text cut into chunks of about this much; 0: 4 MiB */
  /* (nullable) read fully only the computers that answer to this name the
   * way gp_computer_matches() tells; of the other computer records only the
   * account name (objectSid, sAMAccountName) is read, and a note per file
   * counts them.  That spares most of the load when one computer is asked
   * about; findings about the other computers' attributes are not made. */
  const char *only_computer;
} GpLdifOptions;

gboolean gp_ldif_load_files_with(const char *const *paths, const GpLdifOptions *options,
                                 GpModel *model, GPtrArray *diags, GError **error);
/* With text cut into chunks of about @chunk_bytes (4 MiB normally): for
 * tests of the cuts. */
gboolean gp_ldif_load_chunked(const char *data, gsize len, const char *file, GpModel *model,
                              GPtrArray *diags, gsize chunk_bytes, GError **error);
gboolean gp_ldif_load_files_chunked(const char *const *paths, GpModel *model, GPtrArray *diags,
                                    gsize chunk_bytes, GError **error);

/* ------------------------------------------------------------------- SYSVOL */

/* Reads a copy of \\domain\SYSVOL\domain\Policies (or a folder holding it, or a
 * whole sysvol): every {GUID} folder's GPT.INI and Machine/Microsoft/Windows NT/
 * SecEdit/GptTmpl.inf, names matched case-insensitively at every level.  Folders
 * are attached to the model's GPOs of the same GUID; GPOs of the data's domains
 * with no folder are marked GP_SYSVOL_MISSING. */
gboolean gp_sysvol_load_dir(const char *path, GpModel *model, GPtrArray *diags, GError **error);

/* gp_sysvol_load_dir() in two halves, so that the folders are read while
 * the directory data loads into the model:
 *
 *   read = gp_sysvol_read_start(path, model);
 *   gp_ldif_load_files(paths, model, diags, error);     (or anything else)
 *   gp_sysvol_read_finish(read, model, diags, error);   (or _cancel(read))
 *
 * start lists the {GUID} folders on the calling thread and returns.  From 64
 * folders on, with 2 processors or more, it leaves threads of its own (one
 * per processor) reading them in list order at the lowest priority (nice 19,
 * on Linux): they take little more than the processor time the calling
 * process leaves idle, and read at most 32 768 folders before finish, all
 * held in memory until then (the 1m lab's 20 000 folders: about 33 MB).  start never
 * fails: a @path that cannot be loaded is reported by finish, so that the
 * error comes at the point gp_sysvol_load_dir() gives it.  Until finish or
 * cancel returns, the readers look rights up in @catalogue (borrowed, read
 * only): nothing may add rights to it meanwhile; loading anything else into
 * that model (GPOs, computers...) is fine, and is what start is for.
 *
 * finish stops the background readers (each ends the folder it reads), reads
 * what they left at normal priority (a pool of one thread per processor, as
 * gp_sysvol_load_dir() does), attaches the folders to @model in list order,
 * appending to @diags (nullable), marks the missing GPOs, and frees @read
 * (transfer full), also when it fails.  The model, the findings and their
 * order, and the error are those gp_sysvol_load_dir() gives with @model as it
 * is when finish is called (and the folders as they were when read).
 * cancel (nullable) stops the readers the same way and frees @read, changing
 * no model. */
typedef struct _GpSysvolRead GpSysvolRead;

GpSysvolRead *gp_sysvol_read_start(const char *path, const GpModel *catalogue);
gboolean gp_sysvol_read_finish(GpSysvolRead *read, GpModel *model, GPtrArray *diags,
                               GError **error);
void gp_sysvol_read_cancel(GpSysvolRead *read);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpSysvolRead, gp_sysvol_read_cancel)

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

/* ------------------------------------------------- Microsoft's XML exports */

/* Get-GPOReport -ReportType Xml (one <GPO>, or a <report> of many) and the
 * gpreport.xml of GPMC backups.  Each GPO becomes a directory GPO of its
 * domain (CN={GUID},CN=Policies,CN=System,<domain DN>): name, computer/user
 * enabled (flags), versions (VersionDirectory -> versionNumber, VersionSysvol
 * -> GPT.INI version), the Security CSE when its settings are present,
 * UserRightsAssignment as the machine template (members with SID and name;
 * no member = defined-empty), SecurityOptions kept as a template section,
 * security filtering from <SecurityDescriptor><SDDL>, the WMI filter by
 * <FilterName>.  <LinksTo> adds links to SOMs built from SOMPath (canonical
 * names): link order within a SOM is not in the format, so those SOMs are
 * marked link_order_assumed and block_unknown, and a note says so once. */
gboolean gp_gpreport_load_from_data(const char *data, gsize len, const char *file, GpModel *model,
                                    GPtrArray *diags, GError **error);
gboolean gp_gpreport_load_file(const char *path, GpModel *model, GPtrArray *diags, GError **error);
/* Only the <LinksTo> of a report (a GPMC backup's gpreport.xml, whose GPO
 * the backup's Backup.xml already described). */
gboolean gp_gpreport_load_links_file(const char *path, GpModel *model, GPtrArray *diags,
                                     GError **error);

/* A GPMC backup: a folder holding {backup-id}/Backup.xml (or several, with a
 * manifest.xml), as Backup-GPO, GPMC and DISA/SCT packages write them.  Per
 * backup: Backup.xml core settings (GPO GUID, domain, name, Options = flags,
 * versions, machine extension GUIDs, WMI filter, security descriptor as hex
 * bytes), DomainSysvol/GPO/Machine/.../GptTmpl.inf as the machine template,
 * gpreport.xml for <LinksTo>.  Several backups of one GPO: the newest
 * (BackupTime) wins, with a warning naming the others. */
gboolean gp_backup_load_dir(const char *path, GpModel *model, GPtrArray *diags, GError **error);

/* gpresult /x or Get-GPResultantSetOfPolicy -ReportType Xml: the ComputerResults.
 * Returns: (transfer full) (nullable) */
GpRsop *gp_rsop_load_from_data(const char *data, gsize len, const char *file, GPtrArray *diags,
                               GError **error);
GpRsop *gp_rsop_load_file(const char *path, GPtrArray *diags, GError **error);

/* Uses an RSoP record as data: the computer (name, OU from its SOM, site) and
 * every GPO and link it lists (link order within a SOM from SOMOrder), the
 * settings it recorded for the winning GPOs.  What the record cannot tell
 * (losing GPOs' settings, block inheritance on unlisted SOMs) is noted. */
void gp_rsop_add_to_model(const GpRsop *rsop, GpModel *model, GPtrArray *diags);

/* The SOMs' gPLink and gPOptions as a CSV, which fills in what LinksTo cannot:
 *   Get-ADObject -LDAPFilter '(|(objectClass=organizationalUnit)(objectClass=domainDNS))'
 *     -Properties gPLink,gPOptions | Select DistinguishedName,gPLink,gPOptions | Export-Csv f.csv
 * (a "#TYPE" first line is skipped; columns found by header name). */
gboolean gp_inheritance_load_file(const char *path, GpModel *model, GPtrArray *diags,
                                  GError **error);

/* ---------------------------------------------------------- format detection */

typedef enum {
  GP_INPUT_UNKNOWN,
  GP_INPUT_LDIF,
  GP_INPUT_SYSVOL,      /* a folder with {GUID} folders holding GPT.INI */
  GP_INPUT_BACKUP,      /* a folder with manifest.xml or {id}/Backup.xml */
  GP_INPUT_GPREPORT,    /* XML with a <GPO> or <report> root */
  GP_INPUT_RSOP,        /* XML with an <Rsop> root */
  GP_INPUT_INF,         /* a security template (secedit export) */
  GP_INPUT_INHERITANCE, /* the gPLink/gPOptions CSV */
} GpInputKind;

/* Looks at @path (a file's first bytes, or a folder's entries) and says what it
 * is.  Returns GP_INPUT_UNKNOWN with @error naming what was looked for. */
GpInputKind gp_input_detect(const char *path, GError **error);
const char *gp_input_kind_to_string(GpInputKind kind);

/* ----------------------------------------------------------- reference data */

/* Loads gpsim's own rights catalogue (data/user-rights.tsv) and SID names
 * (data/well-known-sids.tsv) into @model. */
gboolean gp_data_load_rights(const char *path, GpModel *model, GError **error);
gboolean gp_data_load_sids(const char *path, GpModel *model, GError **error);

/* ------------------------------------------------------ audit baselines */

/* The baseline of `gpsim audit`: loaders/gp-baseline.c has the format, and
 * model/gp-baseline.h the types (engine/gp-audit.h how rules combine).  Rights are checked
 * against @model's catalogue (constants or display names); "include builtin"
 * reads @builtin_path (nullable: then it is an error).  Errors
 * (GP_LOAD_ERROR) name FILE:LINE.  Returns: (transfer full) (nullable) */

GpBaseline *gp_baseline_load_from_data(const char *data, gsize len, const char *file,
                                       const char *builtin_path, const GpModel *model,
                                       GError **error);
GpBaseline *gp_baseline_load_file(const char *path, const char *builtin_path, const GpModel *model,
                                  GError **error);

/* -------------------------------------------------- audit baselines: end */

G_END_DECLS

#endif
