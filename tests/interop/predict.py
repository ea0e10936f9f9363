"""Two independent predictors over the model that topology.observe() reads
from the DC:

* windows(): the documented Windows rules, written from
  shared/reference/precedence-rules.md sections 1 to 3 (SOM list, gPLink link
  order, enforced/blocked, the D1-D8 filters in their reporting order,
  whole-list resolution of user rights).  gpsim must give this answer.
* samba(): what Samba 4.17's libgpo (ads_get_gpo_list, as shipped by Debian 12)
  returns, with its known deviations (README.md of this folder).  Samba must
  give this answer, which checks the harness itself.

Neither uses gpsim's code.  Plain Python 3, no Samba import.
"""

APPLY_GP = "edacfd8f-ffb3-11d1-b41d-00a0c968f939"
SECURITY_CSE = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"

# access mask bits (MS-ADTS / MS-DTYP)
ADS_CONTROL_ACCESS = 0x00000100
ADS_READ_PROP = 0x00000010
GENERIC_ALL = 0x10000000
GENERIC_READ = 0x80000000

ACE_ALLOWED, ACE_DENIED, ACE_ALLOWED_OBJECT, ACE_DENIED_OBJECT = 0, 1, 5, 6
ACE_FLAG_INHERIT_ONLY = 0x08
OBJECT_TYPE_PRESENT, INHERITED_OBJECT_TYPE_PRESENT = 1, 2

WORLD, NETWORK, AUTHENTICATED_USERS, ENTERPRISE_DCS = "S-1-1-0", "S-1-5-2", "S-1-5-11", "S-1-5-9"
UF_SERVER_TRUST_ACCOUNT = 0x2000

FILTER_ORDER = ["GPO_NOT_FOUND", "BAD_FUNCTIONALITY_VERSION", "COMPUTER_SETTINGS_DISABLED",
                "SECURITY_FILTER_DENIED", "WMI_FILTER_FALSE", "EMPTY_GPO",
                "SECURITY_CSE_NOT_REGISTERED", "SYSVOL_UNREADABLE"]


# -- DN helpers ----------------------------------------------------------------------

def rdns(dn):
    """Split a DN (RFC 4514 string, as ldb writes it) into RDN strings at the
    commas that are not escaped with a backslash."""
    parts, cur, i = [], "", 0
    while i < len(dn):
        ch = dn[i]
        if ch == "\\" and i + 1 < len(dn):
            cur += dn[i:i + 2]
            i += 2
            continue
        if ch == ",":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur.strip())
    return parts


def parents(dn):
    parts = rdns(dn)
    return [",".join(parts[i:]) for i in range(1, len(parts))]


def gpo_guid_from_dn(dn):
    first = rdns(dn)[0]
    return first.split("=", 1)[1].strip().upper()


def windows_som_chain(comp_dn, model):
    """precedence-rules 1.3: parent OUs nearest first, then the first DC=
    ancestor (the domain root), then the site."""
    chain = []
    for p in parents(comp_dn):
        kind = p.split("=", 1)[0].strip().upper()
        if kind == "OU":
            chain.append(p)
        elif kind == "DC":
            chain.append(p)
            break
    chain.append(model["site_dn"])
    return chain


# -- the computer's token ---------------------------------------------------------------

def token(model, comp, windows=True):
    """SIDs of the computer's token: its own SID, its primary group, every group
    it is a member of (transitively), and the well-known SIDs of a network
    logon of an authenticated account."""
    dom = model["domain_sid"]
    sids = {comp["sid"], "%s-%d" % (dom, comp["primary_group_id"]), WORLD, AUTHENTICATED_USERS}
    if not windows:
        sids.add(NETWORK)
    if windows and comp["uac"] & UF_SERVER_TRUST_ACCOUNT:
        sids.add(ENTERPRISE_DCS)
    member_dns = {comp["dn"].lower()}
    primary = "%s-%d" % (dom, comp["primary_group_id"])
    if primary in model["groups"]:
        member_dns.add(model["groups"][primary]["dn"].lower())
    changed = True
    while changed:
        changed = False
        for sid, g in model["groups"].items():
            if g["dn"].lower() in member_dns:
                continue
            if any(m.lower() in member_dns for m in g["members"]):
                member_dns.add(g["dn"].lower())
                sids.add(sid)
                changed = True
    if not windows:
        # libgpo builds the token from tokenGroups, which leaves BUILTIN out
        sids = {s for s in sids if not s.startswith("S-1-5-32-")}
    return sids


# -- security filtering ---------------------------------------------------------------

def _expand(mask):
    if mask & GENERIC_ALL:
        mask |= 0x000F01FF
    if mask & GENERIC_READ:
        mask |= 0x00020094
    return mask


def windows_access(dacl, sids, want, object_type=None):
    """Ordered DACL walk for one access bit (AccessCheckByType reduced to a
    single right): the first ACE that names a token SID and covers the bit
    decides; none: denied.  Inherit-only ACEs do not apply to the object."""
    for ace in dacl:
        if ace["flags"] & ACE_FLAG_INHERIT_ONLY:
            continue
        if ace["trustee"] not in sids:
            continue
        if not _expand(ace["mask"]) & want:
            continue
        if ace["type"] in (ACE_ALLOWED_OBJECT, ACE_DENIED_OBJECT):
            if ace["obj_flags"] & OBJECT_TYPE_PRESENT:
                if object_type is None or ace["obj_type"] != object_type:
                    continue
        elif ace["type"] not in (ACE_ALLOWED, ACE_DENIED):
            continue
        return ace["type"] in (ACE_ALLOWED, ACE_ALLOWED_OBJECT)
    return False


def windows_security_allows(gpo, sids):
    """D4: Read and the Apply Group Policy extended right, no deny for either."""
    return (windows_access(gpo["dacl"], sids, ADS_READ_PROP)
            and windows_access(gpo["dacl"], sids, ADS_CONTROL_ACCESS, APPLY_GP))


def samba_security_allows(gpo, sids):
    """libgpo gpo_apply_security_filtering(): the first object ACE (allow or
    deny) for the Apply Group Policy right that names a token SID decides;
    non-object ACEs and Read are not looked at; none: denied."""
    for ace in gpo["dacl"]:
        if ace["type"] not in (ACE_ALLOWED_OBJECT, ACE_DENIED_OBJECT):
            continue
        if ace["obj_flags"] == OBJECT_TYPE_PRESENT:
            match = ace["obj_type"] == APPLY_GP
        elif ace["obj_flags"] == INHERITED_OBJECT_TYPE_PRESENT:
            match = ace["inh_type"] == APPLY_GP
        else:
            match = False
        if not match or not ace["mask"] & ADS_CONTROL_ACCESS or ace["trustee"] not in sids:
            continue
        return ace["type"] == ACE_ALLOWED_OBJECT
    return False


# -- Windows ------------------------------------------------------------------------------

def _filter_reason(model, guid, sids, security_filtering, wmi):
    """precedence-rules 1.6, first failing check in the order of 1.9.  wmi:
    the modeling values of WMI filters, {"default": bool, "{ID}": bool}."""
    gpo = model["gpos"].get(guid)
    if gpo is None:
        return "GPO_NOT_FOUND"
    if gpo["func_version"] != 2:
        return "BAD_FUNCTIONALITY_VERSION"
    if gpo["flags"] & 0x2:
        return "COMPUTER_SETTINGS_DISABLED"
    if security_filtering and not windows_security_allows(gpo, sids):
        return "SECURITY_FILTER_DENIED"
    fid = gpo.get("wmi_filter")
    if fid and (fid in model.get("wmi_filters", {}) or wmi.get("missing_as_modeled")):
        # D5; a filter that cannot be fetched counts as true (MS-GPOL 3.2.5.1.7),
        # unless missing_as_modeled (used only to label disagreements)
        if not wmi.get(fid, wmi.get("default", True)):
            return "WMI_FILTER_FALSE"
    gpt = gpo["gpt_version"] or 0
    if (gpo["version"] & 0xFFFF) == 0 and (gpt & 0xFFFF) == 0:
        return "EMPTY_GPO"
    if gpo["template"] is not None and SECURITY_CSE not in (gpo["machine_ext"] or "").upper():
        return "SECURITY_CSE_NOT_REGISTERED"
    return None


def windows(model, comp, security_filtering=True, wmi=None):
    wmi = wmi or {"default": True}
    sids = token(model, comp, windows=True)
    chain = windows_som_chain(comp["dn"], model)
    nonenforced, enforced_by_som, excluded = [], [], []
    blocked_by = None
    for som_dn in chain:
        som = model["soms"].get(som_dn.lower())
        links = (som or {}).get("gplink") or []
        n = len(links)
        enforced = []
        for index in reversed(range(n)):          # link order 1 = last entry
            dn, opt = links[index]
            guid = gpo_guid_from_dn(dn)
            gpo = model["gpos"].get(guid)
            entry = {"guid": guid, "name": gpo["name"] if gpo else None,
                     "som": som["dn"], "link_order": n - index,
                     "enforced": bool(opt & 2), "options": opt}
            if opt & 1:
                excluded.append(dict(entry, status="not-applied", reason="LINK_DISABLED"))
            elif opt & 2:
                enforced.append(entry)
            elif blocked_by is not None:
                excluded.append(dict(entry, status="not-applied", reason="BLOCKED",
                                     blocked_by=blocked_by))
            else:
                nonenforced.append(entry)
        enforced_by_som.append(enforced)
        if som is not None and (som["gpoptions"] or 0) & 1 and blocked_by is None:
            blocked_by = som["dn"]
    precedence = [e for level in reversed(enforced_by_som) for e in level] + nonenforced
    for e in precedence:
        reason = _filter_reason(model, e["guid"], sids, security_filtering, wmi)
        e["status"] = "applied" if reason is None else "not-applied"
        e["reason"] = reason
        e["reason_alt"] = []
        if reason == "SECURITY_FILTER_DENIED" and \
                not windows_access(model["gpos"][e["guid"]]["dacl"], sids, ADS_READ_PROP):
            # a GPO the computer cannot read: precedence-rules D1 (not found or
            # not readable) or D4 (Read denied); either reading is accepted
            e["reason_alt"] = ["GPO_NOT_FOUND"]

    rights = {}
    for right in model["rights"]:
        rights[right] = _resolve(model, precedence, right)
        alt = _resolve(model, _dedup_lowest(precedence), right)
        rights[right]["ambiguous"] = alt["winner"] != rights[right]["winner"]
    return {"precedence": precedence, "excluded": excluded, "rights": rights,
            "token": sorted(sids)}


def _resolve(model, precedence, right):
    """precedence-rules 1.7: the first applied GPO that defines the right wins
    with its whole list."""
    for e in precedence:
        if e["status"] != "applied":
            continue
        tmpl = model["gpos"][e["guid"]]["template"]
        if tmpl is not None and right in tmpl:
            return {"winner": e["guid"], "name": e["name"], "som": e["som"],
                    "holders": list(tmpl[right])}
    return {"winner": None, "name": None, "som": None, "holders": None}


def _dedup_lowest(precedence):
    """The list Windows would use if it kept only the lowest-precedence
    occurrence of a GPO linked more than once (precedence-rules 6 item 6: not
    documented either way)."""
    seen, out = set(), []
    for e in reversed(precedence):
        if e["guid"] in seen:
            continue
        seen.add(e["guid"])
        out.append(e)
    return list(reversed(out))


# -- Samba 4.17 libgpo ------------------------------------------------------------------

def samba(model, comp, fix_enforced_order=False, fix_block_without_gplink=False):
    """The list ads_get_gpo_list() returns, in application order, as GPO names
    ('Local Policy' first).  The fix_* switches model a libgpo without that
    deviation: the report uses them to show which deviations a run exercised."""
    sids = token(model, comp, windows=False)
    gpo_list, forced = [], []
    only_forced = False

    def add_som(som_dn, may_block):
        nonlocal only_forced
        som = model["soms"].get(som_dn.lower())
        if som is None:
            return
        if som["gplink"] is None:
            # ads_get_gpo_link() fails without a gPLink value: the SOM is
            # skipped, and so is its gPOptions (block inheritance)
            if fix_block_without_gplink and may_block and (som["gpoptions"] or 0) & 1:
                only_forced = True
            return
        forced_here = []
        for dn, opt in reversed(som["gplink"]):
            if opt & 1:
                continue
            if only_forced and not opt & 2:
                continue
            guid = gpo_guid_from_dn(dn)
            gpo = model["gpos"].get(guid)
            if gpo is None:
                raise LookupError("dangling link %s: libgpo fails the whole list" % dn)
            if not samba_security_allows(gpo, sids):
                continue
            if opt & 2:
                forced_here.append(guid)
            else:
                gpo_list.insert(0, guid)
        # forced links: libgpo pushes them to the front of the forced list as
        # it walks from the computer up, so the nearest SOM's come last (are
        # applied last and win); Windows: the farthest SOM's win
        forced_here.reverse()
        if fix_enforced_order:
            forced[len(forced):] = forced_here
        else:
            forced[0:0] = forced_here
        if may_block and (som["gpoptions"] or 0) & 1:
            only_forced = True

    # ads_parent_dn() cuts at the first comma, escaped or not: a bogus
    # "parent" made of the tail of an escaped RDN starts neither with OU= nor
    # DC=, and the walk goes on to the real parents
    ancestors, dn = [], comp["dn"]
    while "," in dn:
        dn = dn[dn.index(",") + 1:]
        ancestors.append(dn)
    for p in ancestors:                       # OUs, child to parent
        if p.startswith("OU="):
            add_som(p, True)
    for p in ancestors:                       # the domain
        if p.startswith("DC="):
            add_som(p, True)
            break
    add_som(model["site_dn"], False)          # site: machines only
    return ["Local Policy"] + gpo_list + forced
