/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libkevent_s390_log: the client side of /dev/kevent_s390_log, and how its
 * records are named.  The ABI is <linux/kevent_s390_log.h>.
 *
 * A daemon adds KEVENT_S390_LOG requests on /dev/kevent (libkevent.h) and,
 * whenever one is delivered, reads every record since its own position:
 *
 *	fd = libkevent_s390_log_open();
 *	err = libkevent_s390_log_stats(fd, &st);
 *	pos = st.oldest_seq;			(or a saved position)
 *	for (;;) {				(after each delivery)
 *		err = libkevent_s390_log_read(fd, pos, recs, n, &res,
 *					      why, sizeof(why));
 *		if (err)			(ERANGE: the module was
 *			give up;		 reloaded; EPROTO: why)
 *		if (res.lost)			(pos was overwritten)
 *			report res.lost records lost;
 *		use res.count records;
 *		pos = res.next;
 *		if (!res.count && !res.lost)
 *			break;			(read everything)
 *	}
 *
 * The reader checks every answer of the kernel against what the ABI
 * promises before a record is used, and fails with EPROTO if one does not
 * hold.  Event names are the ABI's bit names in lower case (tape_loaded);
 * device ids are written as the CCW bus ids the kernel prints (0.0.0180).
 *
 * Functions that can fail return 0 (or a file descriptor) on success and
 * -errno on failure, with errno set as well (libbpf does the same).
 */
#ifndef _LIBKEVENT_S390_LOG_H
#define _LIBKEVENT_S390_LOG_H

#include <stddef.h>
#include <linux/kevent_s390_log.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBKEVENT_S390_LOG_DEVICE	"/dev/kevent_s390_log"

/* Bytes libkevent_s390_devid_format() writes at most: "ff.ff.ffff" + NUL. */
#define LIBKEVENT_S390_DEVID_LEN	11

/**
 * struct libkevent_s390_log_result - what one libkevent_s390_log_read() gave
 * @count: records copied
 * @next: the sequence number to read next
 * @lost: records overwritten before they could be read (the kernel's
 *	EOVERFLOW): the sequence numbers [@next - @lost, @next); @count is
 *	then 0
 */
struct libkevent_s390_log_result {
	unsigned int count;
	__u64 next;
	__u64 lost;
};

/* A result that must be looked at: an error, or a record count. */
#define LIBKEVENT_MUST_CHECK	__attribute__((warn_unused_result))

int libkevent_s390_log_open(void);
LIBKEVENT_MUST_CHECK
int libkevent_s390_log_stats(int fd, struct kevent_s390_log_stats *st);
LIBKEVENT_MUST_CHECK
int libkevent_s390_log_read(int fd, __u64 seq,
			    struct kevent_s390_log_record *buf,
			    unsigned int max,
			    struct libkevent_s390_log_result *res,
			    char *why, size_t whylen);

const char *libkevent_s390_event_name(__u32 bit);
const char *libkevent_s390_event_text(__u32 bit);
LIBKEVENT_MUST_CHECK
int libkevent_s390_event_parse(const char *name, __u32 *bit);
const char *libkevent_s390_event_names(void);

char *libkevent_s390_devid_format(__u32 devid, char *buf);
LIBKEVENT_MUST_CHECK
int libkevent_s390_devid_parse(const char *s, __u32 *devid);

#ifdef __cplusplus
}
#endif

#endif /* _LIBKEVENT_S390_LOG_H */
