/* gp-rsop.h - what a Windows client recorded: gpresult /x, Get-GPResultantSetOfPolicy.
 *
 * Plain data read from the ComputerResults of an RSoP XML file, kept apart
 * from the GpModel because it is an observation to compare with, not an input
 * to the rules.  A GpRsop owns everything in it.
 */
#ifndef GP_RSOP_H
#define GP_RSOP_H

#include <glib.h>

#include "gp-model.h"

G_BEGIN_DECLS

/* One GPO of the computer's list as the client saw it. */
typedef struct {
  char *guid;          /* "{UPPER}", or "LocalGPO" for the local GPO */
  char *name;          /* display name (localized for the local GPO) */
  char *domain;        /* (nullable) */
  char *som_path;      /* (nullable) canonical name, "contoso.com/Servers" */
  guint som_order;     /* position in its SOM in processing order, 1 first */
  guint link_order;    /* running index across the list (not GPMC's link order) */
  guint applied_order; /* 1..n over applied GPOs, 0 when not applied */
  gboolean link_enabled;
  gboolean no_override; /* enforced */
  gboolean enabled;     /* computer half enabled */
  gboolean is_valid;
  gboolean filter_allowed;
  gboolean access_denied;
  guint32 version_directory;
  guint32 version_sysvol;
  GPtrArray *extensions; /* char*: CSE names ("Security", "Registry") */
  guint line;
} GpRsopGpo;

/* One user right setting: members as recorded (names only, usually). */
typedef struct {
  char *right;
  char *gpo_guid;     /* (nullable) the GPO the setting came from, "{UPPER}" */
  guint precedence;   /* 1 = the winning GPO */
  GPtrArray *members; /* GpPrincipal*: name, and SID when the file has one */
  guint line;
} GpRsopRight;

typedef struct {
  char *file;
  char *computer_name;        /* "CHILD\\CHILDDC$" */
  char *domain;               /* "Child.ADLAB.local" */
  char *som;                  /* canonical name of the computer's OU */
  char *site;                 /* (nullable) */
  GPtrArray *searched_soms;   /* char* canonical names, in Order order */
  GPtrArray *security_groups; /* GpPrincipal* of the computer's token */
  GPtrArray *gpos;            /* GpRsopGpo* in file order */
  GPtrArray *rights;          /* GpRsopRight* */
} GpRsop;

GpRsop *gp_rsop_new(const char *file);
void gp_rsop_free(GpRsop *rsop);
GpRsopGpo *gp_rsop_gpo_new(void);
void gp_rsop_gpo_free(GpRsopGpo *gpo);
GpRsopRight *gp_rsop_right_new(const char *right);
void gp_rsop_right_free(GpRsopRight *right);

/* Returns: (transfer container): the applied GPOs in precedence order (highest
 * AppliedOrder first, i.e. the one processed last). */
GPtrArray *gp_rsop_applied_in_precedence(const GpRsop *rsop);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpRsop, gp_rsop_free)

G_END_DECLS

#endif
