// SPDX-License-Identifier: GPL-2.0
/*
 * "rfc5424 FILE": RFC 5424 syslog messages, one a line, against the ABNF
 * of section 6: APP-NAME kevent, the registered origin element, and the
 * record's element, whose SD-ID is $KT_SD_ID (the test's sd-id).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Up to @max PRINTUSASCII (33..126) characters, then SP.  NULL if bad. */
static const char *field_5424(const char *s, unsigned int max, char *out)
{
	unsigned int n = 0;

	while (*s > 32 && *s < 127 && n < max)
		out[n++] = *s++;
	out[n] = '\0';
	if (!n || *s != ' ')
		return NULL;
	return s + 1;
}

/* SD-NAME: 1*32 PRINTUSASCII except '=', SP, ']', '"'. */
static const char *sd_name(const char *s, char *out)
{
	unsigned int n = 0;

	while (*s > 32 && *s < 127 && *s != '=' && *s != ']' && *s != '"' &&
	       n < 32)
		out[n++] = *s++;
	out[n] = '\0';
	return n ? s : NULL;
}

static const char *sd_value(const char *s, char *out)
{
	unsigned int n = 0;

	if (*s++ != '"')
		return NULL;
	while (*s != '"') {
		if (!*s || n + 2 >= VALUE_MAX)
			return NULL;
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == ']'))
			s++;
		else if (*s == ']')
			return NULL;	/* must be escaped */
		out[n++] = *s++;
	}
	out[n] = '\0';
	return s + 1;
}

/*
 * STRUCTURED-DATA: "-" or SD-ELEMENTs.  The params of the element
 * @sd_id go into @sd; an origin element must say software="keventlogd".
 * The end of it, or NULL.
 */
const char *kt_sd_parse(const char *s, const char *sd_id, struct kt_sd *sd)
{
	char id[33], name[33], val[VALUE_MAX];

	sd->n = 0;
	sd->found = sd->origin = false;
	if (*s == '-')
		return s + 1;
	if (*s != '[')
		return NULL;
	while (*s == '[') {
		s = sd_name(s + 1, id);
		if (!s)
			return NULL;
		/* Names without '@' are IANA's (RFC 5424 6.3.2, 7). */
		if (!strchr(id, '@') && strcmp(id, "origin") &&
		    strcmp(id, "meta") && strcmp(id, "timeQuality"))
			return NULL;
		if (sd_id && !strcmp(id, sd_id))
			sd->found = true;
		while (*s == ' ') {
			s = sd_name(s + 1, name);
			if (!s || *s++ != '=')
				return NULL;
			s = sd_value(s, val);
			if (!s)
				return NULL;
			if (!strcmp(id, "origin") && !strcmp(name, "software"))
				sd->origin = !strcmp(val, "keventlogd");
			if (!sd_id || strcmp(id, sd_id))
				continue;
			if (sd->n == 40)
				return NULL;
			strcpy(sd->name[sd->n], name);
			strcpy(sd->val[sd->n++], val);
		}
		if (*s++ != ']')
			return NULL;
	}
	return s;
}

const char *kt_sd_get(const struct kt_sd *sd, const char *name)
{
	int i;

	for (i = 0; i < sd->n; i++)
		if (!strcmp(sd->name[i], name))
			return sd->val[i];
	return NULL;
}

static int pri_5424(const char **s, unsigned int *pri)
{
	const char *p = *s;
	unsigned int n = 0;

	if (*p++ != '<')
		return -1;
	*pri = 0;
	while (isdigit((unsigned char)*p) && n < 3) {
		if (n == 1 && *pri == 0)
			return -1;	/* no leading zeros */
		*pri = *pri * 10 + *p++ - '0';
		n++;
	}
	if (!n || *p++ != '>' || *pri > 191)
		return -1;
	*s = p;
	return 0;
}

static int rfc5424_kevent(const struct kt_sd *sd, const char *msgid,
			  unsigned int pri)
{
	const char *seq = kt_sd_get(sd, "seq"), *dev = kt_sd_get(sd, "device");
	const char *ev = kt_sd_get(sd, "event"), *pl = kt_sd_get(sd, "payload");
	const char *enc = kt_sd_get(sd, "encoding");
	const char *tr = kt_sd_get(sd, "truncated");

	if (pri >> 3 != 3) {
		kt_bad("facility %u, want 3 (daemon)", pri >> 3);
		return -1;
	}
	if (kt_check_ids(kt_sd_get(sd, "instance"), kt_sd_get(sd, "boot_id")))
		return -1;
	if (!strcmp(msgid, "lost")) {
		if (!kt_sd_get(sd, "first") || !kt_sd_get(sd, "last") ||
		    !kt_sd_get(sd, "lost") || sd->n != 5) {
			kt_bad("lost message without first, last, lost, or with more");
			return -1;
		}
		return kt_lost_line(kt_sd_get(sd, "first"), kt_sd_get(sd, "last"),
				    kt_sd_get(sd, "lost"));
	}
	if (!seq || !dev || !ev || !pl || !enc || !tr || strcmp(ev, msgid) ||
	    sd->n != 8 || !kt_is_uint(seq) || !kt_is_busid(dev) ||
	    !kt_known_event(ev) || !kt_check_payload(pl, enc) ||
	    (strcmp(tr, "0") && strcmp(tr, "1"))) {
		kt_bad("the record's element is incomplete or wrong, or MSGID %s is not its event",
		       msgid);
		return -1;
	}
	kt_print_event(seq, dev, ev, enc, pl, *tr == '1');
	return 0;
}

int kt_rfc5424_line(const char *s)
{
	char ts[64], host[256], app[49], procid[129], msgid[33];
	const char *sd_id = getenv("KT_SD_ID");
	static struct kt_sd sd;
	unsigned int pri;

	if (pri_5424(&s, &pri) || strncmp(s, "1 ", 2)) {
		kt_bad("no <PRI>1 header");
		return -1;
	}
	s = field_5424(s + 2, 63, ts);
	if (!s || !(kt_is_time(ts, -1) || !strcmp(ts, "-"))) {
		kt_bad("bad TIMESTAMP");
		return -1;
	}
	if (strcmp(ts, "-") && strchr(ts, '.') && strlen(strchr(ts, '.')) > 8) {
		kt_bad("TIME-SECFRAC has more than 6 digits");
		return -1;
	}
	s = s ? field_5424(s, 255, host) : NULL;
	s = s ? field_5424(s, 48, app) : NULL;
	s = s ? field_5424(s, 128, procid) : NULL;
	s = s ? field_5424(s, 32, msgid) : NULL;
	if (!s) {
		kt_bad("bad HOSTNAME, APP-NAME, PROCID or MSGID");
		return -1;
	}
	s = kt_sd_parse(s, sd_id, &sd);
	if (!s || (*s && *s != ' ')) {
		kt_bad("bad STRUCTURED-DATA");
		return -1;
	}
	if (strcmp(app, "kevent") || !sd.origin || !sd_id || !sd.found) {
		kt_bad("APP-NAME %s, or no origin or %s element", app,
		       sd_id ? sd_id : "($KT_SD_ID unset)");
		return -1;
	}
	return rfc5424_kevent(&sd, msgid, pri);
}
