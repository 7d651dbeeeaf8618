// SPDX-License-Identifier: GPL-2.0
/*
 * "json FILE": keventlogd's JSON lines, strictly, and every field's type
 * and form, as keventlogd(8) gives the schema: exactly 14 fields in an
 * event, 12 in a loss, instance and boot_id UUIDs ($KT_INSTANCE and
 * $KT_BOOT_ID when set).
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The fields every keventlogd JSON line has. */
static int json_common(const struct kt_jobj *o)
{
	const char *t = kt_jneed(o, "time", J_STRING);
	const char *ns = kt_jneed(o, "time_ns", J_NUMBER);
	const char *pr = kt_jneed(o, "priority", J_NUMBER);

	if (!kt_jneed(o, "host", J_STRING) || !kt_jneed(o, "message", J_STRING) ||
	    !t || !ns || !pr)
		return -1;
	if (kt_check_ids(kt_jneed(o, "instance", J_STRING),
			 kt_jneed(o, "boot_id", J_STRING)))
		return -1;
	if (!kt_is_time(t, 9) || !kt_is_uint(ns) ||
	    !kt_time_matches(t, strtoull(ns, NULL, 10), 9)) {
		kt_bad("time \"%s\" and time_ns %s do not agree", t, ns);
		return -1;
	}
	if (strlen(pr) != 1 || *pr < '0' || *pr > '7') {
		kt_bad("priority %s is not a syslog severity", pr);
		return -1;
	}
	return 0;
}

static int json_event(const struct kt_jobj *o)
{
	const char *seq = kt_jneed(o, "seq", J_NUMBER);
	const char *dev = kt_jneed(o, "device", J_STRING);
	const char *ev = kt_jneed(o, "event", J_STRING);
	const char *pl = kt_jneed(o, "payload", J_STRING);
	const char *enc = kt_jneed(o, "encoding", J_STRING);
	const struct kt_jfield *tr = kt_jget(o, "truncated");

	if (!seq || !dev || !ev || !pl || !enc || json_common(o))
		return -1;
	if (!tr || (tr->type != J_TRUE && tr->type != J_FALSE)) {
		kt_bad("field \"truncated\" is not a boolean");
		return -1;
	}
	if (!kt_is_uint(seq) || !kt_is_busid(dev) || !kt_known_event(ev) ||
	    !kt_check_payload(pl, enc)) {
		kt_bad("bad seq, device, event or payload: %s %s %s %s \"%s\"",
		       seq, dev, ev, enc, pl);
		return -1;
	}
	if (o->n != 14) {
		kt_bad("%d fields, want 14", o->n);
		return -1;
	}
	kt_print_event(seq, dev, ev, enc, pl, tr->type == J_TRUE);
	return 0;
}

static int json_lost(const struct kt_jobj *o)
{
	const char *first = kt_jneed(o, "first", J_NUMBER);
	const char *last = kt_jneed(o, "last", J_NUMBER);
	const char *lost = kt_jneed(o, "lost", J_NUMBER);
	const char *ev = kt_jneed(o, "event", J_STRING);

	if (!first || !last || !lost || !ev || json_common(o))
		return -1;
	if (strcmp(ev, "lost") || o->n != 12) {
		kt_bad("a lost line with event \"%s\" and %d fields", ev, o->n);
		return -1;
	}
	return kt_lost_line(first, last, lost);
}

int kt_json_line(const char *line)
{
	static struct kt_jobj o;
	const char *type;

	if (kt_jparse(line, &o))
		return -1;
	type = kt_jneed(&o, "type", J_STRING);
	if (!type)
		return -1;
	if (!strcmp(type, "event"))
		return json_event(&o);
	if (!strcmp(type, "lost"))
		return json_lost(&o);
	kt_bad("unknown type \"%s\"", type);
	return -1;
}
