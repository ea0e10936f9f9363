"""Differential test driver: for each seed, build a random topology on the
running Samba DC, ask Samba for each computer's GPO list, export the domain
(LDIF + SYSVOL), run gpsim on the export, and compare

  * Samba's list   with predict.samba()   (checks the harness itself),
  * gpsim's answer with predict.windows() (checks gpsim).

Started by run.sh inside its mount namespace, with the DC running.
Runs on Debian's /usr/bin/python3 with python3-samba.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import time
import traceback

import ldb
from samba.credentials import Credentials
from samba.param import LoadParm
from samba.samdb import SamDB

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import predict  # noqa: E402
import topology  # noqa: E402


# -- exports ------------------------------------------------------------------------

def ldbsearch_export(args, base, path, scope="sub", append=False):
    cmd = ["ldbsearch", "-H", os.path.join(args.targetdir, "private", "sam.ldb"),
           "--configfile=%s" % args.smbconf, "-b", base, "-s", scope,
           "(objectClass=*)", "*", "nTSecurityDescriptor"]
    with open(path, "ab" if append else "wb") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("ldbsearch failed: %s" % p.stderr.decode(errors="replace"))


def _ldif_line(attr, value):
    """One attribute line the way OpenLDAP's ldapsearch writes it: base64
    (`::`) for anything that is not a SAFE-STRING (RFC 2849), folded at 76
    columns."""
    safe = (len(value) > 0 and all(0x01 <= b <= 0x7F and b not in (0x0A, 0x0D) for b in value)
            and value[:1] not in (b" ", b":", b"<") and not value.endswith(b" "))
    if safe:
        line = "%s: %s" % (attr, value.decode("ascii"))
    else:
        line = "%s:: %s" % (attr, base64.b64encode(value).decode("ascii"))
    out, width = [], 76
    out.append(line[:width])
    rest = line[width:]
    while rest:
        out.append(" " + rest[:width - 1])
        rest = rest[width - 1:]
    return "\n".join(out)


def ldap_base64_export(samdb, base, path, append=False):
    """An ldapsearch-like export over LDAP: binary attributes (objectSid,
    objectGUID, nTSecurityDescriptor) and non-ASCII strings in base64."""
    res = samdb.search(base, scope=ldb.SCOPE_SUBTREE, expression="(objectClass=*)",
                       attrs=["*", "nTSecurityDescriptor"], controls=["sd_flags:1:7"])
    lines = ["# extended LDIF", "#", "# LDAPv3",
             "# base <%s> with scope subtree" % base, "# filter: (objectClass=*)",
             "# requesting: * nTSecurityDescriptor ", "#", ""]
    n = 0
    for msg in res:
        n += 1
        dn = str(msg.dn)
        lines.append("# %s" % dn)
        lines.append(_ldif_line("dn", dn.encode("utf-8")))
        for attr in msg.keys():
            if attr.lower() == "dn":
                continue
            for v in msg[attr]:
                lines.append(_ldif_line(attr, bytes(v)))
        lines.append("")
    lines += ["# search result", "search: 2", "result: 0 Success", "",
              "# numResponses: %d" % (n + 1), "# numEntries: %d" % n, ""]
    with open(path, "a" if append else "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return n


def count_records(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.startswith(b"dn:"))


# -- comparison ------------------------------------------------------------------

def split_gpsim_gpos(gpos):
    before, after, seen_local = [], [], False
    for e in gpos:
        if e.get("som") == "local" or e.get("guid") is None:
            seen_local = True
            continue
        (after if seen_local else before).append(e)
    return before, after


def compare_one(pred, out):
    """Differences between a Windows prediction and gpsim's object, by aspect."""
    diffs = {}
    before, after = split_gpsim_gpos(out.get("gpos", []))
    g_applied = [(e["guid"].upper(), e.get("name")) for e in before if e.get("status") == "applied"]
    p_applied = [(e["guid"], e["name"]) for e in pred["precedence"] if e["status"] == "applied"]
    if g_applied != p_applied:
        diffs["list"] = {"gpsim": g_applied, "windows": p_applied}

    def detail(e):
        return (e["guid"].upper(), e["som"].lower(), e.get("link_order"), bool(e.get("enforced")),
                e.get("status"), e.get("reason"))
    g_detail = [detail(e) for e in before]
    p_detail = [detail(e) for e in pred["precedence"]]
    # a reason precedence-rules leaves open counts as the predicted one
    for i, e in enumerate(pred["precedence"]):
        if i < len(g_detail) and g_detail[i][5] in e.get("reason_alt", []) \
                and g_detail[i][0] == e["guid"]:
            g_detail[i] = g_detail[i][:5] + (e["reason"],)
    if g_detail != p_detail:
        diffs["detail"] = {"gpsim": g_detail, "windows": p_detail}

    def excl(e):
        return (e["guid"].upper(), e["som"].lower(), e.get("link_order"), e.get("reason"))
    g_ex = sorted(excl(e) for e in after)
    p_ex = sorted(excl(e) for e in pred["excluded"])
    if g_ex != p_ex:
        diffs["excluded"] = {"gpsim": g_ex, "windows": p_ex}

    g_rights = {r["right"]: r for r in out.get("rights", [])}
    wdiff = {}
    for right, p in pred["rights"].items():
        g = g_rights.get(right)
        if g is None:
            wdiff[right] = {"gpsim": "missing", "windows": p["winner"]}
            continue
        gw = g.get("winner")
        g_guid = gw["guid"].upper() if gw and gw.get("guid") else None
        if g_guid != p["winner"]:
            wdiff[right] = {"gpsim": g_guid, "windows": p["winner"]}
            continue
        if p["winner"] is not None:
            g_holders = [(h.get("sid") or h.get("name") or "").upper() for h in g.get("holders") or []]
            p_holders = [h.upper() for h in p["holders"]]
            if g_holders != p_holders:
                wdiff[right] = {"gpsim_holders": g_holders, "windows_holders": p_holders}
    if wdiff:
        diffs["winners"] = wdiff
    return diffs


def samba_deviations(model, comp, got):
    """Which of libgpo's known deviations from Windows shaped this computer's
    list (Samba's answer `got` already matched the Samba prediction)."""
    kinds = []
    if predict.samba(model, comp, fix_enforced_order=True) != got:
        kinds.append("enforced links of deeper SOMs applied after (winning over) higher SOMs'")
    if predict.samba(model, comp, fix_block_without_gplink=True) != got:
        kinds.append("block inheritance ignored on an OU without gPLink")
    sids_w = predict.token(model, comp, windows=True)
    sids_s = predict.token(model, comp, windows=False)
    for guid in set(got[1:]):
        gpo = model["gpos"][guid]
        if gpo["flags"] & 2:
            kinds.append("GPO status 'computer settings disabled' (flags 2/3) not filtered")
        if (gpo["version"] & 0xFFFF) == 0 and ((gpo["gpt_version"] or 0) & 0xFFFF) == 0:
            kinds.append("computer version 0 (empty GPO) not filtered")
        if gpo["template"] is not None and predict.SECURITY_CSE not in (gpo["machine_ext"] or "").upper():
            kinds.append("GptTmpl.inf without the Security CSE in gPCMachineExtensionNames not filtered")
        if gpo["func_version"] != 2:
            kinds.append("gPCFunctionalityVersion other than 2 not filtered")
    for e in predict.windows(model, comp)["precedence"]:
        gpo = model["gpos"].get(e["guid"])
        if gpo and predict.samba_security_allows(gpo, sids_s) != predict.windows_security_allows(gpo, sids_w):
            kinds.append("security filtering verdict differs from Windows' access check")
    return sorted(set(kinds))


class Stats:
    def __init__(self):
        self.deviations = {}
        self.uncertain = []
        self.aborted = None
        self.rows = []
        self.disagreements = []
        self.exclusions = []
        self.totals = dict(computers=0, lists=0, details=0, winners=0, samba=0, samba_total=0,
                           agree=0, sf_only=0, exports=0)


def run_gpsim(args, seed_dir, ldifs, sysvol, tag, extra=()):
    cmd = [args.gpsim, "rsop", "--format", "jsonl", "--sysvol", sysvol] + list(extra)
    for l in ldifs:
        cmd += ["--ldif", l]
    for r in topology.RIGHTS:
        cmd += ["--right", r]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(os.path.join(seed_dir, "gpsim-%s.jsonl" % tag), "wb") as f:
        f.write(p.stdout)
    with open(os.path.join(seed_dir, "gpsim-%s.stderr" % tag), "wb") as f:
        f.write(p.stderr)
    if p.returncode != 0:
        raise RuntimeError("gpsim exited %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-2000:]))
    outs = {}
    for line in p.stdout.decode("utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            outs[obj["computer"]["name"].upper()] = obj
    return outs, p.stderr.decode("utf-8", errors="replace")


def samba_lists(args, accounts):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "samba_list.py"), "--conf", args.smbconf,
           "--server", args.server, "--password", args.password, "--realm", args.realm,
           "--domain", args.domain] + accounts
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("samba_list.py exited %d: %s" % (p.returncode, p.stderr[-2000:]))
    return json.loads(p.stdout.strip().splitlines()[-1])


def sanity_check(model, intended):
    """What the DC holds must be what the generator wrote."""
    problems = []
    for som, value in intended["gplink"].items():
        got = model["soms"].get(som, {}).get("gplink_raw")
        if got != value:
            problems.append("gPLink of %s: wrote %r, DC has %r" % (som, value, got))
    for guid, tmpl in intended["templates"].items():
        got = model["gpos"].get(guid, {}).get("template")
        if got != tmpl:
            problems.append("GptTmpl.inf of %s: wrote %r, read back %r" % (guid, tmpl, got))
    return problems


def wmi_variants(model):
    """Extra gpsim runs when GPOs carry WMI filters: all false, and one filter
    false by its id (the others left at the default, true)."""
    used = sorted({g["wmi_filter"] for g in model["gpos"].values()
                   if g.get("wmi_filter") and g["wmi_filter"] in model.get("wmi_filters", {})})
    if not used:
        return []
    return [("wmi-all-false", ["--wmi", "assume-false"], {"default": False}),
            ("wmi-one-false", ["--wmi", "%s=false" % used[0]], {"default": True, used[0]: False})]


def evaluate(model, computers, sl, results, stats, row, seed, wmi_of=None):
    """Compare Samba's lists and gpsim's objects with the predictions; fills
    row and stats; True when anything disagrees."""
    wmi_of = wmi_of or {}
    failed = False
    for comp in computers:
        row["computers"] += 1
        comp_ok = True
        # Samba vs the Samba prediction
        row["samba_total"] += 1
        got = sl.get(comp["sam"])
        try:
            want = predict.samba(model, comp)
        except LookupError as e:
            want = {"error": str(e)}
        if isinstance(got, list):
            got = ["Local Policy" if g == "Local Policy" else g.upper() for g in got]
        if got == want:
            row["samba"] += 1
            for kind in samba_deviations(model, comp, got):
                stats.deviations[kind] = stats.deviations.get(kind, 0) + 1
        else:
            failed = comp_ok = False
            stats.disagreements.append((seed, comp["name"], "samba-vs-prediction",
                                        {"samba": got, "predicted": want}, False))

        preds = {}
        for tag in results:
            w = wmi_of.get(tag)
            preds[tag] = (predict.windows(model, comp, security_filtering=True, wmi=w),
                          predict.windows(model, comp, security_filtering=False, wmi=w))
        pred = predict.windows(model, comp, security_filtering=True)
        uncertain = sorted(r for r, p in pred["rights"].items() if p["ambiguous"])
        for right in uncertain:
            row["uncertain"] += 1
            stats.uncertain.append((seed, comp["name"], right))
        for tag, res in results.items():
            pred, pred_nosf = preds[tag]
            if isinstance(res, Exception):
                diffs = {"gpsim-error": str(res)}
            else:
                out = res.get(comp["name"].upper())
                diffs = {"missing": "gpsim printed no object for %s" % comp["name"]} \
                    if out is None else compare_one(pred, out)
            if tag == "ldbsearch":
                if "list" not in diffs and "missing" not in diffs and "gpsim-error" not in diffs:
                    row["lists"] += 1
                if not ({"detail", "excluded"} & set(diffs)) and "list" not in diffs \
                        and "missing" not in diffs and "gpsim-error" not in diffs:
                    row["details"] += 1
                if "winners" not in diffs and "missing" not in diffs and "gpsim-error" not in diffs:
                    row["winners"] += 1
            if diffs:
                comp_ok = False
                sf = False
                if not isinstance(res, Exception) and res.get(comp["name"].upper()):
                    sf = not compare_one(pred_nosf, res[comp["name"].upper()])
                if sf:
                    row["sf_only"] += 1
                kind = "gpsim-vs-windows[%s]" % tag
                if set(diffs) == {"winners"} and set(diffs["winners"]) <= set(uncertain):
                    kind += " [only rights decided by a GPO linked more than once]"
                out = None if isinstance(res, Exception) else res.get(comp["name"].upper())
                if out is not None and wmi_of.get(tag):
                    alt = predict.windows(model, comp, security_filtering=True,
                                          wmi=dict(wmi_of[tag], missing_as_modeled=True))
                    if not compare_one(alt, out):
                        kind += (" [WMI FILTER MISSING: gpsim applies the --wmi value to a "
                                 "gPCWQLFilter whose msWMI-Som object is not in the directory; "
                                 "MS-GPOL 3.2.5.1.7 / precedence-rules D5: such a filter counts "
                                 "as true]")
                stats.disagreements.append((seed, comp["name"], kind, diffs, sf))
                failed = True
        if comp_ok:
            stats.totals["agree"] += 1
        else:
            row["disagree"] += 1
    return failed


def do_seed(args, dc, seed, stats, log):
    t0 = time.time()
    seed_dir = os.path.join(args.work, "seed-%d" % seed)
    os.makedirs(seed_dir, exist_ok=True)
    row = dict(seed=seed, computers=0, lists=0, details=0, winners=0, samba=0, samba_total=0,
               excluded=0, uncertain=0, disagree=0, sf_only=0)
    failed = False
    created = topology.new_created(seed)
    try:
        intended = topology.build_seed(dc, seed, created,
                                       security_filtering=args.security_filtering)
        t_build = time.time() - t0
        model = topology.observe(dc)
        problems = sanity_check(model, intended)
        for p in problems:
            stats.disagreements.append((seed, "-", "harness", p, False))
            failed = True
        with open(os.path.join(seed_dir, "model.json"), "w") as f:
            json.dump({"model": model, "intended": intended}, f, indent=1, default=str)

        names = set(created["computer_names"])
        computers = [c for c in model["computers"]
                     if c["name"] in names or c["uac"] & predict.UF_SERVER_TRUST_ACCOUNT]

        # Samba's own answer
        t1 = time.time()
        sl = samba_lists(args, [c["sam"] for c in computers])
        t_samba = time.time() - t1
        with open(os.path.join(seed_dir, "samba.json"), "w") as f:
            json.dump(sl, f, indent=1)

        # the export gpsim reads
        t2 = time.time()
        dom_ldif = os.path.join(seed_dir, "domain.ldif")
        cfg_ldif = os.path.join(seed_dir, "configuration.ldif")
        ldbsearch_export(args, dc.domain_dn, dom_ldif)
        ldbsearch_export(args, "CN=Sites," + dc.config_dn, cfg_ldif)
        ldbsearch_export(args, "CN=Partitions," + dc.config_dn, cfg_ldif, append=True)
        sysvol = os.path.join(seed_dir, "sysvol")
        shutil.copytree(os.path.dirname(dc.sysvol_policies),
                        os.path.join(sysvol, os.path.basename(os.path.dirname(dc.sysvol_policies))))
        variants = [("ldbsearch", [dom_ldif, cfg_ldif], [], None)]
        for tag, extra, wmi in wmi_variants(model):
            variants.append((tag, [dom_ldif, cfg_ldif], extra, wmi))
        if seed in args.base64_seeds:
            b_dom = os.path.join(seed_dir, "domain-base64.ldif")
            b_cfg = os.path.join(seed_dir, "configuration-base64.ldif")
            n = ldap_base64_export(dc.samdb, dc.domain_dn, b_dom)
            if n != count_records(dom_ldif):
                raise RuntimeError("LDAP export has %d objects, ldbsearch export %d" % (
                    n, count_records(dom_ldif)))
            ldap_base64_export(dc.samdb, "CN=Sites," + dc.config_dn, b_cfg)
            ldap_base64_export(dc.samdb, "CN=Partitions," + dc.config_dn, b_cfg, append=True)
            variants.append(("ldap-base64", [b_dom, b_cfg], [], None))
        t_export = time.time() - t2

        t3 = time.time()
        results, wmi_of = {}, {}
        for tag, ldifs, extra, wmi in variants:
            try:
                results[tag] = run_gpsim(args, seed_dir, ldifs, sysvol, tag, extra)[0]
            except Exception as e:
                results[tag] = e
            wmi_of[tag] = wmi
            stats.totals["exports"] += 1
        t_gpsim = time.time() - t3

        failed = evaluate(model, computers, sl, results, stats, row, seed, wmi_of) or failed
        row["time"] = time.time() - t0
        row["timing"] = "build %.1fs, samba %.1fs, export %.1fs, gpsim %.1fs" % (
            t_build, t_samba, t_export, t_gpsim)
    except Exception:
        failed = True
        tb = traceback.format_exc()
        stats.disagreements.append((seed, "-", "harness-error", tb, False))
        if "NT_STATUS_CONNECTION" in tb or "Connection refused" in tb:
            stats.aborted = "lost the connection to the DC during seed %d" % seed
        row["time"] = time.time() - t0
        row["timing"] = "aborted"
    finally:
        try:
            topology.cleanup(dc, created)
        except Exception:
            failed = True
            stats.disagreements.append((seed, "-", "cleanup-error", traceback.format_exc(), False))
    for k in ("computers", "lists", "details", "winners", "samba", "samba_total", "sf_only"):
        stats.totals[k] += row[k]
    stats.rows.append(row)
    if failed and args.artifacts:
        dest = os.path.join(args.artifacts, "seed-%d" % seed)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(seed_dir, dest)
    if not args.keep_work:
        shutil.rmtree(seed_dir, ignore_errors=True)
    log("seed %4d: %d computers, lists %d, winners %d, samba %d/%d, disagreements %d%s, "
        "excluded %d, uncertain %d, %.1fs (%s)" % (
            seed, row["computers"], row["lists"], row["winners"], row["samba"], row["samba_total"],
            row["disagree"], " (%d security filtering only)" % row["sf_only"] if row["sf_only"] else "",
            row["excluded"], row["uncertain"], row["time"], row.get("timing", "")))


def report(args, stats):
    print()
    print("== interop report: gpsim vs Windows prediction, Samba %s vs Samba prediction ==" % args.samba_version)
    print("security filtering scenarios: %s" % ("ON" if args.security_filtering else "OFF"))
    print("%6s %9s %6s %7s %7s %11s %8s %9s %6s %7s" % (
        "seed", "computers", "lists", "details", "winners", "samba-pred", "excluded", "uncertain",
        "disagr", "time"))
    for r in stats.rows:
        print("%6d %9d %6d %7d %7d %11s %8d %9d %6d %6.1fs" % (
            r["seed"], r["computers"], r["lists"], r["details"], r["winners"],
            "%d/%d" % (r["samba"], r["samba_total"]), r["excluded"], r["uncertain"],
            r["disagree"], r["time"]))
    t = stats.totals
    print("%6s %9d %6d %7d %7d %11s %8d %9d %6d" % (
        "total", t["computers"], t["lists"], t["details"], t["winners"],
        "%d/%d" % (t["samba"], t["samba_total"]), len(stats.exclusions), len(stats.uncertain),
        t["computers"] - t["agree"]))
    print()
    print("computers compared: %d; lists agreeing: %d; full list detail agreeing: %d; "
          "winners agreeing: %d; Samba agreeing with its prediction: %d/%d; "
          "gpsim runs: %d" % (t["computers"], t["lists"], t["details"], t["winners"], t["samba"],
                               t["samba_total"], t["exports"]))
    if stats.deviations:
        print()
        print("Samba deviations from Windows exercised (computers whose Samba list they shaped, "
              "Samba matching its prediction):")
        for kind, n in sorted(stats.deviations.items(), key=lambda kv: -kv[1]):
            print("  %5d  %s" % (n, kind))
    if stats.uncertain:
        print()
        print("Compared under precedence-rules' reading (every link of a GPO linked more than once "
              "kept, MS-GPOL 3.2.5.1.5), although Windows' de-duplication is undocumented "
              "(precedence-rules 6 item 6) and would change the winner: %d rights" % len(stats.uncertain))
        for seed, comp, right in stats.uncertain[:20]:
            print("  seed %d %s %s" % (seed, comp, right))
        if len(stats.uncertain) > 20:
            print("  ... and %d more" % (len(stats.uncertain) - 20))
    if stats.exclusions:
        print()
        print("EXCLUDED (%d, not compared):" % len(stats.exclusions))
        for seed, comp, right, why in stats.exclusions:
            print("  seed %d %s %s: %s" % (seed, comp, right, why))
    if stats.disagreements:
        sf = sum(1 for d in stats.disagreements if d[4])
        print()
        print("DISAGREEMENTS (%d; %d of them explained by security filtering alone, i.e. gpsim "
              "matches the prediction made without security filtering):" % (len(stats.disagreements), sf))
        for seed, comp, kind, what, sfonly in stats.disagreements:
            label = " [SECURITY FILTERING]" if sfonly else ""
            if isinstance(what, str):
                print("  seed %d %s %s%s:\n    %s" % (seed, comp, kind, label, what.replace("\n", "\n    ")))
            else:
                print("  seed %d %s %s%s:" % (seed, comp, kind, label))
                print("    " + json.dumps(what, default=str)[:4000])
        if args.artifacts:
            print()
            print("inputs and outputs of failing seeds kept in %s" % args.artifacts)
    if stats.aborted:
        print()
        print("ABORTED: %s; %d of %d seeds ran" % (stats.aborted, len(stats.rows), args.seeds))
    print()
    passed = t["agree"]
    failed = t["computers"] - t["agree"] + sum(1 for d in stats.disagreements if d[1] == "-")
    print("interop: %d passed, %d failed" % (passed, failed))
    return 0 if not stats.disagreements else 1


def recheck(args):
    """Offline: compare again the files a run kept for a seed (model.json,
    samba.json, gpsim-*.jsonl), e.g. after changing a predictor, or with
    --gpsim to re-run a rebuilt gpsim on the kept export."""
    stats = Stats()
    args.artifacts = ""
    for d in args.recheck:
        d = d.rstrip("/")
        seed = int(d.rsplit("-", 1)[1]) if "-" in os.path.basename(d) else 0
        data = json.load(open(os.path.join(d, "model.json")))
        model = data["model"]
        sl = json.load(open(os.path.join(d, "samba.json")))
        computers = [c for c in model["computers"] if c["sam"] in sl]
        results, wmi_of = {}, {}
        plain = ["domain.ldif", "configuration.ldif"]
        for tag, ldifs, extra, wmi in [("ldbsearch", plain, [], None),
                                       ("ldap-base64", ["domain-base64.ldif",
                                                        "configuration-base64.ldif"], [], None)] + \
                [(t, plain, e, w) for t, e, w in wmi_variants(model)]:
            if not os.path.exists(os.path.join(d, ldifs[0])):
                continue
            wmi_of[tag] = wmi
            try:
                if args.gpsim:
                    results[tag] = run_gpsim(args, d, [os.path.join(d, l) for l in ldifs],
                                             os.path.join(d, "sysvol"), tag, extra)[0]
                else:
                    outs = {}
                    for line in open(os.path.join(d, "gpsim-%s.jsonl" % tag), encoding="utf-8"):
                        if line.strip():
                            obj = json.loads(line)
                            outs[obj["computer"]["name"].upper()] = obj
                    results[tag] = outs
            except Exception as e:
                results[tag] = e
            stats.totals["exports"] += 1
        row = dict(seed=seed, computers=0, lists=0, details=0, winners=0, samba=0, samba_total=0,
                   excluded=0, uncertain=0, disagree=0, sf_only=0, time=0.0)
        evaluate(model, computers, sl, results, stats, row, seed, wmi_of)
        for k in ("computers", "lists", "details", "winners", "samba", "samba_total", "sf_only"):
            stats.totals[k] += row[k]
        stats.rows.append(row)
    return report(args, stats)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recheck", nargs="+", metavar="SEED_DIR",
                    help="compare again the files kept for these seeds, offline")
    ap.add_argument("--targetdir")
    ap.add_argument("--smbconf")
    ap.add_argument("--server")
    ap.add_argument("--realm")
    ap.add_argument("--domain")
    ap.add_argument("--password")
    ap.add_argument("--gpsim")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--work")
    ap.add_argument("--artifacts", default="")
    ap.add_argument("--keep-work", action="store_true")
    ap.add_argument("--security-filtering", type=int, default=1)
    ap.add_argument("--samba-version", default="4.17")
    args = ap.parse_args()
    if args.recheck:
        return recheck(args)
    for a in ("targetdir", "smbconf", "server", "realm", "domain", "password", "gpsim", "work"):
        if getattr(args, a) is None:
            ap.error("--%s is required" % a)
    args.base64_seeds = {args.first_seed}

    lp = LoadParm()
    lp.load(args.smbconf)
    creds = Credentials()
    creds.guess(lp)
    creds.set_username("Administrator")
    creds.set_password(args.password)
    creds.set_domain(args.domain)
    creds.set_realm(args.realm)
    samdb = SamDB(url="ldap://%s" % args.server, lp=lp, credentials=creds)
    policies = os.path.join(args.targetdir, "state", "sysvol", args.realm.lower(), "Policies")
    dc = topology.Dc(samdb, lp, creds, args.smbconf, args.server, args.realm, policies,
                     args.password)
    dc.record_baseline()

    stats = Stats()

    def log(s):
        print(s, flush=True)
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        do_seed(args, dc, seed, stats, log)
        if stats.aborted:
            log("ABORTED: %s" % stats.aborted)
            break
    return report(args, stats)


if __name__ == "__main__":
    sys.exit(main())
