#!/usr/bin/env bash
# Live acquisition (README.md, "Live acquisition") against a throwaway Samba AD DC.
#
#   tests/interop/live.sh            # make interop runs it after run.sh (about 70 s)
#
# Provisions realm LIVE.TEST in a temporary folder, with a TLS certificate of
# its own ($T/tls: a CA, ca.pem, which --ca-file is given, and the DC's
# certificate for dc1.live.test and 127.0.0.53; Samba's self-signed one would
# not name the address), starts `samba` inside a private network and
# mount namespace (`unshare -m -n`: its own loopback, 127.0.0.53, so it never
# meets another DC on this machine, and its own /etc/hosts for Kerberos),
# builds a small topology with samba-tool, then checks that
#   gpsim rsop --dc (LDAPS, simple bind)      the live result
#   == gpsim rsop on `gpsim snapshot` output  (LDIF + SYSVOL folder)
#   == gpsim rsop on an ldbsearch export of sam.ldb + a copy of the sysvol folder
# and the same through StartTLS, Kerberos, and a read-only account; and that
# refused connections, bad passwords, a wrong CA and timeouts each give one line
# and exit code 2.  Needs root.  Stops its DC whatever happens.
#
# Environment: GPSIM (build/gpsim), LIVE_KEEP=1 (keep the temporary folder),
# LIVE_TARGETDIR + LIVE_ADDR: reuse a provisioned DC of realm LIVE.TEST that
# is already running and reachable at LIVE_ADDR (no namespace, no provisioning;
# its Administrator password must be $PASSWORD and its TLS files as below).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
REALM=LIVE.TEST
DOMAIN=LIVE
HOST=DC1
SERVER=dc1.live.test
BASE_DN=DC=live,DC=test
ADDR=${LIVE_ADDR:-127.0.0.53}
PASSWORD='Live-Pass1!'
READER_PASSWORD='Reader-Pass1!'
GPSIM=${GPSIM:-$ROOT/build/gpsim}
PACKAGES="samba samba-ad-dc samba-ad-provision ldb-tools krb5-user winbind openssl iproute2 util-linux"

say() { printf 'live: %s\n' "$*" >&2; }

# --- the checks ---------------------------------------------------------------------
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); say "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); say "FAILED: $*"; }

# Runs gpsim, keeping stdout, stderr and the exit code in $W/<name>.{out,err,rc}.
run_gpsim() {
  local name=$1
  shift
  local rc=0
  local start=$SECONDS
  "$GPSIM" "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
  echo $rc >"$W/$name.rc"
  say "$name: exit $rc in $((SECONDS - start)) s"
}

expect_ok() {
  local name=$1
  if [ "$(cat "$W/$name.rc")" = 0 ]; then pass "$name"; else
    fail "$name exited $(cat "$W/$name.rc")"; sed 's/^/    /' "$W/$name.err" >&2; fi
}

# expect_error NAME PATTERN: exit code 2 and exactly one stderr line matching PATTERN
# (warnings such as the --insecure-tls one may precede it).
expect_error() {
  local name=$1 pattern=$2 rc lines
  rc=$(cat "$W/$name.rc")
  lines=$(grep -c 'gpsim: error:' "$W/$name.err" || true)
  if [ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -q "gpsim: error: .*$pattern" "$W/$name.err"; then
    pass "$name: $(grep 'gpsim: error:' "$W/$name.err")"
  else
    fail "$name: exit $rc, expected 2 and one line matching '$pattern':"
    sed 's/^/    /' "$W/$name.err" >&2
  fi
}

# same NAME_A NAME_B: both succeeded with the same stdout (jsonl lines sorted:
# the order of computers follows the order the objects were read in).
same() {
  local a=$1 b=$2
  if [ "$(cat "$W/$a.rc")" != 0 ] || [ "$(cat "$W/$b.rc")" != 0 ]; then
    fail "$a == $b: a run failed"; return
  fi
  if cmp -s <(sort "$W/$a.out") <(sort "$W/$b.out"); then
    pass "$a == $b ($(wc -l <"$W/$a.out") computers)"
  else
    fail "$a != $b"; diff <(sort "$W/$a.out") <(sort "$W/$b.out") | head -n 20 >&2
  fi
}

# --- the DC -------------------------------------------------------------------------
stop_samba() {
  local pid
  [ -f "$T/samba.pid" ] || return 0
  pid=$(cat "$T/samba.pid")
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping samba (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$T/samba.pid"
}

port_open() { (exec 3<>"/dev/tcp/$ADDR/$1") 2>/dev/null; }

start_samba() {
  samba -s "$T/dc/etc/smb.conf" --foreground --no-process-group >"$T/samba.out" 2>&1 &
  echo $! >"$T/samba.pid"
  local pid ok=0
  pid=$(cat "$T/samba.pid")
  say "samba started (pid $pid), waiting for LDAPS and SMB on $ADDR"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { say "samba died:"; tail -n 30 "$T/samba.out" >&2; return 1; }
    if port_open 636 && port_open 445; then ok=1; break; fi
    sleep 0.5
  done
  [ $ok = 1 ] || { say "samba did not come up"; return 1; }
}

# A CA and a server certificate for dc1.live.test and $ADDR, and a second CA
# that signed nothing (the "wrong CA" case).
make_certs() {
  local d=$T/tls
  mkdir -p "$d" "$T/other-ca"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=LIVE test CA" \
    -keyout "$d/ca-key.pem" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$SERVER" -keyout "$d/key.pem" \
    -out "$d/cert.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\n' \
    "$SERVER" "${HOST,,}" "$ADDR" >"$d/ext.cnf"
  openssl x509 -req -in "$d/cert.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" \
    -CAcreateserial -days 2 -extfile "$d/ext.cnf" -out "$d/cert.pem" 2>/dev/null
  chmod 600 "$d/key.pem"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Some other CA" \
    -keyout "$T/other-ca/key.pem" -out "$T/other-ca/ca.pem" 2>/dev/null
}

provision() {
  say "provisioning $REALM in $T/dc"
  mkdir -p "$T/run/winbindd" "$T/log"
  chmod 755 "$T/run/winbindd"
  if ! samba-tool domain provision --targetdir="$T/dc" --realm="$REALM" --domain="$DOMAIN" \
    --server-role=dc --dns-backend=NONE --adminpass="$PASSWORD" --host-name="$HOST" \
    --host-ip="$ADDR" \
    --option="interfaces=$ADDR" --option="bind interfaces only=yes" \
    --option="server services=s3fs rpc ldap cldap kdc winbindd" \
    --option="prefork children=2" \
    --option="pid directory=$T/run" --option="ncalrpc dir=$T/run/ncalrpc" \
    --option="winbindd socket directory=$T/run/winbindd" \
    --option="log file=$T/log/log.%m" --option="max log size=10000" \
    --option="ldap server require strong auth=allow_sasl_over_tls" \
    --option="tls enabled=yes" --option="tls keyfile=$T/tls/key.pem" \
    --option="tls certfile=$T/tls/cert.pem" \
    --option="tls cafile=$T/tls/ca.pem" \
    >"$T/provision.log" 2>&1; then
    say "provision failed:"; tail -n 30 "$T/provision.log" >&2; return 1
  fi
  for spn in "ldap/$SERVER" "ldap/$HOST" "cifs/$SERVER" "host/$SERVER"; do
    samba-tool spn add "$spn" "$HOST\$" -H "$T/dc/private/sam.ldb" -s "$T/dc/etc/smb.conf" \
      >/dev/null 2>&1 || true
  done
  cat >"$T/krb5.conf" <<KRB
[libdefaults]
    default_realm = $REALM
    dns_lookup_realm = false
    dns_lookup_kdc = false
    rdns = false
    dns_canonicalize_hostname = false
[realms]
    $REALM = {
        kdc = $ADDR
    }
[domain_realm]
    .${REALM,,} = $REALM
    ${REALM,,} = $REALM
KRB
  { cat /etc/hosts; echo "$ADDR $SERVER ${HOST,,}"; } >"$T/hosts"
}

# --- the topology ---------------------------------------------------------------------
ST() { samba-tool "$@" -H "ldap://$SERVER" -U "Administrator%$PASSWORD" -s "$T/dc/etc/smb.conf"; }
LDBMOD() { ldbmodify -H "$T/dc/private/sam.ldb" >/dev/null; }
SYSVOL_POLICIES() { echo "$T/dc/state/sysvol/${REALM,,}/Policies"; }
SEC_CSE='[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]'

# new_gpo NAME -> prints the GUID
new_gpo() {
  ST gpo create "$1" 2>/dev/null | sed -n "s/.*created as \({[0-9A-Fa-f-]*}\).*/\1/p"
}

# set_rights GUID VERSION LINES...: a UTF-16LE GptTmpl.inf (random case of the
# path, as copies of SYSVOL have), the Security CSE and computer VERSION in
# both the directory and GPT.INI
set_rights() {
  local guid=$1 version=$2
  shift 2
  local gpo_dir
  gpo_dir="$(SYSVOL_POLICIES)/$guid"
  local dir="$gpo_dir/Machine/microsoft/Windows NT/SecEdit"
  mkdir -p "$dir"
  {
    printf '\xff\xfe'
    { printf '[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature="$CHICAGO$"\r\nRevision=1\r\n'
      printf '[Privilege Rights]\r\n'
      printf '%s\r\n' "$@"; } | iconv -f UTF-8 -t UTF-16LE
  } >"$dir/GptTmpl.inf"
  printf '[General]\r\nVersion=%s\r\n' "$version" >"$gpo_dir/GPT.INI"
  LDBMOD <<LDIF
dn: CN=$guid,CN=Policies,CN=System,$BASE_DN
changetype: modify
replace: versionNumber
versionNumber: $version
-
replace: gPCMachineExtensionNames
gPCMachineExtensionNames: $SEC_CSE
LDIF
}

populate() {
  local sid
  say "building the topology"
  ST ou create "OU=Servers,$BASE_DN" >/dev/null
  ST ou create "OU=Web,OU=Servers,$BASE_DN" >/dev/null
  ST ou create "OU=Kiosks,$BASE_DN" >/dev/null
  ST group add WebAdmins >/dev/null
  ST group add KioskDenied >/dev/null
  ST user create reader "$READER_PASSWORD" >/dev/null
  ST computer create WEB01 --computerou="OU=Web,OU=Servers" >/dev/null
  ST computer create APP01 --computerou="OU=Servers" >/dev/null
  ST computer create KIOSK1 --computerou="OU=Kiosks" >/dev/null
  ST computer create PC02 >/dev/null
  ST group addmembers KioskDenied 'KIOSK1$' >/dev/null
  for c in WEB01:"Windows Server 2022 Standard" APP01:"Windows Server 2019 Datacenter" \
    KIOSK1:"Windows 11 Enterprise" PC02:"Windows 10 Pro"; do
    LDBMOD <<LDIF
dn: CN=${c%%:*},$(case ${c%%:*} in WEB01) echo "OU=Web,OU=Servers";; APP01) echo "OU=Servers";;
  KIOSK1) echo "OU=Kiosks";; PC02) echo "CN=Computers";; esac),$BASE_DN
changetype: modify
replace: operatingSystem
operatingSystem: ${c#*:}
LDIF
  done
  sid=$(ldbsearch -H "$T/dc/private/sam.ldb" -b "$BASE_DN" -s base objectSid | sed -n 's/^objectSid: //p')

  local g_base g_web g_srv g_kiosk g_site g_off
  g_base=$(new_gpo "Baseline")
  g_web=$(new_gpo "Web Tier (IIS, ASP.NET)")
  g_srv=$(new_gpo "Sécurité des serveurs")
  g_kiosk=$(new_gpo "Kiosk Lockdown")
  g_site=$(new_gpo "Site Policy")
  g_off=$(new_gpo "Disabled Computer Half")
  say "GPOs: $g_base $g_web $g_srv $g_kiosk $g_site $g_off"
  set_rights "$g_base" 3 'SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6' \
    'SeServiceLogonRight = *S-1-5-20'
  set_rights "$g_web" 5 'SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6,*S-1-5-32-568' \
    "SeBatchLogonRight = *$sid-512"
  set_rights "$g_srv" 2 'SeServiceLogonRight = *S-1-5-19,*S-1-5-20' 'SeBatchLogonRight ='
  set_rights "$g_kiosk" 7 'SeDenyNetworkLogonRight = *S-1-1-0'
  set_rights "$g_site" 1 'SeCreateGlobalPrivilege = *S-1-5-6'
  set_rights "$g_off" 4 'SeImpersonatePrivilege = *S-1-5-19'
  LDBMOD <<LDIF
dn: CN=$g_off,CN=Policies,CN=System,$BASE_DN
changetype: modify
replace: flags
flags: 2
LDIF
  # security filtering: the kiosk GPO is denied to KioskDenied (KIOSK1), which
  # only the DACL read through the SD flags control shows
  local kd
  kd=$(ldbsearch -H "$T/dc/private/sam.ldb" -b "$BASE_DN" '(sAMAccountName=KioskDenied)' objectSid |
    sed -n 's/^objectSid: //p')
  ST dsacl set --objectdn="CN=$g_kiosk,CN=Policies,CN=System,$BASE_DN" \
    --sddl="(OD;;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;$kd)" >/dev/null
  # a WMI filter
  LDBMOD <<LDIF
dn: CN={5E0D2E1C-3B5A-4C47-9A0E-0B7A1D2C3E4F},CN=SOM,CN=WMIPolicy,CN=System,$BASE_DN
changetype: add
objectClass: msWMI-Som
msWMI-ID: {5E0D2E1C-3B5A-4C47-9A0E-0B7A1D2C3E4F}
msWMI-Name: Servers only
msWMI-Parm1: server editions
msWMI-Parm2: 1;3;10;45;WQL;root\\CIMv2;SELECT * FROM Win32_OperatingSystem WHERE ProductType = 3;
-
LDIF
  LDBMOD <<LDIF
dn: CN=$g_srv,CN=Policies,CN=System,$BASE_DN
changetype: modify
replace: gPCWQLFilter
gPCWQLFilter: [${REALM,,};{5E0D2E1C-3B5A-4C47-9A0E-0B7A1D2C3E4F};0]
LDIF
  # links, block inheritance, enforced and disabled links, a site link, a subnet
  ST gpo setlink "$BASE_DN" "$g_base" >/dev/null
  ST gpo setlink "OU=Servers,$BASE_DN" "$g_srv" >/dev/null
  ST gpo setlink "OU=Servers,$BASE_DN" "$g_off" >/dev/null
  ST gpo setlink "OU=Web,OU=Servers,$BASE_DN" "$g_web" >/dev/null
  ST gpo setlink "OU=Web,OU=Servers,$BASE_DN" "$g_base" --disable >/dev/null
  ST gpo setlink "OU=Kiosks,$BASE_DN" "$g_kiosk" --enforce >/dev/null
  ST gpo setinheritance "OU=Kiosks,$BASE_DN" block >/dev/null
  ST gpo setlink "CN=Default-First-Site-Name,CN=Sites,CN=Configuration,$BASE_DN" "$g_site" >/dev/null
  ST sites subnet create 127.0.0.0/8 Default-First-Site-Name >/dev/null
  # SYSVOL files written by root get the ACLs a GPO folder should have
  samba-tool ntacl sysvolreset -s "$T/dc/etc/smb.conf" >/dev/null 2>&1
  # one GPO's folder readable by administrators only: the read-only account
  # must see it as unreadable, never as a GPO that defines nothing
  UNREADABLE_GUID=$g_site
  samba-tool ntacl set 'O:BAG:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)' \
    "$(SYSVOL_POLICIES)/$g_site" -s "$T/dc/etc/smb.conf" >/dev/null 2>&1
  for f in "$(SYSVOL_POLICIES)/$g_site/GPT.INI" "$(SYSVOL_POLICIES)/$g_site/Machine"; do
    samba-tool ntacl set 'O:BAG:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)' "$f" \
      -s "$T/dc/etc/smb.conf" >/dev/null 2>&1 || true
  done
}

# --- the comparisons and the error cases ---------------------------------------------------
export_domain() {
  local e=$W/export
  mkdir -p "$e"
  ldbsearch -H "$T/dc/private/sam.ldb" -b "$BASE_DN" '(objectClass=*)' '*' nTSecurityDescriptor \
    >"$e/domain.ldif"
  { ldbsearch -H "$T/dc/private/sam.ldb" -b "CN=Sites,CN=Configuration,$BASE_DN" '(objectClass=*)'
    ldbsearch -H "$T/dc/private/sam.ldb" -b "CN=Partitions,CN=Configuration,$BASE_DN" \
      '(objectClass=*)'; } >"$e/configuration.ldif"
  cp -a "$T/dc/state/sysvol" "$e/sysvol"
}

# A port nothing listens on, and a listener that never answers.
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('$ADDR',0)); print(s.getsockname()[1])"; }

checks() {
  local ca=$T/tls/ca.pem pw=$W/password rpw=$W/reader-password
  local admin=(--dc "$ADDR" --user Administrator --password-file "$pw" --ca-file "$ca")
  printf '%s\n' "$PASSWORD" >"$pw"
  printf '%s\n' "$READER_PASSWORD" >"$rpw"
  printf 'not-the-password\n' >"$W/bad-password"
  chmod 600 "$pw" "$rpw" "$W/bad-password"

  say "--- explain --dc, live vs snapshot vs ldbsearch export"
  run_gpsim explain-web01 explain "${admin[@]}" --computer WEB01 --right SeImpersonatePrivilege
  expect_ok explain-web01
  grep -q "Winner: GPO 'Web Tier (IIS, ASP.NET)'" "$W/explain-web01.out" &&
    pass "explain WEB01: Web Tier wins SeImpersonatePrivilege" ||
    fail "explain WEB01: unexpected winner"
  run_gpsim live rsop "${admin[@]}"
  run_gpsim snapshot snapshot "${admin[@]}" --out "$W/snapshot"
  expect_ok snapshot
  run_gpsim snapshot-again snapshot "${admin[@]}" --out "$W/snapshot"
  expect_error snapshot-again "exists and is not an empty folder"
  run_gpsim offline rsop --ldif "$W/snapshot/directory.ldif" --sysvol "$W/snapshot/sysvol"
  export_domain
  run_gpsim export rsop --ldif "$W/export/domain.ldif" --ldif "$W/export/configuration.ldif" \
    --sysvol "$W/export/sysvol"
  same live offline
  same live export
  grep -q '"reason":"SECURITY_FILTER_DENIED"' "$W/live.out" &&
    pass "KIOSK1's GPO denied through the DACL (SD flags control)" ||
    fail "no SECURITY_FILTER_DENIED: the DACL was not read"

  say "--- other ways in: StartTLS, Kerberos, environment password, read-only account"
  run_gpsim starttls rsop --dc "$ADDR" --starttls --user 'LIVE\Administrator' \
    --password-file "$pw" --ca-file "$ca"
  same live starttls
  GPSIM_PASSWORD=$PASSWORD run_gpsim env-password rsop --dc "$ADDR" --user "Administrator@${REALM,,}" \
    --ca-file "$ca" </dev/null
  same live env-password
  kinit Administrator <"$pw" >/dev/null 2>&1 || say "kinit failed"
  run_gpsim kerberos rsop --dc "$SERVER" --kerberos --ca-file "$ca"
  same live kerberos
  kdestroy >/dev/null 2>&1 || true
  run_gpsim insecure rsop --dc "$ADDR" --user Administrator --password-file "$pw" --insecure-tls
  same live insecure
  grep -q 'warning: --insecure-tls' "$W/insecure.err" && pass "--insecure-tls warns" ||
    fail "--insecure-tls gave no warning"
  run_gpsim reader rsop --dc "$ADDR" --user reader --password-file "$rpw" --ca-file "$ca"
  expect_ok reader
  reader_check

  say "--- errors: one line, exit code 2"
  run_gpsim bad-password rsop --dc "$ADDR" --user Administrator --password-file "$W/bad-password" \
    --ca-file "$ca"
  expect_error bad-password "invalid credentials for 'Administrator@${REALM,,}'"
  run_gpsim wrong-ca rsop --dc "$ADDR" --user Administrator --password-file "$pw" \
    --ca-file "$T/other-ca/ca.pem"
  expect_error wrong-ca "TLS certificate verification failed.*(give --ca-file, or --insecure-tls)"
  run_gpsim no-ca rsop --dc "$ADDR" --starttls --user Administrator --password-file "$pw"
  expect_error no-ca "TLS certificate verification failed"
  local port
  port=$(free_port)
  run_gpsim refused rsop --dc "$ADDR:$port" --user Administrator --password-file "$pw" --ca-file "$ca"
  expect_error refused "ldaps://$ADDR:$port: connection refused"
  python3 -c "import socket,time; s=socket.socket(); s.bind(('$ADDR',$port)); s.listen(4); time.sleep(20)" &
  local silent=$!
  sleep 0.5
  run_gpsim timeout rsop --dc "$ADDR:$port" --user Administrator --password-file "$pw" \
    --ca-file "$ca" --timeout 2
  kill "$silent" 2>/dev/null || true
  expect_error timeout "ldaps://$ADDR:$port: timed out after 2 s"
  run_gpsim no-ticket rsop --dc "$SERVER" --kerberos --ca-file "$ca"
  expect_error no-ticket "Kerberos (GSS-API) bind failed"
}

# The read-only account reads everything but one GPO folder, which must come
# out SYSVOL_UNREADABLE (never "not defined"), with a warning naming it.
reader_check() {
  if grep -q "GPO 'Site Policy' {.*}: .*GPT.INI cannot be read" "$W/reader.err" &&
    grep -q '"name":"Site Policy".*"reason":"SYSVOL_UNREADABLE"\|"reason":"SYSVOL_UNREADABLE"' \
      "$W/reader.out"; then
    pass "read-only account: the GPO folder it cannot read is SYSVOL_UNREADABLE"
  else
    fail "read-only account: no SYSVOL_UNREADABLE for the unreadable folder"
    sed 's/^/    /' "$W/reader.err" >&2
  fi
  # every other GPO decision is the administrator's (security filtering included)
  if python3 - "$W/live.out" "$W/reader.out" <<'PY'
import json, sys
def decisions(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        out[r["computer"]["dn"]] = [(g["guid"], g["som"], g["status"], g["reason"])
                                    for g in r["gpos"] if g["name"] != "Site Policy"]
    return out
sys.exit(0 if decisions(sys.argv[1]) == decisions(sys.argv[2]) else 1)
PY
  then
    pass "read-only account: every other GPO decided as for the administrator"
  else
    fail "read-only account: other GPO decisions differ"
  fi
}

# --- main -------------------------------------------------------------------------------
inner() {
  T=$1
  trap stop_samba EXIT
  trap 'exit 130' INT TERM
  ip link set lo up
  ip addr add "$ADDR/8" dev lo
  mount --make-rprivate / 2>/dev/null || true
  mount --bind "$T/hosts" /etc/hosts
  # smbd finds winbindd (uid mapping for SMB logons) at its compiled-in path
  mkdir -p /run/samba/winbindd
  mount --bind "$T/run/winbindd" /run/samba/winbindd
  export KRB5_CONFIG="$T/krb5.conf" KRB5CCNAME="FILE:$T/ccache"
  start_samba
  say "DC ready after $SECONDS s"
  W=$T/work
  mkdir -p "$W"
  populate
  say "topology built after $SECONDS s"
  checks
  say "finished in $SECONDS s"
  echo "live: $PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

if [ "${1:-}" = "--inner" ]; then
  inner "$2"
  exit $?
fi

[ "$(id -u)" = 0 ] || { say "must run as root (installs packages, runs a DC, uses namespaces)"; exit 2; }
[ -x "$GPSIM" ] || { say "$GPSIM not built: run 'make build' (or 'make interop')"; exit 2; }
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing missing Debian packages:$missing"
  printf '%s\n' 'krb5-config krb5-config/read_conf boolean false' \
    'krb5-config krb5-config/default_realm string' | debconf-set-selections 2>/dev/null || true
  nss=$(mktemp)
  cp -p /etc/nsswitch.conf "$nss"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $missing >/dev/null
  cmp -s "$nss" /etc/nsswitch.conf || cat "$nss" >/etc/nsswitch.conf
  rm -f "$nss"
fi

if [ -n "${LIVE_TARGETDIR:-}" ]; then
  # reuse: a DC of this realm already runs, provisioned in $LIVE_TARGETDIR's parent
  T=$(dirname "$LIVE_TARGETDIR")
  export KRB5_CONFIG="$T/krb5.conf" KRB5CCNAME="FILE:$T/ccache-live"
  W=$(mktemp -d /tmp/gpsim-live-work.XXXXXX)
  [ -f "$T/populated" ] || { populate; touch "$T/populated"; }
  checks
  echo "live: $PASSED passed, $FAILED failed"
  [ "${LIVE_KEEP:-0}" = 1 ] || rm -rf "$W"
  [ "$FAILED" = 0 ]
  exit $?
fi

T=$(mktemp -d /tmp/gpsim-live.XXXXXX)
# smbd serves SYSVOL from inside it as the account's own uid: it must be able to enter
chmod 755 "$T"
cleanup() {
  local rc=$?
  if [ "${LIVE_KEEP:-0}" = 1 ]; then say "kept $T"; else rm -rf "$T"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
make_certs
provision
say "provisioned in $SECONDS s"
rc=0
unshare -m -n -- bash "$HERE/live.sh" --inner "$T" || rc=$?
exit $rc
