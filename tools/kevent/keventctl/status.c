// SPDX-License-Identifier: GPL-2.0
/*
 * "keventctl status": the s390 log's statistics (STATS), how far
 * keventlogd has written (its state file), and every kevent queue open on
 * the system with its ring state (/proc/PID/fdinfo, as KEVENT_IOC_INFO
 * gives it).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "keventctl.h"
#include "state.h"

static void print_stats(const struct kevent_s390_log_stats *s)
{
	struct stat node;
	printf("s390 log (%s)\n", LIBKEVENT_S390_LOG_DEVICE);
	printf("  buffer       %llu records of %zu bytes\n",
	       (unsigned long long)s->size,
	       sizeof(struct kevent_s390_log_record));
	if (s->records)
		printf("  records      %llu, sequence %llu..%llu\n",
		       (unsigned long long)s->records,
		       (unsigned long long)s->oldest_seq,
		       (unsigned long long)s->next_seq - 1);
	else
		printf("  records      0\n");
	printf("  next seq     %llu\n", (unsigned long long)s->next_seq);
	printf("  overwritten  %llu  (gone from the buffer; lost to a reader that had not read them)\n",
	       (unsigned long long)s->overwritten);
	printf("  truncated    %llu  (payloads cut to %d bytes)\n",
	       (unsigned long long)s->truncated, KEVENT_S390_LOG_PAYLOAD_MAX);
	printf("  rejected     %llu  (notifies with bad arguments: driver bugs)\n",
	       (unsigned long long)s->rejected);
	printf("  requests     %llu for one device, %llu for every device\n",
	       (unsigned long long)s->requests_dev,
	       (unsigned long long)s->requests_any);
	printf("  devices      %llu named by requests\n",
	       (unsigned long long)s->devices);
	/* Who may read: the node's owner, group and mode (a udev rule's). */
	if (!stat(LIBKEVENT_S390_LOG_DEVICE, &node))
		printf("  node         uid %u gid %u mode %04o\n",
		       (unsigned int)node.st_uid, (unsigned int)node.st_gid,
		       (unsigned int)(node.st_mode & 07777));
}

static void print_position(const char *path,
			   const struct kevent_s390_log_stats *s)
{
	struct kld_state st;
	char why[160] = "";
	int err;

	printf("keventlogd (%s)\n", path);
	err = kld_state_load(path, &st, why, sizeof(why));
	if (err) {
		printf("  position     unknown: %s\n",
		       err == -EINVAL ? why : strerror(-err));
		return;
	}
	printf("  position     %llu", (unsigned long long)st.last_seq);
	if (st.last_seq < s->next_seq)
		printf(" (%llu record(s) behind)",
		       (unsigned long long)(s->next_seq - 1 - st.last_seq));
	else
		printf(" (past the log's end: saved for an earlier log)");
	printf("\n");
}

/* Print the kevent-* lines of /proc/@pid/fdinfo/@fd on one line. */
static void print_queue(const char *pid, const char *fd)
{
	char path[PATH_MAX], line[128], comm[64] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			strcpy(comm, "?");
		comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("  pid %s (%s) fd %s:", pid, comm, fd);
	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	f = fopen(path, "re");
	if (!f) {
		printf(" %s\n", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');

		if (strncmp(line, "kevent-", 7) || !tab || tab == line ||
		    tab[-1] != ':')
			continue;
		tab[-1] = '\0';
		tab[1 + strcspn(tab + 1, "\n")] = '\0';
		printf(" %s=%s", line + 7, tab + 1);
	}
	fclose(f);
	printf("\n");
}

/* The /dev/kevent fds of process @pid. */
static unsigned int scan_process(const char *pid)
{
	char path[PATH_MAX], target[64];
	unsigned int n = 0;
	struct dirent *e;
	ssize_t len;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, KLD_KEVENT_DEV))
			continue;
		print_queue(pid, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void print_queues(void)
{
	unsigned int n = 0;
	struct dirent *e;
	DIR *d;

	printf("kevent queues (%s)\n", KLD_KEVENT_DEV);
	d = opendir("/proc");
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
		    (pid_t)atoi(e->d_name) != getpid())
			n += scan_process(e->d_name);
	closedir(d);
	if (!n)
		printf("  none open%s\n", geteuid() ? " (or not visible: run as root)" : "");
}

int kctl_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state-file", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = KLD_STATE_FILE;
	struct kevent_s390_log_stats st;
	int c, fd, err;

	while ((c = getopt_long(argc, argv, "s:", longopts, NULL)) != -1) {
		if (c != 's') {
			fprintf(stderr, "usage: keventctl status [-s STATEFILE]\n");
			return 2;
		}
		state = optarg;
	}
	fd = kctl_open_log();
	if (fd < 0)
		return 1;
	err = libkevent_s390_log_stats(fd, &st);
	close(fd);
	if (err) {
		fprintf(stderr, "keventctl: STATS: %s\n", strerror(-err));
		return 1;
	}
	print_stats(&st);
	print_position(state, &st);
	print_queues();
	return 0;
}
