/* gp-engine-private.h - what the engine's files share; not for callers. */
#ifndef GP_ENGINE_PRIVATE_H
#define GP_ENGINE_PRIVATE_H

#include "gp-engine.h"

G_BEGIN_DECLS

GpGpoEntry *gp_entry_new(const GpSom *som, const GpLink *link);
void gp_entry_free(GpGpoEntry *entry);
/* Returns: (transfer none): the GPO's display name, else its GUID or link DN. */
const char *gp_entry_label(const GpGpoEntry *entry);

/* gp-site.c: decides the site (options, subnets, the computer's own, the only
 * one there is) and sets result->site and result->site_reason. */
const GpSom *gp_site_choose(const GpModel *model, const GpComputer *computer,
                            const GpEngineOptions *options, GpResult *result);

/* gp-list.c: steps A to D. */
void gp_list_build_soms(const GpModel *model, const char *computer_dn, GpResult *result);
void gp_list_build_entries(GpResult *result);
void gp_list_filter_entries(const GpModel *model, const GpEngineOptions *options,
                            const GPtrArray *token, GpResult *result);

/* gp-resolve.c: step E. */
gboolean gp_resolve_rights(const GpModel *model, const GpEngineOptions *options, GpResult *result,
                           GError **error);
void gp_right_result_free(GpRightResult *right);

G_END_DECLS

#endif
