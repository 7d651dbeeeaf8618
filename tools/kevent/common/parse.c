// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing keventlogd.conf: "keyword value..." per line, '#' comments.
 * Every mistake is reported with its line, what is wrong and a hint, and
 * parsing goes on so that one run shows them all.  See keventlogd.conf(5);
 * printconf.c writes a configuration back out.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <syslog.h>

#include "config.h"
#include "format.h"

#define LINE_MAX_LEN	16384
#define WORDS_MAX	(KLD_MAX_DEVICES + 16)

/**
 * struct parser - parsing state of one file
 * @c: the configuration being filled
 * @file: its name, for messages
 * @line: the current line
 * @err: where messages go
 * @errors: how many were reported
 * @seen: line on which each single-valued keyword was given, 0 if not yet
 * @devices_line: first "devices" line
 * @events_line: first "events" line
 * @events_all: "events all" was given
 * @events_named: event names were given
 * @device_lines: the line each of c->devices was listed on
 */
struct parser {
	struct kld_config *c;
	const char *file;
	unsigned int line;
	FILE *err;
	unsigned int errors;
	unsigned int seen[8];
	unsigned int devices_line;
	unsigned int events_line;
	bool events_all;
	bool events_named;
	unsigned int *device_lines;
};

struct keyword {
	const char *name;
	int (*parse)(struct parser *p, char **argv, int argc);
	const char *usage;
	int once;		/* index into parser.seen, or -1: repeatable */
};

static void __printf(2, 3) perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->line)
		fprintf(p->err, "%s:%u: ", p->file, p->line);
	else
		fprintf(p->err, "%s: ", p->file);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
	p->errors++;
}

/* A hint for the error just reported. */
static void __printf(2, 3) phint(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fputs("  hint: ", p->err);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
}

static char *xstrdup(struct parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		perr(p, "out of memory");
	return d;
}

/* "yes"/"no": 0 and *@v set, or -1. */
static int parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "yes")) {
		*v = true;
		return 0;
	}
	if (!strcmp(s, "no")) {
		*v = false;
		return 0;
	}
	return -1;
}

/* A decimal number from @min to @max: 0 and *@v set, or -1. */
static int parse_uint(const char *s, unsigned int min, unsigned int max,
		      unsigned int *v)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

static int want_args(struct parser *p, const struct keyword *k, int argc,
		     int min, int max)
{
	if (argc >= min && (max < 0 || argc <= max))
		return 0;
	if (argc < min)
		perr(p, "'%s' needs %s", k->name,
		     min == 1 ? "a value" : "more values");
	else
		perr(p, "'%s' takes %s, got %d", k->name,
		     max == 0 ? "no value" : max == 1 ? "one value" :
		     "fewer values", argc);
	phint(p, "%s", k->usage);
	return -1;
}

/* Has @devid been listed before?  Then say where. */
static bool device_listed(struct parser *p, __u32 devid, const char *s)
{
	unsigned int i;

	for (i = 0; i < p->c->nr_devices; i++) {
		if (p->c->devices[i] != devid)
			continue;
		perr(p, "device %s is listed twice (also on line %u)", s,
		     p->device_lines[i]);
		phint(p, "list each device once");
		return true;
	}
	return false;
}

static int grow_devices(struct parser *p)
{
	unsigned int n = p->c->nr_devices + 1, *l;
	__u32 *d;

	d = realloc(p->c->devices, n * sizeof(*d));
	if (d)
		p->c->devices = d;
	l = realloc(p->device_lines, n * sizeof(*l));
	if (l)
		p->device_lines = l;
	if (d && l)
		return 0;
	perr(p, "out of memory");
	return -1;
}

static int add_device(struct parser *p, const char *s)
{
	struct kld_config *c = p->c;
	__u32 devid;
	int err;

	err = libkevent_s390_devid_parse(s, &devid);
	if (err == -ERANGE) {
		perr(p, "device '%s': subchannel set above %d", s,
		     KEVENT_S390_SSID_MAX);
		phint(p, "bus ids are cssid.ssid.devno with ssid 0 to %d, like 0.1.0180",
		      KEVENT_S390_SSID_MAX);
		return -1;
	}
	if (err) {
		perr(p, "device '%s' is not a CCW bus id", s);
		phint(p, "write bus ids as lszdev and /sys/bus/ccw/devices do: cssid.ssid.devno in hex, like 0.0.0180; or 'devices all'");
		return -1;
	}
	if (device_listed(p, devid, s))
		return -1;
	if (c->nr_devices >= KLD_MAX_DEVICES) {
		perr(p, "more than %d devices", KLD_MAX_DEVICES);
		phint(p, "use 'devices all' and let keventlogd log every device");
		return -1;
	}
	if (grow_devices(p))
		return -1;
	p->device_lines[c->nr_devices] = p->line;
	c->devices[c->nr_devices++] = devid;
	return 0;
}

static int kw_devices(struct parser *p, char **argv, int argc)
{
	int i, ret = 0;

	if (!p->devices_line)
		p->devices_line = p->line;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "all")) {
			if (argc > 1 || p->c->nr_devices ||
			    p->devices_line != p->line) {
				perr(p, "'devices all' cannot be combined with a list of devices");
				phint(p, "either 'devices all', or 'devices' followed by bus ids");
				return -1;
			}
			p->c->all_devices = true;
			continue;
		}
		if (p->c->all_devices) {
			perr(p, "device '%s' listed, but 'devices all' was given before",
			     argv[i]);
			phint(p, "either 'devices all', or 'devices' followed by bus ids");
			return -1;
		}
		if (add_device(p, argv[i]))
			ret = -1;
	}
	return ret;
}

static int kw_events(struct parser *p, char **argv, int argc)
{
	const char *near;
	__u32 bit;
	int i, ret = 0;

	if (!p->events_line)
		p->events_line = p->line;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "all")) {
			p->events_all = true;
			p->c->events |= KEVENT_S390_EVENTS_ALL;
			continue;
		}
		if (libkevent_s390_event_parse(argv[i], &bit)) {
			perr(p, "unknown event '%s'", argv[i]);
			near = kld_event_nearest(argv[i]);
			if (near)
				phint(p, "did you mean '%s'? Events are %s, or all",
				      near, libkevent_s390_event_names());
			else
				phint(p, "events are %s, or all",
				      libkevent_s390_event_names());
			ret = -1;
			continue;
		}
		if (p->c->events & bit && !p->events_all) {
			perr(p, "event '%s' is listed twice", argv[i]);
			phint(p, "list each event once");
			ret = -1;
		}
		p->events_named = true;
		p->c->events |= bit;
	}
	if (p->events_all && p->events_named) {
		perr(p, "'events all' cannot be combined with event names");
		phint(p, "either 'events all', or 'events' followed by names");
		return -1;
	}
	return ret;
}

static int kw_wake(struct parser *p, char **argv, int argc)
{
	(void)argc;
	if (!strcmp(argv[0], "all")) {
		p->c->wake_all = true;
		return 0;
	}
	if (!strcmp(argv[0], "first")) {
		p->c->wake_all = false;
		return 0;
	}
	perr(p, "unknown wake mode '%s'", argv[0]);
	phint(p, "'wake all' (KEVENT_REQ_WAKEUP_ALL: keventlogd is woken even when another reader's request took the event) or 'wake first'");
	return -1;
}

static int kw_ring_size(struct parser *p, char **argv, int argc)
{
	(void)argc;
	if (!parse_uint(argv[0], 1, KLD_RING_MAX, &p->c->ring_size))
		return 0;
	perr(p, "ring-size '%s' is not a number from 1 to %d", argv[0],
	     KLD_RING_MAX);
	phint(p, "the kernel rounds it up to a power of two; 64 is plenty: a request takes one slot at most");
	return -1;
}

static int kw_retry(struct parser *p, char **argv, int argc)
{
	(void)argc;
	if (!parse_uint(argv[0], 1, 3600, &p->c->retry_seconds))
		return 0;
	perr(p, "retry-seconds '%s' is not a number from 1 to 3600", argv[0]);
	phint(p, "how long keventlogd waits before it writes again to an output that failed, e.g. retry-seconds 5");
	return -1;
}

static int check_path(struct parser *p, const char *what, const char *path)
{
	if (path[0] != '/') {
		perr(p, "%s '%s' is not an absolute path", what, path);
		phint(p, "write it from the root, like /var/lib/keventlogd/state");
		return -1;
	}
	if (strlen(path) >= PATH_MAX - 16 || path[strlen(path) - 1] == '/') {
		perr(p, "%s '%s' is not a file name", what, path);
		phint(p, "name a file, not a directory");
		return -1;
	}
	return 0;
}

static int kw_state_file(struct parser *p, char **argv, int argc)
{
	(void)argc;
	if (check_path(p, "state-file", argv[0]))
		return -1;
	free(p->c->state_file);
	p->c->state_file = xstrdup(p, argv[0]);
	return p->c->state_file ? 0 : -1;
}

static int parse_facility(struct parser *p, const char *s, int *facility)
{
	*facility = kld_facility_code(s);
	if (*facility >= 0)
		return 0;
	perr(p, "unknown syslog facility '%s'", s);
	phint(p, "kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, local0 to local7");
	return -1;
}

/* "unix:/path", "udp:host:port" or "tcp:host:port" ([::1] for IPv6). */
static int check_target(struct parser *p, const char *t)
{
	unsigned int port;
	const char *c;

	if (!strncmp(t, "unix:", 5)) {
		if (t[5] != '/' || strlen(t + 5) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			perr(p, "syslog target '%s': not an absolute socket path of at most %zu bytes",
			     t, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
			phint(p, "target=unix:/dev/log");
			return -1;
		}
		return 0;
	}
	if (!strncmp(t, "udp:", 4) || !strncmp(t, "tcp:", 4)) {
		c = strrchr(t + 4, ':');
		if (!c || c == t + 4 || parse_uint(c + 1, 1, 65535, &port)) {
			perr(p, "syslog target '%s': want %.3s:HOST:PORT", t, t);
			phint(p, "target=%.3s:127.0.0.1:514, or %.3s:[::1]:514", t, t);
			return -1;
		}
		return 0;
	}
	perr(p, "syslog target '%s': unknown transport", t);
	phint(p, "target=unix:/dev/log (a datagram socket), tcp:HOST:PORT (RFC 6587 octet counting) or udp:HOST:PORT (lossy)");
	return -1;
}

static int parse_format(struct parser *p, const char *s,
			enum kld_syslog_format *format)
{
	if (!strcmp(s, "rfc3164")) {
		*format = KLD_SYSLOG_RFC3164;
		return 0;
	}
	if (!strcmp(s, "rfc5424")) {
		*format = KLD_SYSLOG_RFC5424;
		return 0;
	}
	perr(p, "syslog format '%s': want rfc3164 or rfc5424", s);
	phint(p, "the default is rfc3164 on a unix socket (/dev/log receivers parse that) and rfc5424 over udp and tcp");
	return -1;
}

/* An enterprise number: decimal, no leading zeros, maybe dotted (7.2.2). */
static bool pen_ok(const char *s)
{
	const char *d;

	for (;;) {
		for (d = s; *d >= '0' && *d <= '9'; d++)
			;
		if (d == s || (*s == '0' && d - s > 1))
			return false;
		if (!*d)
			return true;
		if (*d != '.')
			return false;
		s = d + 1;
	}
}

/*
 * An RFC 5424 SD-ID of the private form NAME@PEN (section 6.3.2): at most
 * 32 PRINTUSASCII but '=', ']', '"', and an enterprise number after '@'.
 */
static int kw_sd_id(struct parser *p, char **argv, int argc)
{
	const char *s = argv[0], *at = strchr(s, '@'), *c;
	unsigned long pen;
	bool ok;

	(void)argc;
	ok = strlen(s) <= 32 && at && at != s && pen_ok(at + 1);
	for (c = s; ok && *c; c++)
		ok = *c > 32 && *c < 127 && *c != '=' && *c != ']' && *c != '"';
	if (!ok) {
		perr(p, "sd-id '%s' is not NAME@ENTERPRISE-NUMBER of at most 32 characters",
		     s);
		phint(p, "RFC 5424 allows a name of your own only with an enterprise number (PEN) you hold, like sd-id kevent@12345");
		return -1;
	}
	pen = strtoul(at + 1, NULL, 10);
	if (pen == 0 || pen == 32473) {
		perr(p, "sd-id '%s': enterprise number %lu is reserved%s", s, pen,
		     pen ? " for documentation (RFC 5612)" : "");
		phint(p, "use your organisation's enterprise number: IANA assigns them free of charge (https://www.iana.org/assignments/enterprise-numbers)");
		return -1;
	}
	p->c->sd_id = xstrdup(p, s);
	return p->c->sd_id ? 0 : -1;
}

static bool output_is_new(struct parser *p, const struct kld_output_conf *o)
{
	const struct kld_output_conf *q;
	unsigned int i;

	for (i = 0; i < p->c->nr_outputs; i++) {
		q = &p->c->outputs[i];
		if (q->type != o->type)
			continue;
		if (o->type == KLD_OUT_JSON && strcmp(q->path, o->path))
			continue;
		if (o->type == KLD_OUT_SYSLOG && strcmp(q->target, o->target))
			continue;
		perr(p, "output %s%s%s is configured twice (also on line %u)",
		     kld_output_type_name(o->type), o->path ? " " : "",
		     o->path ? o->path : "", q->line);
		phint(p, "remove one of the two lines");
		return false;
	}
	return true;
}

/* One "key=value" parameter of an output line. */
static int output_param(struct parser *p, struct kld_output_conf *o,
			const char *key, const char *val)
{
	if (o->type == KLD_OUT_JSON && !strcmp(key, "path")) {
		if (check_path(p, "json path", val))
			return -1;
		free(o->path);
		o->path = xstrdup(p, val);
		return o->path ? 0 : -1;
	}
	if (o->type == KLD_OUT_JSON && !strcmp(key, "sync")) {
		if (!parse_bool(val, &o->sync))
			return 0;
		perr(p, "json sync '%s': want yes or no", val);
		phint(p, "sync=yes makes every batch durable (fdatasync) before its position is saved");
		return -1;
	}
	if (o->type == KLD_OUT_SYSLOG && !strcmp(key, "target")) {
		if (check_target(p, val))
			return -1;
		free(o->target);
		o->target = xstrdup(p, val);
		return o->target ? 0 : -1;
	}
	if (o->type == KLD_OUT_SYSLOG && !strcmp(key, "facility"))
		return parse_facility(p, val, &o->facility);
	if (o->type == KLD_OUT_SYSLOG && !strcmp(key, "format"))
		return parse_format(p, val, &o->format);

	perr(p, "output %s has no parameter '%s'", kld_output_type_name(o->type), key);
	switch (o->type) {
	case KLD_OUT_JSON:
		phint(p, "output json path=/var/log/keventlogd/events.json [sync=yes|no]");
		break;
	case KLD_OUT_SYSLOG:
		phint(p, "output syslog [target=unix:/dev/log|tcp:HOST:PORT|udp:HOST:PORT] [facility=daemon] [format=rfc3164|rfc5424]");
		break;
	default:
		phint(p, "output %s takes no parameters", kld_output_type_name(o->type));
	}
	return -1;
}

static int output_type(struct parser *p, const char *s,
		       enum kld_output_type *type)
{
	unsigned int i, best = 3, d;
	const char *name, *near = NULL;

	for (i = 0; (name = kld_output_type_name(i)); i++) {
		if (!strcmp(s, name)) {
			*type = i;
			return 0;
		}
		d = kld_edit_distance(s, name);
		if (d < best) {
			best = d;
			near = name;
		}
	}
	perr(p, "unknown output '%s'", s);
	if (near)
		phint(p, "did you mean '%s'? Outputs are journal, syslog, json and stdout",
		      near);
	else
		phint(p, "outputs are journal, syslog, json and stdout");
	return -1;
}

static int kw_output(struct parser *p, char **argv, int argc)
{
	struct kld_output_conf o = { .line = p->line, .sync = true,
				     .facility = LOG_DAEMON };
	struct kld_output_conf *n;
	char *eq;
	int i, ret = 0;

	if (output_type(p, argv[0], &o.type))
		return -1;
	for (i = 1; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i]) {
			perr(p, "output parameter '%s' is not key=value",
			     argv[i]);
			phint(p, "for example: output json path=/var/log/keventlogd/events.json");
			ret = -1;
			continue;
		}
		*eq = '\0';
		if (output_param(p, &o, argv[i], eq + 1))
			ret = -1;
		*eq = '=';
	}
	if (!ret && o.type == KLD_OUT_JSON && !o.path) {
		perr(p, "output json needs a file");
		phint(p, "output json path=/var/log/keventlogd/events.json");
		ret = -1;
	}
	if (!ret && o.type == KLD_OUT_SYSLOG && !o.target) {
		o.target = xstrdup(p, KLD_SYSLOG_TARGET);
		if (!o.target)
			ret = -1;
	}
	if (!ret && o.type == KLD_OUT_SYSLOG && o.format == KLD_SYSLOG_DEFAULT)
		o.format = strncmp(o.target, "unix:", 5) ? KLD_SYSLOG_RFC5424 :
			   KLD_SYSLOG_RFC3164;
	if (!ret && output_is_new(p, &o)) {
		n = realloc(p->c->outputs, (p->c->nr_outputs + 1) * sizeof(*n));
		if (n) {
			p->c->outputs = n;
			p->c->outputs[p->c->nr_outputs++] = o;
			return 0;
		}
		perr(p, "out of memory");
	}
	free(o.path);
	free(o.target);
	return -1;
}

static const struct keyword keywords[] = {
	{ "devices", kw_devices, "devices all | devices 0.0.0180 0.0.0181 ...", -1 },
	{ "events", kw_events, "events all | events tape_loaded tape_error ...", -1 },
	{ "wake", kw_wake, "wake all | wake first", 0 },
	{ "ring-size", kw_ring_size, "ring-size 64", 1 },
	{ "state-file", kw_state_file, "state-file /var/lib/keventlogd/state", 2 },
	{ "retry-seconds", kw_retry, "retry-seconds 5", 3 },
	{ "sd-id", kw_sd_id, "sd-id NAME@ENTERPRISE-NUMBER", 4 },
	{ "output", kw_output,
	  "output journal | output syslog [target=...] [facility=...] [format=...] | output json path=FILE [sync=yes|no] | output stdout",
	  -1 },
};

/*
 * Settings of keventlogd 0.1.0 that are gone: keventlogd no longer
 * changes its user itself (keventlogd(8), "Privileges").
 */
static const struct removed {
	const char *name;
	const char *why;
	const char *hint;
} removed[] = {
	{ "user", "keventlogd no longer changes its user itself",
	  "remove the line: keventlogd.service runs keventlogd as User=keventlog; elsewhere start it as that user with setpriv (see keventlogd(8))" },
	{ "keep-cap-syslog", "keventlogd needs no capability",
	  "remove the line: as a member of the group of /dev/kevent_s390_log (keventlog, by 60-kevent.rules) keventlogd reads the log and adds its requests, at start and on reload" },
};

/* A setting that is gone: say so, and what to do instead. */
static bool is_removed(struct parser *p, const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(removed); i++) {
		if (strcmp(s, removed[i].name))
			continue;
		perr(p, "'%s' is no longer a setting: %s", s, removed[i].why);
		phint(p, "%s", removed[i].hint);
		return true;
	}
	return false;
}

static const struct keyword *find_keyword(struct parser *p, const char *s)
{
	unsigned int i, best = 3, d;
	const char *near = NULL;

	for (i = 0; i < ARRAY_SIZE(keywords); i++) {
		if (!strcmp(s, keywords[i].name))
			return &keywords[i];
		d = kld_edit_distance(s, keywords[i].name);
		if (d < best) {
			best = d;
			near = keywords[i].name;
		}
	}
	perr(p, "unknown setting '%s'", s);
	if (near)
		phint(p, "did you mean '%s'?", near);
	else
		phint(p, "settings are devices, events, wake, ring-size, state-file, retry-seconds, sd-id and output; see keventlogd.conf(5)");
	return NULL;
}

static void parse_words(struct parser *p, char **argv, int argc)
{
	const struct keyword *k;
	int max;

	if (is_removed(p, argv[0]))
		return;
	k = find_keyword(p, argv[0]);
	if (!k)
		return;
	if (k->once >= 0 && p->seen[k->once]) {
		perr(p, "'%s' is given twice (first on line %u)", k->name,
		     p->seen[k->once]);
		phint(p, "keep one of the two lines");
		return;
	}
	max = k->once >= 0 ? 1 : -1;
	if (want_args(p, k, argc - 1, 1, max))
		return;
	if (k->once >= 0)
		p->seen[k->once] = p->line;
	k->parse(p, argv + 1, argc - 1);
}

/* Split @s into words at blanks, up to a '#' that starts a word. */
static int split(struct parser *p, char *s, char **argv)
{
	int argc = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			*s++ = '\0';
		if (!*s || *s == '#')
			return argc;
		if (argc == WORDS_MAX) {
			perr(p, "more than %d words on one line", WORDS_MAX);
			phint(p, "split long device lists over several 'devices' lines");
			return -1;
		}
		argv[argc++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' &&
		       *s != '\n')
			s++;
	}
}

static void parse_line(struct parser *p, char *s, size_t len, char **argv)
{
	int argc;

	if (strlen(s) != len) {
		perr(p, "the line holds a NUL byte");
		phint(p, "is this a text file? keventlogd.conf is plain text, one setting per line");
		return;
	}
	if (len > LINE_MAX_LEN) {
		perr(p, "line longer than %d bytes", LINE_MAX_LEN);
		phint(p, "split long device lists over several 'devices' lines");
		return;
	}
	argc = split(p, s, argv);
	if (argc > 0)
		parse_words(p, argv, argc);
}

static void check_whole(struct parser *p)
{
	struct kld_config *c = p->c;

	p->line = 0;
	if (!c->nr_outputs) {
		perr(p, "no output configured: keventlogd would log nowhere");
		phint(p, "add a line such as 'output journal' or 'output json path=/var/log/keventlogd/events.json'");
	}
	if (!c->all_devices && !c->nr_devices) {
		if (p->devices_line) {
			p->line = p->devices_line;
			perr(p, "no device configured");
			phint(p, "devices all | devices 0.0.0180 ...");
		} else {
			c->all_devices = true;
		}
	}
	if (!c->events && !p->events_line)
		c->events = KEVENT_S390_EVENTS_ALL;
	kld_config_sort_devices(c);
	if (!c->state_file)
		c->state_file = xstrdup(p, KLD_STATE_FILE);
}

static void parse_file(struct parser *p, FILE *f)
{
	char **argv, *buf = NULL;
	size_t cap = 0;
	ssize_t len;

	argv = calloc(WORDS_MAX, sizeof(*argv));
	if (!argv) {
		perr(p, "out of memory");
		return;
	}
	while ((len = getline(&buf, &cap, f)) >= 0) {
		p->line++;
		parse_line(p, buf, len, argv);
	}
	if (ferror(f)) {
		perr(p, "read error: %s", strerror(errno));
		phint(p, "check the file and the disk it is on");
	}
	free(buf);
	free(argv);
}

/**
 * kld_config_load() - read and check a configuration file
 * @path: the file
 * @out: the configuration, when it is good
 * @err: every mistake is written here, with its line and a hint
 *
 * Return: 0, or the number of mistakes (>0), or -1 when the file could
 * not be read (also reported on @err).
 */
int kld_config_load(const char *path, struct kld_config **out, FILE *err)
{
	struct parser p = { .file = path, .err = err };
	FILE *f;

	*out = NULL;
	f = fopen(path, "re");
	if (!f) {
		fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
		fprintf(err, "  hint: %s\n", errno == ENOENT ?
			"create it (see keventlogd.conf(5) and the example in tools/kevent/keventlogd/keventlogd.conf) or name another with -c FILE" :
			"check its permissions; keventlogd reads it as the user that starts it");
		return -1;
	}
	p.c = kld_config_new(path);
	if (!p.c) {
		fclose(f);
		fprintf(err, "%s: out of memory\n", path);
		return -1;
	}
	parse_file(&p, f);
	fclose(f);
	check_whole(&p);
	free(p.device_lines);
	if (p.errors) {
		kld_config_free(p.c);
		return p.errors;
	}
	*out = p.c;
	return 0;
}
