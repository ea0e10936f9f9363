/* gp-role.c - which column of the documented defaults applies to a computer.
 *
 * rsop decides the role of every computer, and again for its token: the
 * reason is only written when asked for, and concatenated, not printf'd.
 */
#include <string.h>

#include "gp-engine-private.h"

/* userAccountControl bits (MS-ADTS 2.2.16). */
#define UAC_SERVER_TRUST_ACCOUNT    0x00002000u
#define UAC_PARTIAL_SECRETS_ACCOUNT 0x04000000u
/* primaryGroupID of writable and read-only domain controllers. */
#define RID_DOMAIN_CONTROLLERS           516u
#define RID_READ_ONLY_DOMAIN_CONTROLLERS 521u

/* What decided the role. */
typedef enum {
  EVIDENCE_UAC,
  EVIDENCE_PRIMARY_GROUP,
  EVIDENCE_SERVER_OS,
  EVIDENCE_CLIENT_OS,
  EVIDENCE_NONE,
} Evidence;

static guint32
uac_of(const GpComputer *computer)
{
  return computer->has_user_account_control ? computer->user_account_control : 0;
}

/* strstr() of lower-case @needle in @haystack lowered, without the copy.  The
 * first byte is compared with its case bit set, which lowers letters (and
 * lets some other bytes through to the full comparison). */
static gboolean
contains_ci(const char *haystack, const char *needle)
{
  gsize len = strlen(needle);

  for (const char *p = haystack; *p; p++)
    if ((*p | 0x20) == needle[0] && g_ascii_strncasecmp(p, needle, len) == 0)
      return TRUE;
  return FALSE;
}

static GpRole
role_of(const GpComputer *computer, Evidence *out_evidence)
{
  const char *os = computer->operating_system;

  *out_evidence = EVIDENCE_UAC;
  if (uac_of(computer) & (UAC_SERVER_TRUST_ACCOUNT | UAC_PARTIAL_SECRETS_ACCOUNT))
    return GP_ROLE_DOMAIN_CONTROLLER;
  *out_evidence = EVIDENCE_PRIMARY_GROUP;
  if (computer->primary_group_id == RID_DOMAIN_CONTROLLERS
      || computer->primary_group_id == RID_READ_ONLY_DOMAIN_CONTROLLERS)
    return GP_ROLE_DOMAIN_CONTROLLER;
  *out_evidence = EVIDENCE_SERVER_OS;
  if (os && contains_ci(os, "server"))
    return GP_ROLE_MEMBER_SERVER;
  *out_evidence = EVIDENCE_CLIENT_OS;
  if (os && *os)
    return GP_ROLE_CLIENT;
  *out_evidence = EVIDENCE_NONE;
  return GP_ROLE_MEMBER_SERVER;
}

const char *
gp_uint_text(guint32 value, char digits[GP_UINT_TEXT_SIZE])
{
  char *p = digits + GP_UINT_TEXT_SIZE;

  *--p = '\0';
  do
    *--p = (char)('0' + value % 10);
  while ((value /= 10) > 0);
  return p;
}

/* Returns: (transfer full): @before, @value in decimal, then @after. */
static char *
with_number(const char *before, guint32 value, const char *after)
{
  char digits[GP_UINT_TEXT_SIZE];

  return g_strconcat(before, gp_uint_text(value, digits), after, NULL);
}

/* Returns: (transfer full) */
static char *
describe(const GpComputer *computer, Evidence evidence)
{
  const char *os = computer->operating_system;

  switch (evidence) {
  case EVIDENCE_UAC:
    return with_number("userAccountControl ", uac_of(computer), " marks a domain controller");
  case EVIDENCE_PRIMARY_GROUP:
    return with_number("primaryGroupID ", computer->primary_group_id,
                       " is a domain controllers group");
  case EVIDENCE_SERVER_OS:
    return g_strconcat("operatingSystem '", os, "' is a server edition", NULL);
  case EVIDENCE_CLIENT_OS:
    return g_strconcat("operatingSystem '", os, "' is a client edition", NULL);
  case EVIDENCE_NONE:
    break;
  }
  return g_strdup("the data does not tell (no operatingSystem, no domain controller "
                  "marks): assumed member server");
}

GpRole
gp_role_decide(const GpComputer *computer, gboolean *out_assumed, char **out_reason)
{
  Evidence evidence;
  GpRole role = role_of(computer, &evidence);

  *out_assumed = evidence == EVIDENCE_NONE;
  if (out_reason)
    *out_reason = describe(computer, evidence);
  return role;
}

GpRole
gp_engine_computer_role(const GpComputer *computer, gboolean *out_assumed, char **out_reason)
{
  return gp_role_decide(computer, out_assumed, out_reason);
}
