#!/bin/bash
# `make check-tape`: the mainline s390 tape driver, patched to call
# kevent_s390_log_notify(), against an emulated IBM 3490 under Hercules.
#
#   1. deps        scripts/deps.sh (s390x kernel, headers, cross gcc)
#   2. hercules    scripts/hercules/build-hercules.sh: Debian's hercules
#                  (apt) plus, built once and cached, one that reports tape
#                  mounts as a real 3490 does (attention+DE+UX)
#   3. tape        drivers/s390/char/build-tape.sh: tape_class, tape,
#                  tape_34xx from Debian's linux-source-6.1 (KERNEL=6.12:
#                  6.12) with drivers/s390/char/tape-kevent.patch, out of
#                  tree against the s390x headers, linked against our
#                  kevent_s390_log
#   4. tools       keventlogd and keventctl (tools/kevent) for s390x with
#                  their shared libraries; scripts/hercules/tape-logread.c,
#                  a minimal static reader, when tools/kevent is absent
#   5. initramfs   those modules and tools, scripts/guest/tape*.sh
#                  (scripts/mkinitramfs.sh with a list)
#   6. run         IPL Debian's s390x kernel (KERNEL=6.12: the one
#                  make check KERNEL=6.12 builds) under Hercules with two 3490
#                  drives (KEVENT_TAPE_DEVS); scripts/guest/tape.sh drives
#                  them, the Hercules automatic operator mounts and
#                  unmounts tapes
#   7. verdict     every step happened; keventlogd's log holds exactly the
#                  records the scenario causes (medium changes, errors,
#                  interventions, changes while offline), per drive, with
#                  sequence numbers 1..N; the uevents, kernel messages and
#                  the driver's own debug area agree with it, and so does
#                  `keventctl read` (the kernel buffer)
# Ends with exactly one line "N passed, N failed"; exits non-zero on any
# failure.  Longer than the other scripts on purpose: one run, steps 1-6 in
# order, each feeding the next, with the Hercules run's watchdog loop; the
# verdict (step 7) is scripts/tape-verdict.sh.
# Outputs in build/tape/ (run/hercules.log is the whole console), with
# KERNEL=6.12 in build/6.12/tape/.
# Environment:
#   KEVENT_KERNEL=6.12      what make's KERNEL=6.12 sets
#   KEVENT_SKIP_DEPS=1      do not run scripts/deps.sh
#   KEVENT_HERCULES=stock   run the stock emulator (shows the load gap)
#   KEVENT_TAPE_READER=tape-logread   use the minimal reader, not keventlogd
#   KEVENT_TAPE_TIMEOUT     whole Hercules run limit, s (default 420)
#   KEVENT_TAPE_STEP        limit between two guest steps, s (default 90)
#   KEVENT_TAPE_DEVS        the two drives' device numbers (default
#                           "0a10 0b27"; 4 hex digits each, subchannel set 0)
#   KEVENT_TEE=1            show the guest's lines live
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
results_init
RESULTS_ECHO=1
RESULTS_T0=$(now)
hpid=""
stop_hercules() {
	[ -n "$hpid" ] || return 0
	local child c
	# $hpid is timeout(1); Hercules is its child.  TERM both (Hercules
	# shuts down in a few seconds), KILL whatever is left after 15 s.
	child=$(cat /proc/"$hpid"/task/*/children 2>/dev/null || true)
	for c in $child; do
		[ "$(cat /proc/"$c"/comm 2>/dev/null)" = hercules ] && kill "$c" 2>/dev/null
	done
	kill "$hpid" 2>/dev/null || true
	for _ in $(seq 30); do
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$hpid" 2>/dev/null; then
		echo "== tape: Hercules did not stop on SIGTERM; killing it"
		for c in $child; do
			[ "$(cat /proc/"$c"/comm 2>/dev/null)" = hercules ] && kill -KILL "$c" 2>/dev/null
		done
		kill -KILL "$hpid" 2>/dev/null || true
	fi
	wait "$hpid" 2>/dev/null || true
	hpid=""
}
cleanup() {
	stop_hercules
	results_cleanup
}
trap cleanup EXIT
# fatal MESSAGE: a step that everything after depends on failed.
fatal() { add "FAIL tape: $*"; finish || true; exit 1; }

# --- 1. deps ---------------------------------------------------------------
if [ "${KEVENT_SKIP_DEPS:-0}" != 1 ]; then
	t0=$(now)
	scripts/deps.sh || fatal "deps (scripts/deps.sh)"
	SUMMARY+=("deps: $(secs "$t0" "$(now)")s")
fi
# KERNEL=6.12: the s390x kernel of make check KERNEL=6.12 (built from
# trixie's linux-source-6.12, lib.sh use_kernel) and that source's tape
# driver; outputs in build/6.12/tape/.
SERIES=${KEVENT_KERNEL:-6.1}
if [ "$SERIES" != 6.1 ]; then
	export KEVENT_BUILD=${KEVENT_BUILD:-$PWD/build/$SERIES}
	t0=$(now)
	use_kernel check-tape stock s390x || fatal "no $SERIES s390x kernel (scripts/kernel.sh)"
	SUMMARY+=("$SERIES s390x kernel: $(secs "$t0" "$(now)")s")
fi
# shellcheck source=scripts/env.sh
. scripts/env.sh
kevent_arch_vars s390x
OUT=$KEVENT_BUILD/tape
RUN=$OUT/run
mkdir -p "$OUT"
DEVS=${KEVENT_TAPE_DEVS:-0a10 0b27}
# shellcheck disable=SC2086
set -- $DEVS
if ! { [ $# = 2 ] && [ "$1" != "$2" ] &&
	[[ $1 =~ ^[0-9a-f]{4}$ ]] && [[ $2 =~ ^[0-9a-f]{4}$ ]]; }; then
	fatal "KEVENT_TAPE_DEVS='$DEVS': want two different 4-digit hex device numbers"
fi

# --- 2. hercules -----------------------------------------------------------
t0=$(now)
HERC=$(scripts/hercules/build-hercules.sh | tail -n 1) ||
	fatal "hercules (scripts/hercules/build-hercules.sh)"
[ -x "$HERC" ] || fatal "hercules: $HERC is not executable"
if [ "$HERC" = /usr/bin/hercules ]; then
	HKIND="stock Debian hercules (mounts not reported)"
else
	HKIND="patched hercules: $(cut -d, -f1 "$(dirname "$HERC")/../.done" 2>/dev/null || true)"
fi
add "PASS tape: hercules ready: $HERC"
SUMMARY+=("hercules: $(secs "$t0" "$(now)")s ($HKIND)")

# --- 3. the tape driver ----------------------------------------------------
# The tape driver's sources, extracted once from linux-source-$SERIES into
# the cache (the tarball is one xz stream: ~10 s per pass); build-tape.sh
# copies them from there (KEVENT_KSRC), patches and builds them in $OUT/work.
read -r tarball src_ver < <(scripts/kernel-source.sh "$SERIES") ||
	fatal "linux-source-$SERIES (scripts/kernel-source.sh)"
TSRC=$KEVENT_CACHE/linux-source-$SERIES-$src_ver-tape
top=linux-source-$SERIES
if [ ! -f "$TSRC/.done" ]; then
	echo "== tape: extracting drivers/s390/char/tape* from $top $src_ver"
	rm -rf "$TSRC"
	mkdir -p "$TSRC"
	tar -xJf "$tarball" -C "$TSRC" --strip-components=1 \
		--wildcards "$top/drivers/s390/char/tape*" \
		"$top/drivers/s390/char/Kconfig" \
		"$top/drivers/s390/char/Makefile" ||
		fatal "extract the tape driver from $tarball"
	touch "$TSRC/.done"
fi
[ -x drivers/s390/char/build-tape.sh ] || fatal "drivers/s390/char/build-tape.sh missing"
# build-tape.sh uses patch and file, which scripts/deps.sh does not install.
for p in patch file; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" \
			>/dev/null || fatal "apt-get install $p"
	fi
done
WORK=$OUT/work
if ! KEVENT_KSRC=$TSRC drivers/s390/char/build-tape.sh "$WORK" > "$OUT/build-tape.log" 2>&1; then
	tail -n 20 "$OUT/build-tape.log"
	fatal "build the patched tape driver (see $OUT/build-tape.log)"
fi
grep '^== build-tape: tape.ko' "$OUT/build-tape.log" || true
add "PASS tape: patched tape driver built (tape_class, tape, tape_34xx)"
SUMMARY+=("tape driver build: $(secs "$t0" "$(now)")s")

# --- 4. guest tools --------------------------------------------------------
t0=$(now)
STAGE=$OUT/s390x
rm -rf "$STAGE"
mkdir -p "$STAGE/modules" "$STAGE/initramfs-extra/kevent/bin"
echo "TAPE_DEVS='$DEVS'" > "$STAGE/initramfs-extra/kevent/tape.conf"
# The kevent modules come from the same build that tape.ko was linked with.
cp "$WORK/kevent/kevent/kevent.ko" "$WORK/kevent/drivers/s390/char/kevent_s390_log.ko" \
	"$STAGE/modules/"
for m in tape_class tape tape_34xx; do
	cp "$WORK/tape-kevent/drivers/s390/char/$m.ko" "$STAGE/modules/"
done
# keventlogd and keventctl (tools/kevent), dynamically linked against the
# s390x sysroot's libsystemd: their libraries and loader go along.  When
# tools/kevent is not there (or KEVENT_TAPE_READER=tape-logread), the
# minimal reader scripts/hercules/tape-logread.c reads the log instead.
BIN=$STAGE/initramfs-extra/kevent/bin
LIBK=$OUT/libkevent
{ make -s -C tools/lib/kevent CC="${CROSS_S390}gcc" AR="${CROSS_S390}ar" \
	OUTPUT="$LIBK/" "$LIBK/libkevent.a" &&
  "${CROSS_S390}gcc" -static -O2 -Wall -Wextra -Werror -I include/uapi \
	-I tools/lib/kevent -o "$BIN/tape-logread" \
	scripts/hercules/tape-logread.c "$LIBK/libkevent.a"; } ||
	fatal "build scripts/hercules/tape-logread.c"
READER=tape-logread
if [ "${KEVENT_TAPE_READER:-keventlogd}" = keventlogd ] && [ -f tools/kevent/Makefile ]; then
	TOOLS=$OUT/tools
	rm -rf "$TOOLS"
	if make -s -C tools/kevent CC="${CROSS_S390}gcc" SYSROOT="${SYSROOT_S390:-}" \
		OUTPUT="$TOOLS/" -j"$(nproc)" > "$OUT/tools.log" 2>&1 &&
	   cp "$TOOLS/keventlogd" "$TOOLS/keventctl" "$BIN/" &&
	   scripts/copy-libs.sh "${SYSROOT_S390:-}" "$STAGE/initramfs-extra" s390x-linux-gnu \
		"$BIN/keventlogd" "$BIN/keventctl" >> "$OUT/tools.log" 2>&1; then
		READER=keventlogd
	else
		tail -n 15 "$OUT/tools.log"
		rm -f "$BIN/keventlogd" "$BIN/keventctl"
		add "FAIL tape: build keventlogd and keventctl for s390x (see $OUT/tools.log); the run uses tape-logread"
	fi
fi
add "PASS tape: guest log reader built ($READER)"
SUMMARY+=("guest tools: $(secs "$t0" "$(now)")s")

# --- 5. initramfs and the Hercules run directory --------------------------
t0=$(now)
scripts/mkinitramfs.sh s390x "$OUT/initramfs.gz" - >/dev/null <<EOF ||
$STAGE/modules/			/kevent/modules/
scripts/guest/tape.sh		/kevent/
scripts/guest/tape-uevent.sh	/kevent/
$STAGE/initramfs-extra/		/
EOF
	fatal "initramfs (scripts/mkinitramfs.sh)"
rm -rf "$RUN"
mkdir -p "$RUN"
cp "$VMLINUZ" "$RUN/kernel.img"
cp "$OUT/initramfs.gz" "$RUN/initrd.gz"
# Load addresses: linux.ins; 8-byte big-endian initrd offset and size; the
# command line NUL-padded over the kernel's built-in one.
be64() { perl -e 'print pack("Q>", $ARGV[0])' "$1"; }
be64 $((0x01000000)) > "$RUN/initrd.off"
be64 "$(stat -c %s "$RUN/initrd.gz")" > "$RUN/initrd.siz"
PARM="conmode=3215 condev=0x0009 console=ttyS0 panic=-1 kevent_script=/kevent/tape.sh"
[ ${#PARM} -lt 128 ] || fatal "kernel command line longer than 127 bytes"
{ printf '%s' "$PARM"; head -c $((128 - ${#PARM})) /dev/zero; } > "$RUN/parmfile"
cp scripts/hercules/linux.ins "$RUN/"
# The drives, empty at IPL; a tape image each.  Automatic operator: the
# guest's markers mount (read-write or write-protected) and empty a drive.
# The [A] keeps a rule from matching the echo of its own definition.
cp scripts/hercules/hercules.cnf "$RUN/"
: > "$RUN/hercules.rc"
for d in $DEVS; do
	printf '%s      3490   *\n' "$d" >> "$RUN/hercules.cnf"
	hetinit -d -n "$RUN/tape-$d.aws" >> "$RUN/hetinit.log" 2>&1 || fatal "hetinit tape-$d.aws"
	cat >> "$RUN/hercules.rc" <<-EOF
	hao tgt MARK REQUEST_LO[A]D $d
	hao cmd devinit $d $RUN/tape-$d.aws
	hao tgt MARK REQUEST_WPLO[A]D $d
	hao cmd devinit $d $RUN/tape-$d.aws ro
	hao tgt MARK REQUEST_UNLO[A]D $d
	hao cmd devinit $d *
	EOF
done
echo "ipl $RUN/linux.ins" >> "$RUN/hercules.rc"
SUMMARY+=("initramfs + run dir: $(secs "$t0" "$(now)")s")

# --- 6. the Hercules run ---------------------------------------------------
TOTAL=${KEVENT_TAPE_TIMEOUT:-420}
STEP_TMO=${KEVENT_TAPE_STEP:-90}
BANNER_TMO=150	# "Linux version" (31-36 s when idle)
INIT_TMO=240	# /init (41-47 s when idle)
HLOG=$RUN/hercules.log
GLOG=$RUN/guest.log

# The guest's lines, from wherever they start on a console line (a kernel
# message cut short can run into them).
guest_lines() {
	tr -d '\r' < "$HLOG" | sed -n -E 's/.*(KT (DEVS|STEP|OK|NO|LOG|PAY|ERR|CTL|READER|UEV|DMESG|DBF|END)( |$))/\1/p'
}

echo "== tape: IPL under Hercules ($HERC), limit ${TOTAL}s"
t0=$(now)
(cd "$RUN" && HERCULES_RC=hercules.rc exec timeout -k 5 "$TOTAL" "$HERC" -d -f hercules.cnf) \
	> "$HLOG" 2>&1 < /dev/null &
hpid=$!
t_banner="" t_init="" t_end="" why="" seen=0 last=0 laststep="(none)"
while :; do
	sleep 1
	el=$(secs "$t0" "$(now)")
	eli=${el%.*}
	if [ -z "$t_banner" ] && grep -aq 'Linux version' "$HLOG"; then
		t_banner=$el
		echo "== tape: Linux banner at ${el}s"
	fi
	if [ -z "$t_init" ] && grep -aq 'KEVENT-GUEST: booted' "$HLOG"; then
		t_init=$el last=$eli
		echo "== tape: /init at ${el}s"
	fi
	guest_lines > "$GLOG"
	n=$(wc -l < "$GLOG")
	if [ "$n" -gt "$seen" ]; then
		sed -n "$((seen + 1)),${n}p" "$GLOG" | while read -r l; do
			case "$l" in "KT STEP "* | "KT OK "* | "KT NO "* | "KT END")
				echo "   $l" ;;
			*) if [ "${KEVENT_TEE:-0}" = 1 ]; then echo "   $l"; fi ;;
			esac
		done
		laststep=$(sed -n 's/^KT STEP //p' "$GLOG" | tail -n 1)
		seen=$n
		last=$eli
	fi
	if grep -q '^KT END$' "$GLOG"; then t_end=$el; break; fi
	if ! kill -0 "$hpid" 2>/dev/null; then
		wait "$hpid" && rc=0 || rc=$?
		hpid=""
		if [ "$rc" = 124 ]; then why="the run hit its ${TOTAL}s limit"
		else why="Hercules exited (rc=$rc)"; fi
		[ -n "$t_init" ] && why="$why in guest step '$laststep'"
		break
	fi
	if [ -z "$t_banner" ] && [ "$eli" -ge "$BANNER_TMO" ]; then
		why="no 'Linux version' on the 3215 console within ${BANNER_TMO}s (IPL failed)"; break
	fi
	if [ -z "$t_init" ] && [ "$eli" -ge "$INIT_TMO" ]; then
		why="/init did not run within ${INIT_TMO}s (no 'KEVENT-GUEST: booted')"; break
	fi
	if [ -n "$t_init" ] && [ $((eli - last)) -ge "$STEP_TMO" ]; then
		why="guest step '$laststep' made no progress for ${STEP_TMO}s"; break
	fi
done
stop_hercules
t_run=$(secs "$t0" "$(now)")
guest_lines > "$GLOG"

if [ -n "$t_init" ]; then add "PASS tape: guest booted under Hercules (/init at ${t_init}s)"
elif [ -n "$why" ]; then add "FAIL tape: guest booted - $why"
else add "FAIL tape: guest booted"; fi
if [ -n "$t_end" ]; then add "PASS tape: guest script ran to completion"
else add "FAIL tape: guest script ran to completion - ${why:-no KT END}"; fi
at() { if [ -n "$1" ]; then echo "${1}s"; else echo never; fi; }
SUMMARY+=("hercules run: ${t_run}s (Linux banner $(at "$t_banner"), /init $(at "$t_init"), end $(at "$t_end")); console $HLOG")

# --- 7. verdict: scripts/tape-verdict.sh reads the guest's lines ----------
while IFS= read -r l; do
	case "$l" in "PASS "* | "FAIL "*) add "$l" ;; *) echo "$l" ;; esac
done < <(scripts/tape-verdict.sh "$GLOG" "$READER" "$why")
finish
