#!/usr/bin/env bash
# Differential test of gpsim against a real Samba AD DC (see README.md here).
#
#   tests/interop/run.sh                 # 20 seeds (make interop)
#   SEEDS=200 tests/interop/run.sh       # more (make interop SEEDS=200)
#
# Environment: SEEDS (20), FIRST_SEED (1), INTEROP_SECURITY_FILTERING (1),
# GPSIM (build/gpsim), INTEROP_ARTIFACTS (build/interop: inputs and outputs of
# failing seeds), INTEROP_KEEP=1 (keep the temporary folder with the DC).
#
# Installs Samba's Debian packages when missing, provisions a throwaway domain
# in a temporary folder, runs `samba` bound to the loopback interface inside
# private network and mount namespaces (its own loopback, so it never meets
# another DC on this machine; /etc/hosts, /etc/nsswitch.conf and the winbindd
# socket folder replaced by bind mounts: the machine's own files are never
# edited), runs tests/interop/compare.py, and stops the DC whatever happens.
# Needs root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
REALM=INTEROP.TEST
DOMAIN=INTEROP
HOST=DC1
SERVER=dc1.interop.test
PASSWORD='Interop-Pass1!'
SEEDS=${SEEDS:-20}
FIRST_SEED=${FIRST_SEED:-1}
INTEROP_SECURITY_FILTERING=${INTEROP_SECURITY_FILTERING:-1}
GPSIM=${GPSIM:-$ROOT/build/gpsim}
INTEROP_ARTIFACTS=${INTEROP_ARTIFACTS:-$ROOT/build/interop}
PACKAGES="samba samba-ad-dc samba-ad-provision python3-samba ldb-tools krb5-user winbind libnss-winbind"

say() { printf 'interop: %s\n' "$*" >&2; }

# --- stage 2: inside the private mount namespace ------------------------------------
descendants() {
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$p"
    echo "$p"
  done
}

stop_samba() {
  local pid
  pid=$(cat "$T/samba.pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping samba (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      local left
      left=$(descendants "$pid")
      say "samba did not stop, killing pid $pid and its children: $left"
      kill -KILL $left "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$T/samba.pid"
}

inner() {
  T=$1
  trap stop_samba EXIT
  trap 'exit 130' INT TERM
  mount --make-rprivate / 2>/dev/null || true
  ip link set lo up
  mount --bind "$T/hosts" /etc/hosts
  mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf
  export KRB5_CONFIG="$T/krb5.conf" KRB5CCNAME="FILE:$T/ccache"

  samba -s "$T/dc/etc/smb.conf" --foreground --no-process-group >"$T/samba.out" 2>&1 &
  echo $! >"$T/samba.pid"
  local pid
  pid=$(cat "$T/samba.pid")
  say "samba started (pid $pid), waiting for LDAP and winbindd"
  local ok=0
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { say "samba died:"; tail -n 30 "$T/samba.out" "$T"/log/* >&2 || true; return 1; }
    if (exec 3<>/dev/tcp/127.0.0.1/389) 2>/dev/null && [ -S "$T/run/winbindd/pipe" ]; then ok=1; break; fi
    sleep 0.5
  done
  [ $ok = 1 ] || { say "samba did not come up"; return 1; }
  # libgpo builds the machine token with getpwuid(): it needs winbind in NSS,
  # which looks for winbindd's socket at the compiled-in /run/samba/winbindd.
  mkdir -p /run/samba/winbindd
  mount --bind "$T/run/winbindd" /run/samba/winbindd
  ok=0
  for _ in $(seq 1 60); do
    if getent passwd "$DOMAIN\\administrator" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  [ $ok = 1 ] || { say "winbindd does not answer"; return 1; }
  say "DC ready after $SECONDS s; $SEEDS seeds from $FIRST_SEED, security filtering scenarios $([ "$INTEROP_SECURITY_FILTERING" = 1 ] && echo ON || echo OFF)"

  local rc=0
  "$PY" "$HERE/compare.py" --targetdir "$T/dc" --smbconf "$T/dc/etc/smb.conf" \
    --server "$SERVER" --realm "$REALM" --domain "$DOMAIN" --password "$PASSWORD" \
    --gpsim "$GPSIM" --seeds "$SEEDS" --first-seed "$FIRST_SEED" --work "$T/work" \
    --artifacts "$INTEROP_ARTIFACTS" --security-filtering "$INTEROP_SECURITY_FILTERING" \
    --samba-version "$(samba -V 2>/dev/null | awk '{print $2}')" \
    $([ "${INTEROP_KEEP:-0}" = 1 ] && echo --keep-work) || rc=$?
  say "finished in $SECONDS s"
  return $rc
}

if [ "${1:-}" = "--inner" ]; then
  inner "$2"
  exit $?
fi

# --- stage 1: packages, provisioning ------------------------------------------------------
[ "$(id -u)" = 0 ] || { say "must run as root (installs packages, runs a DC, uses a mount namespace)"; exit 2; }

install_deps() {
  local missing="" p
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  say "installing missing Debian packages:$missing"
  # libnss-winbind's postinst adds winbind to /etc/nsswitch.conf: keep the
  # machine's file as it was (the harness uses its own copy in a namespace).
  local nss_backup
  nss_backup=$(mktemp)
  cp -p /etc/nsswitch.conf "$nss_backup"
  # no prompt from krb5-config, and no service started by the packages
  if command -v debconf-set-selections >/dev/null; then
    printf '%s\n' 'krb5-config krb5-config/read_conf boolean false' \
      'krb5-config krb5-config/default_realm string' | debconf-set-selections || true
  fi
  local policy_rc=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_rc=/usr/sbin/policy-rc.d
  fi
  # put both files back even if the installation is interrupted
  trap 'rm -f $policy_rc; cmp -s "$nss_backup" /etc/nsswitch.conf || cat "$nss_backup" >/etc/nsswitch.conf; rm -f "$nss_backup"' EXIT
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends $missing >/dev/null; } || rc=$?
  [ -n "$policy_rc" ] && rm -f "$policy_rc"
  if ! cmp -s "$nss_backup" /etc/nsswitch.conf; then
    cat "$nss_backup" >/etc/nsswitch.conf
  fi
  rm -f "$nss_backup"
  trap - EXIT
  return $rc
}

install_deps
command -v unshare >/dev/null || { say "unshare (util-linux) is missing"; exit 2; }
command -v ip >/dev/null || { say "ip (iproute2) is missing"; exit 2; }
[ -x "$GPSIM" ] || { say "$GPSIM not built: run 'make build' (or 'make interop')"; exit 2; }

T=$(mktemp -d /tmp/gpsim-interop.XXXXXX)
INNER=""
outer_cleanup() {
  local rc=$?
  stop_samba
  if [ -n "$INNER" ] && kill -0 "$INNER" 2>/dev/null; then
    local left
    left=$(descendants "$INNER")
    kill -TERM $left "$INNER" 2>/dev/null || true
    wait "$INNER" 2>/dev/null || true
  fi
  if [ "${INTEROP_KEEP:-0}" = 1 ]; then say "kept $T"; else rm -rf "$T"; fi
  exit $rc
}
trap outer_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$T/run/winbindd" "$T/log"
chmod 755 "$T/run/winbindd"
cat >"$T/krb5.conf" <<EOF
[libdefaults]
    default_realm = $REALM
    dns_lookup_realm = false
    dns_lookup_kdc = false
    rdns = false
    dns_canonicalize_hostname = false
[realms]
    $REALM = {
        kdc = 127.0.0.1
    }
[domain_realm]
    .${REALM,,} = $REALM
    ${REALM,,} = $REALM
EOF
export KRB5_CONFIG="$T/krb5.conf" KRB5CCNAME="FILE:$T/ccache"
{ cat /etc/hosts; echo "127.0.0.1 $SERVER ${HOST,,}"; } >"$T/hosts"
sed -E '/^(passwd|group):/{/winbind/!s/$/ winbind/}' /etc/nsswitch.conf >"$T/nsswitch.conf"

say "provisioning $REALM in $T/dc"
if ! samba-tool domain provision --targetdir="$T/dc" --realm="$REALM" --domain="$DOMAIN" \
  --server-role=dc --dns-backend=NONE --adminpass="$PASSWORD" --host-name="$HOST" \
  --host-ip=127.0.0.1 \
  --option="interfaces=lo" --option="bind interfaces only=yes" \
  --option="server services=s3fs rpc ldap cldap kdc winbindd" \
  --option="prefork children=2" --option="ldb:nosync=true" \
  --option="pid directory=$T/run" --option="ncalrpc dir=$T/run/ncalrpc" \
  --option="winbindd socket directory=$T/run/winbindd" \
  --option="log file=$T/log/log.%m" --option="max log size=10000" \
  >"$T/provision.log" 2>&1; then
  say "provision failed:"; tail -n 30 "$T/provision.log" >&2; exit 1
fi
SMBCONF="$T/dc/etc/smb.conf"
# the LDAP service principal names that samba_spnupdate would add (the
# dnsupdate service that runs it is not started here)
for spn in "ldap/$SERVER" "ldap/$HOST"; do
  samba-tool spn add "$spn" "$HOST\$" -H "$T/dc/private/sam.ldb" -s "$SMBCONF" >/dev/null
done
say "provisioned in $SECONDS s"

# in the background so that a signal to this script runs its trap at once
rc=0
unshare -m -n -- bash "$HERE/run.sh" --inner "$T" &
INNER=$!
wait "$INNER" || rc=$?
INNER=""
exit $rc
