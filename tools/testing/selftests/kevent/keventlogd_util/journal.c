// SPDX-License-Identifier: GPL-2.0
/*
 * "journal FILE": `journalctl -o json` output: keventlogd's entries
 * (SYSLOG_IDENTIFIER=kevent, _TRANSPORT=journal) and their fields:
 * MESSAGE_ID per event, SYSLOG_MSGID, SYSLOG_STRUCTURED_DATA (the
 * origin element, and the record's, $KT_SD_ID, when set), KEVENT_*.
 *
 * "journal-syslog FILE JSON": the entries journald made of what came to
 * its /dev/log (_TRANSPORT=syslog): its RFC 3164 parser found the
 * identifier kevent, a PID, the priority and facility, and left MESSAGE
 * exactly the JSON line's message, line by line.
 */
#include <stdio.h>
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

static const char *jval(const struct kt_jobj *o, const char *key)
{
	const struct kt_jfield *f = kt_jget(o, key);

	return f && f->type == J_STRING ? f->val : "";
}

/* MESSAGE_ID, SYSLOG_MSGID, SYSLOG_STRUCTURED_DATA and the ids. */
static int journal_syslog_fields(const struct kt_jobj *o, const char *ev)
{
	const char *sd_id = getenv("KT_SD_ID"), *end, *key, *want;
	static struct kt_sd sd;

	if (!kt_message_id(ev) || strcmp(jval(o, "MESSAGE_ID"), kt_message_id(ev)) ||
	    strcmp(jval(o, "SYSLOG_MSGID"), ev)) {
		kt_bad("MESSAGE_ID %s or SYSLOG_MSGID %s wrong for %s",
		       jval(o, "MESSAGE_ID"), jval(o, "SYSLOG_MSGID"), ev);
		return -1;
	}
	end = kt_sd_parse(jval(o, "SYSLOG_STRUCTURED_DATA"), sd_id, &sd);
	if (!end || *end || !sd.origin || (sd_id && !sd.found)) {
		kt_bad("SYSLOG_STRUCTURED_DATA is not RFC 5424 with origin and %s",
		       sd_id ? sd_id : "nothing else");
		return -1;
	}
	key = strcmp(ev, "lost") ? "seq" : "last";
	want = jval(o, strcmp(ev, "lost") ? "KEVENT_SEQ" : "KEVENT_LOST_LAST");
	if (sd_id && (!kt_sd_get(&sd, key) || strcmp(kt_sd_get(&sd, key), want) ||
		      strcmp(kt_sd_get(&sd, "instance"), jval(o, "KEVENT_INSTANCE")))) {
		kt_bad("SYSLOG_STRUCTURED_DATA says another record than KEVENT_*");
		return -1;
	}
	return kt_check_ids(jval(o, "KEVENT_INSTANCE"), jval(o, "KEVENT_BOOT_ID"));
}

int kt_journal_line(const char *line)
{
	static struct kt_jobj o;
	const char *ev, *t, *ns, *pr;

	if (kt_jparse(line, &o))
		return -1;
	if (strcmp(jval(&o, "SYSLOG_IDENTIFIER"), "kevent") ||
	    strcmp(jval(&o, "_TRANSPORT"), "journal"))
		return 0;	/* the daemon's own messages, journald's, /dev/log's */
	if (!kt_jget(&o, "KEVENT_EVENT")) {
		kt_bad("an entry of kevent without KEVENT_EVENT");
		return -1;
	}
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
	if (journal_syslog_fields(&o, ev))
		return -1;
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

int kt_journal_syslog(const char *file, const char *json)
{
	static struct kt_jobj o, j;
	char *a = NULL, *b = NULL;
	size_t ca = 0, cb = 0;
	FILE *fa = fopen(file, "r"), *fb = fopen(json, "r");
	unsigned int n = 0;
	char pr[8];

	kt_file = file;
	kt_line = 0;
	if (!fa || !fb) {
		fprintf(stderr, "cannot open %s or %s\n", file, json);
		return 1;
	}
	while (getline(&a, &ca, fa) > 0) {
		kt_line++;
		if (kt_jparse(a, &o) || strcmp(jval(&o, "_TRANSPORT"), "syslog") ||
		    strcmp(jval(&o, "SYSLOG_IDENTIFIER"), "kevent"))
			continue;
		n++;
		if (getline(&b, &cb, fb) <= 0 || kt_jparse(b, &j)) {
			kt_bad("more kevent messages than %s has lines", json);
			break;
		}
		if (!kt_jneed(&j, "priority", J_NUMBER) || !kt_jneed(&j, "message", J_STRING))
			continue;
		snprintf(pr, sizeof(pr), "%s", kt_jneed(&j, "priority", J_NUMBER));
		if (strcmp(jval(&o, "MESSAGE"), kt_jneed(&j, "message", J_STRING)) ||
		    strcmp(jval(&o, "PRIORITY"), pr) ||
		    strcmp(jval(&o, "SYSLOG_FACILITY"), "3") ||
		    !kt_is_uint(jval(&o, "SYSLOG_PID")))
			kt_bad("MESSAGE '%s' PRIORITY %s SYSLOG_FACILITY %s SYSLOG_PID %s: want '%s', %s, 3, a pid",
			       jval(&o, "MESSAGE"), jval(&o, "PRIORITY"),
			       jval(&o, "SYSLOG_FACILITY"), jval(&o, "SYSLOG_PID"),
			       kt_jneed(&j, "message", J_STRING), pr);
	}
	if (!n || getline(&b, &cb, fb) > 0)
		kt_bad("%u kevent messages from /dev/log, not one per line of %s", n, json);
	free(a);
	free(b);
	fclose(fa);
	fclose(fb);
	return kt_errors ? 1 : 0;
}
