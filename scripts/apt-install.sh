# apt-install.sh - sourced by the install-*.sh scripts: apt_install WHAT HINT
# PACKAGE... installs Debian/Ubuntu packages non-interactively with apt-get,
# as root or through sudo, and returns non-zero with a message naming WHAT
# (and HINT, another way to get it) when it cannot.
#
# Without a running init system (chroot, container, CI), invoke-rc.d may try
# to start a package's service and fail its configuration: service starts
# are denied for the duration of the install with a temporary policy-rc.d,
# unless the system has one. contribtrack starts the servers it needs
# itself, on free loopback ports.

apt_install() {
	local what=$1 hint=$2
	shift 2
	local packages=("$@")
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "error: $what is not installed and apt-get is not available (these scripts install Debian/Ubuntu packages)." >&2
		[ -z "$hint" ] || echo "$hint" >&2
		return 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		as_root() { "$@"; }
	elif command -v sudo >/dev/null 2>&1; then
		as_root() { sudo "$@"; }
	else
		echo "error: installing $what needs root, but you are not root and sudo is not installed." >&2
		echo "Run as root: apt-get update && apt-get install -y ${packages[*]}" >&2
		[ -z "$hint" ] || echo "$hint" >&2
		return 1
	fi
	local policy=/usr/sbin/policy-rc.d policy_added=0 status=0
	if [ ! -d /run/systemd/system ] && [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# temporary, added by contribtrack scripts/apt-install.sh\nexit 101\n' |
			as_root tee "$policy" >/dev/null
		as_root chmod 0755 "$policy"
		policy_added=1
	fi
	echo "Installing ${packages[*]} with apt-get..."
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
		! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
			"${packages[@]}"; then
		echo "error: apt-get install ${packages[*]} failed." >&2
		[ -z "$hint" ] || echo "$hint" >&2
		status=1
	fi
	if [ "$policy_added" -eq 1 ]; then
		as_root rm -f "$policy" || true
	fi
	return $status
}
