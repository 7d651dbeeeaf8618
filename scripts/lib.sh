# shellcheck shell=bash
# Helpers the host scripts share.  Source it:  . "$(dirname "$0")/lib.sh"
# It needs nothing installed (scripts/env.sh, which needs scripts/deps.sh
# to have run, is separate).  The guest scripts are busybox sh and have
# their own.
#
#   log MSG, die MSG     "== TAG: MSG" and "TAG: ERROR: MSG" (then exit 1)
#                        on stderr; TAG is $LOG_TAG, default the script's
#                        name without .sh
#   apt_need PKG...      install the packages not installed yet
#   now, secs T0 T1      a time stamp; the seconds between two, "12.3"
#   results_init         the PASS/FAIL/SKIP bookkeeping of make check and
#   add LINE, finish     make check-tape: see below
#   use_kernel,          make check KERNEL=6.12, check-debug and check-kcsan:
#   series_prefix,       see below
#   debug_check

LOG_TAG=${LOG_TAG:-$(basename "$0" .sh)}
log() { echo "== $LOG_TAG: $*" >&2; }
die() { echo "$LOG_TAG: ERROR: $*" >&2; exit 1; }

# apt_need PKG...: apt-get install those of the packages that are not
# installed, running apt-get update only if the install fails without it.
# Non-zero if they could not be installed.
apt_need() {
	local p need=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || need+=("$p")
	done
	[ ${#need[@]} -gt 0 ] || return 0
	log "apt-get install ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt-get update -qq &&
		  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# results_init: start counting.  add LINE records a "PASS|FAIL|SKIP name"
# line (and echoes it with RESULTS_ECHO=1); "NOTE name: text" lines are not
# counted (kernel messages behind failures); SUMMARY+=(...) collects the
# summary lines; finish prints the summary, the failures, the notes and the
# one last line "N passed, N failed", and fails if anything failed or
# nothing passed.  Set before finish: RESULTS_T0 (a now) for a "total:" line,
# RESULTS_SAVE (a file) to keep the PASS/FAIL lines.  The caller removes
# $RESULTS (results_cleanup, e.g. in its EXIT trap).
results_init() {
	RESULTS=$(mktemp)
	SUMMARY=()
}
results_cleanup() { rm -f "$RESULTS"; }
add() {
	echo "$*" >> "$RESULTS"
	if [ "${RESULTS_ECHO:-0}" = 1 ]; then echo "$*"; fi
}
finish() {
	local p f s line
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	s=$(grep -c '^SKIP ' "$RESULTS" || true)
	echo
	echo "==================== summary ===================="
	for line in "${SUMMARY[@]}"; do echo "$line"; done
	if [ -n "${RESULTS_T0:-}" ]; then echo "total: $(secs "$RESULTS_T0" "$(now)")s"; fi
	if [ "$f" -gt 0 ]; then
		echo "failures:"
		grep '^FAIL ' "$RESULTS" | sed 's/^/  /'
	fi
	if [ "$s" -gt 0 ]; then echo "skipped: $s (not counted)"; fi
	if grep -q '^NOTE ' "$RESULTS"; then
		echo "kernel messages behind the failures:"
		grep '^NOTE ' "$RESULTS" | sed 's/^NOTE /  /'
	fi
	if [ -n "${RESULTS_SAVE:-}" ]; then cp "$RESULTS" "$RESULTS_SAVE"; fi
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
}

# use_kernel NAME VARIANT ARCH...: for each ARCH, get the kernel of VARIANT
# for series $KEVENT_KERNEL (default 6.1), showing its output, and export
# KEVENT_KDIR_<ARCH>, KEVENT_VMLINUZ_<ARCH> and KEVENT_KROOT_<ARCH>, so that
# check.sh builds the modules against it and boots it (scripts/env.sh,
# kevent_arch_vars).  VARIANT debug or kcsan: scripts/kernel.sh builds it.
# VARIANT stock: 6.1 is Debian's, from deps.sh (nothing to do); 6.12 is
# Debian's for x86_64 (scripts/kernel-debian.sh) and scripts/kernel.sh's
# plain one for s390x.  An ARCH listed in KEVENT_BUILD_ONLY gets a kernel
# tree prepared for building modules, and no image (check.sh then builds
# and does not boot).  NAME is the make target, for the messages.
use_kernel() {
	local name=$1 variant=$2 here arch kout out t0 cmd
	shift 2
	here=$(dirname "${BASH_SOURCE[0]}")
	[ "$variant" != stock ] || [ "${KEVENT_KERNEL:-6.1}" != 6.1 ] || return 0
	kout=$(mktemp)
	for arch in "$@"; do
		t0=$(date +%s)
		case "$variant-$arch" in
		stock-x86_64) cmd=("$here/kernel-debian.sh" "$KEVENT_KERNEL") ;;
		stock-*) cmd=("$here/kernel.sh" "$arch" plain) ;;
		*) cmd=("$here/kernel.sh" "$arch" "$variant") ;;
		esac
		case " ${KEVENT_BUILD_ONLY:-} " in
		*" $arch "*) [ "${cmd[0]}" = "$here/kernel.sh" ] && export KEVENT_KERNEL_TARGET=prepare ;;
		*) unset KEVENT_KERNEL_TARGET ;;
		esac
		# Shown and kept: not "tee /dev/stderr", which reopens a log
		# file that fd 2 points to, and truncates it.
		if ! "${cmd[@]}" | tee "$kout"; then
			rm -f "$kout"
			return 1
		fi
		out=$(cat "$kout")
		echo "== $name: $arch kernel ready after $(( $(date +%s) - t0 ))s"
		export "KEVENT_KDIR_$arch=$(sed -n 's/^KDIR=//p' <<<"$out")"
		export "KEVENT_VMLINUZ_$arch=$(sed -n 's/^VMLINUZ=//p' <<<"$out")"
		export "KEVENT_KROOT_$arch=$(sed -n 's/^KROOT=//p' <<<"$out")"
	done
	unset KEVENT_KERNEL_TARGET
	rm -f "$kout"
}

# series_prefix: "" for 6.1, "6.12-" for 6.12: what result names and
# build directories of another series start with.
series_prefix() {
	[ "${KEVENT_KERNEL:-6.1}" = 6.1 ] || echo "$KEVENT_KERNEL-"
}

# debug_check VARIANT ARCH...: make check-debug (VARIANT debug) and make
# check-kcsan (kcsan): deps, the VARIANT kernel for each ARCH
# (use_kernel), then make check against it, in place of the caller
# (exec): results named "[SERIES-]VARIANT-ARCH", outputs in
# build/[SERIES-]VARIANT/ (the
# modules are built against that kernel), 40 minutes per VM (these kernels
# make the guest several times slower).  The caller adds its kernel
# command line to KEVENT_APPEND first.
debug_check() {
	local variant=$1 here
	shift
	here=$(dirname "${BASH_SOURCE[0]}")
	[ "${KEVENT_SKIP_DEPS:-0}" = 1 ] || "$here/deps.sh"
	use_kernel "check-$variant" "$variant" "$@"
	KEVENT_RESULT_PREFIX=$(series_prefix)$variant-
	export KEVENT_RESULT_PREFIX
	export KEVENT_BUILD=${KEVENT_BUILD:-$PWD/build/${KEVENT_RESULT_PREFIX%-}}
	export KEVENT_QEMU_TIMEOUT=${KEVENT_QEMU_TIMEOUT:-2400}
	export KEVENT_ARCHES="$*" KEVENT_SKIP_DEPS=1
	exec "$here/check.sh"
}
