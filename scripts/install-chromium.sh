#!/usr/bin/env bash
# install-chromium.sh - make sure a Chromium browser is available for the
# headless-browser test of the HTML reports (internal/report,
# TestHTMLRendersInChromium). That test is skipped without Chromium, except on
# CI (CI=true), where it fails.
#
# If /usr/bin/chromium or `chromium` on PATH is already there, it does nothing.
# Otherwise it installs Debian's chromium package non-interactively with
# apt-get, using sudo when not run as root.
set -euo pipefail

PACKAGES=(chromium)

find_chromium() {
	local p
	if [ -f /usr/bin/chromium ] && [ -x /usr/bin/chromium ]; then
		echo /usr/bin/chromium
		return 0
	fi
	if p=$(command -v chromium 2>/dev/null) && [ -x "$p" ]; then
		echo "$p"
		return 0
	fi
	return 1
}

describe() {
	local bin=$1
	echo "$bin ($("$bin" --version 2>/dev/null | head -n1 || true))"
}

if bin=$(find_chromium); then
	echo "Chromium is present: $(describe "$bin"). Nothing to do."
	exit 0
fi

. "$(dirname "$0")/apt-install.sh"
apt_install Chromium "On Ubuntu, where chromium is a snap, install Google Chrome or Chromium another way and put \`chromium\` on PATH." "${PACKAGES[@]}"

if ! bin=$(find_chromium); then
	echo "error: ${PACKAGES[*]} installed, but no chromium binary was found afterwards." >&2
	exit 1
fi
echo "Chromium installed: $(describe "$bin")."
