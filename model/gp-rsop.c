/* gp-rsop.c - lifetimes of the RSoP record; see gp-rsop.h. */
#include "gp-rsop.h"

GpRsop *
gp_rsop_new(const char *file)
{
  GpRsop *rsop = g_new0(GpRsop, 1);

  rsop->file = g_strdup(file);
  rsop->searched_soms = g_ptr_array_new_with_free_func(g_free);
  rsop->security_groups = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  rsop->gpos = g_ptr_array_new_with_free_func((GDestroyNotify)gp_rsop_gpo_free);
  rsop->rights = g_ptr_array_new_with_free_func((GDestroyNotify)gp_rsop_right_free);
  return rsop;
}

void
gp_rsop_free(GpRsop *rsop)
{
  if (!rsop)
    return;
  g_free(rsop->file);
  g_free(rsop->computer_name);
  g_free(rsop->domain);
  g_free(rsop->som);
  g_free(rsop->site);
  g_ptr_array_unref(rsop->searched_soms);
  g_ptr_array_unref(rsop->security_groups);
  g_ptr_array_unref(rsop->gpos);
  g_ptr_array_unref(rsop->rights);
  g_free(rsop);
}

GpRsopGpo *
gp_rsop_gpo_new(void)
{
  GpRsopGpo *gpo = g_new0(GpRsopGpo, 1);

  gpo->extensions = g_ptr_array_new_with_free_func(g_free);
  gpo->link_enabled = TRUE;
  gpo->enabled = TRUE;
  gpo->is_valid = TRUE;
  gpo->filter_allowed = TRUE;
  return gpo;
}

void
gp_rsop_gpo_free(GpRsopGpo *gpo)
{
  if (!gpo)
    return;
  g_free(gpo->guid);
  g_free(gpo->name);
  g_free(gpo->domain);
  g_free(gpo->som_path);
  g_ptr_array_unref(gpo->extensions);
  g_free(gpo);
}

GpRsopRight *
gp_rsop_right_new(const char *right)
{
  GpRsopRight *out = g_new0(GpRsopRight, 1);

  out->right = g_strdup(right);
  out->members = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  return out;
}

void
gp_rsop_right_free(GpRsopRight *right)
{
  if (!right)
    return;
  g_free(right->right);
  g_free(right->gpo_guid);
  g_ptr_array_unref(right->members);
  g_free(right);
}

static gint
by_applied_order_desc(gconstpointer a, gconstpointer b)
{
  const GpRsopGpo *x = *(const GpRsopGpo *const *)a;
  const GpRsopGpo *y = *(const GpRsopGpo *const *)b;

  return (y->applied_order > x->applied_order) - (y->applied_order < x->applied_order);
}

GPtrArray *
gp_rsop_applied_in_precedence(const GpRsop *rsop)
{
  GPtrArray *applied = g_ptr_array_new();

  for (guint i = 0; i < rsop->gpos->len; i++) {
    GpRsopGpo *gpo = g_ptr_array_index(rsop->gpos, i);
    if (gpo->applied_order > 0)
      g_ptr_array_add(applied, gpo);
  }
  g_ptr_array_sort(applied, by_applied_order_desc);
  return applied;
}
