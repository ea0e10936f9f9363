/* gp-render-html.c - the precedence picture as one self-contained HTML page.
 *
 * Built with libxml2's tree API: every piece of text goes in through
 * xmlNewTextChild() or xmlNodeAddContent(), so the serializer escapes it; the
 * page has its CSS inline in one <style> element, no script and no external
 * reference, so it can be mailed or attached to a ticket as it is.
 *
 * The page is made of pieces other pages reuse (whatif shows two results side
 * by side): gp_render_html_page_new() gives an empty page with the style,
 * gp_render_html_add_result() appends one GpResult's picture (computer, SOM
 * tree from the site down to the computer, precedence table, one block per
 * right), gp_render_html_page_dump() serializes.
 */
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <string.h>

#include "gp-cli.h"

#define X(s) ((const xmlChar *)(s))

static const char page_style[]
    = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:24px;color:#1d1d1f;"
      "background:#fafafa;line-height:1.4}"
      "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px;"
      "border-bottom:1px solid #ccc}h3{font-size:16px;margin:16px 0 6px}"
      ".sub{color:#555;margin:0 0 16px}"
      "dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 12px}"
      "dl.facts dt{font-weight:bold}dl.facts dd{margin:0}"
      ".result{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 18px;"
      "margin-bottom:18px}"
      "ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:22px}"
      "ul.tree{padding-left:0}"
      "ul.tree li.som{border-left:2px solid #9ab;margin:6px 0;padding-left:10px}"
      ".som-head{font-weight:bold}.kind{display:inline-block;min-width:54px;font-size:12px;"
      "text-transform:uppercase;color:#fff;background:#567;border-radius:3px;padding:0 5px;"
      "margin-right:6px;text-align:center}"
      ".kind.site{background:#7a5c99}.kind.domain{background:#2d6a9f}.kind.ou{background:#3c8d5a}"
      ".kind.computer{background:#444}.kind.local{background:#888}"
      "ul.links{padding-left:22px}li.link{margin:2px 0}"
      ".order{font-family:monospace;font-weight:bold;background:#eef;border:1px solid #99b;"
      "border-radius:3px;padding:0 4px;margin-right:6px}"
      ".badge{font-size:12px;border-radius:3px;padding:0 5px;margin-left:6px;color:#fff}"
      ".badge.enforced{background:#b5391f}.badge.block{background:#8a5a00}"
      ".badge.disabled{background:#777}.badge.blocked{background:#a67c00}"
      ".badge.wins{background:#1f7a1f}.badge.denied{background:#9c2a2a}"
      ".badge.applied{background:#3c8d5a}"
      "li.link.disabled .gpo{text-decoration:line-through;color:#777}"
      "li.link.blocked .gpo{color:#8a6d00;font-style:italic}"
      "li.link.not-applied .gpo{color:#9c2a2a}"
      "li.link.winner{background:#fff3b0;border-left:4px solid #d4a000;padding-left:4px}"
      ".why{color:#555;font-size:13px;margin-left:8px}"
      "table{border-collapse:collapse;margin:6px 0 10px;background:#fff}"
      "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;"
      "font-size:14px}th{background:#eef1f5}"
      "tr.winner td{background:#fff3b0;font-weight:bold}"
      "tr.not-applied td{color:#8a2020}tr.excluded td{color:#777}"
      "p.verdict{font-size:15px}p.verdict.winner{background:#fff3b0;border-left:4px solid "
      "#d4a000;padding:4px 8px}"
      "p.greyed{font-style:italic}.sid{font-family:monospace;font-size:13px}"
      ".note{color:#6b4e00}.footer{color:#777;font-size:12px;margin-top:24px}"
      ".sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}"
      ".side{background:#fff;border:1px solid #ddd;border-radius:6px;padding:6px 12px}"
      ".gained{color:#1f7a1f}.lost{color:#9c2a2a}.persistence{font-style:italic}";

/* ------------------------------------------------------------ node helpers */

/* Appends <@tag class=@cls>@text</@tag> to @parent; @cls and @text may be NULL. */
static xmlNodePtr
element(xmlNodePtr parent, const char *tag, const char *cls, const char *text)
{
  xmlNodePtr node = xmlNewTextChild(parent, NULL, X(tag), text ? X(text) : NULL);

  if (cls)
    xmlSetProp(node, X("class"), X(cls));
  return node;
}

/* Appends <@tag class=@cls> with printf-style text. */
G_GNUC_PRINTF(4, 5)
static xmlNodePtr
element_printf(xmlNodePtr parent, const char *tag, const char *cls, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start(args, format);
  text = g_strdup_vprintf(format, args);
  va_end(args);
  return element(parent, tag, cls, text);
}

static void
add_text(xmlNodePtr node, const char *text)
{
  xmlNodeAddContent(node, X(text));
}

static void
badge(xmlNodePtr parent, const char *cls, const char *text)
{
  g_autofree char *full = g_strconcat("badge ", cls, NULL);

  element(parent, "span", full, text);
}

/* ------------------------------------------------------------ facts */

static const char *
som_kind_label(const GpSom *som)
{
  switch (som->kind) {
  case GP_SOM_SITE:
    return "site";
  case GP_SOM_DOMAIN:
    return "domain";
  case GP_SOM_OU:
    return "ou";
  }
  return "ou";
}

/* The rights @entry wins ("SeA, SeB"), the ones the local layer decides when
 * @entry is NULL, or NULL for none. */
static char *
rights_won(const GpResult *result, const GpGpoEntry *entry)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *right = g_ptr_array_index(result->rights, i);
    if (right->winner == entry)
      g_string_append_printf(text, "%s%s", text->len ? ", " : "", right->right);
  }
  return text->len ? g_string_free(g_steal_pointer(&text), FALSE) : NULL;
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

/* "computer configuration disabled (GPO status) at X (detail)". */
static char *
fate_text(const GpGpoEntry *entry)
{
  GString *text = g_string_new(gp_reason_describe(entry->reason));

  if (entry->blocked_by)
    g_string_append_printf(text, " at %s", entry->blocked_by->dn);
  if (entry->detail)
    g_string_append_printf(text, " (%s)", entry->detail);
  return g_string_free(text, FALSE);
}

static void
fact(xmlNodePtr dl, const char *term, const char *value)
{
  element(dl, "dt", NULL, term);
  element(dl, "dd", NULL, value);
}

static void
add_computer(xmlNodePtr parent, const GpResult *result)
{
  xmlNodePtr section = element(parent, "div", "computer", NULL);
  xmlNodePtr dl;
  g_autofree char *role
      = g_strdup_printf("%s: %s", gp_role_to_string(result->role), result->role_reason);
  g_autofree char *site
      = g_strdup_printf("%s: %s", result->site ? result->site : "(none)", result->site_reason);

  element(section, "h2", NULL, "Computer");
  dl = element(section, "dl", "facts", NULL);
  fact(dl, "Name", result->computer->cn);
  fact(dl, "DN", result->computer->dn);
  fact(dl, "Role", role);
  fact(dl, "Site", site);
  for (guint i = 0; i < result->notes->len; i++)
    fact(dl, "Note", g_ptr_array_index(result->notes, i));
}

/* ------------------------------------------------------------ SOM tree */

static void
add_link_fate(xmlNodePtr li, const GpResult *result, const GpGpoEntry *entry)
{
  g_autofree char *won = entry ? rights_won(result, entry) : NULL;
  g_autofree char *fate = entry && !entry->applied && entry->reason != GP_REASON_LINK_DISABLED
                              ? fate_text(entry)
                              : NULL;
  g_autofree char *wins = won ? g_strconcat("wins ", won, NULL) : NULL;

  if (!entry)
    return;
  if (entry->reason == GP_REASON_LINK_DISABLED)
    badge(li, "disabled", "link disabled");
  else if (entry->reason == GP_REASON_BLOCKED)
    badge(li, "blocked", "blocked");
  else if (!entry->applied)
    badge(li, "denied", "not applied");
  else
    badge(li, "applied", "applied");
  if (wins)
    badge(li, "wins", wins);
  if (fate)
    element(li, "span", "why", fate);
}

static void
add_link(xmlNodePtr ul, const GpResult *result, const GpLink *link)
{
  const GpGpoEntry *entry = entry_for_link(result, link);
  g_autofree char *won = entry ? rights_won(result, entry) : NULL;
  g_autoptr(GString) cls = g_string_new("link");
  xmlNodePtr li;

  if (entry && entry->reason == GP_REASON_LINK_DISABLED)
    g_string_append(cls, " disabled");
  else if (entry && entry->reason == GP_REASON_BLOCKED)
    g_string_append(cls, " blocked");
  else if (entry && !entry->applied)
    g_string_append(cls, " not-applied");
  if (won)
    g_string_append(cls, " winner");
  li = element(ul, "li", cls->str, NULL);
  element_printf(li, "span", "order", "L%u", link->link_order);
  element(li, "span", "gpo", entry ? gp_render_entry_name(entry) : link->gpo_dn);
  if ((link->options & GP_LINK_ENFORCED) && !(link->options & GP_LINK_DISABLED))
    badge(li, "enforced", "enforced");
  add_link_fate(li, result, entry);
}

static xmlNodePtr
add_som(xmlNodePtr ul, const GpResult *result, const GpSom *som)
{
  xmlNodePtr li = element(ul, "li", "som", NULL);
  xmlNodePtr head = element(li, "div", "som-head", NULL);
  g_autofree char *kind = g_strconcat("kind ", som_kind_label(som), NULL);
  xmlNodePtr links;

  element(head, "span", kind, som_kind_label(som));
  add_text(head, " ");
  add_text(head, som->dn);
  if (som->gp_options & GP_SOM_BLOCK_INHERITANCE)
    badge(head, "block", "blocks inheritance");
  if (som->link_order_assumed)
    element(head, "span", "why", "(link order assumed: the data does not record it)");
  links = element(li, "ul", "links", NULL);
  if (som->links->len == 0)
    element(links, "li", "why", "no links");
  for (guint i = 0; i < som->links->len; i++)
    add_link(links, result, g_ptr_array_index(som->links, i));
  return element(li, "ul", NULL, NULL);
}

static void
add_computer_leaf(xmlNodePtr ul, const GpResult *result)
{
  xmlNodePtr li = element(ul, "li", "som", NULL);
  xmlNodePtr head = element(li, "div", "som-head", NULL);
  g_autofree char *won = rights_won(result, NULL);
  xmlNodePtr links = element(li, "ul", "links", NULL);
  xmlNodePtr item = element(links, "li", "link", NULL);

  element(head, "span", "kind computer", "computer");
  add_text(head, " ");
  add_text(head, result->computer->dn);
  element(item, "span", "kind local", "local");
  element(item, "span", "gpo", "Local Group Policy (lowest precedence, never blocked)");
  if (won)
    element_printf(item, "span", "why", "decides %s: no applied GPO defines it", won);
}

static void
add_som_tree(xmlNodePtr parent, const GpResult *result)
{
  xmlNodePtr section = element(parent, "div", "soms", NULL);
  xmlNodePtr ul;

  element(section, "h2", NULL, "Scopes of management, from the site down to the computer");
  element(section, "p", "sub",
          "Each link shows its link order (L1 has the highest precedence within its SOM).");
  ul = element(section, "ul", "tree", NULL);
  for (guint i = result->soms->len; i > 0; i--)
    ul = add_som(ul, result, g_ptr_array_index(result->soms, i - 1));
  add_computer_leaf(ul, result);
}

/* ------------------------------------------------------------ precedence table */

static void
add_row_cells(xmlNodePtr tr, const xmlChar *tag, const char *const *cells, guint n)
{
  for (guint i = 0; i < n; i++)
    xmlNewTextChild(tr, NULL, tag, cells[i] ? X(cells[i]) : NULL);
}

/* The missing-descriptor assumption is summed up once under the table. */
static gboolean
is_descriptor_assumption(const char *text)
{
  return g_str_has_prefix(text, "no nTSecurityDescriptor");
}

static guint
count_descriptor_assumptions(const GpResult *result)
{
  guint count = 0;

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    for (guint a = 0; a < entry->assumptions->len; a++)
      count += is_descriptor_assumption(g_ptr_array_index(entry->assumptions, a));
  }
  return count;
}

static const char *
entry_row_class(const GpGpoEntry *entry, gboolean wins)
{
  if (wins)
    return "winner";
  if (entry->reason == GP_REASON_LINK_DISABLED || entry->reason == GP_REASON_BLOCKED)
    return "excluded";
  return entry->applied ? "applied" : "not-applied";
}

static void
add_entry_row(xmlNodePtr table, const GpResult *result, const GpGpoEntry *entry)
{
  g_autofree char *won = rights_won(result, entry);
  g_autofree char *precedence = g_strdup_printf("%u", entry->precedence);
  g_autofree char *order = entry->is_local ? NULL : g_strdup_printf("L%u", entry->link->link_order);
  g_autofree char *fate = entry->applied ? g_strdup("applied") : fate_text(entry);
  g_autofree char *status = won ? g_strdup_printf("%s; WINS %s", fate, won) : g_strdup(fate);
  const char *cells[] = {
    precedence, gp_render_entry_name(entry),         entry->is_local ? "local" : entry->som->dn,
    order,      entry->enforced ? "enforced" : NULL, status,
  };
  xmlNodePtr tr = element(table, "tr", entry_row_class(entry, won != NULL), NULL);

  add_row_cells(tr, X("td"), cells, G_N_ELEMENTS(cells));
  for (guint i = 0; i < entry->assumptions->len; i++) {
    const char *text = g_ptr_array_index(entry->assumptions, i);
    if (!is_descriptor_assumption(text))
      element(tr->last, "div", "note", text);
  }
}

static void
add_precedence(xmlNodePtr parent, const GpResult *result)
{
  static const char *const heads[]
      = { "#", "GPO", "linked at", "link order", "enforced", "status" };
  xmlNodePtr section = element(parent, "div", "precedence", NULL);
  xmlNodePtr table;
  guint assumed;

  element(section, "h2", NULL, "GPOs in precedence order");
  element(section, "p", "sub",
          "1 wins; the client applies them in the reverse order. Disabled and blocked links "
          "come after local.");
  table = element(section, "table", "precedence", NULL);
  add_row_cells(element(table, "tr", NULL, NULL), X("th"), heads, G_N_ELEMENTS(heads));
  for (guint i = 0; i < result->entries->len; i++)
    add_entry_row(table, result, g_ptr_array_index(result->entries, i));
  if ((assumed = count_descriptor_assumptions(result)))
    element_printf(section, "p", "note",
                   "%u applied GPO%s without a security descriptor in the data: assumed readable "
                   "and applicable.",
                   assumed, assumed == 1 ? "" : "s");
}

/* ------------------------------------------------------------ rights */

void
gp_render_html_add_holders(xmlNodePtr parent, const GPtrArray *holders)
{
  static const char *const heads[] = { "holder", "SID" };
  xmlNodePtr table = element(parent, "table", "holders", NULL);

  add_row_cells(element(table, "tr", NULL, NULL), X("th"), heads, G_N_ELEMENTS(heads));
  if (!holders || holders->len == 0)
    element(element(table, "tr", NULL, NULL), "td", NULL, "(nobody)");
  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    xmlNodePtr tr = element(table, "tr", NULL, NULL);
    element(tr, "td", "name", holder->name ? holder->name : "(unknown name)");
    element(tr, "td", "sid", holder->sid ? holder->sid : "(no SID: resolved by name)");
  }
}

static const char *
outcome_text(const GpDefinition *definition)
{
  switch (definition->outcome) {
  case GP_OUTCOME_WON:
    return "WINS";
  case GP_OUTCOME_OVERRIDDEN:
    return "overridden";
  case GP_OUTCOME_NOT_APPLIED:
    return "not applied";
  }
  return "";
}

static void
add_definition_row(xmlNodePtr table, const GpDefinition *definition)
{
  const GpGpoEntry *entry = definition->entry;
  g_autofree char *precedence = g_strdup_printf("%u", entry->precedence);
  g_autofree char *order = g_strdup_printf("L%u", entry->link->link_order);
  g_autofree char *count = g_strdup_printf("%u", definition->assignment->holders->len);
  g_autofree char *outcome = NULL;
  const char *cells[]
      = { precedence, gp_render_entry_name(entry), entry->som->dn, order, count, NULL };

  if (definition->outcome == GP_OUTCOME_OVERRIDDEN)
    outcome
        = g_strdup_printf("overridden by '%s'", gp_render_entry_name(definition->overridden_by));
  else if (definition->outcome == GP_OUTCOME_NOT_APPLIED)
    outcome = g_strdup_printf("not applied: %s", gp_reason_describe(entry->reason));
  cells[5] = outcome ? outcome : outcome_text(definition);
  add_row_cells(element(table, "tr", definition->outcome == GP_OUTCOME_WON ? "winner" : NULL, NULL),
                X("td"), cells, G_N_ELEMENTS(cells));
}

static void
add_definitions(xmlNodePtr parent, const GpRightResult *right)
{
  static const char *const heads[]
      = { "#", "GPO defining it", "linked at", "link order", "holders", "outcome" };
  xmlNodePtr table;

  if (right->definitions->len == 0) {
    element(parent, "p", "sub", "No GPO on the list defines this right.");
    return;
  }
  table = element(parent, "table", "chain", NULL);
  add_row_cells(element(table, "tr", NULL, NULL), X("th"), heads, G_N_ELEMENTS(heads));
  for (guint i = 0; i < right->definitions->len; i++)
    add_definition_row(table, g_ptr_array_index(right->definitions, i));
}

static char *
verdict_text(const GpRightResult *right)
{
  const GpGpoEntry *winner = right->winner;

  if (winner)
    return g_strdup_printf("Winner: GPO '%s' %s linked at %s (link order %u%s), with its whole "
                           "list",
                           gp_render_entry_name(winner), winner->gpo->guid, winner->som->dn,
                           winner->link->link_order, winner->enforced ? ", enforced" : "");
  if (right->defined_nowhere)
    return g_strdup("Winner: none: no applied GPO defines it and the local layer does not "
                    "either, so nobody holds it");
  return g_strdup_printf("Winner: %s (no applied GPO defines it)",
                         right->source == GP_SOURCE_LOCAL ? "the local policy (secedit export)"
                                                          : "the documented default of the role");
}

static char *
greyed_text(const GpRightResult *right)
{
  if (right->winner)
    return g_strdup_printf("Local editor: greyed out in secpol.msc because GPO '%s' linked at %s "
                           "defines it.",
                           gp_render_entry_name(right->winner), right->winner->som->dn);
  return g_strdup("Local editor: editable in secpol.msc: no applied GPO defines it.");
}

static void
add_right(xmlNodePtr parent, const GpRightResult *right)
{
  xmlNodePtr section = element(parent, "div", "right", NULL);
  g_autofree char *id = g_strconcat("right-", right->right, NULL);
  g_autofree char *verdict = verdict_text(right);
  g_autofree char *greyed = greyed_text(right);
  xmlNodePtr notes;

  xmlSetProp(section, X("id"), X(id));
  if (right->info)
    element_printf(section, "h2", NULL, "%s (%s)", right->right, right->info->display_name);
  else
    element(section, "h2", NULL, right->right);
  element(section, "p", right->winner ? "verdict winner" : "verdict", verdict);
  add_definitions(section, right);
  element(section, "h3", NULL, "Holders");
  gp_render_html_add_holders(section, right->holders);
  element(section, "p", "greyed", greyed);
  if (right->notes->len == 0)
    return;
  notes = element(section, "ul", "notes", NULL);
  for (guint i = 0; i < right->notes->len; i++)
    element(notes, "li", "note", g_ptr_array_index(right->notes, i));
}

/* ------------------------------------------------------------ the page */

xmlNode *
gp_render_html_element(xmlNode *parent, const char *tag, const char *cls, const char *text)
{
  return element(parent, tag, cls, text);
}

xmlNode *
gp_render_html_row(xmlNode *table, gboolean header, const char *const *cells, guint n)
{
  xmlNodePtr tr = element(table, "tr", NULL, NULL);

  add_row_cells(tr, header ? X("th") : X("td"), cells, n);
  return tr;
}

xmlNode *
gp_render_html_add_result(xmlNode *parent, const GpModel *model, const GpResult *result)
{
  xmlNodePtr div = element(parent, "div", "result", NULL);

  (void)model;
  add_computer(div, result);
  add_som_tree(div, result);
  add_precedence(div, result);
  if (result->rights->len == 0)
    element(div, "p", "sub", "No user right is defined by any GPO on the list.");
  for (guint i = 0; i < result->rights->len; i++)
    add_right(div, g_ptr_array_index(result->rights, i));
  return div;
}

xmlDoc *
gp_render_html_page_new(const char *title, xmlNode **out_body)
{
  xmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
  xmlNodePtr html = xmlNewDocNode(doc, NULL, X("html"), NULL);
  xmlNodePtr head, meta;

  xmlCreateIntSubset(doc, X("html"), NULL, NULL);
  xmlDocSetRootElement(doc, html);
  xmlSetProp(html, X("lang"), X("en"));
  head = element(html, "head", NULL, NULL);
  meta = element(head, "meta", NULL, NULL);
  xmlSetProp(meta, X("charset"), X("utf-8"));
  element(head, "title", NULL, title);
  element(head, "style", NULL, page_style);
  *out_body = element(html, "body", NULL, NULL);
  return doc;
}

char *
gp_render_html_page_dump(xmlDoc *doc)
{
  xmlChar *mem = NULL;
  int size = 0;
  char *text;

  htmlDocDumpMemoryFormat(doc, &mem, &size, 1);
  text = g_strndup((const char *)mem, (gsize)MAX(size, 0));
  xmlFree(mem);
  return text;
}

char *
gp_render_html_explain(const GpModel *model, const GpResult *result)
{
  g_autofree char *title = g_strdup_printf("gpsim: %s", result->computer->cn);
  xmlNodePtr body = NULL;
  xmlDocPtr doc = gp_render_html_page_new(title, &body);
  char *text;

  element_printf(body, "h1", NULL, "Who holds which user right on %s, and why",
                 result->computer->cn);
  element(body, "p", "sub",
          "Group Policy precedence for the computer side, simulated offline by gpsim from "
          "the data given.");
  gp_render_html_add_result(body, model, result);
  element(body, "p", "footer", "gpsim " GP_VERSION);
  text = gp_render_html_page_dump(doc);
  xmlFreeDoc(doc);
  return text;
}
