// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl status": the s390 log's statistics (STATS) and instance id,
 * how far keventlogd has written (its state file), and every kevent
 * queue open on the system with its ring state (/proc/PID/fdinfo, as
 * KEVENT_IOC_INFO gives it).  Everything is gathered first into a struct
 * kctl_status, then printed in the format asked for.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keventctl.h"

/* fdinfo's kevent-* keys (kevent/queue.c), and their names in json. */
static const char * const fdinfo_keys[KCTL_QUEUE_FIELDS] = {
	"ring-entries", "tail", "committed", "backlog", "requests", "broken",
};

static const char * const json_keys[KCTL_QUEUE_FIELDS] = {
	"ring_entries", "tail", "committed", "backlog", "requests", "broken",
};

/**
 * kctl_uuid_format() - a UUID as RFC 9562 writes it
 * @uuid: 16 bytes
 * @buf: out: KCTL_UUID_LEN bytes, 8-4-4-4-12 lower-case hex digits
 *
 * Return: false if @uuid is all zero (a kernel from before instance ids):
 * then @buf is "".
 */
bool kctl_uuid_format(const __u8 uuid[16], char *buf)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i, n = 0;
	bool zero = true;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[n++] = '-';
		buf[n++] = digits[uuid[i] >> 4];
		buf[n++] = digits[uuid[i] & 15];
		zero &= !uuid[i];
	}
	buf[zero ? 0 : n] = '\0';
	return !zero;
}

/* The kevent-* lines of /proc/@pid/fdinfo/@fd.  -1 if it is gone. */
static int read_queue(const char *pid, const char *fd, struct kctl_queue *q)
{
	char path[PATH_MAX], line[128];
	unsigned int i;
	FILE *f;

	memset(q, 0, sizeof(*q));
	q->pid = strtoul(pid, NULL, 10);
	q->fd = strtoul(fd, NULL, 10);
	strcpy(q->comm, "?");
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(q->comm, sizeof(q->comm), f))
			strcpy(q->comm, "?");
		q->comm[strcspn(q->comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');

		if (strncmp(line, "kevent-", 7) || !tab || tab == line ||
		    tab[-1] != ':')
			continue;
		tab[-1] = '\0';
		for (i = 0; i < KCTL_QUEUE_FIELDS; i++) {
			if (strcmp(line + 7, fdinfo_keys[i]))
				continue;
			q->v[i] = strtoull(tab + 1, NULL, 10);
			q->have |= 1U << i;
		}
	}
	fclose(f);
	return 0;
}

static int add_queue(struct kctl_status *s, const char *pid, const char *fd)
{
	struct kctl_queue *q;

	q = realloc(s->queues, (s->nr_queues + 1) * sizeof(*q));
	if (!q)
		return -1;
	s->queues = q;
	if (!read_queue(pid, fd, &q[s->nr_queues]))
		s->nr_queues++;
	return 0;
}

/* The /dev/kevent fds of process @pid. */
static void scan_process(struct kctl_status *s, const char *pid)
{
	char path[PATH_MAX], target[64];
	struct dirent *e;
	ssize_t len;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, KLD_KEVENT_DEV) &&
		    add_queue(s, pid, e->d_name))
			break;
	}
	closedir(d);
}

static void scan_queues(struct kctl_status *s)
{
	struct dirent *e;
	DIR *d;

	s->all_visible = !geteuid();
	d = opendir("/proc");
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
		    (pid_t)atoi(e->d_name) != getpid())
			scan_process(s, e->d_name);
	closedir(d);
}

static void text_log(const struct kctl_status *s, FILE *f)
{
	const struct kevent_s390_log_stats *st = &s->st;
	char uuid[KCTL_UUID_LEN];

	fprintf(f, "s390 log (%s)\n", LIBKEVENT_S390_LOG_DEVICE);
	if (kctl_uuid_format(st->instance, uuid))
		fprintf(f, "  instance     %s\n", uuid);
	else
		fprintf(f, "  instance     unknown (the module does not report one)\n");
	fprintf(f, "  buffer       %llu records of %zu bytes\n",
		(unsigned long long)st->size,
		sizeof(struct kevent_s390_log_record));
	if (st->records)
		fprintf(f, "  records      %llu, sequence %llu..%llu\n",
			(unsigned long long)st->records,
			(unsigned long long)st->oldest_seq,
			(unsigned long long)st->next_seq - 1);
	else
		fprintf(f, "  records      0\n");
	fprintf(f, "  next seq     %llu\n", (unsigned long long)st->next_seq);
	fprintf(f, "  overwritten  %llu  (gone from the buffer; lost to a reader that had not read them)\n",
		(unsigned long long)st->overwritten);
	fprintf(f, "  truncated    %llu  (payloads cut to %d bytes)\n",
		(unsigned long long)st->truncated, KEVENT_S390_LOG_PAYLOAD_MAX);
	fprintf(f, "  rejected     %llu  (notifies with bad arguments: driver bugs)\n",
		(unsigned long long)st->rejected);
	fprintf(f, "  requests     %llu for one device, %llu for every device\n",
		(unsigned long long)st->requests_dev,
		(unsigned long long)st->requests_any);
	fprintf(f, "  devices      %llu named by requests\n",
		(unsigned long long)st->devices);
	/* Who may read: the node's owner, group and mode (a udev rule's). */
	if (s->have_node)
		fprintf(f, "  node         uid %u gid %u mode %04o\n",
			(unsigned int)s->node.st_uid,
			(unsigned int)s->node.st_gid,
			(unsigned int)(s->node.st_mode & 07777));
}

static void text_position(const struct kctl_status *s, FILE *f)
{
	__u64 next = s->st.next_seq, last = s->state.last_seq;

	fprintf(f, "keventlogd (%s)\n", s->state_file);
	if (s->state_err) {
		fprintf(f, "  position     unknown: %s\n",
			s->state_err == -EINVAL ? s->state_why :
			strerror(-s->state_err));
		return;
	}
	fprintf(f, "  position     %llu", (unsigned long long)last);
	if (last < next)
		fprintf(f, " (%llu record(s) behind)\n",
			(unsigned long long)(next - 1 - last));
	else
		fprintf(f, " (past the log's end: saved for an earlier log)\n");
}

static void text_queues(const struct kctl_status *s, FILE *f)
{
	const struct kctl_queue *q;
	unsigned int i, k;

	fprintf(f, "kevent queues (%s)\n", KLD_KEVENT_DEV);
	for (i = 0; i < s->nr_queues; i++) {
		q = &s->queues[i];
		fprintf(f, "  pid %u (%s) fd %u:", q->pid, q->comm, q->fd);
		for (k = 0; k < KCTL_QUEUE_FIELDS; k++)
			if (q->have & 1U << k)
				fprintf(f, " %s=%llu", fdinfo_keys[k],
					(unsigned long long)q->v[k]);
		fprintf(f, "\n");
	}
	if (!s->nr_queues)
		fprintf(f, "  none open%s\n",
			s->all_visible ? "" : " (or not visible: run as root)");
}

static void fmt_log(const struct kctl_status *s, struct kctl_fmt *t)
{
	const struct kevent_s390_log_stats *st = &s->st;
	char uuid[KCTL_UUID_LEN], mode[8];

	kctl_fmt_begin(t, "log", false);
	kctl_fmt_str(t, "device", LIBKEVENT_S390_LOG_DEVICE);
	kctl_fmt_str(t, "instance",
		     kctl_uuid_format(st->instance, uuid) ? uuid : NULL);
	kctl_fmt_u64(t, "size", st->size);
	kctl_fmt_u64(t, "record_size", sizeof(struct kevent_s390_log_record));
	kctl_fmt_u64(t, "records", st->records);
	kctl_fmt_u64(t, "oldest_seq", st->oldest_seq);
	kctl_fmt_u64(t, "next_seq", st->next_seq);
	kctl_fmt_u64(t, "overwritten", st->overwritten);
	kctl_fmt_u64(t, "truncated", st->truncated);
	kctl_fmt_u64(t, "rejected", st->rejected);
	kctl_fmt_u64(t, "requests_dev", st->requests_dev);
	kctl_fmt_u64(t, "requests_any", st->requests_any);
	kctl_fmt_u64(t, "devices", st->devices);
	if (s->have_node) {
		snprintf(mode, sizeof(mode), "%04o",
			 (unsigned int)(s->node.st_mode & 07777));
		kctl_fmt_u64(t, "node_uid", s->node.st_uid);
		kctl_fmt_u64(t, "node_gid", s->node.st_gid);
		kctl_fmt_str(t, "node_mode", mode);
	} else {
		kctl_fmt_null(t, "node_uid");
		kctl_fmt_null(t, "node_gid");
		kctl_fmt_null(t, "node_mode");
	}
	kctl_fmt_end(t);
}

static void fmt_position(const struct kctl_status *s, struct kctl_fmt *t)
{
	__u64 next = s->st.next_seq, last = s->state.last_seq;

	kctl_fmt_begin(t, "keventlogd", false);
	kctl_fmt_str(t, "state_file", s->state_file);
	if (s->state_err) {
		kctl_fmt_null(t, "position");
		kctl_fmt_null(t, "behind");
		kctl_fmt_str(t, "error", s->state_err == -EINVAL ?
			     s->state_why : strerror(-s->state_err));
	} else {
		kctl_fmt_u64(t, "position", last);
		if (last < next)
			kctl_fmt_u64(t, "behind", next - 1 - last);
		else
			kctl_fmt_null(t, "behind");
		kctl_fmt_null(t, "error");
	}
	kctl_fmt_end(t);
}

static void fmt_queues(const struct kctl_status *s, struct kctl_fmt *t)
{
	const struct kctl_queue *q;
	unsigned int i, k;

	kctl_fmt_bool(t, "queues_complete", s->all_visible);
	kctl_fmt_begin(t, "queues", true);
	for (i = 0; i < s->nr_queues; i++) {
		q = &s->queues[i];
		kctl_fmt_begin(t, NULL, false);
		kctl_fmt_u64(t, "pid", q->pid);
		kctl_fmt_str(t, "comm", q->comm);
		kctl_fmt_u64(t, "fd", q->fd);
		for (k = 0; k < KCTL_QUEUE_FIELDS; k++) {
			if (q->have & 1U << k)
				kctl_fmt_u64(t, json_keys[k], q->v[k]);
			else
				kctl_fmt_null(t, json_keys[k]);
		}
		kctl_fmt_end(t);
	}
	kctl_fmt_end(t);
}

/**
 * kctl_status_print() - write what status gathered
 * @s: it
 * @f: where
 * @format: text, or json (one document over several lines) or pairs
 */
void kctl_status_print(const struct kctl_status *s, FILE *f,
		       enum kctl_format format)
{
	struct kctl_fmt t;

	if (format == KCTL_FMT_TEXT) {
		text_log(s, f);
		text_position(s, f);
		text_queues(s, f);
		return;
	}
	kctl_fmt_init(&t, f, format, false);
	kctl_fmt_begin(&t, NULL, false);
	kctl_fmt_meta(&t);
	kctl_fmt_begin(&t, "status", false);
	fmt_log(s, &t);
	fmt_position(s, &t);
	fmt_queues(s, &t);
	kctl_fmt_end(&t);
	kctl_fmt_end(&t);
}

static int status_options(int argc, char **argv, struct kctl_status *s,
			  enum kctl_format *format)
{
	static const struct option longopts[] = {
		{ "state-file", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	char why[KCTL_WHY_LEN];
	int c;

	while ((c = getopt_long(argc, argv, "s:", longopts, NULL)) != -1) {
		if (c == 's') {
			s->state_file = optarg;
			continue;
		}
		if (c == 'F' && !kctl_parse_format(optarg, format, why,
						   sizeof(why)))
			continue;
		if (c == 'F')
			fprintf(stderr, "keventctl status: %s\n", why);
		goto usage;
	}
	if (optind == argc)
		return 0;
	fprintf(stderr, "keventctl status: unexpected argument '%s'\n",
		argv[optind]);
usage:
	fprintf(stderr, "usage: keventctl status [-s STATEFILE] [--format text|json|pairs]\n");
	return -1;
}

int kctl_status(int argc, char **argv)
{
	struct kctl_status s = { .state_file = KLD_STATE_FILE };
	enum kctl_format format = KCTL_FMT_TEXT;
	int fd, err;

	if (status_options(argc, argv, &s, &format))
		return 2;
	fd = kctl_open_log();
	if (fd < 0)
		return 1;
	err = libkevent_s390_log_stats(fd, &s.st);
	close(fd);
	if (err) {
		fprintf(stderr, "keventctl: STATS: %s\n", strerror(-err));
		return 1;
	}
	s.have_node = !stat(LIBKEVENT_S390_LOG_DEVICE, &s.node);
	s.state_err = kld_state_load(s.state_file, &s.state, s.state_why,
				     sizeof(s.state_why));
	scan_queues(&s);
	kctl_status_print(&s, stdout, format);
	free(s.queues);
	return 0;
}
