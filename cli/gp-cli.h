/* gp-cli.h - the command-line front end: data loading and rendering.
 *
 * Only cli/ prints.  Loaders and the engine hand back data and diagnostics;
 * these functions turn them into text, JSON, and exit codes (README "Exit codes").
 */
#ifndef GP_CLI_H
#define GP_CLI_H

#include <glib.h>

#include "gp-engine.h"
#include "gp-loaders.h"

G_BEGIN_DECLS

typedef enum {
  GP_EXIT_OK = 0,
  GP_EXIT_USAGE = 1,
  GP_EXIT_INPUT = 2,
  GP_EXIT_INTERNAL = 3,
  GP_EXIT_MISMATCH = 4,     /* verify: the simulation and the client disagree */
  GP_EXIT_FINDINGS = 5,     /* audit: something violates the baseline */
  GP_EXIT_WRONG_ANSWER = 6, /* lab answer: not quite (reports and labs) */
} GpExitCode;

/* The line between computers in text output. */
#define GP_CLI_RULE "----------------------------------------------------------------"

/* The data and modeling options every data-taking command accepts. */
typedef struct {
  char **ldif;   /* (nullable) repeated --ldif */
  char **sysvol; /* (nullable) repeated --sysvol */
  char *local;   /* (nullable) --local secedit export */
  char *site;    /* (nullable) --site */
  char **rights; /* (nullable) repeated --right */
  char *format;  /* "text", "json" or "jsonl" */
  char *output;  /* (nullable) --output FILE, written atomically */
  /* input size limit (README "Security"): --max-file-size as given, and the
   * limit gp_cli_check_options() resolves from it, $GPSIM_MAX_FILE_SIZE or the
   * default; 0 until resolved, G_MAXUINT64 for no limit */
  char *max_file_size; /* (nullable) */
  guint64 max_file_bytes;
  char *ip;             /* (nullable) --ip: site from the subnets */
  char *ou;             /* (nullable) --ou DN: pretend the computer sits there */
  char **add_groups;    /* (nullable) repeated --add-group SID|NAME */
  char **wmi;           /* (nullable) repeated --wmi assume-true|assume-false|FILTER=true|false */
  char *computer;       /* (nullable) --computer, also names a stand-alone computer */
  char **gpreport;      /* (nullable) repeated --gpreport */
  char **backup;        /* (nullable) repeated --backup */
  char **gpinheritance; /* (nullable) repeated --gpinheritance */
  char **input;         /* (nullable) repeated --input, detected from content */
  char *rsop;           /* (nullable) --rsop */
  /* verify reads --rsop as the observation to compare with, not as data */
  gboolean rsop_is_observation;
  /* planning, audit and tokens (each command registers the ones it takes) */
  char **changes;       /* --change, repeatable */
  gboolean all;         /* --all */
  char *baseline;       /* --baseline FILE */
  char *principal;      /* --principal SID|NAME */
  char *account;        /* --account SID|NAME */
  char *logon;          /* --logon interactive|network|batch|service|com-server */
  char *server_account; /* --server-account */
  char *client;         /* --client */
  char *level;          /* --level anonymous|identify|impersonate|delegate */
  gboolean explicit_credentials;
  gboolean same_user;
  /* reports and labs: explain --trace (text format only) */
  gboolean trace;
  /* explain: a large LDIF export is read for --computer only (set by the
   * command, not an option; see gp_cli_load_data()) */
  gboolean one_computer;
  /* token, can-impersonate */
  char **local_groups; /* (nullable) repeated --local-group SID|NAME */
  /* labs and the generator (gpsim lab ...) */
  gint64 seed;      /* --seed */
  gint64 computers; /* --computers */
  gint64 ous;       /* --ous */
  gint64 gpos;      /* --gpos */
  gint64 sites;     /* --sites */
  gint64 domains;   /* --domains */
  char *out;        /* --out DIR */
  /* live acquisition (gp-cli-live.c): --dc and how to reach it */
  char *dc;            /* (nullable) --dc HOST[:PORT] */
  char *user;          /* (nullable) --user */
  char *password_file; /* (nullable) --password-file */
  gboolean kerberos;   /* --kerberos */
  char *ca_file;       /* (nullable) --ca-file */
  gboolean insecure_tls;
  gboolean starttls;
  gint timeout; /* --timeout seconds, 0: the default */
} GpCliOptions;

void gp_cli_options_clear(GpCliOptions *options);

/* What was loaded for one run. */
typedef struct {
  GpModel *model;
  GpSecurityTemplate *local_policy; /* (nullable) */
  GPtrArray *diags;
  char *lab_dir;          /* (nullable) set when the bundled lab was used */
  gboolean standalone;    /* --local alone: no directory data */
  GStrv extra_group_sids; /* (nullable) --add-group, resolved to SIDs */
  GHashTable *wmi_values; /* (nullable) filter id -> 1 true / 2 false */
  gboolean wmi_default_false;
  struct _GpCliLive *live; /* (nullable) --dc: what was read, until loaded */
} GpCliData;

void gp_cli_data_clear(GpCliData *data);

/* Returns: (transfer full): gpsim's data folder (rights catalogue, SID names) and
 * labs folder, found from GPSIM_DATADIR, the build tree or the installed prefix. */
char *gp_cli_data_dir(void);
char *gp_cli_labs_dir(void);

/* Loads reference data, then the given sources (or the bundled lab when none
 * is given).  Warnings are left in data->diags for the caller to print. */
gboolean gp_cli_load(const GpCliOptions *options, GpCliData *data, GError **error);

/* Input files over this many bytes are refused unless --max-file-size says
 * otherwise: see README "Security" for why 1 GiB. */
#define GP_CLI_DEFAULT_MAX_FILE_SIZE G_GUINT64_CONSTANT(1073741824)

/* Resolves options->max_file_bytes (--max-file-size, else $GPSIM_MAX_FILE_SIZE,
 * else the default; 0 means no limit) and refuses an --output that is one of
 * the inputs.  Returns: FALSE with @error, a usage error. */
gboolean gp_cli_check_options(GpCliOptions *options, GError **error);

/* Resolves the modeling options against the loaded data: --add-group names to
 * SIDs, --wmi filter names to ids.  Unknown names are usage errors. */
gboolean gp_cli_resolve_modeling(const GpCliOptions *options, GpCliData *data, GError **error);

/* Evaluates every computer of the data for --right, or for every right of the
 * catalogue (role defaults included).  Returns: (transfer full) (nullable):
 * GpResult* in the model's computer order. */
GPtrArray *gp_cli_evaluate_all(const GpCliData *data, const GpCliOptions *options, GError **error);

/* Fills GpEngineOptions from the command line and what gp_cli_resolve_modeling found. */
GpEngineOptions gp_cli_engine_options(const GpCliOptions *options, const GpCliData *data);

/* Prints every diagnostic to stderr as "gpsim: FILE:LINE: warning: ...". */
void gp_cli_print_diags(const GPtrArray *diags);

/* Returns: (transfer full): @text made safe for a terminal line: invalid UTF-8
 * repaired, control characters (newlines, escapes, C1) replaced by '?', so that
 * input quoted in a message can neither split it nor drive the terminal. */
char *gp_cli_printable(const char *text);

/* Prints "gpsim: error: MESSAGE" and returns @code. */
int gp_cli_fail(GpExitCode code, const char *message);
/* Writes @text to --output atomically, or to standard output; returns an exit code. */
int gp_cli_emit(const GpCliOptions *options, const GString *text);
/* Loads the data and resolves the modeling options, printing warnings and
 * errors; returns an exit code. */
int gp_cli_load_data(const GpCliOptions *options, GpCliData *data);
/* TRUE when --format is @a or @b; otherwise prints a usage error. */
gboolean gp_cli_check_format(const GpCliOptions *options, const char *command, const char *a,
                             const char *b);
/* TRUE when --format is text, json or html; otherwise prints a usage error. */
gboolean gp_cli_check_format_html(const GpCliOptions *options, const char *command);
/* The computer --computer names (or a hypothetical one placed with --ou), or
 * NULL after printing the candidates. */
const GpComputer *gp_cli_find_computer(GpCliData *data, const GpCliOptions *options);

/* Commands in their own files: they return an exit code.  Each may register
 * command-specific options with its *_options function. */
int gp_cmd_show(GpCliOptions *options, char **sources);
int gp_cmd_rsop(GpCliOptions *options, char **positionals);
int gp_cmd_verify(GpCliOptions *options, char **positionals);
int gp_cmd_whatif(GpCliOptions *options, char **positionals);
void gp_cmd_whatif_options(GOptionContext *context, GpCliOptions *options);
int gp_cmd_diff(GpCliOptions *options, char **positionals);
int gp_cmd_audit(GpCliOptions *options, char **positionals);
void gp_cmd_audit_options(GOptionContext *context, GpCliOptions *options);
int gp_cmd_who_has(GpCliOptions *options, char **positionals);
void gp_cmd_who_has_options(GOptionContext *context, GpCliOptions *options);
int gp_cmd_token(GpCliOptions *options, char **positionals);
void gp_cmd_token_options(GOptionContext *context, GpCliOptions *options);
int gp_cmd_can_impersonate(GpCliOptions *options, char **positionals);
int gp_cmd_lab(GpCliOptions *options, char **positionals);
void gp_cmd_lab_options(GOptionContext *context, GpCliOptions *options);

/* Live acquisition (gp-cli-live.c, gp-cmd-snapshot.c). */
typedef struct _GpCliLive GpCliLive;
/* Adds the --dc, --user, --password-file, --kerberos, --ca-file, --insecure-tls,
 * --starttls and --timeout options, checked after parsing. */
void gp_cli_live_entries(GOptionContext *context, GpCliOptions *options);
/* Reads --dc into @dir (gp_live_read()), the password from where the options say. */
gboolean gp_cli_live_read(const GpCliOptions *options, const char *dir, GPtrArray *diags,
                          char **out_ldif, char **out_sysvol, GError **error);
/* Reads --dc into a new temporary folder.  Returns: (transfer full) (nullable) */
GpCliLive *gp_cli_live_new(const GpCliOptions *options, GPtrArray *diags, GError **error);
const char *gp_cli_live_ldif(const GpCliLive *live);
const char *gp_cli_live_sysvol(const GpCliLive *live);
/* Removes the temporary folder and frees @live. */
void gp_cli_live_free(GpCliLive *live);
/* Removes a file or a whole folder (symbolic links removed, not followed). */
gboolean gp_cli_remove_tree(const char *path);
int gp_cmd_snapshot(GpCliOptions *options, char **positionals);
void gp_cmd_snapshot_options(GOptionContext *context, GpCliOptions *options);
/* gpsim lab generate (cli/gp-lab-generate.c) and the exercises (cli/gp-lab-exercise.c). */
int gp_lab_generate(GpCliOptions *options, char **args);
int gp_lab_exercise(GpCliOptions *options, const char *verb, char **args);
void gp_cmd_can_impersonate_options(GOptionContext *context, GpCliOptions *options);

/* Renderers append to @out. */
void gp_render_text_explain(const GpModel *model, const GpResult *result, GString *out);
/* Returns: (transfer full): a "gpsim.explain/1" object as compact JSON text. */
char *gp_render_json_explain(const GpModel *model, const GpResult *result, gboolean pretty);
/* The same compact line written without json-glib, in two parts (gpsim rsop):
 * the head ({"schema":...,"computer":{...},) and the tail ("gpos":...}\n), which
 * depends only on the entries, rights and notes. */
void gp_render_json_head(const GpResult *result, GString *out);
void gp_render_json_tail(const GpModel *model, const GpResult *result, GString *out);
/* Pieces of "gpsim.explain/1" for other schemas (json-glib's JsonBuilder):
 * the "computer" member, and one element of "rights" (an object, no member name). */
struct _JsonBuilder;
/* A string member (null when @value is NULL) and an array of strings (empty for NULL). */
void gp_json_add_string(struct _JsonBuilder *b, const char *member, const char *value);
void gp_json_add_strings(struct _JsonBuilder *b, const char *member, const GPtrArray *strings);
/* @member: {"guid","name","som"} of the GPO entry that decides, or null. */
void gp_json_add_gpo_ref(struct _JsonBuilder *b, const char *member, const GpGpoEntry *entry);
/* @member: [{"sid","name"}...] of @holders (empty for NULL). */
void gp_json_add_holders(struct _JsonBuilder *b, const char *member, const GPtrArray *holders);
void gp_render_json_add_computer(struct _JsonBuilder *b, const GpResult *result);
void gp_render_json_add_right(struct _JsonBuilder *b, const GpModel *model,
                              const GpRightResult *right);

/* ---- reports and labs: HTML, DOT, trace (gp-render-html.c, -dot.c, -trace.c) ---- */
/* Returns: (transfer none): the GPO's display name, else its GUID or DN;
 * "Local Group Policy" for the local layer. */
const char *gp_render_entry_name(const GpGpoEntry *entry);
/* Returns: (transfer none) (nullable): the check of precedence-rules.md that
 * @reason comes from: "D1".."D8", or "rule 1.5: ..." for disabled and blocked. */
const char *gp_render_reason_rule(GpReason reason);
/* Returns: (transfer full): one self-contained HTML page (inline CSS, no
 * script, no external reference). */
char *gp_render_html_explain(const GpModel *model, const GpResult *result);
/* Pieces for other pages (whatif's before/after side by side), libxml2 tree
 * API: a new page with the style whose <body> is returned in @out_body (free
 * the page with xmlFreeDoc); one result's picture (computer, SOM tree,
 * precedence table, rights) appended to @parent as a <div class="result">;
 * the page serialized (transfer full). */
struct _xmlDoc;
struct _xmlNode;
struct _xmlDoc *gp_render_html_page_new(const char *title, struct _xmlNode **out_body);
struct _xmlNode *gp_render_html_add_result(struct _xmlNode *parent, const GpModel *model,
                                           const GpResult *result);
char *gp_render_html_page_dump(struct _xmlDoc *doc);
/* Appends <@tag class="@cls">@text</@tag> (@cls and @text nullable; the text
 * is escaped by the serializer). */
struct _xmlNode *gp_render_html_element(struct _xmlNode *parent, const char *tag, const char *cls,
                                        const char *text);
/* Appends a <tr> of @n <th> (@header) or <td> cells to @table; NULL cells are empty. */
struct _xmlNode *gp_render_html_row(struct _xmlNode *table, gboolean header,
                                    const char *const *cells, guint n);
/* Appends a <table class="holders"> (holder, SID); NULL or empty: "(nobody)". */
void gp_render_html_add_holders(struct _xmlNode *parent, const GPtrArray *holders);
/* Returns: (transfer full): a Graphviz digraph of the same picture. */
char *gp_render_dot_explain(const GpResult *result);
/* explain --trace: the computation as six numbered steps keyed to the rules. */
void gp_render_trace_explain(const GpModel *model, const GpResult *result, GString *out);
/* ---- reports and labs: end ---- */

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(GpCliOptions, gp_cli_options_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(GpCliData, gp_cli_data_clear)

G_END_DECLS

#endif
