#!/usr/bin/env bash
# install-clickhouse.sh - make sure a ClickHouse server binary is available for
# contribtrack's embedded default server (internal/localch).
#
# If clickhouse-server (Debian/Ubuntu package) or the official single binary
# `clickhouse` is already on PATH, in /usr/sbin or in /usr/bin, it does nothing.
# Otherwise it installs Debian's clickhouse-server and clickhouse-client packages
# non-interactively with apt-get, using sudo when not run as root.
#
# The package's init script is kept from starting a system-wide server when no
# init system runs (chroots, containers, CI): contribtrack starts its own
# private server on free loopback ports and does not need the system one.
set -euo pipefail

PACKAGES=(clickhouse-server clickhouse-client)

find_server() {
	local name dir p
	for name in clickhouse-server clickhouse; do
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

official_hint="Alternatively, download the official single binary (curl https://clickhouse.com/ | sh) and put \`clickhouse\` on PATH."

if ! command -v apt-get >/dev/null 2>&1; then
	echo "error: no ClickHouse server found and apt-get is not available (this script installs Debian/Ubuntu packages)." >&2
	echo "$official_hint" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
	as_root() { sudo "$@"; }
else
	echo "error: installing ClickHouse needs root, but you are not root and sudo is not installed." >&2
	echo "Run as root: apt-get update && apt-get install -y ${PACKAGES[*]}" >&2
	echo "$official_hint" >&2
	exit 1
fi

# Without a running init system (chroot, container), invoke-rc.d may try to
# run the init script and fail the package configuration. Deny service starts
# for the duration of the install with a temporary policy-rc.d, unless the
# system already has one.
policy=/usr/sbin/policy-rc.d
policy_added=0
cleanup() {
	if [ "$policy_added" -eq 1 ]; then
		as_root rm -f "$policy" || true
	fi
}
trap cleanup EXIT
if [ ! -d /run/systemd/system ] && [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# temporary, added by contribtrack scripts/install-clickhouse.sh\nexit 101\n' |
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
	echo "$official_hint" >&2
	exit 1
fi

if ! server=$(find_server); then
	echo "error: ${PACKAGES[*]} installed, but no clickhouse-server binary was found afterwards." >&2
	exit 1
fi
echo "ClickHouse server installed: $(describe "$server")."
