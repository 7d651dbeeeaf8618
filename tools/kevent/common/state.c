// SPDX-License-Identifier: GPL-2.0
/*
 * The durable read position.  The file is small text:
 *
 *   version 2
 *   boot-id 6c1f0e6a-...
 *   instance 0b5e2f6c-...
 *   last-seq 1234
 *   last-timestamp-ns 1796000000123456789
 *
 * "instance" is the instance id of the kevent_s390_log load the sequence
 * numbers belong to (STATS): version 1 files, written before it existed,
 * are read as well.
 * It is replaced whole: write a temporary file, fsync it, rename it over
 * the old one, fsync the directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "state.h"

#define STATE_MAX	4096

/* The running kernel's boot id, or "" when it cannot be read. */
void kld_boot_id(char *buf)
{
	ssize_t n = -1;
	int fd;

	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, KLD_BOOT_ID_LEN - 1);
		close(fd);
	}
	if (n != KLD_BOOT_ID_LEN - 1) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
}

static int mkdir_one(const char *dir, mode_t mode)
{
	return mkdir(dir, mode) < 0 && errno != EEXIST ? -errno : 0;
}

/*
 * Make sure the state file's directory exists: what is missing is
 * created by the user keventlogd runs as, the last directory 0750, the
 * others 0755.  Existing ones are never changed.  0, or -errno with @why.
 */
int kld_state_prepare(const char *path, char *why, size_t whylen)
{
	char *copy = strdup(path), *dir, *p;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	for (p = dir + 1; !err && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		err = mkdir_one(dir, 0755);
		*p = '/';
	}
	if (!err)
		err = mkdir_one(dir, 0750);
	if (err)
		snprintf(why, whylen, "cannot create %s: %s", dir,
			 strerror(-err));
	free(copy);
	return err;
}

int kld_state_open(struct kld_state_file *sf, const char *path)
{
	char *c1 = strdup(path), *c2 = strdup(path);
	int err = -ENOMEM;

	memset(sf, 0, sizeof(*sf));
	sf->dirfd = -1;
	if (!c1 || !c2)
		goto out;
	sf->path = strdup(path);
	sf->name = strdup(basename(c1));
	if (!sf->path || !sf->name ||
	    asprintf(&sf->tmp, ".%s.tmp", sf->name) < 0) {
		sf->tmp = NULL;
		goto out;
	}
	sf->dirfd = open(dirname(c2), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = sf->dirfd < 0 ? -errno : 0;
out:
	free(c1);
	free(c2);
	if (err)
		kld_state_close(sf);
	return err;
}

void kld_state_close(struct kld_state_file *sf)
{
	if (sf->dirfd >= 0)
		close(sf->dirfd);
	free(sf->name);
	free(sf->tmp);
	free(sf->path);
	memset(sf, 0, sizeof(*sf));
	sf->dirfd = -1;
}

static int parse_u64(const char *s, __u64 *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = n;
	return 0;
}

/* A UUID into @out; the nil UUID (saved when it was unknown) as "". */
static int parse_uuid(const char *val, char *out)
{
	if (strlen(val) != KLD_BOOT_ID_LEN - 1)
		return -1;
	if (strspn(val, "0-") != KLD_BOOT_ID_LEN - 1)
		strcpy(out, val);
	return 0;
}

static int parse_state_line(char *line, struct kld_state *s, bool *have_seq,
			    bool *have_version)
{
	char *val = strchr(line, ' ');

	if (!val)
		return -1;
	*val++ = '\0';
	if (!strcmp(line, "version")) {
		*have_version = !strcmp(val, "1") || !strcmp(val, "2");
		return *have_version ? 0 : -1;
	}
	if (!strcmp(line, "boot-id"))
		return parse_uuid(val, s->boot_id);
	if (!strcmp(line, "instance"))
		return parse_uuid(val, s->instance);
	if (!strcmp(line, "last-seq")) {
		*have_seq = true;
		return parse_u64(val, &s->last_seq);
	}
	if (!strcmp(line, "last-timestamp-ns"))
		return parse_u64(val, &s->last_ts);
	return -1;
}

static int parse_state(char *buf, struct kld_state *s, char *why,
		       size_t whylen)
{
	bool have_seq = false, have_version = false;
	unsigned int line = 0;
	char *p, *nl;

	for (p = buf; *p; p = nl + 1) {
		line++;
		nl = strchr(p, '\n');
		if (!nl) {
			snprintf(why, whylen, "line %u is not finished", line);
			return -EINVAL;
		}
		*nl = '\0';
		if (*p == '#' || !*p)
			continue;
		if (parse_state_line(p, s, &have_seq, &have_version)) {
			snprintf(why, whylen, "line %u is not understood", line);
			return -EINVAL;
		}
	}
	if (!have_version || !have_seq) {
		snprintf(why, whylen, "no %s line",
			 have_version ? "last-seq" : "'version 1'");
		return -EINVAL;
	}
	return 0;
}

/*
 * Read the state file.  0; -ENOENT when there is none (first start);
 * -EINVAL when it is malformed (@why says how); another -errno.
 */
int kld_state_load(const char *path, struct kld_state *s, char *why,
		   size_t whylen)
{
	char buf[STATE_MAX + 1];
	ssize_t n;
	int fd;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	if (n > STATE_MAX) {
		snprintf(why, whylen, "larger than %d bytes", STATE_MAX);
		return -EINVAL;
	}
	buf[n] = '\0';
	if (strlen(buf) != (size_t)n) {
		snprintf(why, whylen, "holds a NUL byte");
		return -EINVAL;
	}
	return parse_state(buf, s, why, whylen);
}

/**
 * kld_state_match() - does the saved position @s belong to the log now?
 * @s: what the state file holds
 * @boot: this boot's id, "" if unknown
 * @instance: the instance id of the kevent_s390_log loaded now, "" if the
 *	kernel reports none
 * @next_seq: the log's next sequence number (STATS)
 * @why: why not, for KLD_STATE_OTHER
 * @whylen: its size
 *
 * Sequence numbers start again at 1 with every load of the module, so a
 * position counts only in the load it was saved in.  The instance ids
 * tell that exactly; without them, another boot or a position at or past
 * @next_seq tells it, and the caller compares the record at the position
 * (KLD_STATE_MAYBE).  A position at or past @next_seq is never used, even
 * with the same instance id: that log has no such record.
 */
enum kld_state_match kld_state_match(const struct kld_state *s,
				     const char *boot, const char *instance,
				     __u64 next_seq, char *why, size_t whylen)
{
	bool ids = s->instance[0] && instance[0];

	if (s->boot_id[0] && boot[0] && strcmp(s->boot_id, boot)) {
		snprintf(why, whylen, "it is from another boot (%s)", s->boot_id);
		return KLD_STATE_OTHER;
	}
	if (ids && strcmp(s->instance, instance)) {
		snprintf(why, whylen,
			 "it is from another load of kevent_s390_log (instance %s, now %s): the module was loaded again",
			 s->instance, instance);
		return KLD_STATE_OTHER;
	}
	if (s->last_seq >= next_seq) {
		snprintf(why, whylen,
			 "it is past the log's next sequence number %llu: %s",
			 (unsigned long long)next_seq,
			 ids ? "the state file does not match this log" :
			 "the module was loaded again");
		return KLD_STATE_OTHER;
	}
	return ids ? KLD_STATE_SAME : KLD_STATE_MAYBE;
}

/* Replace the state file durably.  0, or -errno (the old file stays). */
int kld_state_save(const struct kld_state_file *sf, const struct kld_state *s)
{
	static const char nil[] = "00000000-0000-0000-0000-000000000000";
	char buf[320];
	int fd, len, err;

	len = snprintf(buf, sizeof(buf),
		       "# keventlogd: every s390 log record up to last-seq is written\n"
		       "version 2\nboot-id %s\ninstance %s\nlast-seq %llu\nlast-timestamp-ns %llu\n",
		       s->boot_id[0] ? s->boot_id : nil,
		       s->instance[0] ? s->instance : nil,
		       (unsigned long long)s->last_seq,
		       (unsigned long long)s->last_ts);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EOVERFLOW;
	fd = openat(sf->dirfd, sf->tmp,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -errno;
	err = kld_write_all(fd, buf, len);
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && renameat(sf->dirfd, sf->tmp, sf->dirfd, sf->name) < 0)
		err = -errno;
	if (!err && fsync(sf->dirfd) < 0)
		err = -errno;
	if (err)
		unlinkat(sf->dirfd, sf->tmp, 0);
	return err;
}
