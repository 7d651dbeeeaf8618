#!/usr/bin/awk -f
# Parses a guest console log written by scripts/guest/run-tests.sh and prints
# one line per test:  PASS|FAIL|SKIP <name>[ - detail]
# plus "TAPCASES <n>" (number of TAP test cases seen). Usage:
#   awk -v arch=x86_64 -v qemu_rc=0 -f scripts/parse-log.awk guest.log
# A section is one test binary: from the kselftest runner's
# "# selftests: COLLECTION: NAME" to its "[not ]ok N selftests: COLLECTION:
# NAME", the binary's output in between prefixed with "# "; or from
# "KEVENT-BEGIN: NAME" to "KEVENT-END: NAME rc=N", the output as it is.
# Only the binary's top-level TAP result lines ("ok N ..."/"not ok N ...",
# no indent, no '#' of their own) count: each harness test once.
function res(kind, name) { print kind " " arch ": " name }
function close_section(how,    n) {
	n = s_pass + s_fail + s_skip
	if (how != "end")
		res("FAIL", sec " did not finish (" how "; " n " of " (plan == "" ? "?" : plan) " results)")
	else if (plan == "")
		res("FAIL", sec " printed no TAP plan (rc=" rc ")")
	else if (n != plan + 0)
		res("FAIL", sec " gave " n " results for plan 1.." plan " (rc=" rc ")")
	else if (rc != 0 && s_fail == 0 && !(rc == 4 && s_skip == n))
		res("FAIL", sec " exit status " rc " without a failed test")
	sec = ""
}
function open_section(name, prefix) {
	if (sec != "") close_section("no END marker")
	sec = name; pfx = prefix; plan = ""; s_pass = s_fail = s_skip = 0; rc = ""
}
# The section's end, with the binary's exit status: "KEVENT-END: ... rc=N",
# or the runner's verdict (ok: 0, "# SKIP": 4, "# exit=N", "# TIMEOUT").
function end_section(status) {
	if (status == "timeout" || status == 137) { close_section("killed by the per-binary timeout"); return }
	rc = status + 0
	close_section("end")
}
BEGIN { booted = 0; done = 0; sec = ""; pfx = ""; cases = 0 }
{ sub(/\r+$/, "") }
/^KEVENT-GUEST: booted/ { booted = 1; next }
/^KEVENT-DONE$/ { done = 1; next }
/^KEVENT-RESULT: / {
	kind = $2; $1 = ""; $2 = ""; sub(/^ +/, "")
	res(kind, $0); next
}
/^KEVENT-BEGIN: / { open_section($2, ""); next }
/^KEVENT-END: / { st = $3; sub(/^rc=/, "", st); end_section(st + 0); next }
/^# selftests: [^ ]+: [^ ]+$/ { open_section($4, "# "); next }
# The runner's verdict; a binary killed mid-line leaves its last words in
# front of it.
sec != "" && pfx != "" && match($0, /(not )?ok [0-9]+ selftests: [^ ]+: [^ ]+/) {
	line = substr($0, RSTART)
	nw = split(substr($0, RSTART, RLENGTH), w, " ")
	if (w[nw] == sec) {
		if (line ~ /^not ok/) {
			if (line ~ /# TIMEOUT/) st = "timeout"
			else if (match(line, /# exit=[0-9]+/)) st = substr(line, RSTART + 7, RLENGTH - 7) + 0
			else st = 1
		} else st = (line ~ /# SKIP/) ? 4 : 0
		end_section(st)
		next
	}
}
sec != "" && pfx != "" {
	# The binary's own output: drop the runner's prefix.
	if (substr($0, 1, 2) != pfx) next
	$0 = substr($0, 3)
}
sec != "" && /^1\.\.[0-9]+$/ { if (plan == "") plan = substr($0, 4); next }
sec != "" && /^(not )?ok [0-9]+( |$)/ {
	cases++
	line = $0
	name = line; sub(/^(not )?ok [0-9]+ ?(- )?/, "", name)
	if (line ~ /^not ok/) {
		if (line ~ /# *TODO/) { s_skip++; res("SKIP", sec ": " name) }
		else { s_fail++; res("FAIL", sec ": " name) }
	} else if (line ~ /# *[Ss][Kk][Ii][Pp]/) {
		s_skip++; res("SKIP", sec ": " name)
	} else {
		s_pass++; res("PASS", sec ": " name)
	}
	next
}
END {
	if (sec != "") close_section(qemu_rc == 124 ? "VM timed out" : "guest died")
	res(booted ? "PASS" : "FAIL", "guest booted")
	if (booted)
		res(done ? "PASS" : "FAIL", "guest ran to completion" \
		    (done ? "" : " (crash, hang or timeout; qemu rc=" qemu_rc ")"))
	if (booted && qemu_rc != 0)
		res("FAIL", "guest powered off (qemu rc=" qemu_rc (qemu_rc == 124 ? ", timeout" : "") ")")
	print "TAPCASES " cases
}
