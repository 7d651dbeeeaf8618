/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventctl's output for scripts, as s390-tools' util_fmt writes it
 * (chpstat --format): JSON, or key=value pairs whose keys name the path
 * to the value (status.log.size=4096, records[0].seq=12).  A "meta"
 * object comes first: api_level, version, host, time_epoch, time.
 *
 *	kctl_fmt_init(&t, stdout, KCTL_FMT_JSON, false);
 *	kctl_fmt_begin(&t, NULL, false);	the top object
 *	kctl_fmt_meta(&t);
 *	kctl_fmt_begin(&t, "status", false);
 *	kctl_fmt_u64(&t, "size", 4096);
 *	kctl_fmt_end(&t);
 *	kctl_fmt_end(&t);
 */
#ifndef KCTL_FMT_H
#define KCTL_FMT_H

#include <stdio.h>

#include "common.h"

/*
 * The output's api_level: raised when a field is removed, renamed or
 * changes its meaning; new fields may come at the same level.
 */
#define KCTL_API_LEVEL		1

enum kctl_format {
	KCTL_FMT_TEXT,
	KCTL_FMT_JSON,
	KCTL_FMT_PAIRS,
};

#define KCTL_FMT_DEPTH		8

/**
 * struct kctl_fmt - a JSON or pairs writer
 * @f: the output
 * @format: KCTL_FMT_JSON or KCTL_FMT_PAIRS
 * @lines: json: each top-level value on one line (JSON lines), else
 *	indented over several lines
 * @depth: open objects and lists
 * @lvl: each open one: its name (NULL at the top and in lists), whether
 *	it is a list, and how many members it has so far
 */
struct kctl_fmt {
	FILE *f;
	enum kctl_format format;
	bool lines;
	unsigned int depth;
	struct {
		const char *name;
		bool list;
		unsigned int members;
	} lvl[KCTL_FMT_DEPTH];
};

void kctl_fmt_init(struct kctl_fmt *t, FILE *f, enum kctl_format format,
		   bool lines);
void kctl_fmt_begin(struct kctl_fmt *t, const char *name, bool list);
void kctl_fmt_end(struct kctl_fmt *t);
void kctl_fmt_u64(struct kctl_fmt *t, const char *key, __u64 v);
void kctl_fmt_str(struct kctl_fmt *t, const char *key, const char *s);
void kctl_fmt_bool(struct kctl_fmt *t, const char *key, bool v);
void kctl_fmt_null(struct kctl_fmt *t, const char *key);
void kctl_fmt_meta(struct kctl_fmt *t);

#endif /* KCTL_FMT_H */
