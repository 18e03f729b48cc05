#!/usr/bin/env bash
# install-zookeeper.sh - make sure ZooKeeper (and Java) are available for the
# local ClickHouse cluster the cluster tests start (internal/localch,
# EnsureCluster): ON CLUSTER DDL and replicated tables need it.
#
# If Debian's zookeeper package is installed (/usr/share/java/zookeeper.jar)
# and java is on PATH, it does nothing. Otherwise it installs Debian's
# zookeeper package (which brings a Java runtime) and libslf4j-java (so that
# ZooKeeper's log says why it refuses a client) non-interactively with
# apt-get, using sudo when not run as root. The package's own service is
# kept from starting: the tests start a private ZooKeeper on a free loopback
# port.
set -euo pipefail

PACKAGES=(zookeeper libslf4j-java)

if [ -f /usr/share/java/zookeeper.jar ] && command -v java >/dev/null 2>&1; then
	echo "ZooKeeper is present: /usr/share/java/zookeeper.jar ($(java -version 2>&1 | head -n1)). Nothing to do."
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "error: ZooKeeper is not installed and apt-get is not available (this script installs Debian/Ubuntu packages)." >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
	as_root() { sudo "$@"; }
else
	echo "error: installing ZooKeeper needs root, but you are not root and sudo is not installed." >&2
	echo "Run as root: apt-get update && apt-get install -y ${PACKAGES[*]}" >&2
	exit 1
fi

# Without a running init system (chroot, container), invoke-rc.d may try to
# start the package's service and fail the configuration: deny service
# starts for the duration of the install, unless the system has a policy.
policy=/usr/sbin/policy-rc.d
policy_added=0
cleanup() {
	if [ "$policy_added" -eq 1 ]; then
		as_root rm -f "$policy" || true
	fi
}
trap cleanup EXIT
if [ ! -d /run/systemd/system ] && [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# temporary, added by contribtrack scripts/install-zookeeper.sh\nexit 101\n' |
		as_root tee "$policy" >/dev/null
	as_root chmod 0755 "$policy"
	policy_added=1
fi

echo "Installing ${PACKAGES[*]} with apt-get..."
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${PACKAGES[@]}"; then
	echo "error: apt-get install ${PACKAGES[*]} failed." >&2
	exit 1
fi
if [ ! -f /usr/share/java/zookeeper.jar ] || ! command -v java >/dev/null 2>&1; then
	echo "error: ${PACKAGES[*]} installed, but /usr/share/java/zookeeper.jar or java is missing afterwards." >&2
	exit 1
fi
echo "ZooKeeper installed: /usr/share/java/zookeeper.jar."
