/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventctl: the administrator's view of the s390 log and of the kevent
 * queues reading it.  See keventctl(8).
 */
#ifndef KCTL_KEVENTCTL_H
#define KCTL_KEVENTCTL_H

#include <stdio.h>
#include <sys/stat.h>

#include "libkevent_s390_log.h"

#include "config.h"
#include "fmt.h"
#include "state.h"

/* Devices one monitor may name, as keventlogd.conf may list. */
#define KCTL_DEVICES_MAX	KLD_MAX_DEVICES

/* Room for a parse error: what was wrong, then "\n  hint: " and an example. */
#define KCTL_WHY_LEN		320

/**
 * struct kctl_devices - the devices --device options named
 * @id: KEVENT_S390_DEVID()s, each once, in the order first named
 * @n: how many
 */
struct kctl_devices {
	__u32 id[KCTL_DEVICES_MAX];
	unsigned int n;
};

/* args.c: option arguments */
int __must_check kctl_parse_u64(const char *s, __u64 *v, char *why,
				size_t whylen);
int __must_check kctl_parse_devices(const char *s, struct kctl_devices *d,
				    char *why, size_t whylen);
int __must_check kctl_parse_format(const char *s, enum kctl_format *f,
				   char *why, size_t whylen);
int __must_check kctl_option_u64(const char *cmd, const char *opt,
				 const char *s, __u64 *v);

/**
 * struct kctl_out - where records go, in which format
 * @t: the formatter (json, pairs); text is printed directly
 */
struct kctl_out {
	struct kctl_fmt t;
};

/* records.c: a record, or a loss, in each format */
void kctl_out_start(struct kctl_out *o, FILE *f, enum kctl_format format);
void kctl_out_record(struct kctl_out *o,
		     const struct kevent_s390_log_record *r);
void kctl_out_lost(struct kctl_out *o, __u64 first, __u64 count);

/**
 * struct kctl_follow - printing records as they come (monitor, read -f)
 * @conf: which devices and events; nothing in it is allocated
 * @pos: the last sequence number printed or passed over
 * @count: stop after printing this many records; 0: never
 * @timeout: stop after this many seconds; 0: never
 * @out: where the records go
 */
struct kctl_follow {
	struct kld_config conf;
	__u64 pos;
	__u64 count;
	__u64 timeout;
	struct kctl_out out;
};

/*
 * follow.c: 0 at --count or at the end of a timeout without --count, 1
 * for a timeout before --count, -1 on errors (reported).
 */
int kctl_follow(struct kctl_follow *w, int lfd);

/* The fdinfo fields of a kevent queue that status shows. */
#define KCTL_QUEUE_FIELDS	6

/**
 * struct kctl_queue - a kevent queue open on the system
 * @pid: the process holding it
 * @comm: its name
 * @fd: the descriptor
 * @v: the fdinfo values: ring-entries, tail, committed, backlog,
 *	requests, broken
 * @have: bit i set: @v[i] was in fdinfo
 */
struct kctl_queue {
	unsigned int pid;
	char comm[64];
	unsigned int fd;
	__u64 v[KCTL_QUEUE_FIELDS];
	unsigned int have;
};

/**
 * struct kctl_status - what "status" shows
 * @st: the log's STATS
 * @have_node: @node holds the device node's stat()
 * @node: owner, group and mode of the device node
 * @state_file: keventlogd's state file
 * @state_err: 0, or why its position is unknown (-errno)
 * @state_why: for -EINVAL: what is wrong with the file
 * @state: the position in it
 * @queues: every kevent queue found
 * @nr_queues: how many
 * @all_visible: the queues of every process could be looked at (root)
 */
struct kctl_status {
	struct kevent_s390_log_stats st;
	bool have_node;
	struct stat node;
	const char *state_file;
	int state_err;
	char state_why[160];
	struct kld_state state;
	struct kctl_queue *queues;
	unsigned int nr_queues;
	bool all_visible;
};

/* status.c: the parts of "status" that the unit tests call */
#define KCTL_UUID_LEN		37	/* 8-4-4-4-12 and its NUL */

bool kctl_uuid_format(const __u8 uuid[16], char *buf);
void kctl_status_print(const struct kctl_status *s, FILE *f,
		       enum kctl_format format);

int kctl_open_log(void);

int kctl_status(int argc, char **argv);
int kctl_monitor(int argc, char **argv);
int kctl_read(int argc, char **argv);

#endif /* KCTL_KEVENTCTL_H */
