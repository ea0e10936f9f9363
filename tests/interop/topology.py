"""Seeded random Group Policy topologies, built on a live Samba AD DC.

Everything is created through the DC itself: GPOs with `samba-tool gpo create`
(LDAP + SMB, as an administrator would), everything else with Samba's Python
bindings over LDAP (SamDB).  SYSVOL files (GPT.INI, GptTmpl.inf) are written
into the DC's sysvol folder on disk, in the encodings Windows uses.

`observe()` reads the resulting state back from the DC (LDAP) and SYSVOL
(files) into a plain dict, the *model* the predictors of predict.py work on.

Runs on Debian's /usr/bin/python3 with python3-samba.
"""

import contextlib
import io
import os
import random
import re
import shutil
import subprocess
import uuid

import ldb
from samba.dcerpc import security
from samba.ndr import ndr_pack, ndr_unpack

APPLY_GP = "edacfd8f-ffb3-11d1-b41d-00a0c968f939"
SECURITY_CSE = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
SECURITY_CSE_PAIR = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
REGISTRY_CSE_PAIR = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"
EFS_CSE_PAIR = "[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"

RIGHTS = [
    "SeImpersonatePrivilege",
    "SeServiceLogonRight",
    "SeBatchLogonRight",
    "SeDenyNetworkLogonRight",
    "SeCreateGlobalPrivilege",
    "SeRemoteInteractiveLogonRight",
]

WELL_KNOWN_HOLDERS = [
    "S-1-5-32-544",  # BUILTIN\Administrators
    "S-1-5-32-545",  # BUILTIN\Users
    "S-1-5-32-551",  # BUILTIN\Backup Operators
    "S-1-5-32-568",  # BUILTIN\IIS_IUSRS
    "S-1-5-19",      # LOCAL SERVICE
    "S-1-5-20",      # NETWORK SERVICE
    "S-1-5-6",       # SERVICE
    "S-1-5-11",      # Authenticated Users
    "S-1-1-0",       # Everyone
]

OS_NAMES = [
    "Windows Server 2022 Standard",
    "Windows Server 2019 Datacenter",
    "Windows 11 Enterprise",
    "Windows 10 Pro",
]

UF_WORKSTATION_TRUST_ACCOUNT = 0x1000
UF_ACCOUNTDISABLE = 0x2

SECEDIT_SUBPATHS = [
    ("Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf"),
    ("MICROSOFT", "WINDOWS NT", "SECEDIT", "GPTTMPL.INF"),
    ("microsoft", "windows nt", "secedit", "gpttmpl.inf"),
]


class Dc:
    """What the harness needs to talk to the throwaway DC."""

    def __init__(self, samdb, lp, creds, smbconf, server, realm,
                 sysvol_policies, admin_password):
        self.samdb = samdb
        self.lp = lp
        self.creds = creds
        self.smbconf = smbconf
        self.server = server
        self.realm = realm
        self.sysvol_policies = sysvol_policies
        self.admin_password = admin_password
        self.domain_dn = str(samdb.domain_dn())
        self.domain_sid = str(samdb.get_domain_sid())
        self.config_dn = str(samdb.get_config_basedn())
        self.site_dn = "CN=%s,CN=Sites,%s" % (samdb.server_site_name(), self.config_dn)
        self.dc_ou_dn = "OU=Domain Controllers,%s" % self.domain_dn
        self.computers_dn = "CN=Computers,%s" % self.domain_dn
        self.users_dn = "CN=Users,%s" % self.domain_dn
        self.baseline = {}

    # -- small LDAP helpers -------------------------------------------------

    def get_attr(self, dn, attr):
        res = self.samdb.search(dn, scope=ldb.SCOPE_BASE, attrs=[attr])
        if len(res) != 1 or attr not in res[0]:
            return None
        return str(res[0][attr][0])

    def set_attr(self, dn, attr, value):
        """Replace attr with value; value None deletes the attribute."""
        m = ldb.Message()
        m.dn = ldb.Dn(self.samdb, dn)
        if value is None:
            if self.get_attr(dn, attr) is None:
                return
            m[attr] = ldb.MessageElement([], ldb.FLAG_MOD_DELETE, attr)
        else:
            m[attr] = ldb.MessageElement(str(value), ldb.FLAG_MOD_REPLACE, attr)
        self.samdb.modify(m)

    def sid_of(self, dn):
        res = self.samdb.search(dn, scope=ldb.SCOPE_BASE, attrs=["objectSid"])
        return str(ndr_unpack(security.dom_sid, res[0]["objectSid"][0]))

    def record_baseline(self):
        """The SOM attributes a seed may change, restored by cleanup()."""
        for dn in (self.domain_dn, self.site_dn, self.dc_ou_dn):
            self.baseline[dn] = {a: self.get_attr(dn, a) for a in ("gPLink", "gPOptions")}

    def samba_tool(self, *args):
        """Run a samba-tool command against the DC.  In this process, through
        the same entry point /usr/bin/samba-tool uses (cmd_sambatool._run),
        which saves a Python start per call; INTEROP_SAMBA_TOOL=subprocess
        runs the real /usr/bin/samba-tool instead."""
        argv = list(args) + ["-H", "ldap://%s" % self.server,
                             "-U", "Administrator%%%s" % self.admin_password,
                             "-s", self.smbconf]
        if os.environ.get("INTEROP_SAMBA_TOOL") == "subprocess":
            p = subprocess.run(["samba-tool"] + argv, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if p.returncode != 0:
                raise RuntimeError("samba-tool %s failed (%d): %s%s" % (
                    " ".join(args[:2]), p.returncode, p.stdout, p.stderr))
            return p.stdout
        from samba.netcmd.main import cmd_sambatool
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cmd = cmd_sambatool(outf=out, errf=err)
            # subcommand objects are made once, with the real stdout: point
            # the ones on this command's path at our buffers
            node = cmd
            for word in argv:
                node.outf, node.errf = out, err
                sub = getattr(node, "subcommands", {}).get(word)
                if sub is None:
                    break
                node = sub
            node.outf, node.errf = out, err
            try:
                rc = cmd._run("samba-tool", argv[0], *argv[1:])
            except SystemExit as e:
                rc = e.code
        if rc not in (0, None):
            raise RuntimeError("samba-tool %s failed (%s): %s%s" % (
                " ".join(args[:2]), rc, out.getvalue(), err.getvalue()))
        return out.getvalue()


# -- SYSVOL file writers ---------------------------------------------------------

def gpt_ini_bytes(version, display_name=None, spaced=False):
    lines = ["[General]"]
    if display_name is not None:
        lines.append("displayName=%s" % display_name)
    lines.append(("Version = %d" if spaced else "Version=%d") % version)
    return ("\r\n".join(lines) + "\r\n").encode("ascii", "replace")


def gpttmpl_bytes(template, rng):
    """UTF-16LE with BOM and CRLF, the way GPMC writes it (MS-GPSB 2.2)."""
    lines = ["[Unicode]", "Unicode=yes"]
    version = ["[Version]", 'signature="$CHICAGO$"', "Revision=1"]
    if rng.random() < 0.8:
        lines += version
        version = []
    if rng.random() < 0.3:
        lines += ["[System Access]", "MinimumPasswordAge = 1"]
    lines.append("[Privilege Rights]")
    for right, holders in template.items():
        sep = rng.choice([" = ", "=", " =", "= "])
        joiner = rng.choice([",", ", "])
        value = joiner.join("*" + sid for sid in holders)
        lines.append((right + sep + value).rstrip())
    lines += version
    text = "\r\n".join(lines) + "\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


# -- DACL editing --------------------------------------------------------------------

def _read_dacl_sddl(dc, dn):
    res = dc.samdb.search(dn, scope=ldb.SCOPE_BASE, attrs=["nTSecurityDescriptor"],
                          controls=["sd_flags:1:%d" % security.SECINFO_DACL])
    sd = ndr_unpack(security.descriptor, res[0]["nTSecurityDescriptor"][0])
    return sd.as_sddl(security.dom_sid(dc.domain_sid))


def edit_gpo_dacl(dc, dn, edit):
    """Apply edit(list of ACE strings) -> list of ACE strings to the GPO's DACL."""
    sddl = _read_dacl_sddl(dc, dn)
    m = re.match(r"^D:([A-Z]*)((?:\([^)]*\))*)$", sddl)
    if not m:
        raise RuntimeError("unexpected DACL SDDL on %s: %s" % (dn, sddl))
    aces = re.findall(r"\([^)]*\)", m.group(2))
    new = "D:%s%s" % (m.group(1), "".join(edit(aces)))
    sd = security.descriptor.from_sddl(new, security.dom_sid(dc.domain_sid))
    msg = ldb.Message()
    msg.dn = ldb.Dn(dc.samdb, dn)
    msg["nTSecurityDescriptor"] = ldb.MessageElement(ndr_pack(sd), ldb.FLAG_MOD_REPLACE,
                                                     "nTSecurityDescriptor")
    dc.samdb.modify(msg, controls=["sd_flags:1:%d" % security.SECINFO_DACL])
    return new


def _is_au_apply(ace):
    body = ace.strip("()").split(";")
    return (len(body) >= 6 and body[0] == "OA" and body[2] == "CR"
            and body[3].lower() == APPLY_GP and body[5] in ("AU", "S-1-5-11"))


# -- the generator -----------------------------------------------------------------

def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def new_created(seed):
    """What cleanup() removes; build_seed() fills it as it goes, so that a
    seed that fails half-way is cleaned up too."""
    return {"computers": [], "groups": [], "ous": [], "gpos": [], "others": [],
            "computer_names": [], "seed": seed}


def build_seed(dc, seed, created, security_filtering=True):
    """Create one random topology on the DC.  Returns the intended values (for
    the harness' own sanity checks)."""
    rng = random.Random(seed)
    tag = "S%d" % seed
    intended = {"gplink": {}, "templates": {}, "scenarios": []}

    # -- OUs: a small random forest of nested OUs under the domain --------------
    ous = []  # (dn, depth)
    n_top = rng.randint(1, 3)
    queue = []
    for i in range(n_top):
        # now and then a name with an escaped comma in its RDN
        label = "%s-T%d" % (tag, i) + ("\\, Sales" if rng.random() < 0.15 else "")
        dn = "OU=%s,%s" % (label, dc.domain_dn)
        ous.append((dn, 1))
        queue.append((dn, 1))
        created["ous"].append(dn)
    while queue and len(ous) < 8:
        parent, depth = queue.pop(0)
        if depth >= 4:
            continue
        for j in range(_weighted(rng, [(0, 3), (1, 4), (2, 3)])):
            label = "%s-L%d-%d" % (tag, depth + 1, len(ous)) + \
                ("\\, Web" if rng.random() < 0.1 else "")
            dn = "OU=%s,%s" % (label, parent)
            ous.append((dn, depth + 1))
            queue.append((dn, depth + 1))
            if len(ous) >= 8:
                break
    for dn, _ in ous:
        dc.samdb.create_ou(dn)

    # now and then a plain container (CN=) between a computer and its OUs: it
    # is not a SOM, the walk goes on above it
    boxes = []
    if rng.random() < 0.4:
        parent = rng.choice([dn for dn, _ in ous] + [dc.domain_dn])
        box = "CN=%s-Box,%s" % (tag, parent)
        dc.samdb.add({"dn": box, "objectClass": "container"})
        if parent == dc.domain_dn:
            created["ous"].append(box)
        boxes.append(box)

    # -- groups, nested -----------------------------------------------------------
    groups = []  # (name, dn, sid)
    for i in range(rng.randint(3, 5)):
        name = "%s-G%d" % (tag, i)
        dc.samdb.newgroup(name)
        dn = "CN=%s,%s" % (name, dc.users_dn)
        created["groups"].append(dn)
        groups.append((name, dn, dc.sid_of(dn)))
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            if rng.random() < 0.3:
                dc.samdb.add_remove_group_members(groups[j][0], [groups[i][0]],
                                                  add_members_operation=True)

    # -- computers --------------------------------------------------------------------
    computers = []  # (name, dn, sid)
    for i in range(rng.randint(5, 8)):
        name = "%sC%d" % (tag, i)
        r = rng.random()
        if r < 0.04:
            parent = dc.domain_dn
        elif r < 0.22:
            parent = dc.computers_dn
        elif r < 0.32 and boxes:
            parent = boxes[0]
        else:
            parent = rng.choice(ous)[0]
        dn = "CN=%s,%s" % (name, parent)
        dc.samdb.add({"dn": dn, "objectClass": "computer",
                      "sAMAccountName": name + "$",
                      "userAccountControl": str(UF_WORKSTATION_TRUST_ACCOUNT | UF_ACCOUNTDISABLE),
                      "operatingSystem": rng.choice(OS_NAMES),
                      "dNSHostName": "%s.%s" % (name.lower(), dc.realm.lower())})
        created["computers"].append(dn)
        created["computer_names"].append(name)
        sid = dc.sid_of(dn)
        computers.append((name, dn, sid))
        for gname, gdn, gsid in groups:
            if rng.random() < 0.3:
                dc.samdb.add_remove_group_members(gname, [name + "$"],
                                                  add_members_operation=True)
        if rng.random() < 0.1:
            # primary group moved to one of ours: the membership then only
            # shows through primaryGroupID
            gname, gdn, gsid = rng.choice(groups)
            try:
                dc.samdb.add_remove_group_members(gname, [name + "$"],
                                                  add_members_operation=True)
            except ldb.LdbError:
                pass  # already a member
            dc.set_attr(dn, "primaryGroupID", gsid.rsplit("-", 1)[1])
            intended["scenarios"].append("primary-group:%s" % name)

    # -- WMI filters (msWMI-Som), referenced by some GPOs' gPCWQLFilter ---------------
    wmi_ids = []
    if rng.random() < 0.5:
        som_dn = "CN=SOM,CN=WMIPolicy,CN=System,%s" % dc.domain_dn
        for k in range(rng.randint(1, 2)):
            fid = "{%s}" % str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
            fdn = "CN=%s,%s" % (fid, som_dn)
            dc.samdb.add({"dn": fdn, "objectClass": "msWMI-Som", "msWMI-ID": fid,
                          "msWMI-Name": "%s filter %d" % (tag, k),
                          "msWMI-Author": "Administrator@%s" % dc.realm,
                          "msWMI-Parm2": "1;3;10;52;WQL;root\\CIMv2;SELECT * FROM "
                                         "Win32_OperatingSystem WHERE ProductType = 3;",
                          "msWMI-CreationDate": "20260101000000.000000-000",
                          "msWMI-ChangeDate": "20260101000000.000000-000"})
            created["others"].append(fdn)
            wmi_ids.append(fid)

    # -- GPOs ---------------------------------------------------------------------------
    gpos = []  # dicts
    name_styles = ["%s GPO%d", "%s GPO%d Sécurité", "%s GPO%d (servers, web)", "%s Policy %d"]
    for i in range(rng.randint(6, 10)):
        display = rng.choice(name_styles) % (tag, i)
        out = dc.samba_tool("gpo", "create", display)
        m = re.search(r"created as (\{[0-9A-Fa-f-]+\})", out)
        if not m:
            raise RuntimeError("cannot parse samba-tool gpo create output: %r" % out)
        guid = m.group(1).upper()
        gdn = "CN=%s,CN=Policies,CN=System,%s" % (guid, dc.domain_dn)
        created["gpos"].append((gdn, guid))
        gpo = {"guid": guid, "dn": gdn, "name": display}

        has_tmpl = rng.random() < 0.8
        template = None
        if has_tmpl:
            template = {}
            for right in rng.sample(RIGHTS, rng.randint(1, 4)):
                if right == "SeImpersonatePrivilege" and rng.random() < 0.25:
                    template[right] = []           # defined, nobody
                    continue
                pool = WELL_KNOWN_HOLDERS + [g[2] for g in groups] + \
                    ["%s-512" % dc.domain_sid, "%s-515" % dc.domain_sid]
                template[right] = rng.sample(pool, rng.randint(0 if rng.random() < 0.1 else 1, 4))
            intended["templates"][guid] = template

        # versions (low 16 bits = computer, high 16 bits = user)
        if has_tmpl:
            version = _weighted(rng, [("normal", 80), ("zero", 8), ("user-only", 5),
                                      ("ds-zero-gpt-bumped", 7)])
        else:
            version = _weighted(rng, [("zero", 45), ("normal", 55)])
        machine = rng.randint(1, 40)
        user = rng.randint(0, 3)
        if version == "normal":
            ds_version = gpt_version = (user << 16) | machine
        elif version == "zero":
            ds_version = gpt_version = 0
        elif version == "user-only":
            ds_version = gpt_version = (rng.randint(1, 5) << 16)
        else:
            ds_version, gpt_version = 0, machine
        gpo["version_case"] = version

        ext = None
        if has_tmpl:
            ext_case = _weighted(rng, [("security", 85), ("other-only", 8), ("absent", 7)])
        else:
            ext_case = _weighted(rng, [("absent", 60), ("other-only", 25), ("security", 15)])
        if ext_case == "security":
            ext = SECURITY_CSE_PAIR
            if rng.random() < 0.3:
                ext = REGISTRY_CSE_PAIR + SECURITY_CSE_PAIR + (EFS_CSE_PAIR if rng.random() < 0.5 else "")
        elif ext_case == "other-only":
            ext = REGISTRY_CSE_PAIR
        flags = _weighted(rng, [(0, 64), (1, 12), (2, 12), (3, 12)])
        func = 2 if rng.random() < 0.95 else 1

        dc.set_attr(gdn, "flags", flags)
        dc.set_attr(gdn, "versionNumber", ds_version)
        dc.set_attr(gdn, "gPCFunctionalityVersion", func)
        if ext is not None:
            dc.set_attr(gdn, "gPCMachineExtensionNames", ext)
        if wmi_ids and rng.random() < 0.3:
            dangling = rng.random() < 0.15
            if dangling and os.environ.get("INTEROP_DANGLING_WMI", "1") == "1":
                # a filter that does not exist: MS-GPOL 3.2.5.1.7, assumed true
                fid = "{%s}" % str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
                intended["scenarios"].append("wmi-dangling:%s" % guid)
            else:
                fid = rng.choice(wmi_ids)
            dc.set_attr(gdn, "gPCWQLFilter", "[%s;%s;0]" % (dc.realm.lower(), fid))

        # SYSVOL
        gdir = os.path.join(dc.sysvol_policies, guid)
        if not os.path.isdir(gdir):
            # samba-tool may have used another case for the folder name
            for entry in os.listdir(dc.sysvol_policies):
                if entry.upper() == guid:
                    gdir = os.path.join(dc.sysvol_policies, entry)
        with open(os.path.join(gdir, "GPT.INI"), "wb") as f:
            f.write(gpt_ini_bytes(gpt_version, display if rng.random() < 0.3 else None,
                                  spaced=rng.random() < 0.2))
        if has_tmpl:
            machine_dir = None
            for entry in os.listdir(gdir):
                if entry.lower() == "machine":
                    machine_dir = os.path.join(gdir, entry)
            if machine_dir is None:
                machine_dir = os.path.join(gdir, "Machine")
            parts = rng.choice(SECEDIT_SUBPATHS)
            d = os.path.join(machine_dir, *parts[:-1])
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, parts[-1]), "wb") as f:
                f.write(gpttmpl_bytes(template, rng))

        # security filtering, by editing the GPO's DACL the way GPMC does
        if security_filtering and rng.random() < 0.35:
            mode = rng.choice(["deny", "deny", "apply-to-group", "apply-to-group", "apply-to-computer",
                               "full-control-to-group", "inherit-only-apply-to-group",
                               "deny-read"])
            trustees = [g[2] for g in groups] + ["%s-515" % dc.domain_sid]
            if mode == "deny":
                t = rng.choice(trustees + [c[2] for c in computers] + ["S-1-1-0"])
                dc_edit = lambda aces, t=t: ["(OD;CI;CR;%s;;%s)" % (APPLY_GP, t)] + aces
            elif mode == "deny-read":
                # the ACL editor's "Deny Read": the computer can no longer read
                # the GPO (Windows); libgpo ignores non-object ACEs
                t = rng.choice(trustees + [c[2] for c in computers])
                dc_edit = lambda aces, t=t: ["(D;CI;RPLCLORC;;;%s)" % t] + aces
            elif mode == "full-control-to-group":
                # the ACL editor's "Full control": one non-object ACE whose
                # mask includes the control-access right, so Apply Group
                # Policy too (Windows); libgpo looks at object ACEs only
                t = rng.choice(trustees)

                def dc_edit(aces, t=t):
                    out = [a for a in aces if not _is_au_apply(a)]
                    return out + ["(A;CI;RPWPCRCCDCLCLORCWOWDSDDTSW;;;%s)" % t]
            elif mode == "inherit-only-apply-to-group":
                # an Apply grant that only child objects inherit: it does not
                # apply to the GPO itself (Windows); libgpo does not look at
                # the inherit-only flag
                t = rng.choice(trustees)

                def dc_edit(aces, t=t):
                    out = [a for a in aces if not _is_au_apply(a)]
                    return out + ["(OA;CIIO;CR;%s;;%s)" % (APPLY_GP, t)]
            else:
                t = rng.choice(trustees) if mode == "apply-to-group" else rng.choice(computers)[2]

                def dc_edit(aces, t=t):
                    out = [a for a in aces if not _is_au_apply(a)]
                    return out + ["(A;CI;RPLCLORC;;;%s)" % t, "(OA;CI;CR;%s;;%s)" % (APPLY_GP, t)]
            edit_gpo_dacl(dc, gdn, dc_edit)
            intended["scenarios"].append("security-filter:%s:%s:%s" % (guid, mode, t))
        gpos.append(gpo)

    # -- links -------------------------------------------------------------------------
    soms = [dc.site_dn, dc.domain_dn] + [dn for dn, _ in ous]
    links = {dn: [] for dn in soms + [dc.dc_ou_dn]}
    for dn in (dc.domain_dn, dc.dc_ou_dn):
        base = dc.baseline[dn]["gPLink"]
        if base:
            links[dn] += re.findall(r"\[[^\]]*\]", base)
    for gpo in gpos:
        n = _weighted(rng, [(0, 5), (1, 45), (2, 35), (3, 15)])
        targets = rng.sample(soms, min(n, len(soms)))
        if rng.random() < 0.05:
            targets.append(dc.dc_ou_dn)
        for som in targets:
            opt = _weighted(rng, [(0, 55), (1, 12), (2, 23), (3, 10)])
            prefix = rng.choice(["cn=%s,cn=policies,cn=system," % gpo["guid"],
                                 "CN=%s,CN=Policies,CN=System," % gpo["guid"]])
            scheme = "ldap://" if rng.random() < 0.05 else "LDAP://"
            entry = "[%s%s%s;%d]" % (scheme, prefix, dc.domain_dn, opt)
            links[som].insert(rng.randint(0, len(links[som])), entry)
    for som, entries in links.items():
        value = "".join(entries) if entries else None
        if som in dc.baseline and value is None and dc.baseline[som]["gPLink"] is None:
            continue
        if value is not None or som in dc.baseline:
            dc.set_attr(som, "gPLink", value)
        intended["gplink"][som.lower()] = value

    # -- block inheritance ------------------------------------------------------------
    for dn, _ in ous:
        r = rng.random()
        if r < 0.3:
            dc.set_attr(dn, "gPOptions", 1)
            if not links[dn]:
                intended["scenarios"].append("block-without-gplink:%s" % dn)
        elif r < 0.4:
            dc.set_attr(dn, "gPOptions", 0)
    if rng.random() < 0.12:
        dc.set_attr(dc.domain_dn, "gPOptions", 1)
    if rng.random() < 0.1:
        dc.set_attr(dc.site_dn, "gPOptions", 1)

    return intended


def cleanup(dc, created):
    """Remove what build_seed() created and restore the baseline SOM attributes."""
    errors = []

    def delete(dn, controls=()):
        try:
            dc.samdb.delete(dn, list(controls))
        except ldb.LdbError as e:
            if e.args[0] != ldb.ERR_NO_SUCH_OBJECT:
                errors.append("%s: %s" % (dn, e))
    for dn in created["computers"] + created["groups"]:
        delete(dn)
    for dn in created["ous"] + created["others"]:
        delete(dn, ["tree_delete:1"])
    for gdn, guid in created["gpos"]:
        delete(gdn, ["tree_delete:1"])
        for entry in os.listdir(dc.sysvol_policies):
            if entry.upper() == guid:
                shutil.rmtree(os.path.join(dc.sysvol_policies, entry))
    for dn, attrs in dc.baseline.items():
        for attr, value in attrs.items():
            if dc.get_attr(dn, attr) != value:
                dc.set_attr(dn, attr, value)
    if errors:
        raise RuntimeError("cleanup failed: " + "; ".join(errors))


# -- reading the DC back into a model ---------------------------------------------------

def parse_gplink(value):
    """[(gpo_dn, options)] in string order; None stays None (no attribute)."""
    if value is None:
        return None
    out = []
    for body in re.findall(r"\[([^\]]*)\]", value):
        dn, _, opt = body.rpartition(";")
        if dn[:7].upper() == "LDAP://":
            dn = dn[7:]
        out.append((dn, int(opt)))
    return out


def read_inf(path):
    """[Privilege Rights] of a security template: {right: [sid or name]}."""
    raw = open(path, "rb").read()
    if raw.startswith(b"\xff\xfe"):
        text = raw[2:].decode("utf-16-le")
    elif raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8")
    else:
        text = raw.decode("utf-8")
    rights, section = {}, None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        if section == "privilege rights" and "=" in line:
            key, _, value = line.partition("=")
            holders = [v.strip() for v in value.split(",") if v.strip()]
            rights[key.strip()] = [h[1:] if h.startswith("*") else h for h in holders]
    return rights


def _find_ci(base, parts):
    cur = base
    for part in parts:
        if not os.path.isdir(cur):
            return None
        match = [e for e in os.listdir(cur) if e.lower() == part.lower()]
        if not match:
            return None
        cur = os.path.join(cur, match[0])
    return cur


def _ace_dict(ace):
    d = {"type": int(ace.type), "flags": int(ace.flags), "mask": int(ace.access_mask),
         "trustee": str(ace.trustee), "obj_flags": 0, "obj_type": None, "inh_type": None}
    if ace.type in (security.SEC_ACE_TYPE_ACCESS_ALLOWED_OBJECT,
                    security.SEC_ACE_TYPE_ACCESS_DENIED_OBJECT):
        obj = ace.object
        d["obj_flags"] = int(obj.flags)
        if obj.flags & security.SEC_ACE_OBJECT_TYPE_PRESENT:
            d["obj_type"] = str(obj.type).lower()
        if obj.flags & security.SEC_ACE_INHERITED_OBJECT_TYPE_PRESENT:
            d["inh_type"] = str(obj.inherited_type).lower()
    return d


def _wmi_id(value):
    """gPCWQLFilter '[domain;{id};flags]' -> '{ID}'."""
    body = value.strip().lstrip("[").rstrip("]").split(";")
    return body[1].strip().upper() if len(body) >= 2 else None


def observe(dc, computer_filter_names=None):
    """Read the DC's current state into the model predict.py works on."""
    samdb = dc.samdb
    model = {"domain_dn": dc.domain_dn, "domain_sid": dc.domain_sid, "site_dn": dc.site_dn,
             "soms": {}, "gpos": {}, "groups": {}, "computers": [], "rights": list(RIGHTS)}

    def som(dn, kind, msg):
        model["soms"][dn.lower()] = {
            "dn": dn, "kind": kind,
            "gplink": parse_gplink(str(msg["gPLink"][0]) if "gPLink" in msg else None),
            "gplink_raw": str(msg["gPLink"][0]) if "gPLink" in msg else None,
            "gpoptions": int(str(msg["gPOptions"][0])) if "gPOptions" in msg else None}

    for msg in samdb.search(dc.domain_dn, scope=ldb.SCOPE_BASE, attrs=["gPLink", "gPOptions"]):
        som(str(msg.dn), "domain", msg)
    for msg in samdb.search(dc.site_dn, scope=ldb.SCOPE_BASE, attrs=["gPLink", "gPOptions"]):
        som(str(msg.dn), "site", msg)
    for msg in samdb.search(dc.domain_dn, scope=ldb.SCOPE_SUBTREE,
                            expression="(objectClass=organizationalUnit)",
                            attrs=["gPLink", "gPOptions"]):
        som(str(msg.dn), "ou", msg)

    for msg in samdb.search("CN=Policies,CN=System," + dc.domain_dn, scope=ldb.SCOPE_ONELEVEL,
                            expression="(objectClass=groupPolicyContainer)",
                            attrs=["cn", "displayName", "flags", "versionNumber",
                                   "gPCFunctionalityVersion", "gPCMachineExtensionNames",
                                   "gPCWQLFilter", "nTSecurityDescriptor"],
                            controls=["sd_flags:1:%d" % security.SECINFO_DACL]):
        guid = str(msg["cn"][0]).upper()
        sd = ndr_unpack(security.descriptor, msg["nTSecurityDescriptor"][0])
        gdir = _find_ci(dc.sysvol_policies, [guid])
        gpt_version, template = None, None
        if gdir:
            ini = _find_ci(gdir, ["GPT.INI"])
            if ini:
                m = re.search(rb"(?im)^\s*version\s*=\s*(\d+)", open(ini, "rb").read())
                gpt_version = int(m.group(1)) if m else None
            inf = _find_ci(gdir, ["Machine", "Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf"])
            if inf:
                template = read_inf(inf)

        def intattr(a, default=None):
            return int(str(msg[a][0])) if a in msg else default
        model["gpos"][guid] = {
            "guid": guid, "dn": str(msg.dn),
            "name": str(msg["displayName"][0]) if "displayName" in msg else None,
            "flags": intattr("flags", 0), "version": intattr("versionNumber", 0),
            "func_version": intattr("gPCFunctionalityVersion"),
            "machine_ext": str(msg["gPCMachineExtensionNames"][0]) if "gPCMachineExtensionNames" in msg else None,
            "gpt_version": gpt_version, "template": template,
            "wmi_filter": _wmi_id(str(msg["gPCWQLFilter"][0])) if "gPCWQLFilter" in msg else None,
            "dacl": [_ace_dict(a) for a in (sd.dacl.aces if sd.dacl else [])],
            "dacl_sddl": sd.as_sddl(security.dom_sid(dc.domain_sid)),
        }

    model["wmi_filters"] = {}
    for msg in samdb.search("CN=SOM,CN=WMIPolicy,CN=System," + dc.domain_dn,
                            scope=ldb.SCOPE_ONELEVEL, expression="(objectClass=msWMI-Som)",
                            attrs=["msWMI-ID", "msWMI-Name"]):
        model["wmi_filters"][str(msg["msWMI-ID"][0]).upper()] = str(msg["msWMI-Name"][0])

    for msg in samdb.search(dc.domain_dn, scope=ldb.SCOPE_SUBTREE,
                            expression="(objectClass=group)",
                            attrs=["objectSid", "sAMAccountName", "member"]):
        sid = str(ndr_unpack(security.dom_sid, msg["objectSid"][0]))
        model["groups"][sid] = {"name": str(msg["sAMAccountName"][0]), "dn": str(msg.dn),
                                "members": [str(v) for v in msg["member"]] if "member" in msg else []}

    for msg in samdb.search(dc.domain_dn, scope=ldb.SCOPE_SUBTREE,
                            expression="(objectClass=computer)",
                            attrs=["objectSid", "sAMAccountName", "cn", "primaryGroupID",
                                   "userAccountControl", "operatingSystem"]):
        name = str(msg["cn"][0])
        if computer_filter_names is not None and name not in computer_filter_names:
            continue
        model["computers"].append({
            "name": name, "dn": str(msg.dn), "sam": str(msg["sAMAccountName"][0]),
            "sid": str(ndr_unpack(security.dom_sid, msg["objectSid"][0])),
            "primary_group_id": int(str(msg["primaryGroupID"][0])),
            "uac": int(str(msg["userAccountControl"][0])),
        })
    return model
