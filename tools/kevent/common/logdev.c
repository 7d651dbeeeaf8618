// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /dev/kevent_s390_log.  A READ never consumes anything: the
 * reader keeps its own position.  A gap shows up as EOVERFLOW with the
 * exact number of records lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "logdev.h"

/* The log device, read-only: READ and STATS need no more.  fd or -errno. */
int kld_log_open(void)
{
	int fd = open(KLD_LOG_DEV, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kld_log_stats(int fd, struct kevent_s390_log_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, KEVENT_S390_LOG_IOC_STATS, st) < 0)
		return -errno;
	if (st->oldest_seq < 1 || st->oldest_seq > st->next_seq ||
	    st->records != st->next_seq - st->oldest_seq)
		return -EPROTO;
	return 0;
}

/* Records copied: are they the ones asked for, and well formed? */
static int check_records(__u64 seq, const struct kevent_s390_log_record *buf,
			 unsigned int n, char *why, size_t whylen)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (buf[i].seq != seq + i) {
			snprintf(why, whylen,
				 "READ from %llu: record %u has sequence %llu",
				 (unsigned long long)seq, i,
				 (unsigned long long)buf[i].seq);
			return -EPROTO;
		}
		if (buf[i].payload_len > KEVENT_S390_LOG_PAYLOAD_MAX) {
			snprintf(why, whylen,
				 "record %llu: payload length %u above %d",
				 (unsigned long long)buf[i].seq,
				 buf[i].payload_len,
				 KEVENT_S390_LOG_PAYLOAD_MAX);
			return -EPROTO;
		}
	}
	return 0;
}

static int check_answer(int ret, __u64 seq, unsigned int max,
			const struct kevent_s390_log_read *rd, char *why,
			size_t whylen)
{
	if (ret < 0) {
		/* EOVERFLOW: nothing copied, next_seq is the oldest record. */
		if (rd->count || !rd->lost || rd->next_seq != seq + rd->lost) {
			snprintf(why, whylen,
				 "READ from %llu: EOVERFLOW with count %u, lost %llu, next %llu",
				 (unsigned long long)seq, rd->count,
				 (unsigned long long)rd->lost,
				 (unsigned long long)rd->next_seq);
			return -EPROTO;
		}
		return 0;
	}
	if ((unsigned int)ret > max || rd->count != (unsigned int)ret ||
	    rd->next_seq != seq + ret || rd->lost) {
		snprintf(why, whylen,
			 "READ from %llu of %u: returned %d, count %u, next %llu, lost %llu",
			 (unsigned long long)seq, max, ret, rd->count,
			 (unsigned long long)rd->next_seq,
			 (unsigned long long)rd->lost);
		return -EPROTO;
	}
	return 0;
}

/**
 * kld_log_read() - read up to @max records from @seq on
 * @fd: the log device
 * @seq: the first sequence number wanted
 * @buf: room for @max records
 * @max: at most this many
 * @r: out: what was read; r->lost > 0 when @seq was overwritten
 * @why: out: what was wrong, for -EPROTO
 * @whylen: size of @why
 *
 * Return: 0; -ERANGE when @seq was never issued (the module was loaded
 * again: the log starts at 1); -EPROTO when the kernel's answer breaks its
 * own rules; another -errno when the ioctl failed.
 */
int kld_log_read(int fd, __u64 seq, struct kevent_s390_log_record *buf,
		 unsigned int max, struct kld_read *r, char *why,
		 size_t whylen)
{
	struct kevent_s390_log_read rd;
	int ret, err;

	do {
		memset(&rd, 0, sizeof(rd));
		rd.seq = seq;
		rd.max = max;
		rd.buf = (__u64)(unsigned long)buf;
		ret = ioctl(fd, KEVENT_S390_LOG_IOC_READ, &rd);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0 && errno != EOVERFLOW)
		return -errno;
	err = check_answer(ret, seq, max, &rd, why, whylen);
	if (!err && ret > 0)
		err = check_records(seq, buf, ret, why, whylen);
	if (err)
		return err;
	r->count = ret < 0 ? 0 : ret;
	r->next = rd.next_seq;
	r->lost = rd.lost;
	return 0;
}
