# scripts/fleet-count.awk EXPECTED RECORDS   (make check-fleet)
# What the collector received from each guest, de-duplicated on
# (machine id, log instance id, sequence number).
#   EXPECTED  one line per guest: "ID MACHINE_ID LOGGED INSTANCE", what the
#             guest's kernel logged (records 1..LOGGED; INSTANCE "-" when
#             the guest could not tell)
#   RECORDS   journalctl -o json of the collector's journal, with at least
#             _MACHINE_ID, KEVENT_INSTANCE, KEVENT_SEQ and KEVENT_EVENT
# Prints one line per guest:
#   ID MACHINE_ID LOGGED RECEIVED UNIQUE DUPLICATES MISSING UNEXPECTED LOST INSTANCES KEYED
# RECEIVED counts the kevent entries of that machine, UNIQUE the distinct
# keys among them, MISSING the numbers of 1..LOGGED with no entry,
# UNEXPECTED entries outside 1..LOGGED or of another instance than the
# guest's, LOST the "lost" entries (the kernel overwrote records),
# INSTANCES the distinct KEVENT_INSTANCE values, KEYED "instance" when the
# key had the instance id, "seq" when the entries carried none.
# Then one line "other N": kevent entries of no guest's machine id.

# field NAME: the string value of NAME on this line, or "".
function field(name,    re) {
	re = "\"" name "\":\"[^\"]*\""
	if (!match($0, re))
		return ""
	return substr($0, RSTART + length(name) + 4, RLENGTH - length(name) - 5)
}

FNR == NR {
	id[$2] = $1
	logged[$2] = $3
	want_inst[$2] = $4
	order[++guests] = $2
	next
}

{
	ev = field("KEVENT_EVENT")
	seq = field("KEVENT_SEQ")
	if (ev == "" && seq == "")
		next
	m = field("_MACHINE_ID")
	if (!(m in id)) {
		other++
		next
	}
	if (ev == "lost") {
		lost[m]++
		next
	}
	inst = field("KEVENT_INSTANCE")
	if (inst == "")
		inst = "-"
	else
		has_inst[m] = 1
	if (!((m, inst) in inst_seen)) {
		inst_seen[m, inst] = 1
		instances[m]++
	}
	received[m]++
	if ((m, inst, seq) in key) {
		dup[m]++
		next
	}
	key[m, inst, seq] = 1
	unique[m]++
	if (seq !~ /^[0-9]+$/ || seq + 0 < 1 || seq + 0 > logged[m] ||
	    (want_inst[m] != "-" && inst != want_inst[m]))
		unexpected[m]++
	else
		got[m, seq + 0] = 1
}

END {
	for (g = 1; g <= guests; g++) {
		m = order[g]
		missing = 0
		for (s = 1; s <= logged[m]; s++)
			if (!((m, s) in got))
				missing++
		printf "%s %s %d %d %d %d %d %d %d %d %s\n", id[m], m, logged[m],
			received[m], unique[m], dup[m], missing, unexpected[m],
			lost[m], instances[m], has_inst[m] ? "instance" : "seq"
	}
	printf "other %d\n", other
}
