#!/bin/bash
# scripts/tape-verdict.sh GUEST_LOG READER [WHY]
# The verdict of `make check-tape` (scripts/check-tape.sh runs it after the
# Hercules run; run it again on build/tape/run/guest.log): from the guest's
# "KT ..." lines (scripts/guest/tape.sh), one "PASS tape: ..." or
# "FAIL tape: ..." line per check, with the s390 log, keventctl's buffer,
# the uevents and the driver's unit checks shown in between:
#   every step of the scenario happened;
#   the log (READER's: keventlogd or tape-logread) holds, for each of the
#   two drives, exactly the records the scenario causes, in order, and
#   nothing else; sequence numbers 1..N;
#   the uevents and the kernel messages agree with its medium changes
#   (those logged WHILE_OFFLINE have neither: the driver sent none), and
#   the sysfs medium_state agrees with those logged WHILE_OFFLINE;
#   every TAPE_ERROR is a unit check that the driver's own debug area
#   ("tape", s390dbf) shows failing a request, with the same sense bytes,
#   and every such unit check is logged; every TAPE_INTERVENTION carries
#   the sense of a unit check of that drive with "intervention required",
#   and later unit checks of the same condition log none;
#   `keventctl read` (the kernel buffer) agrees with the log;
#   the reader stopped cleanly.
# WHY: what cut the run short, if anything (for the messages).
set -euo pipefail
GLOG=${1:?usage: tape-verdict.sh GUEST_LOG READER [WHY]}
READER=${2:?usage: tape-verdict.sh GUEST_LOG READER [WHY]}
why=${3:-}
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

read -r A B < <(sed -n 's/^KT DEVS //p' "$GLOG" | head -n 1) || true
A=${A:-A?} B=${B:-B?}

STEPS="modules reader online load wpload wprotect offline reload hostunload
	emptyio load3 hostunload2 offunload offload"
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
echo "---- the tape driver's debug area: unit checks, request ends ----"
sed -n 's/^KT DBF //p' "$GLOG"
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
# pay SEQ: the record's payload as lower-case hex (either encoding).
pay() {
	local p
	p=$(sed -n "s/^KT PAY $1 //p" "$GLOG" | head -n 1)
	if [[ $p == *" encoding=hex"* ]]; then
		p=${p%% encoding=hex*}
		p=${p#\"}
		echo "${p%\"}" | tr 'A-F' 'a-f'
	else
		p=${p%%\" *}
		p=${p#\"}
		printf '%s' "${p%\"}" | od -An -v -tx1 | tr -d ' \n'
		echo
	fi
}
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
records=$(sed -n 's/^KT LOG //p' "$GLOG" | norm)
# Per drive: the events in order; a medium change logged WHILE_OFFLINE is
# marked with '*'.
WO_L=$(hex "MEDIUM_STATE=LOADED WHILE_OFFLINE")
WO_U=$(hex "MEDIUM_STATE=UNLOADED WHILE_OFFLINE")
declare -A PAY=()
while read -r seq ev dev; do
	[ -n "$seq" ] && PAY[$seq]=$(pay "$seq")
done <<<"$records"
events_of() {
	local seq ev dev out=""
	while read -r seq ev dev; do
		[ "$dev" = "$1" ] || continue
		case "${PAY[$seq]:-}" in "$WO_L" | "$WO_U") ev="$ev*" ;; esac
		out="$out${out:+ }$ev"
	done <<<"$records"
	echo "$out"
}
# The scenario, per drive (scripts/guest/tape.sh).  A drive presents
# "intervention required" whenever it is not ready: the assign at online
# with the drive empty, the rewind-unload, the first I/O after the host
# emptied it; emptyio's two failing writes are the same condition.
declare -A EXPECT
EXPECT[A]="DEVICE_ADDED INTERVENTION LOADED INTERVENTION UNLOADED LOADED INTERVENTION UNLOADED ERROR ERROR LOADED INTERVENTION UNLOADED"
EXPECT[B]="DEVICE_ADDED INTERVENTION LOADED ERROR INTERVENTION UNLOADED* LOADED*"
for d in A B; do
	dev=${!d}
	got=$(events_of "$dev")
	if [ "$got" = "${EXPECT[$d]}" ]; then
		pass "tape: drive $d ($dev): log holds exactly the scenario's records ($got)"
	else
		fail "tape: drive $d ($dev): log holds exactly the scenario's records: want '${EXPECT[$d]}', got '${got:-nothing}'"
	fi
done
other=$(awk -v a="$A" -v b="$B" '$3 != a && $3 != b' <<<"$records")
if [ -n "$records" ] && [ -z "$other" ]; then
	pass "tape: no record for any other device"
else
	fail "tape: no record for any other device: ${other:-no records}"
fi
if [ -n "$records" ] && awk 'NR == 1 && $1 != 1 { bad = 1 } NR > 1 && $1 != prev + 1 { bad = 1 }
	{ prev = $1 } END { exit bad }' <<<"$records"; then
	pass "tape: log sequence numbers consecutive from 1 ($(awk '{ l = $1 } END { print "1.." l }' <<<"$records"))"
else
	fail "tape: log sequence numbers consecutive from 1: got '$(awk '{ printf "%s ", $1 }' <<<"$records")'"
fi

# Medium changes against the uevents and the kernel's messages, per drive.
for d in A B; do
	dev=${!d}
	medium=$(events_of "$dev" | tr ' ' '\n' | grep -xE 'LOADED|UNLOADED' | tr '\n' ' ' || true)
	uev=$(sed -n 's/^KT UEV //p' "$GLOG" | awk -v d="$dev" '$2 == d && $4 == "change" { printf "%s ", $1 }')
	kmsg=$(sed -n 's/^KT DMESG //p' "$GLOG" | grep -F "$dev:" | awk '
		/A tape cartridge has been mounted/ { printf "LOADED " }
		/tape cartridge has been successfully unloaded/ { printf "UNLOADED " }')
	if [ -n "$medium" ] && [ "$uev" = "$medium" ]; then
		pass "tape: drive $d: uevents agree with the log's medium changes ($medium)"
	else
		fail "tape: drive $d: uevents agree with the log's medium changes: log '$medium', uevents '${uev:-none}'"
	fi
	if [ -n "$medium" ] && [ "$kmsg" = "$medium" ]; then
		pass "tape: drive $d: kernel messages agree with the log's medium changes"
	else
		fail "tape: drive $d: kernel messages agree with the log's medium changes: log '$medium', messages '${kmsg:-none}'"
	fi
done
# The changes while offline, against sysfs before and after.
wo=""
for s in offunload offload; do
	l=$(grep -m1 -E "^KT OK $s " "$GLOG" || true)
	b=$(sed -n 's/.* before=\([0-9]*\).*/\1/p' <<<"$l")
	a=$(sed -n 's/.* after=\([0-9]*\).*/\1/p' <<<"$l")
	if [ -n "$b" ] && [ "$b" != "$a" ]; then
		case $a in 1) wo="$wo LOADED*" ;; 2) wo="$wo UNLOADED*" ;; esac
	fi
done
logwo=$(events_of "$B" | tr ' ' '\n' | grep -F '*' | tr '\n' ' ' || true)
if [ -n "$wo" ] && [ "${wo# } " = "$logwo" ]; then
	pass "tape: medium changes while offline logged at online as sysfs saw them ($wo)"
else
	fail "tape: medium changes while offline logged at online as sysfs saw them: sysfs '${wo:-none}', log '${logwo:-none}'"
fi

# Unit checks: the driver's debug area against TAPE_ERROR/INTERVENTION.
# dbf_failed DEVID: the sense of each unit check whose request the
# discipline then ended with a negative rc.
dbfdev() { printf '%08x' "$((0x${1##*.} + (${1:2:1} << 16)))"; }
dbf_failed() {
	sed -n 's/^KT DBF //p' "$GLOG" | awk -v d="$(dbfdev "$1")" '
		$1 == "UC" { uc = ($2 == d) ? $5 : ""; next }
		$1 == "ERP" && uc != "" { if ($3 ~ /^-[0-9]+$/) print uc; uc = "" }'
}
dbf_ir() {
	sed -n 's/^KT DBF //p' "$GLOG" | awk -v d="$(dbfdev "$1")" '
		$1 == "UC" && $2 == d && substr($5, 1, 2) ~ /^[4-7c-f]/ { print $5 }'
}
log_pay() {
	local seq ev dev
	while read -r seq ev dev; do
		[ "$dev" = "$1" ] && [ "$ev" = "$2" ] && echo "${PAY[$seq]:-}"
	done <<<"$records"
	return 0
}
for d in A B; do
	dev=${!d}
	kerr=$(dbf_failed "$dev")
	lerr=$(log_pay "$dev" ERROR)
	if [ -n "$kerr" ] && [ "$kerr" = "$lerr" ]; then
		pass "tape: drive $d: each TAPE_ERROR is a failed unit check in the driver's debug area, same sense ($(wc -l <<<"$kerr"))"
	else
		fail "tape: drive $d: each TAPE_ERROR is a failed unit check in the driver's debug area: debug area '$(tr '\n' ' ' <<<"$kerr")', log '$(tr '\n' ' ' <<<"$lerr")'"
	fi
	kir=$(dbf_ir "$dev")
	lir=$(log_pay "$dev" INTERVENTION)
	bad=""
	while read -r p; do
		[ -n "$p" ] && ! grep -qxF "$p" <<<"$kir" && bad="$bad $p"
	done <<<"$lir"
	nk=$(grep -c . <<<"$kir" || true)
	nl=$(grep -c . <<<"$lir" || true)
	if [ "$nl" -gt 0 ] && [ -z "$bad" ] && [ "$nk" -gt "$nl" ]; then
		pass "tape: drive $d: each TAPE_INTERVENTION has a unit check's sense with intervention required; $nl logged for $nk such unit checks"
	else
		fail "tape: drive $d: each TAPE_INTERVENTION has a unit check's sense with intervention required, fewer than those: $nl logged for $nk${bad:+; not in the debug area:$bad}"
	fi
done
# The write-protected write: command reject, sense byte 1 write protect,
# and the writer got EACCES.
wp=$(log_pay "$B" ERROR | head -n 1)
wperr=$(grep -m1 '^KT OK wprotect ' "$GLOG" | sed -n 's/.* err=\(.*\) t=.*/\1/p')
if [ -n "$wp" ] && (( (0x${wp:0:2} & 0x80) && (0x${wp:2:2} & 0x02) )) &&
   [ "$wperr" = "Permission denied" ]; then
	pass "tape: drive B: the write to the write-protected tape: command reject, write protect (sense ${wp:0:8}), $wperr"
else
	fail "tape: drive B: the write to the write-protected tape: command reject, write protect: sense '${wp:0:8}', error '${wperr:-none}'"
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
