#!/bin/bash
# scripts/tape-verdict.sh GUEST_LOG READER [WHY]
# The verdict of `make check-tape` (scripts/check-tape.sh runs it after the
# Hercules run; run it again on build/tape/run/guest.log): from the guest's
# "KT ..." lines (scripts/guest/tape.sh), one "PASS tape: ..." or
# "FAIL tape: ..." line per check, with the s390 log, keventctl's buffer
# and the uevents shown in between:
#   every step of the scenario happened;
#   the log (READER's: keventlogd or tape-logread) holds exactly the tape's
#   probe record and the 5 medium changes, sequence numbers 1..6, device
#   0.0.0580 on each;
#   the uevents, the kernel messages and `keventctl read` (the kernel
#   buffer) agree with it event for event;
#   the reader stopped cleanly.
# WHY: what cut the run short, if anything (for the messages).
set -euo pipefail
GLOG=${1:?usage: tape-verdict.sh GUEST_LOG READER [WHY]}
READER=${2:?usage: tape-verdict.sh GUEST_LOG READER [WHY]}
why=${3:-}
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

STEPS="modules reader online load offline reload hostunload load3"
for s in $STEPS; do
	okl=$(grep -m1 -E "^KT OK $s( |$)" "$GLOG" || true)
	nol=$(grep -m1 -E "^KT NO $s( |$)" "$GLOG" || true)
	if [ -n "$okl" ]; then
		d=${okl#KT OK "$s"}
		pass "tape: step $s${d:+ (${d# })}"
	elif [ -n "$nol" ]; then
		fail "tape: step $s did not happen: ${nol#KT NO "$s" - }"
	elif grep -qE "^KT STEP $s$" "$GLOG"; then
		fail "tape: step $s did not happen: ${why:-no result line}"
	else
		fail "tape: step $s did not happen: not reached${why:+ ($why)}"
	fi
done

echo "---- the s390 log: $READER's output, as the guest read it ----"
sed -n 's/^KT LOG //p' "$GLOG"
sed -n 's/^KT ERR /  (stderr) /p' "$GLOG"
if grep -q '^KT CTL ' "$GLOG"; then
	echo "---- keventctl read: the kernel's buffer ----"
	sed -n 's/^KT CTL //p' "$GLOG"
fi
echo "---- MEDIUM_STATE uevents (state, device, seqnum, action) ----"
sed -n 's/^KT UEV //p' "$GLOG"
echo "----"

# norm: "seq EVENT device" per record, events as DEVICE_ADDED, LOADED,
# UNLOADED...: from keventlogd's and tape-logread's "seq=N device=D
# event=tape_loaded ..." and from keventctl's "N TIME D tape_loaded ...".
norm() {
	awk '{
		seq = ""; ev = ""; dev = ""
		for (i = 1; i <= NF; i++) {
			n = index($i, "=")
			if (!n) continue
			k = substr($i, 1, n - 1); v = substr($i, n + 1)
			if (k == "seq") seq = v
			else if (k == "event") ev = v
			else if (k == "device" || k == "dev") dev = v
		}
		if (seq == "" && $1 ~ /^[0-9]+$/ && NF >= 4) { seq = $1; dev = $3; ev = $4 }
		ev = toupper(ev); sub(/^TAPE_/, "", ev)
		if (seq != "" && ev != "") print seq, ev, dev
	}'
}
list() { awk '{ printf "%s%s", sep, $2; sep = " " }'; }
records=$(sed -n 's/^KT LOG //p' "$GLOG" | norm)
events=$(list <<<"$records")
medium=$(awk '$2 == "LOADED" || $2 == "UNLOADED"' <<<"$records" | list)
uevents=$(sed -n 's/^KT UEV //p' "$GLOG" | awk '{ printf "%s%s", sep, $1; sep = " " }')
kmsgs=$(sed -n 's/^KT DMESG //p' "$GLOG" | awk '
	/A tape cartridge has been mounted/ { printf "%sLOADED", sep; sep = " " }
	/tape cartridge has been successfully unloaded/ { printf "%sUNLOADED", sep; sep = " " }')
# The tape's probe at insmod (tape-kevent.patch logs it), then one record
# per medium change of the scenario.  The readers read from the oldest
# record, so the whole log is known.
EXPECT="DEVICE_ADDED LOADED UNLOADED LOADED UNLOADED LOADED"

if [ "$events" = "$EXPECT" ]; then
	pass "tape: log holds the probe and the 5 medium changes, nothing else ($events)"
else
	fail "tape: log holds the probe and the 5 medium changes, nothing else: want '$EXPECT', got '${events:-nothing}'"
fi
if [ -n "$records" ] && awk 'NR == 1 && $1 != 1 { bad = 1 } NR > 1 && $1 != prev + 1 { bad = 1 }
	{ prev = $1 } END { exit bad }' <<<"$records"; then
	pass "tape: log sequence numbers consecutive from 1 ($(awk '{ l = $1 } END { print "1.." l }' <<<"$records"))"
else
	fail "tape: log sequence numbers consecutive from 1: got '$(awk '{ printf "%s ", $1 }' <<<"$records")'"
fi
baddev=$(awk '$3 != "0.0.0580"' <<<"$records")
if [ -n "$records" ] && [ -z "$baddev" ]; then
	pass "tape: log names device 0.0.0580 on every record"
else
	fail "tape: log names device 0.0.0580 on every record: ${baddev:-no records}"
fi
baduev=$(sed -n 's/^KT UEV //p' "$GLOG" | awk '$2 != "0.0.0580" || $4 != "change"')
if [ -n "$medium" ] && [ "$uevents" = "$medium" ] && [ -z "$baduev" ]; then
	pass "tape: uevents agree with the log's medium changes event for event"
else
	fail "tape: uevents agree with the log's medium changes event for event: log '$medium', uevents '${uevents:-none}'${baduev:+, odd: $baduev}"
fi
if [ -n "$medium" ] && [ "$kmsgs" = "$medium" ]; then
	pass "tape: kernel messages agree with the log's medium changes"
else
	fail "tape: kernel messages agree with the log's medium changes: log '$medium', messages '${kmsgs:-none}'"
fi
if [ "$READER" = keventlogd ]; then
	ctl=$(sed -n 's/^KT CTL //p' "$GLOG" | norm)
	if [ -n "$ctl" ] && [ "$ctl" = "$records" ]; then
		pass "tape: keventctl read (the kernel buffer) agrees with keventlogd's log"
	else
		fail "tape: keventctl read (the kernel buffer) agrees with keventlogd's log: buffer '$(list <<<"$ctl")'"
	fi
fi
rexit=$(sed -n "s/^KT READER $READER exit=//p" "$GLOG")
if [ "$rexit" = 0 ]; then
	pass "tape: $READER ran throughout and stopped cleanly on SIGTERM"
else
	fail "tape: $READER ran throughout and stopped cleanly on SIGTERM: exit ${rexit:-unknown}"
fi
