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

. "$(dirname "$0")/apt-install.sh"
apt_install ZooKeeper "" "${PACKAGES[@]}"
if [ ! -f /usr/share/java/zookeeper.jar ] || ! command -v java >/dev/null 2>&1; then
	echo "error: ${PACKAGES[*]} installed, but /usr/share/java/zookeeper.jar or java is missing afterwards." >&2
	exit 1
fi
echo "ZooKeeper installed: /usr/share/java/zookeeper.jar."
