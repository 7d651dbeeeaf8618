# shellcheck shell=bash
# Helpers check-deb.sh and check-tape-dkms.sh share: a clean bookworm root
# made by mmdebstrap with the project's packages installed, and commands run
# in it.  Source it after lib.sh and results_init, with set:
#   ROOT     the root's directory
#   SOURCES  the apt sources mmdebstrap uses
#   DEBS     (array) the .deb files to install
#   CHECK_TAG, CHECK_LOG   result-name prefix and log file for check
#
#   check WHAT CMD...     PASS/FAIL "CHECK_TAG: WHAT", CMD's output in CHECK_LOG
#   in_root CMD...        CMD in the root, with a clean environment
#   in_root_mounted CMD...  the same with /proc and /dev (dkms, apt-get)
#   mkroot PACKAGES       mmdebstrap the root with PACKAGES (comma list),
#                         then apt-get install DEBS in a hook, where
#                         mmdebstrap has mounted /proc and /dev for the
#                         maintainer scripts (dkms builds there)
# shellcheck disable=SC2016 # the hooks' and chroot's $1 are theirs

check() {
	local what=$1; shift
	if "$@" >> "$CHECK_LOG" 2>&1; then
		add "PASS $CHECK_TAG: $what"
	else
		add "FAIL $CHECK_TAG: $what (see $CHECK_LOG)"
	fi
}
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
in_root_mounted() {
	local rc=0
	mount --bind /proc "$ROOT/proc" || return 1
	mount --bind /dev "$ROOT/dev" || { umount "$ROOT/proc"; return 1; }
	in_root "$@" || rc=$?
	umount "$ROOT/dev" "$ROOT/proc"
	return "$rc"
}
mkroot() {
	mmdebstrap --variant=apt --include="$1" \
		--customize-hook='mkdir -p "$1/tmp/debs"' \
		--customize-hook="cp ${DEBS[*]} \"\$1/tmp/debs/\"" \
		--customize-hook='chroot "$1" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/debs/*.deb"' \
		bookworm "$ROOT" "$SOURCES"
}
