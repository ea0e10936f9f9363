/* gp-render-dot.c - the precedence picture for Graphviz (`dot -Tsvg`).
 *
 * The SOM chain runs top down, site -> domain -> OUs -> computer; each SOM's
 * links hang off it as boxes labelled "L<order> NAME", enforced ones red and
 * marked [E], disabled ones dotted and grey, blocked ones dashed, GPOs that do
 * not apply with their reason.  Every right explained is a note node, fed by
 * the link (or the local layer) that wins it, the winner filled gold.
 *
 * Every label is a quoted DOT string written by quote(): backslashes and
 * quotes are escaped, so names such as BUILTIN\Administrators stay literal.
 */
#include "gp-cli.h"

/* Appends @text as a DOT quoted string: "..." with \ and " escaped, & as
 * &amp; (Graphviz expands entities such as &amp; in labels), line breaks as \n
 * and other control characters as blanks. */
static void
quote(GString *out, const char *text)
{
  g_string_append_c(out, '"');
  for (const char *p = text; p && *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(out, '\\');
    if (*p == '\n')
      g_string_append(out, "\\n");
    else if (*p == '&')
      g_string_append(out, "&amp;"); /* Graphviz reads &name; entities in every label */
    else if ((guchar)*p < 0x20 || *p == 0x7f)
      g_string_append_c(out, ' ');
    else
      g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

/* Appends `id [label="...", ATTRS];` */
static void
node(GString *out, const char *id, const char *label, const char *attrs)
{
  g_string_append_printf(out, "  %s [label=", id);
  quote(out, label);
  if (attrs && *attrs)
    g_string_append_printf(out, ", %s", attrs);
  g_string_append(out, "];\n");
}

static const GpGpoEntry *
entry_for_link(const GpResult *result, const GpLink *link)
{
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->link == link)
      return entry;
  }
  return NULL;
}

static gboolean
wins_something(const GpResult *result, const GpGpoEntry *entry)
{
  for (guint i = 0; i < result->rights->len; i++)
    if (((const GpRightResult *)g_ptr_array_index(result->rights, i))->winner == entry)
      return TRUE;
  return FALSE;
}

static const char *
link_style(const GpResult *result, const GpGpoEntry *entry)
{
  if (!entry)
    return "style=filled, fillcolor=\"#ffffff\"";
  if (entry->reason == GP_REASON_LINK_DISABLED)
    return "style=\"dotted,filled\", fillcolor=\"#eeeeee\", fontcolor=\"#777777\"";
  if (entry->reason == GP_REASON_BLOCKED)
    return "style=\"dashed,filled\", fillcolor=\"#fff8e0\", fontcolor=\"#8a6d00\"";
  if (!entry->applied)
    return "style=filled, fillcolor=\"#f6dede\", color=\"#9c2a2a\"";
  if (wins_something(result, entry))
    return entry->enforced
               ? "style=\"filled,bold\", fillcolor=\"#ffd84d\", color=\"#b5391f\", penwidth=3"
               : "style=\"filled,bold\", fillcolor=\"#ffd84d\", penwidth=3";
  if (entry->enforced)
    return "style=filled, fillcolor=\"#ffffff\", color=\"#b5391f\", penwidth=2";
  return "style=filled, fillcolor=\"#ffffff\"";
}

static char *
link_label(const GpLink *link, const GpGpoEntry *entry)
{
  GString *label = g_string_new(NULL);

  g_string_append_printf(label, "L%u %s", link->link_order,
                         entry ? gp_render_entry_name(entry) : link->gpo_dn);
  if ((link->options & GP_LINK_ENFORCED) && !(link->options & GP_LINK_DISABLED))
    g_string_append(label, " [E]");
  if (!entry)
    return g_string_free(label, FALSE);
  if (entry->reason == GP_REASON_LINK_DISABLED)
    g_string_append(label, "\ndisabled link");
  else if (entry->reason == GP_REASON_BLOCKED)
    g_string_append_printf(label, "\nblocked by %s", entry->blocked_by->dn);
  else if (!entry->applied)
    g_string_append_printf(label, "\nnot applied: %s", gp_reason_describe(entry->reason));
  else
    g_string_append_printf(label, "\nprecedence %u", entry->precedence);
  return g_string_free(label, FALSE);
}

static void
render_links(const GpResult *result, const GpSom *som, guint s, GString *out)
{
  for (guint l = 0; l < som->links->len; l++) {
    const GpLink *link = g_ptr_array_index(som->links, l);
    const GpGpoEntry *entry = entry_for_link(result, link);
    g_autofree char *id = g_strdup_printf("link_%u_%u", s, l);
    g_autofree char *label = link_label(link, entry);

    node(out, id, label, link_style(result, entry));
    g_string_append_printf(
        out, "  som_%u -> %s [arrowhead=none, style=dashed, color=\"#888888\"];\n", s, id);
  }
}

static void
render_soms(const GpResult *result, GString *out)
{
  for (guint i = result->soms->len; i > 0; i--) {
    const GpSom *som = g_ptr_array_index(result->soms, i - 1);
    g_autofree char *id = g_strdup_printf("som_%u", i - 1);
    g_autofree char *label
        = g_strdup_printf("%s %s%s", gp_som_kind_to_string(som->kind), som->dn,
                          som->gp_options & GP_SOM_BLOCK_INHERITANCE ? "\nBLOCKS INHERITANCE" : "");

    node(out, id, label,
         som->gp_options & GP_SOM_BLOCK_INHERITANCE
             ? "shape=folder, style=filled, fillcolor=\"#dfe8f1\", color=\"#8a5a00\", penwidth=2"
             : "shape=folder, style=filled, fillcolor=\"#dfe8f1\"");
    render_links(result, som, i - 1, out);
    if (i > 1)
      g_string_append_printf(out, "  som_%u -> som_%u [penwidth=2];\n", i - 1, i - 2);
  }
}

/* The node id of the link or layer that decides @right. */
static char *
winner_id(const GpResult *result, const GpRightResult *right)
{
  for (guint s = 0; right->winner && s < result->soms->len; s++) {
    const GpSom *som = g_ptr_array_index(result->soms, s);
    for (guint l = 0; l < som->links->len; l++)
      if (g_ptr_array_index(som->links, l) == right->winner->link)
        return g_strdup_printf("link_%u_%u", s, l);
  }
  return g_strdup("local");
}

static void
render_right(const GpResult *result, const GpRightResult *right, guint r, GString *out)
{
  g_autoptr(GString) label = g_string_new(right->right);
  g_autofree char *id = g_strdup_printf("right_%u", r);
  g_autofree char *from = winner_id(result, right);

  g_string_append_printf(label, "\n%s", right->winner ? "winner: " : "decided by the local layer");
  if (right->winner)
    g_string_append(label, gp_render_entry_name(right->winner));
  g_string_append_printf(label, "\ngreyed out in secpol.msc: %s",
                         right->local_greyed_out ? "yes" : "no");
  if (right->holders->len == 0)
    g_string_append(label, "\n(nobody)");
  for (guint i = 0; i < right->holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(right->holders, i);
    g_string_append_printf(label, "\n%s%s%s", holder->name ? holder->name : "",
                           holder->name && holder->sid ? " " : "", holder->sid ? holder->sid : "");
  }
  node(out, id, label->str, "shape=note, style=filled, fillcolor=\"#fff3b0\"");
  g_string_append_printf(out, "  %s -> %s [color=\"#d4a000\", penwidth=2, label=\"wins\"];\n", from,
                         id);
}

static void
render_computer(const GpResult *result, GString *out)
{
  g_autofree char *label
      = g_strdup_printf("computer %s\n%s", result->computer->cn, result->computer->dn);

  node(out, "computer", label, "shape=box3d, style=filled, fillcolor=\"#dddddd\"");
  node(out, "local", "Local Group Policy\n(lowest precedence)",
       "shape=box, style=\"rounded,filled\", fillcolor=\"#f0f0f0\"");
  if (result->soms->len)
    g_string_append(out, "  som_0 -> computer [penwidth=2];\n");
  g_string_append(out, "  computer -> local [arrowhead=none, style=dashed, color=\"#888888\"];\n");
}

char *
gp_render_dot_explain(const GpResult *result)
{
  GString *out = g_string_new("digraph gpsim {\n");
  g_autofree char *title
      = g_strdup_printf("gpsim: Group Policy precedence on %s", result->computer->cn);

  g_string_append(out, "  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label=");
  quote(out, title);
  g_string_append(out, "];\n  node [shape=box, fontname=\"Helvetica\", fontsize=11];\n"
                       "  edge [fontname=\"Helvetica\", fontsize=10];\n");
  render_soms(result, out);
  render_computer(result, out);
  for (guint r = 0; r < result->rights->len; r++)
    render_right(result, g_ptr_array_index(result->rights, r), r, out);
  g_string_append(out, "}\n");
  return g_string_free(out, FALSE);
}
