/* fuzz_sd.c - security descriptors: SDDL (gp_sd_from_sddl) and the binary
 * self-relative form (gp_sd_from_binary).
 *
 * The input is split at its first NUL: the text before it is SDDL, the bytes
 * after it (the whole input when there is no NUL) a binary descriptor.  Every
 * descriptor that parses goes through the access check of security filtering.
 */
#include "fuzz-common.h"

#include <string.h>

#define DOMAIN_SID "S-1-5-21-1111111111-2222222222-3333333333"

static void
check_access(const GpSecurityDescriptor *sd)
{
  static const char *const sids[]
      = { "S-1-1-0", "S-1-5-11", "S-1-5-2", DOMAIN_SID "-515", DOMAIN_SID "-1105" };
  g_autoptr(GPtrArray) token = g_ptr_array_new();
  g_autofree char *why = NULL;

  if (sd == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS(sids); i++)
    g_ptr_array_add(token, (gpointer)sids[i]);
  gp_engine_check_gpo_access(sd, token, &why);
}

static void
parse_sddl(const char *sddl, const char *domain_sid, const char *root_sid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSecurityDescriptor) sd = gp_sd_from_sddl(sddl, domain_sid, root_sid, &error);

  fuzz_check_result(sd != NULL, error);
  check_access(sd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr(data, '\0', size);
  const uint8_t *binary = nul ? nul + 1 : data;
  gsize binary_len = nul ? size - (gsize)(binary - data) : size;
  g_autofree char *sddl = fuzz_string(data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSecurityDescriptor) sd = gp_sd_from_binary(binary, binary_len, &error);

  fuzz_check_result(sd != NULL, error);
  check_access(sd);
  parse_sddl(sddl, DOMAIN_SID, NULL);
  parse_sddl(sddl, NULL, NULL);
  parse_sddl(sddl, DOMAIN_SID, "S-1-5-21-4-5-6");
  return 0;
}
