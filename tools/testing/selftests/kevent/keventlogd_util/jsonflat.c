// SPDX-License-Identifier: GPL-2.0
/*
 * "flat FILE [LIST]": any JSON document, parsed strictly (RFC 8259), and
 * written as the key=value pairs keventctl --format pairs writes: one
 * scalar a line, its key the path to it (a.b[0].c), strings in double
 * quotes with '"', '$', '`' and '\' escaped and other bytes outside
 * printable ASCII as C escapes or \xHH, numbers as written, null as
 * nothing.  So keventctl's JSON and its pairs can be compared line for
 * line.  With LIST, FILE holds JSON lines: the first is flattened as it
 * is, line N (from 2 on) under LIST[N-2].
 *
 * Self-contained (no other file of this folder), so that the host unit
 * test keventctl_unit links it too.  \u escapes below 0x100 become one
 * byte, as keventctl writes bytes.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define PATH_MAX_LEN	512
#define STR_MAX_LEN	4096

struct flat {
	const char *s;
	const char *err;
	FILE *out;
	char path[PATH_MAX_LEN];
};

static void ws(struct flat *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static int bad(struct flat *p, const char *why)
{
	if (!p->err)
		p->err = why;
	return -1;
}

static int hex4(const char *s, unsigned int *v)
{
	unsigned int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 16 + (isdigit((unsigned char)s[i]) ? s[i] - '0' :
				tolower((unsigned char)s[i]) - 'a' + 10);
	}
	return 0;
}

static int put(char *out, size_t *n, unsigned int c)
{
	if (*n + 1 >= STR_MAX_LEN)
		return -1;
	out[(*n)++] = c;
	return 0;
}

/* A code point: one byte below 0x100, else UTF-8. */
static int put_cp(char *out, size_t *n, unsigned int cp)
{
	if (cp < 0x100)
		return put(out, n, cp);
	if (cp < 0x800)
		return put(out, n, 0xc0 | cp >> 6) ||
		       put(out, n, 0x80 | (cp & 0x3f));
	if (cp < 0x10000)
		return put(out, n, 0xe0 | cp >> 12) ||
		       put(out, n, 0x80 | ((cp >> 6) & 0x3f)) ||
		       put(out, n, 0x80 | (cp & 0x3f));
	return put(out, n, 0xf0 | cp >> 18) ||
	       put(out, n, 0x80 | ((cp >> 12) & 0x3f)) ||
	       put(out, n, 0x80 | ((cp >> 6) & 0x3f)) ||
	       put(out, n, 0x80 | (cp & 0x3f));
}

static int escape(struct flat *p, char *out, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *c = *p->s ? strchr(from, *p->s) : NULL;
	unsigned int cp, lo;

	if (c) {
		p->s++;
		return put(out, n, to[c - from]);
	}
	if (*p->s != 'u' || hex4(p->s + 1, &cp))
		return bad(p, "bad escape in a string");
	p->s += 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return bad(p, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->s[0] != '\\' || p->s[1] != 'u' || hex4(p->s + 2, &lo) ||
		    lo < 0xdc00 || lo > 0xdfff)
			return bad(p, "high surrogate without a low one");
		p->s += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return put_cp(out, n, cp);
}

/* A string, decoded into @out (STR_MAX_LEN bytes). */
static int string(struct flat *p, char *out)
{
	size_t n = 0;
	unsigned char c;

	if (*p->s != '"')
		return bad(p, "expected a string");
	p->s++;
	while (*p->s != '"') {
		c = *p->s;
		if (!c)
			return bad(p, "unterminated string");
		if (c < 0x20)
			return bad(p, "raw control character in a string");
		p->s++;
		if (c == '\\') {
			if (escape(p, out, &n))
				return bad(p, "string too long");
			continue;
		}
		if (put(out, &n, c))
			return bad(p, "string too long");
	}
	p->s++;
	out[n] = '\0';
	return 0;
}

static void print_key(struct flat *p)
{
	fprintf(p->out, "%s=", p->path);
}

static void print_str(struct flat *p, const char *s)
{
	static const char from[] = "\"$`\\\a\b\033\f\n\r\t\v";
	static const char to[] = "\"$`\\abefnrtv";
	unsigned char c;
	const char *e;

	print_key(p);
	fputc('"', p->out);
	for (; *s; s++) {
		c = *s;
		e = strchr(from, c);
		if (e)
			fprintf(p->out, "\\%c", to[e - from]);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(p->out, "\\x%02x", c);
		else
			fputc(c, p->out);
	}
	fputs("\"\n", p->out);
}

static int number(struct flat *p)
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
		return bad(p, "expected a value");
	if (*p->s == '.') {
		p->s++;
		if (!isdigit((unsigned char)*p->s))
			return bad(p, "bad number");
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!isdigit((unsigned char)*p->s))
			return bad(p, "bad number");
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	print_key(p);
	fprintf(p->out, "%.*s\n", (int)(p->s - start), start);
	return 0;
}

static int value(struct flat *p, int depth);

/* Append ".key" or "[i]" to the path; the old length, or -1. */
static int push(struct flat *p, const char *key, int index)
{
	size_t len = strlen(p->path);
	int n;

	if (key)
		n = snprintf(p->path + len, sizeof(p->path) - len, "%s%s",
			     len ? "." : "", key);
	else
		n = snprintf(p->path + len, sizeof(p->path) - len, "[%d]",
			     index);
	if (n < 0 || (size_t)n >= sizeof(p->path) - len)
		return bad(p, "path too long");
	return len;
}

static int container(struct flat *p, int depth)
{
	static char key[STR_MAX_LEN];
	char close = *p->s == '{' ? '}' : ']';
	int len, i;

	p->s++;
	ws(p);
	if (*p->s == close) {
		p->s++;
		return 0;
	}
	for (i = 0;; i++) {
		ws(p);
		if (close == '}') {
			if (string(p, key))
				return -1;
			ws(p);
			if (*p->s++ != ':')
				return bad(p, "expected ':'");
		}
		len = push(p, close == '}' ? key : NULL, i);
		if (len < 0 || value(p, depth + 1))
			return -1;
		p->path[len] = '\0';
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s++ == close)
			return 0;
		return bad(p, "expected ',' or the end of an array or object");
	}
}

static int value(struct flat *p, int depth)
{
	static char s[STR_MAX_LEN];

	if (depth > 16)
		return bad(p, "nested too deeply");
	ws(p);
	if (*p->s == '"') {
		if (string(p, s))
			return -1;
		print_str(p, s);
		return 0;
	}
	if (*p->s == '{' || *p->s == '[')
		return container(p, depth);
	if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "null", 4) ||
	    !strncmp(p->s, "false", 5)) {
		print_key(p);
		fprintf(p->out, "%s\n", *p->s == 'n' ? "" :
			*p->s == 't' ? "true" : "false");
		p->s += *p->s == 'f' ? 5 : 4;
		return 0;
	}
	return number(p);
}

/**
 * kt_jflat() - check one JSON document and print it as pairs
 * @doc: the document: one value, blanks around it allowed
 * @prefix: put before every key ("" for none)
 * @out: where the pairs go
 * @where: out: on an error, the column it was found at (from 1)
 *
 * Return: NULL, or what is wrong with @doc.
 */
const char *kt_jflat(const char *doc, const char *prefix, FILE *out,
		     long *where)
{
	struct flat p = { .s = doc, .out = out };

	snprintf(p.path, sizeof(p.path), "%s", prefix);
	ws(&p);
	if (!value(&p, 0)) {
		ws(&p);
		if (*p.s)
			bad(&p, "text after the document");
	}
	*where = p.s - doc + 1;
	return p.err;
}
