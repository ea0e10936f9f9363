/* gp-engine-private.h - what the engine's files share; not for callers. */
#ifndef GP_ENGINE_PRIVATE_H
#define GP_ENGINE_PRIVATE_H

#include "gp-engine.h"

G_BEGIN_DECLS

/* gp-access.c: tokens from an index of the model's groups (by DN, SID and
 * member), built once for a GpEngineCache or once per evaluation.  The index
 * remembers the part of the token computers share (all but their own SID) and
 * which ACEs decide for it, without a lock: one thread at a time uses it. */
typedef struct _GpTokenIndex GpTokenIndex;
GpTokenIndex *gp_token_index_new(const GpModel *model);
void gp_token_index_free(GpTokenIndex *index);
GPtrArray *gp_token_index_token(GpTokenIndex *index, const GpComputer *computer,
                                const char *const *extra_groups);
/* The ACE numbers that decided Read and Apply for @token (granted_by, denied_by
 * of Read, then of Apply; 0 for none): all the verdict and its text depend on. */
void gp_access_decisions(const GpSecurityDescriptor *sd, const GPtrArray *token, guint out[4]);
/* Where gp_token_index_decisions() keeps a computer's token between calls: the
 * index's shared part (then the own SID comes from the computer) or, when the
 * index does not share it, the whole token.  Fields are gp-access.c's. */
typedef struct {
  GpTokenIndex *index; /* what it holds is for this index, computer and extra groups */
  const GpComputer *computer;
  const char *const *extra_groups;
  gconstpointer shared; /* (nullable) the index's entry for the group part */
  GPtrArray *token;     /* (nullable) (owned) the whole token, when not shared */
} GpTokenRef;
void gp_token_ref_clear(GpTokenRef *ref);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(GpTokenRef, gp_token_ref_clear)
/* gp_access_decisions() on gp_token_index_token(@index, @computer,
 * @extra_groups), without the token where the index shares its group part: the
 * decisions are remembered per shared part and @sd (by address: descriptors
 * must live as long as the index, as the model's do) and worked out again only
 * for a DACL that names the computer's own SID.  @ref, zeroed at first and
 * cleared with gp_token_ref_clear() (g_auto() does both), carries the token
 * from one descriptor to the next for the same computer, which must not change
 * meanwhile.  Same thread rule as the index: no lock. */
void gp_token_index_decisions(GpTokenIndex *index, GpTokenRef *ref, const GpComputer *computer,
                              const char *const *extra_groups, const GpSecurityDescriptor *sd,
                              guint out[4]);
/* TRUE when every computer's token gets the same verdict (both rights granted
 * to a logon SID before any deny). */
gboolean gp_access_token_independent(const GpSecurityDescriptor *sd);

/* What evaluations of many computers share (a GpEngineCache); every member is
 * filled on first use.  NULL aids: each evaluation works alone. */
typedef struct {
  GpTokenIndex *tokens;
  GHashTable *link_gpos;  /* const GpLink* -> const GpGpo* (the aids' own address for none) */
  GHashTable *sites;      /* lower-case site name -> const GpSom* (the aids' address for none) */
  gboolean sites_counted; /* n_sites and only_site are set */
  guint n_sites;
  const GpSom *only_site;
} GpEngineAids;

GpGpoEntry *gp_entry_new(const GpSom *som, const GpLink *link);
void gp_entry_free(GpGpoEntry *entry);
/* Returns: (transfer none): the GPO's display name, else its GUID or link DN. */
const char *gp_entry_label(const GpGpoEntry *entry);

/* gp-role.c: gp_engine_computer_role(), the reason (nullable) written only when asked for. */
GpRole gp_role_decide(const GpComputer *computer, gboolean *out_assumed, char **out_reason);
/* @value in decimal, written at the end of @digits, for the reasons rsop writes
 * for every computer: g_strconcat() costs a fraction of printf.
 * Returns: (transfer none): the text, inside @digits. */
#define GP_UINT_TEXT_SIZE 12
const char *gp_uint_text(guint32 value, char digits[GP_UINT_TEXT_SIZE]);

/* gp-site.c: decides the site (options, subnets, the computer's own, the only
 * one there is) and sets result->site and result->site_reason. */
const GpSom *gp_site_choose(const GpModel *model, const GpComputer *computer,
                            const GpEngineOptions *options, GpEngineAids *aids, GpResult *result);

/* gp-list.c: steps A to D. */
void gp_list_build_soms(const GpModel *model, const char *computer_dn, GpResult *result);
void gp_list_build_entries(GpResult *result);
void gp_list_filter_entries(const GpModel *model, const GpEngineOptions *options,
                            const GPtrArray *token, GpEngineAids *aids, GpResult *result);
/* The directory GPO a link names, or NULL (GPO_NOT_FOUND). */
const GpGpo *gp_list_link_gpo(const GpModel *model, GpEngineAids *aids, const GpLink *link);

/* gp-resolve.c: step E. */
gboolean gp_resolve_rights(const GpModel *model, const GpEngineOptions *options, GpResult *result,
                           GError **error);
void gp_right_result_free(GpRightResult *right);

G_END_DECLS

#endif
