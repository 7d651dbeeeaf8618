// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd_test_util: the checking half of the keventlogd tests, used by
 * the keventlogd*_test scripts in the guest.
 *
 *   recv unix:PATH|udp:PORT OUT   receive datagrams, one per line into OUT,
 *                                 until SIGTERM (a syslog or notify socket)
 *   json FILE                     check keventlogd's JSON lines (RFC 8259,
 *                                 strictly, and every field's type and form)
 *   journal FILE                  check `journalctl -o json` output: the
 *                                 keventlogd entries and their KEVENT_ fields
 *   rfc5424 FILE                  check RFC 5424 syslog messages against the
 *                                 ABNF of section 6, and the kevent SD element
 *   cover FIRST LAST CANON        every sequence number FIRST..LAST exactly
 *                                 once, as an event or in a lost range
 *
 * json, journal and rfc5424 print what they found in one canonical form,
 * so that outputs can be compared with each other and with the kernel:
 *   event SEQ DEVICE EVENT ENCODING PAYLOAD TRUNCATED
 *   lost FIRST LAST COUNT
 * (PAYLOAD is "-" when empty).  A mistake is printed as "FILE:LINE: what"
 * and the exit status is 1.
 *
 * It is an oracle, independent on purpose: its event names and bus id
 * check are written out here, not taken from libkevent_s390_log.h, which
 * keventlogd uses to write them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define FIELDS_MAX	160
#define VALUE_MAX	4096

static const char *cur_file;
static unsigned int cur_line;
static unsigned int errors;

static void __attribute__((format(printf, 1, 2))) bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", cur_file, cur_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errors++;
}

/* ---- a strict JSON parser for one object per line ---------------------- */

enum jtype { J_STRING, J_NUMBER, J_TRUE, J_FALSE, J_NULL, J_ARRAY, J_OBJECT };

struct jfield {
	char key[128];
	enum jtype type;
	char val[VALUE_MAX];	/* strings decoded; numbers as written */
};

struct jobj {
	struct jfield f[FIELDS_MAX];
	int n;
};

struct jp {
	const char *s;
	const char *err;
};

static void ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static int hex4(const char *s, unsigned int *v)
{
	unsigned int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 16 + (isdigit((unsigned char)s[i]) ? s[i] - '0' :
				(tolower((unsigned char)s[i]) - 'a' + 10));
	}
	return 0;
}

static int put_utf8(char *out, size_t *n, size_t max, unsigned int cp)
{
	if (*n + 4 >= max)
		return -1;
	if (cp < 0x80) {
		out[(*n)++] = cp;
	} else if (cp < 0x800) {
		out[(*n)++] = 0xc0 | (cp >> 6);
		out[(*n)++] = 0x80 | (cp & 0x3f);
	} else {
		out[(*n)++] = 0xe0 | (cp >> 12);
		out[(*n)++] = 0x80 | ((cp >> 6) & 0x3f);
		out[(*n)++] = 0x80 | (cp & 0x3f);
	}
	return 0;
}

static int escape(struct jp *p, char *out, size_t *n, size_t max)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *c = strchr(from, *p->s);
	unsigned int cp;

	if (*p->s && c) {
		p->s++;
		return put_utf8(out, n, max, to[c - from]);
	}
	if (*p->s != 'u' || hex4(p->s + 1, &cp)) {
		p->err = "bad escape in a string";
		return -1;
	}
	p->s += 5;
	if (cp >= 0xd800 && cp <= 0xdfff) {
		p->err = "surrogate \\u escape (keventlogd writes none)";
		return -1;
	}
	return put_utf8(out, n, max, cp);
}

/* A string into @out (decoded), or NULL/0 to only check it. */
static int jstring(struct jp *p, char *out, size_t max)
{
	static char scratch[VALUE_MAX];
	size_t n = 0;

	if (!out) {
		out = scratch;
		max = sizeof(scratch);
	}
	if (*p->s++ != '"') {
		p->err = "expected a string";
		return -1;
	}
	while (*p->s != '"') {
		unsigned char c = *p->s;

		if (!c || c < 0x20) {
			p->err = c ? "raw control character in a string" :
				     "unterminated string";
			return -1;
		}
		p->s++;
		if (c == '\\') {
			if (escape(p, out, &n, max))
				return -1;
			continue;
		}
		if (n + 1 >= max) {
			p->err = "string too long";
			return -1;
		}
		out[n++] = c;
	}
	p->s++;
	out[n] = '\0';
	return 0;
}

static int jnumber(struct jp *p, char *out, size_t max)
{
	const char *start = p->s;

	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (*p->s >= '1' && *p->s <= '9')
		while (isdigit((unsigned char)*p->s))
			p->s++;
	else
		goto bad;
	if (*p->s == '.') {
		p->s++;
		if (!isdigit((unsigned char)*p->s))
			goto bad;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!isdigit((unsigned char)*p->s))
			goto bad;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	if ((size_t)(p->s - start) >= max)
		goto bad;
	memcpy(out, start, p->s - start);
	out[p->s - start] = '\0';
	return 0;
bad:
	p->err = "bad number";
	return -1;
}

static int jvalue(struct jp *p, struct jfield *f, int depth);

static int jcontainer(struct jp *p, char close, int depth)
{
	struct jfield tmp;

	p->s++;
	ws(p);
	if (*p->s == close) {
		p->s++;
		return 0;
	}
	for (;;) {
		ws(p);
		if (close == '}') {
			if (jstring(p, NULL, 0))
				return -1;
			ws(p);
			if (*p->s++ != ':') {
				p->err = "expected ':'";
				return -1;
			}
		}
		if (jvalue(p, &tmp, depth + 1))
			return -1;
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s++ == close)
			return 0;
		p->err = "expected ',' or the end of an array or object";
		return -1;
	}
}

static int jvalue(struct jp *p, struct jfield *f, int depth)
{
	static const struct { const char *w; enum jtype t; } words[] = {
		{ "true", J_TRUE }, { "false", J_FALSE }, { "null", J_NULL },
	};
	unsigned int i;

	if (depth > 16) {
		p->err = "nested too deeply";
		return -1;
	}
	ws(p);
	f->val[0] = '\0';
	if (*p->s == '"') {
		f->type = J_STRING;
		return jstring(p, f->val, sizeof(f->val));
	}
	if (*p->s == '[' || *p->s == '{') {
		f->type = *p->s == '[' ? J_ARRAY : J_OBJECT;
		return jcontainer(p, *p->s == '[' ? ']' : '}', depth);
	}
	for (i = 0; i < 3; i++) {
		if (!strncmp(p->s, words[i].w, strlen(words[i].w))) {
			p->s += strlen(words[i].w);
			f->type = words[i].t;
			return 0;
		}
	}
	f->type = J_NUMBER;
	return jnumber(p, f->val, sizeof(f->val));
}

/* Parse @line as one JSON object with unique keys; 0 or -1 (reported). */
static int jparse(const char *line, struct jobj *o)
{
	struct jp p = { .s = line };
	struct jfield *f;
	int i;

	o->n = 0;
	ws(&p);
	if (*p.s++ != '{') {
		bad("not a JSON object");
		return -1;
	}
	ws(&p);
	while (*p.s != '}') {
		if (o->n == FIELDS_MAX) {
			bad("too many fields");
			return -1;
		}
		f = &o->f[o->n];
		ws(&p);
		if (jstring(&p, f->key, sizeof(f->key)))
			goto err;
		ws(&p);
		if (*p.s++ != ':') {
			p.err = "expected ':'";
			goto err;
		}
		if (jvalue(&p, f, 0))
			goto err;
		for (i = 0; i < o->n; i++)
			if (!strcmp(o->f[i].key, f->key)) {
				bad("key \"%s\" twice", f->key);
				return -1;
			}
		o->n++;
		ws(&p);
		if (*p.s == ',') {
			p.s++;
			ws(&p);
			if (*p.s == '}') {
				p.err = "trailing comma";
				goto err;
			}
			continue;
		}
		if (*p.s != '}') {
			p.err = "expected ',' or '}'";
			goto err;
		}
	}
	p.s++;
	ws(&p);
	if (*p.s) {
		bad("text after the object");
		return -1;
	}
	return 0;
err:
	bad("invalid JSON at column %ld: %s", (long)(p.s - line) + 1, p.err);
	return -1;
}

static const struct jfield *jget(const struct jobj *o, const char *key)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->f[i].key, key))
			return &o->f[i];
	return NULL;
}

/* A field that must be there with type @t; its value, or NULL. */
static const char *need(const struct jobj *o, const char *key, enum jtype t)
{
	const struct jfield *f = jget(o, key);

	if (!f) {
		bad("no field \"%s\"", key);
		return NULL;
	}
	if (f->type != t) {
		bad("field \"%s\" has the wrong type", key);
		return NULL;
	}
	return f->val;
}

/* ---- what keventlogd writes ------------------------------------------- */

/* The ABI's event bit names in lower case (<linux/kevent_s390_log.h>). */
static const char *const event_names[] = {
	"tape_loaded", "tape_unloaded", "tape_error", "tape_intervention",
	"device_added", "device_removed",
};

static bool known_event(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(event_names) / sizeof(event_names[0]); i++)
		if (!strcmp(s, event_names[i]))
			return true;
	return false;
}

static bool is_uint(const char *s)
{
	if (!*s || (*s == '0' && s[1]))
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* 0.0.0180: cssid.ssid.devno, lower-case hex, devno four digits. */
static bool is_busid(const char *s)
{
	unsigned int a, b, c;
	char t[16];
	int n = 0;

	if (sscanf(s, "%x.%x.%4x%n", &a, &b, &c, &n) != 3 || s[n])
		return false;
	snprintf(t, sizeof(t), "%x.%x.%04x", a, b, c);
	return !strcmp(s, t) && b <= 3;
}

/* RFC 3339 in UTC with @digits fractional digits (-1: 1 to 9). */
static bool is_time(const char *s, int digits)
{
	const char *p = s + 19;
	int n = 0;

	if (strlen(s) < 21)
		return false;
	for (int i = 0; i < 19; i++) {
		char want = "dddd-dd-ddTdd:dd:dd"[i];

		if (want == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != want)
			return false;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			n++;
		if (!n)
			return false;
	}
	if (digits >= 0 ? n != digits : n > 9)
		return false;
	return !strcmp(p, "Z");
}

/* Does @time (RFC 3339, UTC) say the same instant as @ns? */
static bool time_matches(const char *time, unsigned long long ns, int digits)
{
	char buf[64], frac[16];
	time_t sec = ns / 1000000000ULL;
	unsigned long long f = ns % 1000000000ULL;
	struct tm tm;
	int i;

	gmtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	for (i = digits; i < 9; i++)
		f /= 10;
	snprintf(frac, sizeof(frac), ".%0*lluZ", digits, f);
	strcat(buf, frac);
	return !strcmp(buf, time);
}

static bool check_payload(const char *payload, const char *encoding)
{
	const char *c;

	if (!strcmp(encoding, "text")) {
		for (c = payload; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				return false;
		return strlen(payload) <= 64;
	}
	if (strcmp(encoding, "hex") || strlen(payload) % 2 ||
	    strlen(payload) > 128 || !*payload)
		return false;
	for (c = payload; *c; c++)
		if (!isdigit((unsigned char)*c) && (*c < 'a' || *c > 'f'))
			return false;
	return true;
}

static void print_event(const char *seq, const char *dev, const char *ev,
			const char *enc, const char *payload, int trunc)
{
	const char *c;

	printf("event %s %s %s %s ", seq, dev, ev, enc);
	if (!*payload)
		putchar('-');
	for (c = payload; *c; c++)
		putchar(*c == ' ' ? '_' : *c);
	printf(" %d\n", trunc);
}

/* The fields every keventlogd JSON line has. */
static int json_common(const struct jobj *o)
{
	const char *t = need(o, "time", J_STRING);
	const char *ns = need(o, "time_ns", J_NUMBER);
	const char *pr = need(o, "priority", J_NUMBER);

	if (!need(o, "host", J_STRING) || !need(o, "message", J_STRING) ||
	    !t || !ns || !pr)
		return -1;
	if (!is_time(t, 9) || !is_uint(ns) ||
	    !time_matches(t, strtoull(ns, NULL, 10), 9)) {
		bad("time \"%s\" and time_ns %s do not agree", t, ns);
		return -1;
	}
	if (strlen(pr) != 1 || *pr < '0' || *pr > '7') {
		bad("priority %s is not a syslog severity", pr);
		return -1;
	}
	return 0;
}

static int json_event(const struct jobj *o)
{
	const char *seq = need(o, "seq", J_NUMBER);
	const char *dev = need(o, "device", J_STRING);
	const char *ev = need(o, "event", J_STRING);
	const char *pl = need(o, "payload", J_STRING);
	const char *enc = need(o, "encoding", J_STRING);
	const struct jfield *tr = jget(o, "truncated");

	if (!seq || !dev || !ev || !pl || !enc || json_common(o))
		return -1;
	if (!tr || (tr->type != J_TRUE && tr->type != J_FALSE)) {
		bad("field \"truncated\" is not a boolean");
		return -1;
	}
	if (!is_uint(seq) || !is_busid(dev) || !known_event(ev) ||
	    !check_payload(pl, enc)) {
		bad("bad seq, device, event or payload: %s %s %s %s \"%s\"",
		    seq, dev, ev, enc, pl);
		return -1;
	}
	if (o->n != 12) {
		bad("%d fields, want 12", o->n);
		return -1;
	}
	print_event(seq, dev, ev, enc, pl, tr->type == J_TRUE);
	return 0;
}

static int lost_line(const char *first, const char *last, const char *lost)
{
	unsigned long long f, l, n;

	if (!is_uint(first) || !is_uint(last) || !is_uint(lost)) {
		bad("lost range is not numbers");
		return -1;
	}
	f = strtoull(first, NULL, 10);
	l = strtoull(last, NULL, 10);
	n = strtoull(lost, NULL, 10);
	if (!f || l < f || l - f + 1 != n) {
		bad("lost %llu for the range %llu..%llu", n, f, l);
		return -1;
	}
	printf("lost %llu %llu %llu\n", f, l, n);
	return 0;
}

static int json_lost(const struct jobj *o)
{
	const char *first = need(o, "first", J_NUMBER);
	const char *last = need(o, "last", J_NUMBER);
	const char *lost = need(o, "lost", J_NUMBER);
	const char *ev = need(o, "event", J_STRING);

	if (!first || !last || !lost || !ev || json_common(o))
		return -1;
	if (strcmp(ev, "lost") || o->n != 10) {
		bad("a lost line with event \"%s\" and %d fields", ev, o->n);
		return -1;
	}
	return lost_line(first, last, lost);
}

static int json_line(const char *line)
{
	static struct jobj o;
	const char *type;

	if (jparse(line, &o))
		return -1;
	type = need(&o, "type", J_STRING);
	if (!type)
		return -1;
	if (!strcmp(type, "event"))
		return json_event(&o);
	if (!strcmp(type, "lost"))
		return json_lost(&o);
	bad("unknown type \"%s\"", type);
	return -1;
}

/* A journal field: a string, or absent.  Checks form @ok when given. */
static const char *jfield_str(const struct jobj *o, const char *key)
{
	const struct jfield *f = jget(o, key);

	if (!f || f->type != J_STRING) {
		bad("journal entry without a string %s", key);
		return NULL;
	}
	return f->val;
}

static int journal_event(const struct jobj *o)
{
	const char *seq = jfield_str(o, "KEVENT_SEQ");
	const char *dev = jfield_str(o, "KEVENT_DEVICE");
	const char *ev = jfield_str(o, "KEVENT_EVENT");
	const char *pl = jget(o, "KEVENT_PAYLOAD") ? jfield_str(o, "KEVENT_PAYLOAD") : "";
	const char *enc = jfield_str(o, "KEVENT_PAYLOAD_ENCODING");
	const char *tr = jfield_str(o, "KEVENT_TRUNCATED");

	if (!seq || !dev || !ev || !pl || !enc || !tr)
		return -1;
	if (!is_uint(seq) || !is_busid(dev) || !known_event(ev) ||
	    !check_payload(pl, enc) || (strcmp(tr, "0") && strcmp(tr, "1"))) {
		bad("bad KEVENT_ fields: %s %s %s %s \"%s\" %s", seq, dev, ev,
		    enc, pl, tr);
		return -1;
	}
	print_event(seq, dev, ev, enc, pl, *tr == '1');
	return 0;
}

static int journal_line(const char *line)
{
	static struct jobj o;
	const char *id, *ev, *t, *ns, *pr;

	if (jparse(line, &o))
		return -1;
	id = jget(&o, "SYSLOG_IDENTIFIER") ? jget(&o, "SYSLOG_IDENTIFIER")->val : "";
	if (strcmp(id, "keventlogd") || !jget(&o, "KEVENT_EVENT"))
		return 0;	/* the daemon's own messages, journald's */
	ev = jfield_str(&o, "KEVENT_EVENT");
	t = jfield_str(&o, "KEVENT_TIMESTAMP");
	ns = jfield_str(&o, "KEVENT_TIMESTAMP_NS");
	pr = jfield_str(&o, "PRIORITY");
	if (!ev || !t || !ns || !pr || !jfield_str(&o, "MESSAGE"))
		return -1;
	if (!is_uint(ns) || !time_matches(t, strtoull(ns, NULL, 10), 9) ||
	    strlen(pr) != 1 || *pr < '0' || *pr > '7') {
		bad("bad KEVENT_TIMESTAMP, KEVENT_TIMESTAMP_NS or PRIORITY");
		return -1;
	}
	if (strcmp(ev, "lost"))
		return journal_event(&o);
	if (!jget(&o, "MESSAGE_ID") || !jget(&o, "KEVENT_LOST_FIRST") ||
	    !jget(&o, "KEVENT_LOST_LAST") || !jget(&o, "KEVENT_LOST")) {
		bad("lost entry without MESSAGE_ID or KEVENT_LOST_*");
		return -1;
	}
	return lost_line(jget(&o, "KEVENT_LOST_FIRST")->val,
			 jget(&o, "KEVENT_LOST_LAST")->val,
			 jget(&o, "KEVENT_LOST")->val);
}

/* ---- RFC 5424 ----------------------------------------------------------- */

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
		bad("facility %u, want 3 (daemon)", pri >> 3);
		return -1;
	}
	if (!strcmp(msgid, "lost")) {
		if (!sd_get(sd, "first") || !sd_get(sd, "last") ||
		    !sd_get(sd, "lost")) {
			bad("lost message without first, last, lost");
			return -1;
		}
		return lost_line(sd_get(sd, "first"), sd_get(sd, "last"),
				 sd_get(sd, "lost"));
	}
	if (!seq || !dev || !ev || !pl || !enc || !tr || strcmp(ev, msgid) ||
	    !is_uint(seq) || !is_busid(dev) || !known_event(ev) ||
	    !check_payload(pl, enc) || (strcmp(tr, "0") && strcmp(tr, "1"))) {
		bad("kevent@32473 element incomplete or wrong, or MSGID %s is not its event",
		    msgid);
		return -1;
	}
	print_event(seq, dev, ev, enc, pl, *tr == '1');
	return 0;
}

static int rfc5424_line(const char *s)
{
	char ts[64], host[256], app[49], procid[129], msgid[33];
	static struct sd sd;
	unsigned int pri;

	if (pri_5424(&s, &pri) || strncmp(s, "1 ", 2)) {
		bad("no <PRI>1 header");
		return -1;
	}
	s = field_5424(s + 2, 63, ts);
	if (!s || !(is_time(ts, -1) || !strcmp(ts, "-"))) {
		bad("bad TIMESTAMP");
		return -1;
	}
	if (strcmp(ts, "-") && strchr(ts, '.') && strlen(strchr(ts, '.')) > 8) {
		bad("TIME-SECFRAC has more than 6 digits");
		return -1;
	}
	s = s ? field_5424(s, 255, host) : NULL;
	s = s ? field_5424(s, 48, app) : NULL;
	s = s ? field_5424(s, 128, procid) : NULL;
	s = s ? field_5424(s, 32, msgid) : NULL;
	if (!s) {
		bad("bad HOSTNAME, APP-NAME, PROCID or MSGID");
		return -1;
	}
	s = sd_parse(s, &sd);
	if (!s || (*s && *s != ' ')) {
		bad("bad STRUCTURED-DATA");
		return -1;
	}
	if (strcmp(app, "keventlogd") || !sd.kevent) {
		bad("APP-NAME %s, or no kevent@32473 element", app);
		return -1;
	}
	return rfc5424_kevent(&sd, msgid, pri);
}

/* ---- files, receiving, coverage ----------------------------------------- */

static int each_line(const char *file, int (*fn)(const char *line))
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	cur_file = file;
	cur_line = 0;
	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		cur_line++;
		if (n == 0 || line[n - 1] != '\n') {
			bad("line not terminated by a newline");
			break;
		}
		line[n - 1] = '\0';
		if (strlen(line) != (size_t)n - 1) {
			bad("NUL byte");
			continue;
		}
		fn(line);
	}
	free(line);
	fclose(f);
	return errors ? 1 : 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int bind_addr(const char *addr)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd;

	if (!strncmp(addr, "unix:", 5)) {
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", addr + 5);
		unlink(un.sun_path);
		if (fd >= 0 && bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0)
			return -1;
		/* Anyone may send, as to systemd's notify socket or /dev/log. */
		chmod(un.sun_path, 0777);
		return fd;
	}
	if (strncmp(addr, "udp:", 4))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	in.sin_port = htons(atoi(addr + 4));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&in, sizeof(in)) < 0)
		return -1;
	return fd;
}

static int cmd_recv(const char *addr, const char *out)
{
	struct sigaction sa = { .sa_handler = on_term };
	char buf[65536];
	ssize_t n;
	int fd, ofd;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = bind_addr(addr);
	if (fd < 0) {
		fprintf(stderr, "recv: cannot bind %s: %s\n", addr,
			strerror(errno));
		return 1;
	}
	ofd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (ofd < 0)
		return 1;
	while (!stop) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			continue;
		buf[n++] = '\n';
		if (write(ofd, buf, n) != n)
			return 1;
	}
	close(ofd);
	return 0;
}

/* Canonical lines on @file: each of FIRST..LAST exactly once. */
static int cmd_cover(unsigned long long first, unsigned long long last,
		     const char *file)
{
	unsigned long long seq, a, b, n, events = 0, lost = 0, i;
	unsigned char *seen;
	char line[1024];
	FILE *f;

	if (last < first || last - first > 10000000)
		return 2;
	seen = calloc(last - first + 1, 1);
	f = fopen(file, "r");
	if (!seen || !f)
		return 2;
	cur_file = file;
	cur_line = 0;
	while (fgets(line, sizeof(line), f)) {
		cur_line++;
		if (sscanf(line, "event %llu", &seq) == 1) {
			a = b = seq;
			events++;
		} else if (sscanf(line, "lost %llu %llu %llu", &a, &b, &n) == 3) {
			lost += n;
		} else {
			bad("not a canonical line");
			continue;
		}
		for (i = a; i <= b; i++) {
			if (i < first || i > last)
				bad("sequence %llu outside %llu..%llu", i, first, last);
			else if (seen[i - first]++)
				bad("sequence %llu appears twice", i);
		}
	}
	fclose(f);
	for (i = first; i <= last; i++)
		if (!seen[i - first]) {
			cur_line = 0;
			bad("sequence %llu is missing", i);
			break;
		}
	free(seen);
	printf("cover %llu..%llu: %llu events, %llu lost\n", first, last,
	       events, lost);
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "recv") && argc == 4)
		return cmd_recv(argv[2], argv[3]);
	if (!strcmp(cmd, "json") && argc == 3)
		return each_line(argv[2], json_line);
	if (!strcmp(cmd, "journal") && argc == 3)
		return each_line(argv[2], journal_line);
	if (!strcmp(cmd, "rfc5424") && argc == 3)
		return each_line(argv[2], rfc5424_line);
	if (!strcmp(cmd, "cover") && argc == 5)
		return cmd_cover(strtoull(argv[2], NULL, 10),
				 strtoull(argv[3], NULL, 10), argv[4]);
	fprintf(stderr, "usage: keventlogd_test_util recv|json|journal|rfc5424|cover ...\n");
	return 2;
}
