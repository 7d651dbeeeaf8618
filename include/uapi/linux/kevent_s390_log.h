/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * KEVENT_S390_LOG: s390 driver events (tape loaded, unloaded, errors...)
 * for a userspace logging daemon.
 *
 * This header is the specification of the userspace ABI.  The driver-facing
 * API is in <linux/kevent_s390_log.h>; Documentation/s390-log.rst has the
 * full story and an example daemon loop.
 *
 * MODEL
 *
 * Every kevent_s390_log_notify() by a driver writes one record, with a
 * 64-bit sequence number (1, 2, 3, ... one per notify, never reused while
 * the module stays loaded), into a wraparound buffer, and then marks the
 * KEVENT_S390_LOG requests that wait for it.  A ready request says which
 * record to read; the record itself is read through /dev/kevent_s390_log.
 *
 * REQUESTS (struct ukevent on /dev/kevent, see <linux/kevent.h>)
 *
 *   type       KEVENT_S390_LOG
 *   event      mask of KEVENT_S390_* event bits; other bits: EINVAL
 *   param      a device id (KEVENT_S390_DEVID()), or KEVENT_S390_LOG_ANY_DEV
 *              for every device; anything else: EINVAL.  The device need
 *              not exist yet.
 *
 * The requests of one device form a group, and the wildcard requests form
 * another.  In each group a notify marks the first matching request that is
 * not already ready (unread), and every matching request that has
 * KEVENT_REQ_WAKEUP_ALL.  A ready request that has not been committed is
 * skipped; it can fire again once committed.
 *
 * When a request is written into the ring:
 *   ret_data[0]  the sequence number of the newest record that matched the
 *                request (its device and event mask) by then.  Notifies
 *                folded into one delivery (KEVENT_RET_COALESCED) report the
 *                newest of them.
 *   ret_data[1]  that record's event and device:
 *                KEVENT_S390_LOG_RET_EVENT() and KEVENT_S390_LOG_RET_DEVID().
 * A daemon keeps its own read position and reads from there up to (at
 * least) ret_data[0]: one ready request is enough to collect every record
 * since its last read, whichever request the notifies marked.
 *
 * When a driver removes a device (kevent_s390_log_device_remove()), the
 * requests naming that device come back with KEVENT_RET_BROKEN and ENODEV
 * in ret_data[1].  Wildcard requests stay.
 *
 * ADD fails with EPERM unless the caller may read /dev/kevent_s390_log (by
 * the owner, group and mode of that node, a character device with the
 * log's device number, as the caller's mount namespace shows it) or has
 * CAP_SYSLOG.  The check is made at ADD, against the caller.
 *
 * /dev/kevent_s390_log
 *
 * Who may open it is decided by the node's owner, group and mode alone:
 * the kernel creates it 0600 root:root, and a udev rule sets GROUP= and
 * MODE= (the project's rule: 0640 root:keventlog).  Others get EACCES from
 * open().  An fd keeps working after its opener drops privileges.
 *
 * Reads are by sequence number and never consume anything: any number of
 * readers may read the same records.  The file is not seekable: lseek()
 * fails with ESPIPE.
 *
 * KEVENT_S390_LOG_IOC_READ (struct kevent_s390_log_read, read-write)
 *	Copy up to max records, starting at seq, to buf, oldest first.
 *	Returns the number copied (also in count); next_seq is the sequence
 *	number to read next, lost is 0.
 *	- seq is the next sequence number to be written: returns 0 (nothing
 *	  yet; poll the fd to wait).
 *	- seq was overwritten: fails with EOVERFLOW.  The structure is still
 *	  written back: count 0, lost = the exact number of records lost
 *	  (oldest available - seq), next_seq = the oldest available record.
 *	  Read again from next_seq to go on.
 *	- Records overwritten while a long read is in progress end it early:
 *	  the call returns what it copied, and the next call reports the loss.
 *	EINVAL: seq 0, max 0, flags or a reserved field non-zero.
 *	ERANGE: seq is past the next sequence number (never issued: the module
 *	was reloaded, the log started again at 1).
 *	EFAULT: the argument or buf is not accessible.
 *
 * KEVENT_S390_LOG_IOC_STATS (struct kevent_s390_log_stats, read)
 *	The log's state and its instance id.  Returns 0.
 *
 * poll: the fd is readable while records exist past its read position:
 * next_seq of the last successful READ on this open file, or, before the
 * first, the next sequence number at open time.
 */
#ifndef _UAPI_LINUX_KEVENT_S390_LOG_H
#define _UAPI_LINUX_KEVENT_S390_LOG_H

#include <linux/ioctl.h>
#include <linux/kevent.h>
#include <linux/types.h>

/*
 * Event bits: a request's event field is a mask of them.  ABI.  The
 * payloads of the s390 tape driver (Documentation/s390-tape.rst):
 *   TAPE_LOADED, _UNLOADED  "MEDIUM_STATE=LOADED" or "MEDIUM_STATE=UNLOADED";
 *                           " WHILE_OFFLINE" appended when the change
 *                           happened while the device was offline
 *   TAPE_ERROR              the sense bytes of the unit check that failed
 *                           an I/O (32)
 *   TAPE_INTERVENTION       the sense bytes that said so (32)
 *   DEVICE_ADDED            "<type>/<model>", e.g. "3490/50"
 */
#define KEVENT_S390_TAPE_LOADED		0x01	/* a cartridge was mounted */
#define KEVENT_S390_TAPE_UNLOADED	0x02	/* the cartridge was unloaded */
#define KEVENT_S390_TAPE_ERROR		0x04	/* unit check, sense in payload */
#define KEVENT_S390_TAPE_INTERVENTION	0x08	/* operator intervention required */
#define KEVENT_S390_DEVICE_ADDED	0x10	/* a device appeared */
#define KEVENT_S390_DEVICE_REMOVED	0x20	/* a device went away */
#define KEVENT_S390_EVENTS_ALL		0x3f

/*
 * A device id packs the CCW bus id cssid.ssid.devno (0.0.0180, say) into 32
 * bits.  ssid is at most KEVENT_S390_SSID_MAX: other values are not device
 * ids, so KEVENT_S390_LOG_ANY_DEV never is one.
 */
#define KEVENT_S390_DEVID(cssid, ssid, devno)				\
	((__u32)((((__u32)(cssid) & 0xff) << 24) |			\
		 (((__u32)(ssid) & 0xff) << 16) | ((__u32)(devno) & 0xffff)))
#define KEVENT_S390_DEVID_CSSID(id)	(((__u32)(id) >> 24) & 0xff)
#define KEVENT_S390_DEVID_SSID(id)	(((__u32)(id) >> 16) & 0xff)
#define KEVENT_S390_DEVID_DEVNO(id)	((__u32)(id) & 0xffff)
#define KEVENT_S390_SSID_MAX		3
#define KEVENT_S390_LOG_ANY_DEV		0xffffffffU

/* Split ret_data[1] of a ready KEVENT_S390_LOG request. */
#define KEVENT_S390_LOG_RET_EVENT(r)	((__u32)((__u64)(r) >> 32))
#define KEVENT_S390_LOG_RET_DEVID(r)	((__u32)(__u64)(r))

/* Payload bytes a record holds; a driver's longer payload is truncated. */
#define KEVENT_S390_LOG_PAYLOAD_MAX	64

/* kevent_s390_log_record.flags */
#define KEVENT_S390_LOG_REC_TRUNCATED	0x0001	/* the payload was cut */

/**
 * struct kevent_s390_log_record - one notify, as stored and read
 * @seq: sequence number, from 1
 * @timestamp_ns: CLOCK_REALTIME at the notify, in nanoseconds
 * @event: one KEVENT_S390_* event bit
 * @devid: the device, KEVENT_S390_DEVID()
 * @payload_len: bytes of @payload used
 * @flags: KEVENT_S390_LOG_REC_*
 * @__reserved: zero
 * @payload: what the driver passed (volume label, sense bytes...)
 */
struct kevent_s390_log_record {
	__u64 seq;
	__u64 timestamp_ns;
	__u32 event;
	__u32 devid;
	__u16 payload_len;
	__u16 flags;
	__u32 __reserved;
	__u8 payload[KEVENT_S390_LOG_PAYLOAD_MAX];
};

/**
 * struct kevent_s390_log_read - argument of KEVENT_S390_LOG_IOC_READ
 * @seq: in: the first sequence number to read; not 0
 * @buf: in: user pointer to @max struct kevent_s390_log_record
 * @max: in: how many records @buf holds; not 0
 * @flags: in: must be zero
 * @count: out: records copied
 * @__reserved0: must be zero
 * @next_seq: out: the sequence number to read next
 * @lost: out: with EOVERFLOW, records lost before @next_seq; else 0
 * @__reserved: must be zero
 */
struct kevent_s390_log_read {
	__u64 seq;
	__u64 buf;
	__u32 max;
	__u32 flags;
	__u32 count;
	__u32 __reserved0;
	__u64 next_seq;
	__u64 lost;
	__u64 __reserved[2];
};

/**
 * struct kevent_s390_log_stats - argument of KEVENT_S390_LOG_IOC_STATS
 * @size: records the buffer holds (module parameter records)
 * @records: records in the buffer now
 * @oldest_seq: the oldest record that can be read; @next_seq if none
 * @next_seq: the sequence number the next notify gets
 * @overwritten: records overwritten since load: lost to a reader that did
 *	not read them in time
 * @truncated: records whose payload was truncated
 * @rejected: reports refused for bad arguments (a driver bug); a refused
 *	batch counts each of its reports
 * @requests_dev: registered requests that name one device
 * @requests_any: registered requests for every device
 * @devices: devices that requests name now
 * @instance: a random UUID (RFC 9562 version 4) made when the module was
 *	loaded.  Sequence numbers start again at 1 with every load, so a
 *	record is named by (@instance, seq), and (machine id, @instance,
 *	seq) names it in a fleet.  Never all zero.
 * @__reserved: zero
 */
struct kevent_s390_log_stats {
	__u64 size;
	__u64 records;
	__u64 oldest_seq;
	__u64 next_seq;
	__u64 overwritten;
	__u64 truncated;
	__u64 rejected;
	__u64 requests_dev;
	__u64 requests_any;
	__u64 devices;
	__u8 instance[16];
	__u64 __reserved[4];
};

/* Same magic as /dev/kevent, numbers from 0x40 up. */
#define KEVENT_S390_LOG_IOC_READ	_IOWR(KEVENT_IOC_MAGIC, 0x40,	\
					      struct kevent_s390_log_read)
#define KEVENT_S390_LOG_IOC_STATS	_IOR(KEVENT_IOC_MAGIC, 0x41,	\
					     struct kevent_s390_log_stats)

#endif /* _UAPI_LINUX_KEVENT_S390_LOG_H */
