#!/bin/bash
# `make check`: install deps, then for each arch build, pack an initramfs,
# boot it under QEMU and parse the console log (scripts/parse-log.awk).
# Everything counts as a test: the build, guest boot, module load/unload,
# every selftest case, "dmesg clean". Ends with exactly one line
#   N passed, N failed
# and exits non-zero if anything failed or no selftest case ran.
# Environment:
#   KEVENT_ARCHES        arches to test (default "x86_64 s390x")
#   KEVENT_KERNEL        kernel series (make check KERNEL=...): 6.1 (default),
#                        Debian 12's; or 6.12 (lib.sh use_kernel: Debian 13's
#                        for x86_64, one built from its linux-source for
#                        s390x), results named "6.12-ARCH", outputs in
#                        build/6.12/
#   KEVENT_BUILD_ONLY    arches only built, not booted (the kernel tree is
#                        only prepared: .ci/run's 6.12 s390x build)
#   KEVENT_SKIP_DEPS=1   do not run scripts/deps.sh
#   KEVENT_SKIP_HOST=1   do not run scripts/host-unit.sh (keventlogd, libkevent on the host)
#   KEVENT_LINT_STATUS   pass|fail: count `make lint` as a test (.ci/run)
#   KEVENT_SAVE_RESULTS  also write the PASS/FAIL lines to this file
#   KEVENT_MERGE_RESULTS count the PASS/FAIL lines of this file too (.ci/run
#                        merges make check-debug's into the final summary)
#   KEVENT_PROD_MODULES  a folder: boot its kevent.ko and kevent_s390_log.ko
#                        instead of this build's (make check-deb's dkms-built
#                        ones); the test modules stay this build's
#   plus those of scripts/qemu-run.sh (KEVENT_APPEND, KEVENT_QEMU_TIMEOUT...)
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHES=${KEVENT_ARCHES:-x86_64 s390x}

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
results_init
trap results_cleanup EXIT
RESULTS_SAVE=${KEVENT_SAVE_RESULTS:-}

if [ -n "${KEVENT_MERGE_RESULTS:-}" ] && [ -r "$KEVENT_MERGE_RESULTS" ]; then
	grep -E '^(PASS|FAIL|SKIP|NOTE) ' "$KEVENT_MERGE_RESULTS" >> "$RESULTS" || true
fi
if [ -n "${KEVENT_LINT_STATUS:-}" ]; then
	if [ "$KEVENT_LINT_STATUS" = pass ]; then add "PASS lint"; else add "FAIL lint (see make lint output above)"; fi
fi

if [ "${KEVENT_SKIP_DEPS:-0}" != 1 ]; then
	t0=$(now)
	if ! scripts/deps.sh; then
		add "FAIL deps (scripts/deps.sh)"
		finish
		exit 1
	fi
	SUMMARY+=("deps: $(secs "$t0" "$(now)")s")
fi
# Another series' stock kernels, and where its outputs go (unless check-debug
# chose both already).
if [ "${KEVENT_KERNEL:-6.1}" != 6.1 ] && [ -z "${KEVENT_RESULT_PREFIX:-}" ]; then
	KEVENT_RESULT_PREFIX=$(series_prefix)
	export KEVENT_RESULT_PREFIX
	export KEVENT_BUILD=${KEVENT_BUILD:-$PWD/build/$KEVENT_KERNEL}
	# shellcheck disable=SC2086 # word list
	if ! use_kernel check stock $ARCHES; then
		add "FAIL ${KEVENT_RESULT_PREFIX}kernel: no $KEVENT_KERNEL kernel (see above)"
		finish
		exit 1
	fi
fi
# shellcheck source=scripts/env.sh
. scripts/env.sh

# keventlogd's and libkevent's kernel-free parts, on this machine, under valgrind (once:
# not again for check-debug's kernel).
if [ -x scripts/host-unit.sh ] && [ "${KEVENT_SKIP_HOST:-0}" != 1 ] &&
   [ -z "${KEVENT_RESULT_PREFIX:-}" ]; then
	echo "==================== host ===================="
	t0=$(now)
	host=$(scripts/host-unit.sh 2>&1) || true
	grep -E '^(PASS|FAIL|SKIP) ' <<<"$host" >> "$RESULTS" || true
	grep -vE '^PASS ' <<<"$host" || true
	hp=$(grep -c '^PASS ' <<<"$host" || true)
	hf=$(grep -c '^FAIL ' <<<"$host" || true)
	SUMMARY+=("host: $hp passed, $hf failed (keventlogd and libkevent unit tests, valgrind); $(secs "$t0" "$(now)")s")
fi

for arch in $ARCHES; do
	# Result names: the arch, after KEVENT_RESULT_PREFIX (check-debug's "debug-").
	label=${KEVENT_RESULT_PREFIX:-}$arch
	out=$KEVENT_BUILD/$arch
	mkdir -p "$out"
	log=$out/guest.log
	rm -f "$log"
	echo "==================== $arch ===================="
	t0=$(now)
	if ! KEVENT_FRESH=1 scripts/build.sh "$arch" 2>&1 | tee "$out/build.log"; then
		add "FAIL $label: build (see $out/build.log)"
		SUMMARY+=("$label: build FAILED")
		continue
	fi
	add "PASS $label: build"
	case " ${KEVENT_BUILD_ONLY:-} " in
	*" $arch "*)
		SUMMARY+=("$label: built only (KEVENT_BUILD_ONLY), $(secs "$t0" "$(now)")s")
		continue ;;
	esac
	if [ -n "${KEVENT_PROD_MODULES:-}" ]; then
		if cp "$KEVENT_PROD_MODULES/kevent.ko" "$KEVENT_PROD_MODULES/kevent_s390_log.ko" \
			"$out/modules/"; then
			add "PASS $label: production modules from $KEVENT_PROD_MODULES"
		else
			add "FAIL $label: production modules from $KEVENT_PROD_MODULES"
		fi
	fi
	t1=$(now)
	scripts/mkinitramfs.sh "$arch"
	qrc=0
	scripts/qemu-run.sh "$arch" "$out/initramfs.gz" "$log" || qrc=$?
	t2=$(now)
	parsed=$(awk -v arch="$label" -v qemu_rc="$qrc" -f scripts/parse-log.awk "$log")
	grep -v '^TAPCASES ' <<<"$parsed" >> "$RESULTS"
	cases=$(sed -n 's/^TAPCASES //p' <<<"$parsed")
	[ "$cases" -gt 0 ] || add "FAIL $label: selftests ran (no TAP test case in $log)"
	# This arch's results: all of them when qemu-run.sh did not stream
	# the TAP lines, else the ones that did not pass.
	if [ "${KEVENT_PROGRESS:-1}" = 1 ] && [ "${KEVENT_TEE:-0}" != 1 ]; then
		grep -v -e '^TAPCASES ' -e '^PASS ' <<<"$parsed" || true
	else
		grep -v '^TAPCASES ' <<<"$parsed"
	fi
	grep -a '^KEVENT-DMESG-BAD: ' "$log" | head -n 40 || true
	# The first few again at the end of the summary, where a long run's
	# output is still read.
	grep -a '^KEVENT-DMESG-BAD: ' "$log" | head -n 8 |
		sed "s/\r\$//; s/^KEVENT-DMESG-BAD: /NOTE $label: dmesg: /" >> "$RESULTS" || true
	if grep -q "^FAIL $label: guest ran to completion" "$RESULTS"; then
		echo "---- last 40 lines of $log ----"
		tail -n 40 "$log"
		echo "----"
	fi
	ap=$(grep -c "^PASS $label:" "$RESULTS" || true)
	af=$(grep -c "^FAIL $label:" "$RESULTS" || true)
	as=$(grep -c "^SKIP $label:" "$RESULTS" || true)
	SUMMARY+=("$label: $ap passed, $af failed, $as skipped ($cases selftest cases); build $(secs "$t0" "$t1")s, boot+tests $(secs "$t1" "$t2")s; log $log")
done

finish
