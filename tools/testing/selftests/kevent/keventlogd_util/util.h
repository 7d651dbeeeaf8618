/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd_test_util, the checking half of the keventlogd tests: what
 * its subcommands share.  main.c says what each subcommand does.
 */
#ifndef KT_KEVENTLOGD_UTIL_H
#define KT_KEVENTLOGD_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#define FIELDS_MAX	160
#define VALUE_MAX	4096

/* lines.c: input files, read line by line, and mistakes as FILE:LINE */
extern const char *kt_file;
extern unsigned int kt_line;
extern unsigned int kt_errors;

void __attribute__((format(printf, 1, 2))) kt_bad(const char *fmt, ...);
int kt_each_line(const char *file, int (*fn)(const char *line));

/* jsonparse.c: a strict JSON parser for one object per line */
enum kt_jtype {
	J_STRING, J_NUMBER, J_TRUE, J_FALSE, J_NULL, J_ARRAY, J_OBJECT
};

struct kt_jfield {
	char key[128];
	enum kt_jtype type;
	char val[VALUE_MAX];	/* strings decoded; numbers as written */
};

struct kt_jobj {
	struct kt_jfield f[FIELDS_MAX];
	int n;
};

int kt_jparse(const char *line, struct kt_jobj *o);
const struct kt_jfield *kt_jget(const struct kt_jobj *o, const char *key);
const char *kt_jneed(const struct kt_jobj *o, const char *key,
		     enum kt_jtype t);

/* jsonflat.c, flat.c: any JSON document as keventctl's key=value pairs */
const char *kt_jflat(const char *doc, const char *prefix, FILE *out,
		     long *where);
int kt_flat(const char *file, const char *list);

/* canon.c: what keventlogd writes, checked and printed in canonical form */
bool kt_known_event(const char *s);
bool kt_is_uint(const char *s);
bool kt_is_busid(const char *s);
bool kt_is_time(const char *s, int digits);
bool kt_time_matches(const char *time, unsigned long long ns, int digits);
bool kt_check_payload(const char *payload, const char *encoding);
void kt_print_event(const char *seq, const char *dev, const char *ev,
		    const char *enc, const char *payload, int trunc);
int kt_lost_line(const char *first, const char *last, const char *lost);
bool kt_is_uuid(const char *s);
int kt_check_ids(const char *instance, const char *boot_id);
const char *kt_message_id(const char *event);

/* rfc5424.c: an RFC 5424 STRUCTURED-DATA, and the one element wanted */
struct kt_sd {
	char name[40][33];
	char val[40][VALUE_MAX];
	int n;
	bool found;		/* the element wanted */
	bool origin;		/* [origin software="keventlogd" ...] */
};

const char *kt_sd_parse(const char *s, const char *sd_id, struct kt_sd *sd);
const char *kt_sd_get(const struct kt_sd *sd, const char *name);

/* One subcommand each */
int kt_json_line(const char *line);		/* json.c */
int kt_journal_line(const char *line);		/* journal.c */
int kt_rfc5424_line(const char *line);		/* rfc5424.c */
int kt_rfc6587(const char *file);		/* rfc6587.c */
int kt_rfc3164(const char *file, const char *json, bool host);
						/* rfc3164.c */
int kt_journal_syslog(const char *file, const char *json);
						/* journal.c */
int kt_instance(void);				/* instance.c */
int kt_recv(const char *addr, const char *out);	/* recv.c */
int kt_cover(unsigned long long first, unsigned long long last,
	     const char *file);			/* cover.c */
int kt_as(char **argv);				/* as.c */
int kt_sleeps(const char *pid);			/* sleeps.c */
int kt_oldkevent(char **argv);			/* oldkevent.c */

#endif /* KT_KEVENTLOGD_UTIL_H */
