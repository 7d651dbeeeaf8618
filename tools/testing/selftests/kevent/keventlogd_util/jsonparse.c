// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON parser (RFC 8259) for one object per line, with unique
 * keys: enough for keventlogd's JSON lines and `journalctl -o json`.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

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

static int jvalue(struct jp *p, struct kt_jfield *f, int depth);

static int jcontainer(struct jp *p, char close, int depth)
{
	struct kt_jfield tmp;

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

static int jvalue(struct jp *p, struct kt_jfield *f, int depth)
{
	static const struct { const char *w; enum kt_jtype t; } words[] = {
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
int kt_jparse(const char *line, struct kt_jobj *o)
{
	struct jp p = { .s = line };
	struct kt_jfield *f;
	int i;

	o->n = 0;
	ws(&p);
	if (*p.s++ != '{') {
		kt_bad("not a JSON object");
		return -1;
	}
	ws(&p);
	while (*p.s != '}') {
		if (o->n == FIELDS_MAX) {
			kt_bad("too many fields");
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
				kt_bad("key \"%s\" twice", f->key);
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
		kt_bad("text after the object");
		return -1;
	}
	return 0;
err:
	kt_bad("invalid JSON at column %ld: %s", (long)(p.s - line) + 1, p.err);
	return -1;
}

const struct kt_jfield *kt_jget(const struct kt_jobj *o, const char *key)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->f[i].key, key))
			return &o->f[i];
	return NULL;
}

/* A field that must be there with type @t; its value, or NULL. */
const char *kt_jneed(const struct kt_jobj *o, const char *key,
		     enum kt_jtype t)
{
	const struct kt_jfield *f = kt_jget(o, key);

	if (!f) {
		kt_bad("no field \"%s\"", key);
		return NULL;
	}
	if (f->type != t) {
		kt_bad("field \"%s\" has the wrong type", key);
		return NULL;
	}
	return f->val;
}
