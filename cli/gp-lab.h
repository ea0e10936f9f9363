/* gp-lab.h - the lab generator: a synthetic forest in the formats real exports have.
 *
 * gp_lab_write() is what `gpsim lab generate` runs; `gpsim lab new` reuses it.
 * Same parameters, same bytes: everything is drawn from one GRand seeded with
 * @seed, and nothing depends on the time or on hash-table order.  README "Lab
 * generator" states the distributions.
 */
#ifndef GP_LAB_H
#define GP_LAB_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 seed;
  guint computers; /* computer objects, the domain controllers included (>= domains) */
  guint ous;       /* OUs, besides each domain's built-in Domain Controllers OU */
  guint gpos;  /* groupPolicyContainers, each domain's two default GPOs included (>= 2 x domains) */
  guint sites; /* sites in the configuration partition */
  guint domains; /* the first is the forest root, the others its children childN */
} GpLabParams;

/* The small lab: 50 computers, 20 OUs, 15 GPOs, 2 sites, 1 domain. */
#define GP_LAB_DEFAULT_COMPUTERS 50
#define GP_LAB_DEFAULT_OUS       20
#define GP_LAB_DEFAULT_GPOS      15
#define GP_LAB_DEFAULT_SITES     2
#define GP_LAB_DEFAULT_DOMAINS   1

/* Gives every zero size its default above. */
void gp_lab_params_fill_defaults(GpLabParams *params);

/* Writes the lab (zero sizes take their defaults) into @dir: one ldapsearch-style
 * LDIF file per domain (<dns>.ldif; the root's also holds the configuration
 * partition), sysvol/<dns>/Policies/{GUID}/... and a README.md.  Everything is
 * written into "@dir.tmp" and renamed at the end; an existing non-empty @dir
 * is refused (G_FILE_ERROR_EXIST), bad sizes are G_FILE_ERROR_INVAL. */
gboolean gp_lab_write(const GpLabParams *params, const char *dir, GError **error);

G_END_DECLS

#endif
