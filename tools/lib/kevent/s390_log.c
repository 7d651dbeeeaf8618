// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkevent_s390_log: reading /dev/kevent_s390_log, event names and CCW
 * bus ids.  See libkevent_s390_log.h.
 *
 * A READ never consumes anything: the reader keeps its own position.  A
 * gap shows up as EOVERFLOW with the exact number of records lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libkevent_s390_log.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* -@err, with errno set to @err, as every failing function here returns. */
static int fail(int err)
{
	errno = err;
	return -err;
}

/**
 * libkevent_s390_log_open() - open the log device for reading
 *
 * Read-only: READ and STATS need no more.  Close-on-exec.
 *
 * Return: the file descriptor, or -errno (EACCES when the node's owner,
 * group and mode do not let the caller read, ENOENT when
 * kevent_s390_log.ko is not loaded).
 */
int libkevent_s390_log_open(void)
{
	int fd = open(LIBKEVENT_S390_LOG_DEVICE, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? fail(errno) : fd;
}

/**
 * libkevent_s390_log_stats() - the log's state (KEVENT_S390_LOG_IOC_STATS)
 * @fd: the log device
 * @st: out: the state
 *
 * Return: 0; -EPROTO when the sequence numbers in @st contradict each
 * other; another -errno when the ioctl failed.
 */
int libkevent_s390_log_stats(int fd, struct kevent_s390_log_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, KEVENT_S390_LOG_IOC_STATS, st) < 0)
		return fail(errno);
	if (st->oldest_seq < 1 || st->oldest_seq > st->next_seq ||
	    st->records != st->next_seq - st->oldest_seq)
		return fail(EPROTO);
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
 * libkevent_s390_log_read() - read up to @max records from @seq on
 * @fd: the log device
 * @seq: the first sequence number wanted
 * @buf: room for @max records
 * @max: at most this many
 * @res: out: what was read; res->lost > 0 when @seq was overwritten
 * @why: out: what was wrong, for -EPROTO; may be NULL
 * @whylen: size of @why
 *
 * An interrupted READ is issued again.  Reading up to the newest record
 * gives count 0 (and lost 0); poll @fd to wait for more.
 *
 * Return: 0; -ERANGE when @seq was never issued (the module was loaded
 * again: the log starts at 1); -EPROTO when the kernel's answer breaks its
 * own rules; another -errno when the ioctl failed.
 */
int libkevent_s390_log_read(int fd, __u64 seq,
			    struct kevent_s390_log_record *buf,
			    unsigned int max,
			    struct libkevent_s390_log_result *res,
			    char *why, size_t whylen)
{
	struct kevent_s390_log_read rd;
	int ret, err;

	if (!why)
		whylen = 0;
	do {
		memset(&rd, 0, sizeof(rd));
		rd.seq = seq;
		rd.max = max;
		rd.buf = (__u64)(unsigned long)buf;
		ret = ioctl(fd, KEVENT_S390_LOG_IOC_READ, &rd);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0 && errno != EOVERFLOW)
		return fail(errno);
	err = check_answer(ret, seq, max, &rd, why, whylen);
	if (!err && ret > 0)
		err = check_records(seq, buf, ret, why, whylen);
	if (err)
		return fail(-err);
	res->count = ret < 0 ? 0 : ret;
	res->next = rd.next_seq;
	res->lost = rd.lost;
	return 0;
}

/* Event names, one per KEVENT_S390_* bit: the ABI names in lower case. */
static const struct {
	__u32 bit;
	const char *name;
	const char *text;
} events[] = {
	{ KEVENT_S390_TAPE_LOADED, "tape_loaded", "tape loaded" },
	{ KEVENT_S390_TAPE_UNLOADED, "tape_unloaded", "tape unloaded" },
	{ KEVENT_S390_TAPE_ERROR, "tape_error", "tape error" },
	{ KEVENT_S390_TAPE_INTERVENTION, "tape_intervention",
	  "operator intervention required" },
	{ KEVENT_S390_DEVICE_ADDED, "device_added", "device added" },
	{ KEVENT_S390_DEVICE_REMOVED, "device_removed", "device removed" },
};

static int event_index(__u32 bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (events[i].bit == bit)
			return i;
	return -1;
}

/**
 * libkevent_s390_event_name() - the name of one event bit
 * @bit: one KEVENT_S390_* event bit
 *
 * Return: "tape_loaded" for KEVENT_S390_TAPE_LOADED and so on, or
 * "unknown" for anything else (no bit, several bits, a newer one).
 */
const char *libkevent_s390_event_name(__u32 bit)
{
	int i = event_index(bit);

	return i < 0 ? "unknown" : events[i].name;
}

/**
 * libkevent_s390_event_text() - one event bit in words, for messages
 * @bit: one KEVENT_S390_* event bit
 *
 * Return: "tape loaded" for KEVENT_S390_TAPE_LOADED and so on, or
 * "unknown event".
 */
const char *libkevent_s390_event_text(__u32 bit)
{
	int i = event_index(bit);

	return i < 0 ? "unknown event" : events[i].text;
}

/**
 * libkevent_s390_event_parse() - an event name to its bit
 * @name: as libkevent_s390_event_name() writes it, case sensitive
 * @bit: out: the KEVENT_S390_* bit
 *
 * Return: 0, or -EINVAL when @name is no event's.
 */
int libkevent_s390_event_parse(const char *name, __u32 *bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		if (!strcmp(name, events[i].name)) {
			*bit = events[i].bit;
			return 0;
		}
	}
	return fail(EINVAL);
}

/**
 * libkevent_s390_event_names() - every event name, for hints
 *
 * Return: "tape_loaded, tape_unloaded, ..., device_removed".
 */
const char *libkevent_s390_event_names(void)
{
	return "tape_loaded, tape_unloaded, tape_error, tape_intervention, device_added, device_removed";
}

/**
 * libkevent_s390_devid_format() - a device id as the kernel writes it
 * @devid: KEVENT_S390_DEVID()
 * @buf: out: LIBKEVENT_S390_DEVID_LEN bytes
 *
 * The CCW bus id cssid.ssid.devno in lower-case hex, devno four digits:
 * "0.0.0180".
 *
 * Return: @buf.
 */
char *libkevent_s390_devid_format(__u32 devid, char *buf)
{
	snprintf(buf, LIBKEVENT_S390_DEVID_LEN, "%x.%x.%04x",
		 KEVENT_S390_DEVID_CSSID(devid), KEVENT_S390_DEVID_SSID(devid),
		 KEVENT_S390_DEVID_DEVNO(devid));
	return buf;
}

/* Up to @max hex digits and nothing else before @stop: the value, or -1. */
static long hex_field(const char **s, unsigned int max, char stop)
{
	unsigned int n = 0;
	long v = 0;
	int c;

	for (; **s && **s != stop; (*s)++, n++) {
		c = **s;
		if (n == max)
			return -1;
		if (c >= '0' && c <= '9')
			v = v * 16 + c - '0';
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + c - 'A' + 10;
		else
			return -1;
	}
	return n ? v : -1;
}

/**
 * libkevent_s390_devid_parse() - a CCW bus id to a device id
 * @s: "cssid.ssid.devno" in hex, e.g. "0.0.0180"; at most 2, 1 and 4
 *	digits, either case, leading zeros optional
 * @devid: out: KEVENT_S390_DEVID()
 *
 * Return: 0; -EINVAL when @s is not written like a bus id; -ERANGE when
 * the subchannel set is above KEVENT_S390_SSID_MAX.
 */
int libkevent_s390_devid_parse(const char *s, __u32 *devid)
{
	long cssid, ssid, devno;

	cssid = hex_field(&s, 2, '.');
	if (cssid < 0 || *s++ != '.')
		return fail(EINVAL);
	ssid = hex_field(&s, 1, '.');
	if (ssid < 0 || *s++ != '.')
		return fail(EINVAL);
	devno = hex_field(&s, 4, '\0');
	if (devno < 0 || *s)
		return fail(EINVAL);
	if (ssid > KEVENT_S390_SSID_MAX)
		return fail(ERANGE);
	*devid = KEVENT_S390_DEVID(cssid, ssid, devno);
	return 0;
}
