#!/usr/bin/env bash
# install-clickhouse-18.sh - make sure Debian's clickhouse-server (18.16) is
# available for the one thing that still runs on it: the replicated half of
# the cluster tests (ReplicatedMergeTree, ON CLUSTER), which the ClickHouse
# library that runs everything else cannot do (docs/clickhouse.md).
#
# If clickhouse-server is already on PATH, in /usr/sbin or in /usr/bin, it
# does nothing. Otherwise it installs Debian's clickhouse-server and
# clickhouse-client packages non-interactively with apt-get, using sudo when
# not run as root.
#
# The package's init script is kept from starting a system-wide server when no
# init system runs (chroots, containers, CI): the tests start their own
# servers on free loopback ports and do not need the system one.
set -euo pipefail

PACKAGES=(clickhouse-server clickhouse-client)

find_server() {
	local name dir p
	for name in clickhouse-server; do
		if p=$(command -v "$name" 2>/dev/null) && [ -x "$p" ]; then
			echo "$p"
			return 0
		fi
		for dir in /usr/sbin /usr/bin; do
			if [ -f "$dir/$name" ] && [ -x "$dir/$name" ]; then
				echo "$dir/$name"
				return 0
			fi
		done
	done
	return 1
}

describe() {
	local server=$1 client
	client=$(command -v clickhouse-client 2>/dev/null || true)
	if [ -z "$client" ] && [ -x /usr/bin/clickhouse-client ]; then
		client=/usr/bin/clickhouse-client
	fi
	if [ -n "$client" ]; then
		echo "$server ($("$client" --version 2>/dev/null | head -n1 || true))"
	else
		echo "$server"
	fi
}

if server=$(find_server); then
	echo "ClickHouse server is present: $(describe "$server"). Nothing to do."
	exit 0
fi

official_hint=""

. "$(dirname "$0")/apt-install.sh"
apt_install "a ClickHouse server" "$official_hint" "${PACKAGES[@]}"

if ! server=$(find_server); then
	echo "error: ${PACKAGES[*]} installed, but no clickhouse-server binary was found afterwards." >&2
	exit 1
fi
echo "ClickHouse server installed: $(describe "$server")."
