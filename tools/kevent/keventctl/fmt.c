// SPDX-License-Identifier: GPL-2.0
/*
 * JSON and key=value pairs, written as they are produced: nothing is held
 * back, so that a monitor's line is out as soon as its record is.
 *
 * JSON strings escape '"', '\' and every byte outside printable ASCII
 * (\u00XX, as keventlogd's json output does).  Pairs values that are
 * strings are quoted for a POSIX shell's double quotes, as s390-tools
 * does: '"', '$', '`' and '\' get a backslash, control characters their C
 * escape, other bytes outside printable ASCII \xHH.  Numbers, true and
 * false are written bare; an unknown value is null in JSON and nothing
 * after the '=' in pairs.
 */
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "format.h"

void kctl_fmt_init(struct kctl_fmt *t, FILE *f, enum kctl_format format,
		   bool lines)
{
	memset(t, 0, sizeof(*t));
	t->f = f;
	t->format = format;
	t->lines = lines;
}

static void indent(struct kctl_fmt *t)
{
	unsigned int i;

	if (t->lines)
		return;
	fputc('\n', t->f);
	for (i = 0; i < t->depth; i++)
		fputs("  ", t->f);
}

static void json_str(FILE *f, const char *s)
{
	unsigned char c;

	fputc('"', f);
	for (; *s; s++) {
		c = *s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void pairs_str(FILE *f, const char *s)
{
	static const char from[] = "\"$`\\\a\b\033\f\n\r\t\v";
	static const char to[] = "\"$`\\abefnrtv";
	const char *e;
	unsigned char c;

	fputc('"', f);
	for (; *s; s++) {
		c = *s;
		e = strchr(from, c);
		if (e)
			fprintf(f, "\\%c", to[e - from]);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The key of a pair: the names of the open levels, list indexes, @key. */
static void pairs_key(struct kctl_fmt *t, const char *key)
{
	bool sep = false;
	unsigned int i;

	for (i = 0; i < t->depth; i++) {
		if (t->lvl[i].name) {
			fprintf(t->f, "%s%s", sep ? "." : "", t->lvl[i].name);
			sep = true;
		}
		if (t->lvl[i].list)
			fprintf(t->f, "[%u]", t->lvl[i].members - 1);
	}
	fprintf(t->f, "%s%s=", sep ? "." : "", key);
}

/* Start a member of the innermost level: what comes before its value. */
static void member(struct kctl_fmt *t, const char *key)
{
	if (!t->depth)
		return;
	if (t->lvl[t->depth - 1].members++ && t->format == KCTL_FMT_JSON)
		fputc(',', t->f);
	if (t->format != KCTL_FMT_JSON)
		return;
	indent(t);
	if (!t->lvl[t->depth - 1].list && key) {
		json_str(t->f, key);
		fputs(t->lines ? ":" : ": ", t->f);
	}
}

/**
 * kctl_fmt_begin() - open an object or a list
 * @t: the writer
 * @name: its key in the enclosing object; NULL at the top and in lists
 * @list: a list
 */
void kctl_fmt_begin(struct kctl_fmt *t, const char *name, bool list)
{
	if (t->depth == KCTL_FMT_DEPTH)
		return;
	/* A member of a list counts before it opens: pairs keys index it. */
	member(t, name);
	if (t->format == KCTL_FMT_JSON)
		fputc(list ? '[' : '{', t->f);
	t->lvl[t->depth].name = name;
	t->lvl[t->depth].list = list;
	t->lvl[t->depth].members = 0;
	t->depth++;
}

/* Close the innermost object or list; the top one ends its line. */
void kctl_fmt_end(struct kctl_fmt *t)
{
	bool list;

	if (!t->depth)
		return;
	t->depth--;
	if (t->format != KCTL_FMT_JSON)
		return;
	list = t->lvl[t->depth].list;
	if (t->lvl[t->depth].members)
		indent(t);
	fputc(list ? ']' : '}', t->f);
	if (!t->depth)
		fputc('\n', t->f);
}

void kctl_fmt_u64(struct kctl_fmt *t, const char *key, __u64 v)
{
	if (t->format == KCTL_FMT_PAIRS)
		pairs_key(t, key);
	else
		member(t, key);
	fprintf(t->f, "%llu", (unsigned long long)v);
	if (t->format == KCTL_FMT_PAIRS)
		fputc('\n', t->f);
}

/* A string; NULL is written as an unknown value. */
void kctl_fmt_str(struct kctl_fmt *t, const char *key, const char *s)
{
	if (!s) {
		kctl_fmt_null(t, key);
		return;
	}
	if (t->format == KCTL_FMT_PAIRS) {
		pairs_key(t, key);
		pairs_str(t->f, s);
		fputc('\n', t->f);
		return;
	}
	member(t, key);
	json_str(t->f, s);
}

void kctl_fmt_bool(struct kctl_fmt *t, const char *key, bool v)
{
	if (t->format == KCTL_FMT_PAIRS)
		pairs_key(t, key);
	else
		member(t, key);
	fputs(v ? "true" : "false", t->f);
	if (t->format == KCTL_FMT_PAIRS)
		fputc('\n', t->f);
}

void kctl_fmt_null(struct kctl_fmt *t, const char *key)
{
	if (t->format == KCTL_FMT_PAIRS) {
		pairs_key(t, key);
		fputc('\n', t->f);
		return;
	}
	member(t, key);
	fputs("null", t->f);
}

/*
 * The "meta" object s390-tools puts first: which output this is, from
 * which program, on which host, when (time in RFC 3339 UTC, like every
 * other time keventctl prints).
 */
void kctl_fmt_meta(struct kctl_fmt *t)
{
	char host[HOST_NAME_MAX + 1] = "", when[KLD_TIME_LEN];
	struct timespec now;
	bool have_time;

	clock_gettime(CLOCK_REALTIME, &now);
	have_time = !kld_time_format(now.tv_sec * 1000000000ULL, 0, when,
				     sizeof(when));
	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	kctl_fmt_begin(t, "meta", false);
	kctl_fmt_u64(t, "api_level", KCTL_API_LEVEL);
	kctl_fmt_str(t, "version", KLD_VERSION);
	kctl_fmt_str(t, "host", host[0] ? host : NULL);
	kctl_fmt_u64(t, "time_epoch", now.tv_sec);
	kctl_fmt_str(t, "time", have_time ? when : NULL);
	kctl_fmt_end(t);
}
