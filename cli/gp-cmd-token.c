/* gp-cmd-token.c - gpsim token and gpsim can-impersonate.
 *
 *   gpsim token --computer NAME --account SID|NAME [--logon TYPE] [--local-group G]...
 *   gpsim can-impersonate --computer NAME --server-account A --client C
 *         [--level anonymous|identify|impersonate|delegate] [--explicit-credentials]
 *         [--same-user] [--logon TYPE] [--local-group G]...
 *
 * Exports gp_cmd_token(), gp_cmd_can_impersonate() and their *_options().
 * The computer is evaluated with every right of the catalogue (or the --right
 * ones), the account's token is built by engine/gp-token.c, and the result is
 * printed as text or as JSON ("gpsim.token/1", "gpsim.can-impersonate/1").
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-names.h"
#include "gp-token.h"

#define APP_POOL_DOMAIN "IIS APPPOOL\\"
#define SERVICE_DOMAIN  "NT SERVICE\\"
#define SHA1_LEN        20

/* ----------------------------------------------------------------- options */

void
gp_cmd_token_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &options->account,
      "the account: DOMAIN\\name, name, SID or *SID", "SID|NAME" },
    { "logon", 0, 0, G_OPTION_ARG_STRING, &options->logon,
      "interactive (default), network, batch, service or com-server", "TYPE" },
    { "local-group", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->local_groups,
      "take the account to be in this local group (IIS_IUSRS...); repeatable", "SID|NAME" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries(context, entries, NULL);
}

void
gp_cmd_can_impersonate_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "server-account", 0, 0, G_OPTION_ARG_STRING, &options->server_account,
      "the account the server runs as", "SID|NAME" },
    { "client", 0, 0, G_OPTION_ARG_STRING, &options->client, "the client to impersonate",
      "SID|NAME" },
    { "level", 0, 0, G_OPTION_ARG_STRING, &options->level,
      "anonymous, identify, impersonate (default) or delegate", "LEVEL" },
    { "explicit-credentials", 0, 0, G_OPTION_ARG_NONE, &options->explicit_credentials,
      "the server's session logged on with the client's explicit credentials", NULL },
    { "same-user", 0, 0, G_OPTION_ARG_NONE, &options->same_user,
      "the client's token is for the server's own user", NULL },
    { "logon", 0, 0, G_OPTION_ARG_STRING, &options->logon,
      "the server's logon: service (default), com-server, interactive, network, batch", "TYPE" },
    { "local-group", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->local_groups,
      "take the server account to be in this local group; repeatable", "SID|NAME" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries(context, entries, NULL);
}

/* ------------------------------------------------------- resolving names */

/* Virtual accounts: "NT SERVICE\name" is S-1-5-80- and "IIS APPPOOL\name" is
 * S-1-5-82- followed by the SHA-1 of the name in UTF-16LE (upper case for
 * services, lower case for application pools), as five little-endian RIDs. */
static char *
virtual_account_sid(const char *text)
{
  gboolean pool = g_ascii_strncasecmp(text, APP_POOL_DOMAIN, strlen(APP_POOL_DOMAIN)) == 0;
  gboolean service = g_ascii_strncasecmp(text, SERVICE_DOMAIN, strlen(SERVICE_DOMAIN)) == 0;
  const char *name = strchr(text, '\\') + 1;
  g_autofree char *cased = NULL;
  g_autofree gunichar2 *utf16 = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
  guint8 digest[SHA1_LEN];
  gsize digest_len = sizeof digest;
  glong units = 0;
  g_autoptr(GString) sid = g_string_new(pool ? "S-1-5-82" : "S-1-5-80");

  if ((!pool && !service) || *name == '\0')
    return NULL;
  cased = pool ? g_utf8_strdown(name, -1) : g_utf8_strup(name, -1);
  if (!(utf16 = g_utf8_to_utf16(cased, -1, NULL, &units, NULL)))
    return NULL;
  for (glong i = 0; i < units; i++) {
    guint8 le[2] = { (guint8)(utf16[i] & 0xff), (guint8)(utf16[i] >> 8) };
    g_checksum_update(sha1, le, sizeof le);
  }
  g_checksum_get_digest(sha1, digest, &digest_len);
  for (gsize i = 0; i < SHA1_LEN; i += 4)
    g_string_append_printf(sid, "-%u",
                           (guint)digest[i] | (guint)digest[i + 1] << 8 | (guint)digest[i + 2] << 16
                               | (guint)digest[i + 3] << 24);
  return g_string_free(g_steal_pointer(&sid), FALSE);
}

/* Returns: (transfer full) (nullable): the SID @text names: a SID (with or
 * without '*'), a name of the directory or a well-known name, or a virtual
 * account (which is then named in the model). */
static char *
account_sid(GpModel *model, const char *text)
{
  const char *bare = text[0] == '*' ? text + 1 : text;
  const char *sid;
  char *virtual_sid;

  if (gp_sid_is_valid(bare))
    return g_ascii_strup(bare, -1);
  if ((sid = gp_model_principal_sid(model, text)))
    return g_strdup(sid);
  if ((virtual_sid = virtual_account_sid(text)))
    gp_model_add_principal(model, virtual_sid, text);
  return virtual_sid;
}

static char *
resolve_account(GpModel *model, const char *option, const char *text)
{
  char *sid = account_sid(model, text);

  if (sid && g_strcmp0(option, "--local-group") != 0 && gp_model_find_group_sid(model, sid)) {
    fprintf(stderr, "gpsim: error: %s '%s' is a group, not an account\n", option, text);
    g_clear_pointer(&sid, g_free);
    return NULL;
  }
  if (!sid)
    fprintf(stderr,
            "gpsim: error: %s '%s' is neither a SID nor an account in the data; give its SID "
            "(%s S-1-5-21-...-1105, or *S-1-...), a DOMAIN\\name the data holds, or a "
            "well-known name such as \"NETWORK SERVICE\"\n",
            option, text, option);
  return sid;
}

/* --local-group values as SIDs.  Returns: (transfer full) (nullable) */
static GStrv
resolve_local_groups(GpModel *model, char **groups)
{
  g_autoptr(GStrvBuilder) sids = g_strv_builder_new();

  for (guint i = 0; groups && groups[i]; i++) {
    g_autofree char *sid = resolve_account(model, "--local-group", groups[i]);
    if (!sid)
      return NULL;
    g_strv_builder_add(sids, sid);
  }
  return g_strv_builder_end(sids);
}

/* ---------------------------------------------------------- shared run */

typedef struct {
  GpCliData data;
  const GpComputer *computer;
  GpResult *result;
  GStrv local_groups;
  GpToken *token;
} TokenRun;

static void
token_run_clear(TokenRun *run)
{
  gp_token_free(run->token);
  gp_result_free(run->result);
  g_strfreev(run->local_groups);
  gp_cli_data_clear(&run->data);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TokenRun, token_run_clear)

/* Evaluates the computer with the --right rights, or every right of the catalogue. */
static int
evaluate(const GpCliOptions *options, TokenRun *run)
{
  GpEngineOptions engine = gp_cli_engine_options(options, &run->data);
  const GPtrArray *catalogue = gp_model_rights(run->data.model);
  g_autoptr(GPtrArray) all = g_ptr_array_new();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < catalogue->len; i++)
    g_ptr_array_add(all, ((GpRightInfo *)g_ptr_array_index(catalogue, i))->constant);
  g_ptr_array_add(all, NULL);
  if (!options->rights)
    engine.rights = (const char *const *)all->pdata;
  run->result = gp_engine_evaluate(run->data.model, run->computer, &engine, &error);
  return run->result ? GP_EXIT_OK : gp_cli_fail(GP_EXIT_USAGE, error->message);
}

/* Loads the data, finds and evaluates the computer, resolves --local-group. */
static int
prepare(const GpCliOptions *options, const char *command, TokenRun *run)
{
  g_autofree char *message = NULL;
  int status;

  if (!gp_cli_check_format(options, command, "text", "json"))
    return GP_EXIT_USAGE;
  if ((status = gp_cli_load_data(options, &run->data)) != GP_EXIT_OK)
    return status;
  if (!options->computer && !run->data.standalone) {
    message = g_strdup_printf("%s needs --computer NAME (see 'gpsim %s --help')", command, command);
    return gp_cli_fail(GP_EXIT_USAGE, message);
  }
  if (!(run->computer = gp_cli_find_computer(&run->data, options)))
    return GP_EXIT_USAGE;
  if ((status = evaluate(options, run)) != GP_EXIT_OK)
    return status;
  run->local_groups = resolve_local_groups(run->data.model, options->local_groups);
  return run->local_groups ? GP_EXIT_OK : GP_EXIT_USAGE;
}

static gboolean
parse_logon(const char *text, GpLogonType fallback, GpLogonType *out)
{
  *out = fallback;
  if (!text || gp_logon_type_from_string(text, out))
    return TRUE;
  fprintf(stderr,
          "gpsim: error: --logon '%s': use interactive, network, batch, service or "
          "com-server\n",
          text);
  return FALSE;
}

/* Resolves @text and builds its token.  Returns an exit code. */
static int
build_token(TokenRun *run, const char *option, const char *text, const char *logon_text,
            GpLogonType fallback)
{
  g_autofree char *sid = resolve_account(run->data.model, option, text);
  GpLogonType logon;

  if (!sid || !parse_logon(logon_text, fallback, &logon))
    return GP_EXIT_USAGE;
  run->token = gp_token_build(run->data.model, run->result, sid, logon,
                              (const char *const *)run->local_groups);
  return GP_EXIT_OK;
}

/* ------------------------------------------------------------- text */

static const char *
sid_label(const char *name, const char *sid)
{
  return name ? name : sid;
}

/* Returns: (transfer full): "NAME (SID)", or the SID alone. */
static char *
named_sid(const char *name, const char *sid)
{
  return name ? g_strdup_printf("%s (%s)", name, sid) : g_strdup(sid);
}

static void
text_header(GString *out, const GpComputer *computer, const GpToken *token, const char *role)
{
  g_string_append_printf(out, "Computer   %s (%s)\n", computer->cn, computer->dn);
  g_autofree char *account = named_sid(token->account_name, token->account_sid);

  g_string_append_printf(out, "%-10s %s\n", role, account);
  g_string_append_printf(out, "Logon      %s\n", gp_logon_type_to_string(token->logon));
}

static void
text_groups(GString *out, const GpToken *token)
{
  g_string_append(out, "\nGroups in the token:\n");
  for (guint i = 0; i < token->sids->len; i++) {
    const GpTokenSid *entry = g_ptr_array_index(token->sids, i);
    g_string_append_printf(out, "  %-48s %s\n      %s\n", sid_label(entry->name, entry->sid),
                           entry->sid, entry->why);
  }
}

static void
text_right(GString *out, const GpResult *result, const GpTokenRight *held)
{
  const GpRightResult *right = held->right;
  g_autofree char *decision = gp_token_describe_decision(result, right);

  g_string_append_printf(out, "  %s", right->right);
  if (right->info && right->info->display_name)
    g_string_append_printf(out, " (%s)", right->info->display_name);
  g_string_append_printf(out, "\n      via %s (%s)", sid_label(held->via->name, held->via->sid),
                         held->via->sid);
  for (guint i = 0; i < held->also_via->len; i++) {
    const GpTokenSid *other = g_ptr_array_index(held->also_via, i);
    g_string_append_printf(out, "%s%s", i ? ", " : "; also via ",
                           sid_label(other->name, other->sid));
  }
  g_string_append_printf(out, "\n      decided by %s\n", decision);
}

static void
text_notes(GString *out, const GPtrArray *notes)
{
  g_string_append(out, "\nNotes:\n");
  for (guint i = 0; i < notes->len; i++)
    g_string_append_printf(out, "  - %s\n", (const char *)g_ptr_array_index(notes, i));
}

static void
text_token(GString *out, const TokenRun *run)
{
  const GpToken *token = run->token;

  text_header(out, run->computer, token, "Account");
  text_groups(out, token);
  g_string_append_printf(out, "\nUser rights the token gets on %s:\n", run->computer->cn);
  for (guint i = 0; i < token->rights->len; i++)
    text_right(out, run->result, g_ptr_array_index(token->rights, i));
  if (token->rights->len == 0)
    g_string_append(out, "  (none)\n");
  text_notes(out, token->notes);
}

/* ------------------------------------------------------------- JSON */

static void
add_sid_object(JsonBuilder *b, const char *member, const char *sid, const char *name)
{
  if (member)
    json_builder_set_member_name(b, member);
  json_builder_begin_object(b);
  gp_json_add_string(b, "sid", sid);
  gp_json_add_string(b, "name", name);
  json_builder_end_object(b);
}

static void
json_groups(JsonBuilder *b, const GpToken *token)
{
  json_builder_set_member_name(b, "groups");
  json_builder_begin_array(b);
  for (guint i = 0; i < token->sids->len; i++) {
    const GpTokenSid *entry = g_ptr_array_index(token->sids, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "sid", entry->sid);
    gp_json_add_string(b, "name", entry->name);
    gp_json_add_string(b, "why", entry->why);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

/* {"guid","name","som"} of the winning GPO, or null when the local layer decides. */
static void
json_right(JsonBuilder *b, const GpTokenRight *held)
{
  json_builder_begin_object(b);
  gp_json_add_string(b, "right", held->right->right);
  gp_json_add_string(b, "display_name", held->right->info ? held->right->info->display_name : NULL);
  add_sid_object(b, "via", held->via->sid, held->via->name);
  json_builder_set_member_name(b, "also_via");
  json_builder_begin_array(b);
  for (guint i = 0; i < held->also_via->len; i++) {
    const GpTokenSid *other = g_ptr_array_index(held->also_via, i);
    add_sid_object(b, NULL, other->sid, other->name);
  }
  json_builder_end_array(b);
  gp_json_add_gpo_ref(b, "decided_by",
                      held->right->source == GP_SOURCE_GPO ? held->right->winner : NULL);
  gp_json_add_string(b, "source", gp_source_to_string(held->right->source));
  json_builder_end_object(b);
}

static char *
json_finish(JsonBuilder *b)
{
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = json_builder_get_root(b);

  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, TRUE);
  return json_generator_to_data(generator, NULL);
}

static char *
json_token(const TokenRun *run)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  const GpToken *token = run->token;

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.token/1");
  gp_json_add_string(b, "computer", run->computer->cn);
  add_sid_object(b, "account", token->account_sid, token->account_name);
  gp_json_add_string(b, "logon", gp_logon_type_to_string(token->logon));
  json_groups(b, token);
  json_builder_set_member_name(b, "rights");
  json_builder_begin_array(b);
  for (guint i = 0; i < token->rights->len; i++)
    json_right(b, g_ptr_array_index(token->rights, i));
  json_builder_end_array(b);
  gp_json_add_strings(b, "notes", token->notes);
  json_builder_end_object(b);
  return json_finish(b);
}

static int
emit(const GpCliOptions *options, GString *out, char *json)
{
  if (json) {
    g_string_append_printf(out, "%s\n", json);
    g_free(json);
  }
  return gp_cli_emit(options, out);
}

/* ------------------------------------------------------------ token */

int
gp_cmd_token(GpCliOptions *options, char **positionals)
{
  g_auto(TokenRun) run = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  int status;

  (void)positionals;
  if (!options->account)
    return gp_cli_fail(GP_EXIT_USAGE, "token needs --account SID|NAME (see 'gpsim token --help')");
  if ((status = prepare(options, "token", &run)) != GP_EXIT_OK)
    return status;
  if ((status
       = build_token(&run, "--account", options->account, options->logon, GP_LOGON_INTERACTIVE))
      != GP_EXIT_OK)
    return status;
  if (g_strcmp0(options->format, "json") == 0)
    return emit(options, out, json_token(&run));
  text_token(out, &run);
  return emit(options, out, NULL);
}

/* --------------------------------------------------- can-impersonate */

typedef struct {
  char *client_sid;
  const char *client_name; /* (nullable) borrowed from the model */
  GpImpersonationLevel level;
  GpImpersonation *answer;
} Impersonation;

static void
impersonation_clear(Impersonation *imp)
{
  g_free(imp->client_sid);
  gp_impersonation_free(imp->answer);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Impersonation, impersonation_clear)

static int
decide(const GpCliOptions *options, TokenRun *run, Impersonation *imp)
{
  GpImpersonationRequest request;

  imp->level = GP_LEVEL_IMPERSONATE;
  if (options->level && !gp_level_from_string(options->level, &imp->level)) {
    fprintf(stderr,
            "gpsim: error: --level '%s': use anonymous, identify, impersonate or "
            "delegate\n",
            options->level);
    return GP_EXIT_USAGE;
  }
  if (!(imp->client_sid = resolve_account(run->data.model, "--client", options->client)))
    return GP_EXIT_USAGE;
  imp->client_name = gp_model_principal_name(run->data.model, imp->client_sid);
  request = (GpImpersonationRequest){ imp->client_sid, imp->client_name, imp->level,
                                      options->explicit_credentials, options->same_user };
  imp->answer = gp_token_can_impersonate(run->token, &request);
  return GP_EXIT_OK;
}

static void
text_impersonation(GString *out, const TokenRun *run, const Impersonation *imp)
{
  g_autofree char *client = named_sid(imp->client_name, imp->client_sid);

  text_header(out, run->computer, run->token, "Server");
  g_string_append_printf(out, "Client     %s\n", client);
  g_string_append_printf(out, "Level      %s\n\n", gp_level_to_string(imp->level));
  g_string_append_printf(out, "Answer     %s (%s)\n", imp->answer->answer ? "YES" : "NO",
                         gp_impersonate_rule_to_string(imp->answer->rule));
  for (guint i = 0; i < imp->answer->explanation->len; i++)
    g_string_append_printf(out, "  - %s\n",
                           (const char *)g_ptr_array_index(imp->answer->explanation, i));
  text_notes(out, run->token->notes);
}

static char *
json_impersonation(const TokenRun *run, const Impersonation *imp)
{
  g_autoptr(JsonBuilder) b = json_builder_new();

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.can-impersonate/1");
  gp_json_add_string(b, "computer", run->computer->cn);
  add_sid_object(b, "server_account", run->token->account_sid, run->token->account_name);
  gp_json_add_string(b, "logon", gp_logon_type_to_string(run->token->logon));
  add_sid_object(b, "client", imp->client_sid, imp->client_name);
  gp_json_add_string(b, "level", gp_level_to_string(imp->level));
  json_builder_set_member_name(b, "answer");
  json_builder_add_boolean_value(b, imp->answer->answer);
  gp_json_add_string(b, "rule", gp_impersonate_rule_to_string(imp->answer->rule));
  gp_json_add_strings(b, "explanation", imp->answer->explanation);
  gp_json_add_strings(b, "notes", run->token->notes);
  json_builder_end_object(b);
  return json_finish(b);
}

int
gp_cmd_can_impersonate(GpCliOptions *options, char **positionals)
{
  g_auto(TokenRun) run = { 0 };
  g_auto(Impersonation) imp = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  int status;

  (void)positionals;
  if (!options->server_account || !options->client)
    return gp_cli_fail(GP_EXIT_USAGE, "can-impersonate needs --server-account A and --client C "
                                      "(see 'gpsim can-impersonate --help')");
  if ((status = prepare(options, "can-impersonate", &run)) != GP_EXIT_OK
      || (status = build_token(&run, "--server-account", options->server_account, options->logon,
                               GP_LOGON_SERVICE))
             != GP_EXIT_OK
      || (status = decide(options, &run, &imp)) != GP_EXIT_OK)
    return status;
  if (g_strcmp0(options->format, "json") == 0)
    return emit(options, out, json_impersonation(&run, &imp));
  text_impersonation(out, &run, &imp);
  return emit(options, out, NULL);
}
