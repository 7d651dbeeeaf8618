// SPDX-License-Identifier: GPL-2.0
/*
 * "rfc5424 FILE": RFC 5424 syslog messages against the ABNF of section
 * 6, and the kevent@32473 SD element.
 */
#include <ctype.h>
#include <string.h>

#include "util.h"

struct sd {
	char name[40][33];
	char val[40][VALUE_MAX];
	int n;
	bool kevent;
};

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

/* STRUCTURED-DATA: "-" or SD-ELEMENTs; the kevent@32473 params into @sd. */
static const char *sd_parse(const char *s, struct sd *sd)
{
	char id[33], name[33];

	sd->n = 0;
	sd->kevent = false;
	if (*s == '-')
		return s + 1;
	if (*s != '[')
		return NULL;
	while (*s == '[') {
		s = sd_name(s + 1, id);
		if (!s)
			return NULL;
		if (!strcmp(id, "kevent@32473"))
			sd->kevent = true;
		while (*s == ' ') {
			s = sd_name(s + 1, name);
			if (!s || *s++ != '=')
				return NULL;
			if (sd->n == 40)
				return NULL;
			s = sd_value(s, sd->val[sd->n]);
			if (!s)
				return NULL;
			if (!strcmp(id, "kevent@32473"))
				strcpy(sd->name[sd->n++], name);
		}
		if (*s++ != ']')
			return NULL;
	}
	return s;
}

static const char *sd_get(const struct sd *sd, const char *name)
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

static int rfc5424_kevent(const struct sd *sd, const char *msgid,
			  unsigned int pri)
{
	const char *seq = sd_get(sd, "seq"), *dev = sd_get(sd, "device");
	const char *ev = sd_get(sd, "event"), *pl = sd_get(sd, "payload");
	const char *enc = sd_get(sd, "encoding");
	const char *tr = sd_get(sd, "truncated");

	if (pri >> 3 != 3) {
		kt_bad("facility %u, want 3 (daemon)", pri >> 3);
		return -1;
	}
	if (!strcmp(msgid, "lost")) {
		if (!sd_get(sd, "first") || !sd_get(sd, "last") ||
		    !sd_get(sd, "lost")) {
			kt_bad("lost message without first, last, lost");
			return -1;
		}
		return kt_lost_line(sd_get(sd, "first"), sd_get(sd, "last"),
				    sd_get(sd, "lost"));
	}
	if (!seq || !dev || !ev || !pl || !enc || !tr || strcmp(ev, msgid) ||
	    !kt_is_uint(seq) || !kt_is_busid(dev) || !kt_known_event(ev) ||
	    !kt_check_payload(pl, enc) || (strcmp(tr, "0") && strcmp(tr, "1"))) {
		kt_bad("kevent@32473 element incomplete or wrong, or MSGID %s is not its event",
		       msgid);
		return -1;
	}
	kt_print_event(seq, dev, ev, enc, pl, *tr == '1');
	return 0;
}

int kt_rfc5424_line(const char *s)
{
	char ts[64], host[256], app[49], procid[129], msgid[33];
	static struct sd sd;
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
	s = sd_parse(s, &sd);
	if (!s || (*s && *s != ' ')) {
		kt_bad("bad STRUCTURED-DATA");
		return -1;
	}
	if (strcmp(app, "keventlogd") || !sd.kevent) {
		kt_bad("APP-NAME %s, or no kevent@32473 element", app);
		return -1;
	}
	return rfc5424_kevent(&sd, msgid, pri);
}
