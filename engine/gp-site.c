/* gp-site.c - which site's GPOs a computer gets.
 *
 * In order: --site, --ip mapped through the subnets (longest prefix, as the
 * DC locator does), the computer's own site (a domain controller's server
 * object), and the only site in the data.  With none of these there is no site
 * SOM, as MS-GPOL 3.2.5.1.4 says for ERROR_NO_SITENAME.
 */
#include <arpa/inet.h>
#include <string.h>

#include "gp-engine-private.h"
#include "gp-names.h"

typedef struct {
  int family;
  guint8 bytes[16];
} Address;

static gboolean
parse_address(const char *text, Address *out)
{
  memset(out, 0, sizeof *out);
  if (inet_pton(AF_INET, text, out->bytes) == 1) {
    out->family = AF_INET;
    return TRUE;
  }
  if (inet_pton(AF_INET6, text, out->bytes) == 1) {
    out->family = AF_INET6;
    return TRUE;
  }
  return FALSE;
}

/* Returns the prefix length when @cidr ("10.1.0.0/16") contains @address, else -1. */
static int
subnet_match(const char *cidr, const Address *address)
{
  g_auto(GStrv) parts = g_strsplit(cidr, "/", 2);
  guint64 bits;
  Address network;
  int max;

  if (!parts[0] || !parts[1] || !parse_address(parts[0], &network)
      || network.family != address->family)
    return -1;
  max = address->family == AF_INET ? 32 : 128;
  if (!g_ascii_string_to_unsigned(parts[1], 10, 0, (guint64)max, &bits, NULL))
    return -1;
  for (guint64 i = 0; i < bits; i++) {
    guint8 mask = (guint8)(0x80u >> (i % 8));
    if ((network.bytes[i / 8] & mask) != (address->bytes[i / 8] & mask))
      return -1;
  }
  return (int)bits;
}

static const GpSubnet *
best_subnet(const GpModel *model, const Address *address)
{
  const GPtrArray *subnets = gp_model_subnets(model);
  const GpSubnet *best = NULL;
  int best_bits = -1;

  for (guint i = 0; i < subnets->len; i++) {
    const GpSubnet *subnet = g_ptr_array_index(subnets, i);
    int bits = subnet_match(subnet->cidr, address);
    if (bits > best_bits && subnet->site_dn) {
      best = subnet;
      best_bits = bits;
    }
  }
  return best;
}

/* gp_model_find_site() walks every SOM: with aids, each name is looked up once.
 * The lower-case key is built on the stack, as rsop asks once per computer. */
static const GpSom *
find_site(const GpModel *model, GpEngineAids *aids, const char *name)
{
  char on_stack[128];
  g_autofree char *on_heap = NULL;
  gsize len = strlen(name);
  char *key = on_stack;
  gpointer found;

  if (!aids)
    return gp_model_find_site(model, name);
  if (!aids->sites)
    aids->sites = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (len >= sizeof on_stack)
    key = on_heap = g_malloc(len + 1);
  for (gsize i = 0; i <= len; i++)
    key[i] = g_ascii_tolower(name[i]);
  found = g_hash_table_lookup(aids->sites, key);
  if (!found) {
    const GpSom *site = gp_model_find_site(model, name);
    found = site ? (gpointer)site : (gpointer)aids;
    g_hash_table_insert(aids->sites, g_strdup(key), found);
  }
  return found == (gpointer)aids ? NULL : found;
}

static const GpSom *
site_named(const GpModel *model, GpEngineAids *aids, const char *name, const char *why,
           GpResult *result)
{
  const GpSom *site = find_site(model, aids, name);

  result->site = g_strdup(name);
  result->site_reason
      = g_strconcat(why, site ? "" : "; the site is not in the data: it adds no links", NULL);
  return site;
}

static const GpSom *
site_from_ip(const GpModel *model, GpEngineAids *aids, const char *ip, GpResult *result)
{
  Address address;
  const GpSubnet *subnet;
  g_autofree char *name = NULL;
  g_autofree char *why = NULL;

  if (!parse_address(ip, &address)) {
    result->site_reason = g_strconcat("no site: '", ip, "' is not an IP address", NULL);
    return NULL;
  }
  subnet = best_subnet(model, &address);
  if (!subnet) {
    result->site_reason
        = g_strconcat("no site: no subnet in the data contains ", ip, " (ERROR_NO_SITENAME)", NULL);
    return NULL;
  }
  name = gp_dn_first_value(subnet->site_dn);
  why = g_strconcat(ip, " is in subnet ", subnet->cidr, NULL);
  return site_named(model, aids, name, why, result);
}

static void
count_sites(const GpModel *model, guint *out_n_sites, const GpSom **out_only)
{
  const GPtrArray *soms = gp_model_soms(model);

  *out_n_sites = 0;
  *out_only = NULL;
  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    if (som->kind == GP_SOM_SITE) {
      *out_only = som;
      (*out_n_sites)++;
    }
  }
}

static const GpSom *
only_site(const GpModel *model, GpEngineAids *aids, GpResult *result)
{
  const GpSom *only = NULL;
  guint n_sites = 0;

  if (aids && !aids->sites_counted) {
    count_sites(model, &aids->n_sites, &aids->only_site);
    aids->sites_counted = TRUE;
  }
  if (aids) {
    n_sites = aids->n_sites;
    only = aids->only_site;
  } else {
    count_sites(model, &n_sites, &only);
  }
  if (n_sites == 1) {
    result->site = g_strdup(only->name);
    result->site_reason = g_strdup("assumed: the only site in the data (use --site or --ip)");
    return only;
  }
  result->site_reason = g_strconcat(
      "no site: ",
      n_sites ? "the data has several sites and does not say which is the computer's"
              : "the data has no site",
      " (use --site NAME or --ip ADDRESS); site-linked GPOs are not considered", NULL);
  return NULL;
}

const GpSom *
gp_site_choose(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options,
               GpEngineAids *aids, GpResult *result)
{
  if (options->standalone) {
    result->site_reason = g_strdup("no site: a stand-alone computer has none");
    return NULL;
  }
  if (options->site && !*options->site) {
    result->site_reason = g_strdup("no site: --site was given empty");
    return NULL;
  }
  if (options->site)
    return site_named(model, aids, options->site, "given with --site", result);
  if (options->ip)
    return site_from_ip(model, aids, options->ip, result);
  if (computer->site)
    return site_named(model, aids, computer->site, "the computer's site in the data", result);
  return only_site(model, aids, result);
}
