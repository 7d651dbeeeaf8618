// SPDX-License-Identifier: GPL-2.0
/*
 * keventctl_unit: keventctl's parts that need no kernel, on the build
 * host (under valgrind by `make check`): numbers, device lists, the
 * instance UUID, and the output in each format, checked against
 * keventctl(8): its example lines are what the code prints, byte for
 * byte, and the json and pairs fields it lists are the ones written.
 * JSON is checked by a strict parser (keventlogd_util/jsonflat.c) that
 * flattens it into pairs, which must then equal --format pairs.
 *
 *   make -C tools/kevent unit && build/keventctl_unit
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keventctl.h"
#include "tap.h"
#include "../keventlogd_util/util.h"

#ifndef KCTL_MAN
#error "KCTL_MAN: the path of keventctl.8"
#endif

/* A memory stream and its text. */
struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *mem_open(struct mem *m)
{
	free(m->buf);
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	return m->f;
}

static const char *mem_text(struct mem *m)
{
	fclose(m->f);
	m->f = NULL;
	return m->buf ? m->buf : "";
}

static bool has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

static bool starts(const char *s, const char *part)
{
	return !strncmp(s, part, strlen(part));
}

static bool ends(const char *s, const char *part)
{
	size_t n = strlen(s), m = strlen(part);

	return n >= m && !strcmp(s + n - m, part);
}

/* --- numbers ---------------------------------------------------------- */

static void test_numbers(void)
{
	char why[KCTL_WHY_LEN] = "";
	__u64 v = 0;

	check(!kctl_parse_u64("010", &v, why, sizeof(why)) && v == 10,
	      "010 is ten (decimal, not octal 8)");
	check(!kctl_parse_u64("0", &v, why, sizeof(why)) && v == 0, "0");
	check(!kctl_parse_u64("18446744073709551615", &v, why, sizeof(why)) &&
	      v == ~0ULL, "2^64-1 is the largest");
	check(kctl_parse_u64("0x10", &v, why, sizeof(why)) &&
	      has(why, "'0x10' is hexadecimal") && has(why, "hint:") &&
	      has(why, ": 16"), "0x10 refused, saying it is hexadecimal, naming 16");
	check(kctl_parse_u64("0XfF", &v, why, sizeof(why)) && has(why, ": 255"),
	      "0XfF refused, naming 255");
	check(kctl_parse_u64("18446744073709551616", &v, why, sizeof(why)) &&
	      has(why, "too large") && has(why, "hint: at most 18446744073709551615"),
	      "2^64 is too large");
	check(kctl_parse_u64("-1", &v, why, sizeof(why)) &&
	      has(why, "not a decimal number") && has(why, "hint:"),
	      "-1 refused");
	check(kctl_parse_u64("", &v, why, sizeof(why)) &&
	      kctl_parse_u64("+1", &v, why, sizeof(why)) &&
	      kctl_parse_u64(" 1", &v, why, sizeof(why)) &&
	      kctl_parse_u64("1 ", &v, why, sizeof(why)) &&
	      kctl_parse_u64("12a", &v, why, sizeof(why)) &&
	      kctl_parse_u64("0x", &v, why, sizeof(why)),
	      "empty, +1, blanks, 12a and 0x refused");
}

/* --- device lists ----------------------------------------------------- */

static struct kctl_devices devs;

static bool devices(const char *s, const char *want)
{
	char why[KCTL_WHY_LEN], got[4096] = "", id[LIBKEVENT_S390_DEVID_LEN];
	unsigned int i;

	devs.n = 0;
	if (kctl_parse_devices(s, &devs, why, sizeof(why))) {
		printf("# %s: %s\n", s, why);
		return false;
	}
	for (i = 0; i < devs.n; i++) {
		libkevent_s390_devid_format(devs.id[i], id);
		strcat(got, i ? " " : "");
		strcat(got, id);
	}
	if (strcmp(got, want))
		printf("# %s: got '%s', want '%s'\n", s, got, want);
	return !strcmp(got, want);
}

/* @s is refused, and the message has @part and a hint with an example. */
static bool refused(const char *s, const char *part, const char *example)
{
	char why[KCTL_WHY_LEN] = "";
	bool ok;

	devs.n = 0;
	ok = kctl_parse_devices(s, &devs, why, sizeof(why)) &&
	     has(why, part) && has(why, "\n  hint: ") && has(why, example);
	if (!ok)
		printf("# '%s': '%s'\n", s, why);
	return ok;
}

static void test_devices(void)
{
	char why[KCTL_WHY_LEN];
	char big[16];
	unsigned int i;
	bool ok;

	check(devices("0180", "0.0.0180") && devices("1", "0.0.0001") &&
	      devices("FFFF", "0.0.ffff"),
	      "a device number alone means subchannel set 0: 0180 is 0.0.0180");
	check(devices("0.0.0180", "0.0.0180") && devices("fe.3.Ab", "fe.3.00ab"),
	      "full bus ids, either case");
	check(devices("0.0.0180-0.0.0183", "0.0.0180 0.0.0181 0.0.0182 0.0.0183"),
	      "a range 0.0.0180-0.0.0183 is its four devices");
	check(devices("0180-0182", "0.0.0180 0.0.0181 0.0.0182") &&
	      devices("0.1.0180-0.1.0180", "0.1.0180"),
	      "short ranges, and a range of one");
	check(devices("0180,0.0.0190-0.0.0192",
		      "0.0.0180 0.0.0190 0.0.0191 0.0.0192"),
	      "a list: 0180,0.0.0190-0.0.0192");
	check(devices("0180,0.0.0180,0.0.017f-0.0.0181",
		      "0.0.0180 0.0.017f 0.0.0181"),
	      "a device named twice is kept once");
	check(refused("0.0.0183-0.0.0180", "range 0.0.0183-0.0.0180 runs backwards",
		      "lowest first: 0.0.0180-0.0.0183"),
	      "a reversed range is refused, with the right order");
	check(refused("0.0.0180-0.1.0183", "crosses subchannel sets",
		      "0.0.0180-0.0.ffff,0.1.0000-0.1.0183"),
	      "a range across subchannel sets is refused, split in the hint");
	check(refused("1.0.0180-0.0.0183", "crosses subchannel sets", "1.0.ffff"),
	      "a range across channel subsystems is refused");
	check(refused("0180,,0181", "an empty entry", "0180,0.0.0190-0.0.0192") &&
	      refused("0180,", "an empty entry", "like 0180,") &&
	      refused(",0180", "an empty entry", "like 0180,") &&
	      refused("", "an empty entry", "like 0180,"),
	      "empty list entries are refused");
	check(refused("0180-", "'0180-' is not a range", "0.0.0180-0.0.0183") &&
	      refused("-0180", "not a range", "0180-0183") &&
	      refused("0180--0181", "not a range", "0180-0183") &&
	      refused("0180-0181-0182", "not a range", "0180-0183"),
	      "malformed ranges are refused");
	check(refused("0.4.0180", "no such subchannel set", "0 to 3, like 0.1.0180"),
	      "subchannel set 4 is refused");
	check(refused("12345", "1 to 4 hex digits", "like 0.0.0180") &&
	      refused("01x0", "not a bus id", "0180 (meaning 0.0.0180)") &&
	      refused("0.0.01x0", "'0.0.01x0' is not a bus id", "like 0.0.0180") &&
	      refused("0.0180", "not a bus id", "cssid.ssid.devno") &&
	      refused("0.0.0.0180", "not a bus id", "cssid.ssid.devno") &&
	      refused(" 0180", "not a bus id", "cssid.ssid.devno") &&
	      refused("0.0.0180.0.0.0.0.0.0.0", "too long", "cssid.ssid.devno"),
	      "malformed bus ids are refused with the two right forms");
	devs.n = 0;
	check(!kctl_parse_devices("0.0.0000-0.0.03ff", &devs, why, sizeof(why)) &&
	      devs.n == KCTL_DEVICES_MAX && devs.id[1023] == 0x3ff,
	      "a range of 1024 devices is taken");
	check(refused("0.0.0000-0.0.0400", "names 1025 devices, more than 1024",
		      "leave --device out") &&
	      refused("0.0.0000-0.0.ffff", "names 65536 devices", "every device"),
	      "a range of more than 1024 devices is refused");
	devs.n = 0;
	ok = true;
	for (i = 0; i < KCTL_DEVICES_MAX; i++) {
		snprintf(big, sizeof(big), "0.1.%04x", i);
		ok &= !kctl_parse_devices(big, &devs, why, sizeof(why));
	}
	check(ok && kctl_parse_devices("0.2.0000", &devs, why, sizeof(why)) &&
	      has(why, "more than 1024 devices") && !kctl_parse_devices("0.1.0000", &devs, why, sizeof(why)),
	      "more than 1024 devices in all are refused (one named again is not more)");
}

static void test_format_names(void)
{
	char why[KCTL_WHY_LEN];
	enum kctl_format f = KCTL_FMT_TEXT;

	check(!kctl_parse_format("json", &f, why, sizeof(why)) && f == KCTL_FMT_JSON &&
	      !kctl_parse_format("pairs", &f, why, sizeof(why)) && f == KCTL_FMT_PAIRS &&
	      !kctl_parse_format("text", &f, why, sizeof(why)) && f == KCTL_FMT_TEXT,
	      "--format text, json, pairs");
	check(kctl_parse_format("JSON", &f, why, sizeof(why)) &&
	      has(why, "unknown format 'JSON'") && has(why, "hint: --format text, json or pairs"),
	      "an unknown format is refused with the list");
}

static void test_uuid(void)
{
	static const __u8 id[16] = {
		0x6f, 0x0d, 0x2c, 0x43, 0x8f, 0x4e, 0x4b, 0x1a,
		0x9c, 0x1e, 0x2a, 0x7d, 0x5b, 0x3c, 0x9e, 0x10,
	};
	static const __u8 zero[16];
	char buf[KCTL_UUID_LEN];

	check(kctl_uuid_format(id, buf) &&
	      !strcmp(buf, "6f0d2c43-8f4e-4b1a-9c1e-2a7d5b3c9e10"),
	      "instance as 8-4-4-4-12: %s", buf);
	check(!kctl_uuid_format(zero, buf) && !buf[0],
	      "an all-zero instance (an old module) is none");
}

/* --- the man page ----------------------------------------------------- */

#define MAN_LINES	400

static char *man[MAN_LINES];
static unsigned int nr_man;

/* keventctl.8's OUTPUT section, with groff's \- made -. */
static void load_man(void)
{
	char *line = NULL, *p, *q;
	bool in = false;
	size_t cap = 0;
	FILE *f = fopen(KCTL_MAN, "r");

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0 && nr_man < MAN_LINES) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, ".SH ", 4))
			in = !strcmp(line, ".SH OUTPUT");
		if (!in)
			continue;
		for (p = q = line; *p; p++, q++) {
			if (p[0] == '\\' && p[1] == '-')
				p++;
			*q = *p;
		}
		*q = '\0';
		man[nr_man++] = strdup(line);
	}
	free(line);
	fclose(f);
}

static bool man_has_line(const char *s)
{
	unsigned int i;

	for (i = 0; i < nr_man; i++)
		if (!strcmp(man[i], s))
			return true;
	return false;
}

/* Every line of @text is an example line of OUTPUT, in order. */
static bool man_shows(const char *text)
{
	char *copy = strdup(text), *line, *save = NULL;
	bool ok = true;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!man_has_line(line)) {
			printf("# not in keventctl(8) OUTPUT: '%s'\n", line);
			ok = false;
		}
	}
	free(copy);
	return ok;
}

/* The keys OUTPUT lists: first words of lines that start meta/status/records. */
static bool is_key_line(const char *l)
{
	return !strncmp(l, "meta.", 5) || !strncmp(l, "status.", 7) ||
	       !strncmp(l, "records[].", 10);
}

/* "records[3].seq=12" -> "records[].seq" */
static void key_of(const char *pair, char *key, size_t len)
{
	size_t n = 0;

	for (; *pair && *pair != '=' && n + 1 < len; pair++) {
		key[n++] = *pair;
		if (*pair == '[')
			pair += strspn(pair + 1, "0123456789");
	}
	key[n] = '\0';
}

/* Does a line of @pairs (one pair a line) have the key @key? */
static bool pairs_have_key(const char *pairs, const char *key)
{
	char *copy = strdup(pairs), *line, *save = NULL, k[128];
	bool found = false;

	for (line = strtok_r(copy, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		key_of(line, k, sizeof(k));
		found = !strcmp(k, key);
	}
	free(copy);
	return found;
}

/* Is @key one OUTPUT lists? */
static bool man_has_key(const char *key)
{
	char doc[128];
	unsigned int i;

	for (i = 0; i < nr_man; i++)
		if (is_key_line(man[i]) && sscanf(man[i], "%127s", doc) == 1 &&
		    !strcmp(doc, key))
			return true;
	return false;
}

/*
 * The keys of @pairs (one pair a line) are the documented ones whose
 * first word starts with @scope, no more, no fewer.
 */
static bool man_keys_match(const char *pairs, const char *scope)
{
	char *copy = strdup(pairs), *line, *save = NULL, key[128], doc[128];
	unsigned int i;
	bool ok = true;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		key_of(line, key, sizeof(key));
		if (strncmp(key, scope, strlen(scope)) || man_has_key(key))
			continue;
		printf("# written but not in keventctl(8): %s\n", key);
		ok = false;
	}
	free(copy);
	for (i = 0; i < nr_man; i++) {
		if (!is_key_line(man[i]) || sscanf(man[i], "%127s", doc) != 1 ||
		    strncmp(doc, scope, strlen(scope)) || pairs_have_key(pairs, doc))
			continue;
		printf("# in keventctl(8) but not written: %s\n", doc);
		ok = false;
	}
	return ok;
}

/* --- records ---------------------------------------------------------- */

/* 2026-11-27T00:58:29 UTC in ns, plus @us microseconds. */
static __u64 example_ns(unsigned int us)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 27,
			 .tm_hour = 0, .tm_min = 58, .tm_sec = 29 };

	return timegm(&tm) * 1000000000ULL + us * 1000ULL;
}

static void example_records(struct kevent_s390_log_record r[2])
{
	memset(r, 0, 2 * sizeof(*r));
	r[0].seq = 12;
	r[0].timestamp_ns = example_ns(123456);
	r[0].event = KEVENT_S390_TAPE_LOADED;
	r[0].devid = KEVENT_S390_DEVID(0, 0, 0x180);
	r[0].payload_len = 6;
	memcpy(r[0].payload, "VOL001", 6);
	r[1].seq = 13;
	r[1].timestamp_ns = example_ns(200000);
	r[1].event = KEVENT_S390_TAPE_ERROR;
	r[1].devid = KEVENT_S390_DEVID(0, 0, 0x181);
	r[1].payload_len = 3;
	memcpy(r[1].payload, "\x01\x02\xff", 3);
}

static const char *records_in(struct mem *m, enum kctl_format format,
			      bool truncated)
{
	struct kevent_s390_log_record r[2];
	struct kctl_out o;

	example_records(r);
	if (truncated)
		r[1].flags = KEVENT_S390_LOG_REC_TRUNCATED;
	kctl_out_start(&o, mem_open(m), format);
	kctl_out_record(&o, &r[0]);
	kctl_out_record(&o, &r[1]);
	kctl_out_lost(&o, 14, 5);
	return mem_text(m);
}

/* @text without the lines that start with "meta.time" (the clock's). */
static char *without_time(const char *text)
{
	char *copy = strdup(text), *out = calloc(1, strlen(text) + 1);
	char *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "meta.time", 9)) {
			strcat(out, line);
			strcat(out, "\n");
		}
	}
	free(copy);
	return out;
}

/* JSON lines flattened, line 2 on under records[N]. */
static char *flatten_lines(const char *json)
{
	char *copy = strdup(json), *line, *save = NULL, prefix[32] = "";
	const char *why = NULL;
	struct mem m = { 0 };
	unsigned int n = 0;
	long col;

	mem_open(&m);
	for (line = strtok_r(copy, "\n", &save); line && !why;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (n)
			snprintf(prefix, sizeof(prefix), "records[%u]", n - 1);
		why = kt_jflat(line, prefix, m.f, &col);
		if (why)
			printf("# JSON line %u, column %ld: %s\n", n + 1, col, why);
	}
	free(copy);
	mem_text(&m);
	if (why) {
		free(m.buf);
		return NULL;
	}
	return m.buf;
}

static void test_records(void)
{
	struct mem m = { 0 };
	char *json, *flat, *a, *b;
	const char *t;

	t = records_in(&m, KCTL_FMT_TEXT, false);
	check(!strcmp(t,
		      "      12 2026-11-27T00:58:29.123456Z 0.0.0180 tape_loaded       \"VOL001\"\n"
		      "      13 2026-11-27T00:58:29.200000Z 0.0.0181 tape_error        hex:\"0102ff\"\n"
		      "       - lost 5 record(s): sequence 14..18 were overwritten before they were read\n"),
	      "text: a record, a hex payload, a loss");
	check(man_shows(t), "text: the lines are keventctl(8)'s OUTPUT example, byte for byte");
	t = records_in(&m, KCTL_FMT_TEXT, true);
	check(has(t, "hex:\"0102ff\" (truncated)\n"), "text: (truncated) after the payload");

	json = strdup(records_in(&m, KCTL_FMT_JSON, true));
	check(starts(json, "{\"meta\":{\"api_level\":1,\"version\":\"" KLD_VERSION "\",\"host\":") &&
	      has(json, "}}\n{\"type\":\"event\",\"seq\":12,\"time\":\"2026-11-27T00:58:29.123456000Z\",\"time_ns\":1795741109123456000,\"device\":\"0.0.0180\",\"event\":\"tape_loaded\",\"payload\":\"VOL001\",\"encoding\":\"text\",\"truncated\":false}\n"
		  "{\"type\":\"event\",\"seq\":13,\"time\":\"2026-11-27T00:58:29.200000000Z\",\"time_ns\":1795741109200000000,\"device\":\"0.0.0181\",\"event\":\"tape_error\",\"payload\":\"0102ff\",\"encoding\":\"hex\",\"truncated\":true}\n"
		  "{\"type\":\"lost\",\"first\":14,\"last\":18,\"lost\":5}\n"),
	      "json: the meta line, then one object a line");

	flat = flatten_lines(json);
	check(flat != NULL, "json: every line is valid JSON (strict parser)");
	t = records_in(&m, KCTL_FMT_PAIRS, true);
	check(has(t, "\nrecords[0].type=\"event\"\nrecords[0].seq=12\n") &&
	      has(t, "\nrecords[1].truncated=true\nrecords[2].type=\"lost\"\nrecords[2].first=14\n") &&
	      starts(t, "meta.api_level=1\nmeta.version=\"" KLD_VERSION "\"\nmeta.host="),
	      "pairs: meta.KEY, then records[N].KEY");
	a = without_time(t);
	b = flat ? without_time(flat) : strdup("");
	check(!strcmp(a, b), "json, parsed and flattened, says what pairs says");
	check(man_keys_match(t, "records"),
	      "json and pairs: the record fields are keventctl(8)'s, no more, no fewer");
	check(man_keys_match(t, "meta."), "json and pairs: the meta fields are keventctl(8)'s");
	free(a);
	free(b);
	free(flat);
	free(json);
	free(m.buf);
}

/* --- status ----------------------------------------------------------- */

/* The status keventctl(8)'s OUTPUT shows. */
static void example_status(struct kctl_status *s, struct kctl_queue *q)
{
	static const __u8 id[16] = {
		0x6f, 0x0d, 0x2c, 0x43, 0x8f, 0x4e, 0x4b, 0x1a,
		0x9c, 0x1e, 0x2a, 0x7d, 0x5b, 0x3c, 0x9e, 0x10,
	};

	memset(s, 0, sizeof(*s));
	memcpy(s->st.instance, id, 16);
	s->st.size = 4096;
	s->st.records = 5;
	s->st.oldest_seq = 1;
	s->st.next_seq = 6;
	s->st.requests_any = 1;
	s->have_node = true;
	s->node.st_mode = 020640;
	s->state_file = "/var/lib/keventlogd/state";
	s->state.last_seq = 5;
	memset(q, 0, sizeof(*q));
	q->pid = 412;
	strcpy(q->comm, "keventlogd");
	q->fd = 4;
	q->v[0] = 64;
	q->v[1] = 3;
	q->v[2] = 3;
	q->v[4] = 2;	/* its log request and its signalfd's */
	q->have = 0x3f;
	s->queues = q;
	s->nr_queues = 1;
	s->all_visible = true;
}

static const char *status_in(struct mem *m, const struct kctl_status *s,
			     enum kctl_format format)
{
	kctl_status_print(s, mem_open(m), format);
	return mem_text(m);
}

static void test_status(void)
{
	struct kctl_status s;
	struct kctl_queue q;
	struct mem m = { 0 };
	char *json, *a, *b;
	const char *t, *why;
	struct mem fm = { 0 };
	long col;

	example_status(&s, &q);
	t = status_in(&m, &s, KCTL_FMT_TEXT);
	check(man_shows(t), "status text is keventctl(8)'s OUTPUT example, byte for byte");
	check(has(t, "  instance     6f0d2c43-8f4e-4b1a-9c1e-2a7d5b3c9e10\n"),
	      "status text: the instance UUID");
	memset(s.st.instance, 0, 16);
	s.st.records = 0;
	s.state.last_seq = 9;
	s.nr_queues = 0;
	s.all_visible = false;
	t = status_in(&m, &s, KCTL_FMT_TEXT);
	check(has(t, "  instance     unknown (the module does not report one)\n") &&
	      man_has_line(".B \"unknown (the module does not report one)\""),
	      "status text: no instance from an old module, as documented");
	check(has(t, "  records      0\n") && has(t, "  position     9 (past the log's end: saved for an earlier log)\n") &&
	      has(t, "  none open (or not visible: run as root)\n"),
	      "status text: an empty buffer, a position past the end, no queue as non-root");
	s.state_err = -ENOENT;
	t = status_in(&m, &s, KCTL_FMT_TEXT);
	check(has(t, "  position     unknown: No such file or directory\n"),
	      "status text: position unknown, with the reason");

	example_status(&s, &q);
	json = strdup(status_in(&m, &s, KCTL_FMT_JSON));
	check(starts(json, "{\n  \"meta\": {\n    \"api_level\": 1,\n") &&
	      has(json, "\n  \"status\": {\n    \"log\": {\n      \"device\": \"/dev/kevent_s390_log\",\n      \"instance\": \"6f0d2c43-8f4e-4b1a-9c1e-2a7d5b3c9e10\",\n") &&
	      has(json, "\"node_mode\": \"0640\"\n    },\n    \"keventlogd\": {\n") &&
	      has(json, "\n    \"queues\": [\n      {\n        \"pid\": 412,\n        \"comm\": \"keventlogd\",\n") &&
	      ends(json, "\n      }\n    ]\n  }\n}\n"),
	      "status json: one object, indented by two");

	mem_open(&fm);
	why = kt_jflat(json, "", fm.f, &col);
	mem_text(&fm);
	check(!why, "status json is valid JSON (strict parser)%s%s", why ? ": " : "", why ? why : "");
	t = status_in(&m, &s, KCTL_FMT_PAIRS);
	check(has(t, "\nstatus.log.instance=\"6f0d2c43-8f4e-4b1a-9c1e-2a7d5b3c9e10\"\n") &&
	      has(t, "\nstatus.keventlogd.behind=0\nstatus.keventlogd.error=\n") &&
	      has(t, "\nstatus.queues[0].pid=412\nstatus.queues[0].comm=\"keventlogd\"\n"),
	      "status pairs: path=value, unknown values empty");
	a = without_time(t);
	b = without_time(fm.buf ? fm.buf : "");
	check(!strcmp(a, b), "status json, parsed and flattened, says what pairs says");
	check(man_keys_match(t, "status.") && man_keys_match(t, "meta."),
	      "status json and pairs: the fields are keventctl(8)'s, no more, no fewer");
	free(a);
	free(b);
	free(json);

	s.queues[0].have = 0x3f & ~(1U << 3);
	memset(s.st.instance, 0, 16);
	s.have_node = false;
	s.state_err = -EINVAL;
	strcpy(s.state_why, "line 1: \"last-seq\" is not a number");
	t = status_in(&m, &s, KCTL_FMT_JSON);
	check(has(t, "\"instance\": null,") && has(t, "\"node_uid\": null,") &&
	      has(t, "\"position\": null,\n      \"behind\": null,\n      \"error\": \"line 1: \\\"last-seq\\\" is not a number\"\n") &&
	      has(t, "\"backlog\": null,"),
	      "status json: null for what is not known; the error escaped");
	t = status_in(&m, &s, KCTL_FMT_PAIRS);
	check(has(t, "\nstatus.keventlogd.error=\"line 1: \\\"last-seq\\\" is not a number\"\n") &&
	      has(t, "\nstatus.log.instance=\n"),
	      "status pairs: the error quoted for a shell, unknowns empty");
	free(fm.buf);
	free(m.buf);
}

static void test_pairs_quoting(void)
{
	struct mem m = { 0 };
	struct kctl_fmt t;
	const char *s;

	kctl_fmt_init(&t, mem_open(&m), KCTL_FMT_PAIRS, false);
	kctl_fmt_begin(&t, NULL, false);
	kctl_fmt_str(&t, "s", "a\"$`\\\n\t\x01\xe9 b");
	kctl_fmt_end(&t);
	s = mem_text(&m);
	check(!strcmp(s, "s=\"a\\\"\\$\\`\\\\\\n\\t\\x01\\xe9 b\"\n"),
	      "pairs: \", $, ` and \\ escaped, control bytes as C escapes, others \\xHH");
	kctl_fmt_init(&t, mem_open(&m), KCTL_FMT_JSON, true);
	kctl_fmt_begin(&t, NULL, false);
	kctl_fmt_str(&t, "s", "a\"\\\n\x01\xe9");
	kctl_fmt_begin(&t, "l", true);
	kctl_fmt_end(&t);
	kctl_fmt_end(&t);
	s = mem_text(&m);
	check(!strcmp(s, "{\"s\":\"a\\\"\\\\\\u000a\\u0001\\u00e9\",\"l\":[]}\n"),
	      "json: \" and \\ escaped, other bytes as \\u00XX; an empty list");
	free(m.buf);
}

int main(void)
{
	unsigned int i;

	load_man();
	check(nr_man > 50, "keventctl(8) has an OUTPUT section (%s)", KCTL_MAN);
	test_numbers();
	test_devices();
	test_format_names();
	test_uuid();
	test_pairs_quoting();
	test_records();
	test_status();
	for (i = 0; i < nr_man; i++)
		free(man[i]);
	tap_plan();
	return tap_failed ? 1 : 0;
}
