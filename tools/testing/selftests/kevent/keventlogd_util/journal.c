// SPDX-License-Identifier: GPL-2.0
/*
 * "journal FILE": `journalctl -o json` output: the keventlogd entries
 * and their KEVENT_ fields.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A journal field: a string, or absent.  Checks form @ok when given. */
static const char *jfield_str(const struct kt_jobj *o, const char *key)
{
	const struct kt_jfield *f = kt_jget(o, key);

	if (!f || f->type != J_STRING) {
		kt_bad("journal entry without a string %s", key);
		return NULL;
	}
	return f->val;
}

static int journal_event(const struct kt_jobj *o)
{
	const char *seq = jfield_str(o, "KEVENT_SEQ");
	const char *dev = jfield_str(o, "KEVENT_DEVICE");
	const char *ev = jfield_str(o, "KEVENT_EVENT");
	const char *pl = kt_jget(o, "KEVENT_PAYLOAD") ?
			 jfield_str(o, "KEVENT_PAYLOAD") : "";
	const char *enc = jfield_str(o, "KEVENT_PAYLOAD_ENCODING");
	const char *tr = jfield_str(o, "KEVENT_TRUNCATED");

	if (!seq || !dev || !ev || !pl || !enc || !tr)
		return -1;
	if (!kt_is_uint(seq) || !kt_is_busid(dev) || !kt_known_event(ev) ||
	    !kt_check_payload(pl, enc) || (strcmp(tr, "0") && strcmp(tr, "1"))) {
		kt_bad("bad KEVENT_ fields: %s %s %s %s \"%s\" %s", seq, dev, ev,
		       enc, pl, tr);
		return -1;
	}
	kt_print_event(seq, dev, ev, enc, pl, *tr == '1');
	return 0;
}

int kt_journal_line(const char *line)
{
	static struct kt_jobj o;
	const char *id, *ev, *t, *ns, *pr;

	if (kt_jparse(line, &o))
		return -1;
	id = kt_jget(&o, "SYSLOG_IDENTIFIER") ?
	     kt_jget(&o, "SYSLOG_IDENTIFIER")->val : "";
	if (strcmp(id, "keventlogd") || !kt_jget(&o, "KEVENT_EVENT"))
		return 0;	/* the daemon's own messages, journald's */
	ev = jfield_str(&o, "KEVENT_EVENT");
	t = jfield_str(&o, "KEVENT_TIMESTAMP");
	ns = jfield_str(&o, "KEVENT_TIMESTAMP_NS");
	pr = jfield_str(&o, "PRIORITY");
	if (!ev || !t || !ns || !pr || !jfield_str(&o, "MESSAGE"))
		return -1;
	if (!kt_is_uint(ns) || !kt_time_matches(t, strtoull(ns, NULL, 10), 9) ||
	    strlen(pr) != 1 || *pr < '0' || *pr > '7') {
		kt_bad("bad KEVENT_TIMESTAMP, KEVENT_TIMESTAMP_NS or PRIORITY");
		return -1;
	}
	if (strcmp(ev, "lost"))
		return journal_event(&o);
	if (!kt_jget(&o, "MESSAGE_ID") || !kt_jget(&o, "KEVENT_LOST_FIRST") ||
	    !kt_jget(&o, "KEVENT_LOST_LAST") || !kt_jget(&o, "KEVENT_LOST")) {
		kt_bad("lost entry without MESSAGE_ID or KEVENT_LOST_*");
		return -1;
	}
	return kt_lost_line(kt_jget(&o, "KEVENT_LOST_FIRST")->val,
			    kt_jget(&o, "KEVENT_LOST_LAST")->val,
			    kt_jget(&o, "KEVENT_LOST")->val);
}
