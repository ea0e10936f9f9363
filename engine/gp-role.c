/* gp-role.c - which column of the documented defaults applies to a computer. */
#include <string.h>

#include "gp-engine.h"

/* userAccountControl bits (MS-ADTS 2.2.16). */
#define UAC_SERVER_TRUST_ACCOUNT    0x00002000u
#define UAC_PARTIAL_SECRETS_ACCOUNT 0x04000000u
/* primaryGroupID of writable and read-only domain controllers. */
#define RID_DOMAIN_CONTROLLERS           516u
#define RID_READ_ONLY_DOMAIN_CONTROLLERS 521u

static gboolean
contains_ci(const char *haystack, const char *needle)
{
  g_autofree char *lower = g_ascii_strdown(haystack, -1);

  return strstr(lower, needle) != NULL;
}

GpRole
gp_engine_computer_role(const GpComputer *computer, gboolean *out_assumed, char **out_reason)
{
  guint32 uac = computer->has_user_account_control ? computer->user_account_control : 0;
  const char *os = computer->operating_system;

  *out_assumed = FALSE;
  if (uac & (UAC_SERVER_TRUST_ACCOUNT | UAC_PARTIAL_SECRETS_ACCOUNT)) {
    *out_reason = g_strdup_printf("userAccountControl %u marks a domain controller", uac);
    return GP_ROLE_DOMAIN_CONTROLLER;
  }
  if (computer->primary_group_id == RID_DOMAIN_CONTROLLERS
      || computer->primary_group_id == RID_READ_ONLY_DOMAIN_CONTROLLERS) {
    *out_reason = g_strdup_printf("primaryGroupID %u is a domain controllers group",
                                  computer->primary_group_id);
    return GP_ROLE_DOMAIN_CONTROLLER;
  }
  if (os && contains_ci(os, "server")) {
    *out_reason = g_strdup_printf("operatingSystem '%s' is a server edition", os);
    return GP_ROLE_MEMBER_SERVER;
  }
  if (os && *os) {
    *out_reason = g_strdup_printf("operatingSystem '%s' is a client edition", os);
    return GP_ROLE_CLIENT;
  }
  *out_assumed = TRUE;
  *out_reason = g_strdup("the data does not tell (no operatingSystem, no domain controller "
                         "marks): assumed member server");
  return GP_ROLE_MEMBER_SERVER;
}
