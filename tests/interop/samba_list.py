"""Ask Samba's own libgpo (samba.gpo.ADS_STRUCT.get_gpo_list, the call
samba-gpupdate makes in python/samba/gp/gpclass.py) for the GPO list of each
account named on the command line.  Prints one JSON object:
{"NAME$": ["Local Policy", "{GUID}", ...] | {"error": "..."}}.

Run as a separate process so that a crash inside libgpo cannot take the
harness down.  One ADS connection per account, and only the `name` of each
returned GPO is read: on Samba 4.17 the `link` strings of the returned objects
can point at freed memory.
"""

import argparse
import json
import sys

from samba import gpo
from samba.credentials import Credentials
from samba.param import LoadParm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conf", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--user", default="Administrator")
    ap.add_argument("--password", required=True)
    ap.add_argument("--realm", required=True)
    ap.add_argument("--domain", required=True)
    ap.add_argument("accounts", nargs="+")
    args = ap.parse_args()

    lp = LoadParm()
    lp.load(args.conf)
    creds = Credentials()
    creds.guess(lp)
    creds.set_username(args.user)
    creds.set_password(args.password)
    creds.set_domain(args.domain)
    creds.set_realm(args.realm)

    out = {}
    for account in args.accounts:
        try:
            ads = gpo.ADS_STRUCT(args.server, lp, creds)
            if not ads.connect():
                raise RuntimeError("ads.connect() returned False")
            out[account] = [str(g.name) for g in ads.get_gpo_list(account)]
            del ads
        except Exception as e:  # reported, never skipped
            out[account] = {"error": "%s: %s" % (type(e).__name__, e)}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
