#!/usr/bin/env bash
# Installs what `make` needs and is missing: the npm dependencies, and Debian's PostgreSQL 15,
# etcd, HAProxy, Keepalived, vip-manager and Chromium. As root it uses apt-get; otherwise it prints the exact command to run.
# Set PATRONI_TS_SKIP_APT=1 to check only the npm side.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

[ "${PATRONI_TS_SKIP_APT:-0}" = 1 ] && exit 0

missing=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
# The ZooKeeper tests start Debian's ZooKeeper 3.8 (a standalone server on a free port) with java.
[ -f /usr/share/java/zookeeper.jar ] || missing+=(zookeeper)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# The TLS tests make their certificates with openssl.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The virtual-IP tests: namespaces and addresses (ip), Keepalived's VRRP, vip-manager.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v keepalived >/dev/null 2>&1 || missing+=(keepalived)
command -v vip-manager >/dev/null 2>&1 || missing+=(vip-manager)
# The mixed-cluster tests run Debian's Patroni 3.0.2 beside ours; python3-etcd is its etcd
# (v2) client.
[ -x /usr/bin/patroni ] || missing+=(patroni)
/usr/bin/python3 -c 'import etcd' >/dev/null 2>&1 || missing+=(python3-etcd)
# The pgBackRest recipe (replicas, bootstrap and reinit from a backup) runs the real program.
command -v pgbackrest >/dev/null 2>&1 || missing+=(pgbackrest)
# The dashboard's browser test drives Debian's headless Chromium (playwright-core, no download).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "patroni-ts needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "==> installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages start system services on their default ports where an init system exists; we
# never use those ports, so they are left alone (the tests start their own etcd and ZooKeeper on
# free ports; `zookeeper` alone, unlike `zookeeperd`, starts no service).
