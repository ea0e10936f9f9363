/* gp-gplink.c - the gPLink attribute into an ordered list of links.
 *
 * Grammar (MS-GPOL 2.2.2): "[LDAP://<GPO DN>;<options>]" repeated.  Real values
 * also come as NULL, "" or " " (no links, GPMC writes a single space), with any
 * case in "LDAP://" and the DN.  Parsing is lenient: a bad entry is reported and
 * skipped, the others are kept.
 */
#include <string.h>

#include "gp-model.h"
#include "gp-names.h"

#define LDAP_PREFIX "LDAP://"

typedef struct {
  GPtrArray *diags;
  const char *file;
  guint line;
} LinkContext;

/* Turns the text between '[' and ']' into a link, or NULL after a warning. */
static GpLink *
parse_entry(const char *entry, const LinkContext *ctx)
{
  const char *semicolon = strrchr(entry, ';');
  g_autofree char *dn = NULL;
  g_autofree char *options_text = NULL;
  guint64 options;
  GpLink *link;

  if (!semicolon) {
    gp_diag_add(ctx->diags, GP_SEVERITY_WARNING, ctx->file, ctx->line,
                "gPLink entry '[%s]' has no ';options' part; entry skipped", entry);
    return NULL;
  }
  dn = g_strstrip(g_strndup(entry, (gsize)(semicolon - entry)));
  options_text = g_strstrip(g_strdup(semicolon + 1));
  if (!g_ascii_string_to_unsigned(options_text, 10, 0, G_MAXUINT32, &options, NULL)) {
    gp_diag_add(ctx->diags, GP_SEVERITY_WARNING, ctx->file, ctx->line,
                "gPLink entry '[%s]' has options '%s', not a number from 0 to 4294967295; "
                "entry skipped",
                entry, options_text);
    return NULL;
  }
  if (options > (GP_LINK_DISABLED | GP_LINK_ENFORCED))
    gp_diag_add(ctx->diags, GP_SEVERITY_WARNING, ctx->file, ctx->line,
                "gPLink entry for '%s' has options %" G_GUINT64_FORMAT
                "; bits other than 1 (disabled) and 2 (enforced) are ignored",
                dn, options);
  if (g_ascii_strncasecmp(dn, LDAP_PREFIX, strlen(LDAP_PREFIX)) == 0)
    memmove(dn, dn + strlen(LDAP_PREFIX), strlen(dn) - strlen(LDAP_PREFIX) + 1);
  link = g_new0(GpLink, 1);
  link->gpo_dn = g_steal_pointer(&dn);
  link->options = (guint)options;
  {
    g_autofree char *cn = gp_dn_first_value(link->gpo_dn);
    link->gpo_guid = gp_guid_normalize(cn);
  }
  if (!link->gpo_guid)
    gp_diag_add(ctx->diags, GP_SEVERITY_WARNING, ctx->file, ctx->line,
                "gPLink entry '%s' does not name a GPO by GUID; it will be reported as not found",
                link->gpo_dn);
  return link;
}

/* Reads entries from @raw into @links; returns FALSE after reporting garbage. */
static void
split_entries(const char *raw, GPtrArray *links, const LinkContext *ctx)
{
  const char *p = raw;

  while (*p) {
    const char *open, *close;

    while (g_ascii_isspace(*p))
      p++;
    if (!*p)
      break;
    open = strchr(p, '[');
    if (open != p) {
      g_autofree char *junk = open ? g_strndup(p, (gsize)(open - p)) : g_strdup(p);
      gp_diag_add(ctx->diags, GP_SEVERITY_WARNING, ctx->file, ctx->line,
                  "gPLink has text '%s' outside [...] entries; ignored", junk);
      if (!open)
        break;
    }
    close = strchr(open, ']');
    if (!close) {
      gp_diag_add(ctx->diags, GP_SEVERITY_WARNING, ctx->file, ctx->line,
                  "gPLink entry '%s' has no closing ']'; entry skipped", open);
      break;
    }
    {
      g_autofree char *body = g_strstrip(g_strndup(open + 1, (gsize)(close - open - 1)));
      GpLink *link = *body ? parse_entry(body, ctx) : NULL;
      if (!*body)
        gp_diag_add(ctx->diags, GP_SEVERITY_NOTE, ctx->file, ctx->line,
                    "gPLink has an empty entry '[]'; ignored");
      if (link)
        g_ptr_array_add(links, link);
    }
    p = close + 1;
  }
}

void
gp_som_set_gplink(GpSom *som, const char *raw, GPtrArray *diags, const char *file, guint line)
{
  LinkContext ctx = { diags, file, line };
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func((GDestroyNotify)gp_link_free);

  /* @raw may be som->gplink_raw itself: free the old value only after copying,
   * and parse the copy. */
  char *old_raw = som->gplink_raw;

  som->gplink_raw = g_strdup(raw);
  g_free(old_raw);
  g_ptr_array_set_size(som->links, 0);
  if (som->gplink_raw)
    split_entries(som->gplink_raw, parsed, &ctx);
  /* The last entry in the string is link order 1 (precedence-rules.md 1.4): walk
   * from the end so som->links ends up sorted by link order. */
  for (guint i = parsed->len; i > 0; i--) {
    GpLink *link = g_ptr_array_steal_index(parsed, i - 1);
    link->link_order = som->links->len + 1;
    g_ptr_array_add(som->links, link);
  }
}

GpLink *
gp_som_add_link(GpSom *som, const char *gpo_dn, guint options)
{
  GpLink *link = g_new0(GpLink, 1);
  g_autofree char *cn = gp_dn_first_value(gpo_dn);

  link->gpo_dn = g_strdup(gpo_dn);
  link->gpo_guid = gp_guid_normalize(cn);
  link->options = options;
  link->link_order = som->links->len + 1;
  g_ptr_array_add(som->links, link);
  return link;
}
