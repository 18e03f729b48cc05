#!/usr/bin/env bash
# install-clickhouse.sh - make sure contribtrack's embedded default server
# (internal/localch) can run a modern ClickHouse.
#
# An official `clickhouse` binary of 24.8 or newer on PATH is used as it is.
# Otherwise contribtrack runs the ClickHouse library that chDB publishes on
# npm (@chdb/lib-linux-x64-gnu, pinned in internal/localch/library.go): this
# script installs Debian's npm when it is missing and has contribtrack fetch
# the library (`contribtrack clickhouse install`: npm pack, checked against
# the published sha512, extracted to ~/.local/share/contribtrack/lib/).
set -euo pipefail
cd "$(dirname "$0")/.."

if p=$(command -v clickhouse 2>/dev/null); then
	version=$("$p" server --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+' | head -n1 || true)
	major=${version%%.*} minor=${version#*.}
	if [ -n "$version" ] && { [ "$major" -gt 24 ] || { [ "$major" -eq 24 ] && [ "$minor" -ge 8 ]; }; }; then
		echo "ClickHouse $version is installed ($p): contribtrack runs it. Nothing to do."
		exit 0
	fi
	echo "Not using $p (ClickHouse ${version:-of unknown version}; 24.8 or newer is needed)."
fi

if ! command -v npm >/dev/null 2>&1; then
	. scripts/apt-install.sh
	apt_install "npm (to fetch the ClickHouse library)" \
		"Alternatively, put the official single binary \`clickhouse\` (24.8 or newer) on PATH." npm
fi
echo "Fetching the ClickHouse library with npm (once; about 180 MB)..."
go run ./cmd/contribtrack clickhouse install
