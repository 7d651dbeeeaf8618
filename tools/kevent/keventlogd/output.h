/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Outputs: where records are written.  Several may be active at once; an
 * entry counts as written only when every output has it.
 *
 * Each output remembers the last sequence number it has (@done), so that
 * after a failure of one output the others do not write an entry twice,
 * and the json output starts from what its file already holds.
 */
#ifndef KLD_OUTPUT_H
#define KLD_OUTPUT_H

#include <sys/types.h>
#include <sys/uio.h>

#include "config.h"
#include "format.h"

/* SYSLOG_IDENTIFIER, syslog APP-NAME and TAG of the records (the
 * daemon's own diagnostics are "keventlogd"). */
#define KLD_EVENT_IDENT		"kevent"

/**
 * struct kld_ident - what names this run's records in a fleet, with seq
 * @boot_id: /proc/sys/kernel/random/boot_id
 * @instance: the instance id of the kevent_s390_log load (STATS), which
 *	sequence numbers belong to
 *
 * Both RFC 9562 UUIDs; the nil UUID when not known.
 */
struct kld_ident {
	char boot_id[KLD_UUID_LEN];
	char instance[KLD_UUID_LEN];
};

enum kld_entry_kind {
	KLD_ENTRY_EVENT,
	KLD_ENTRY_LOST,
};

/**
 * struct kld_entry - one thing to log, formatted once for every output
 * @kind: a record, or a gap
 * @seq: a record's sequence number; for a gap, its last lost one
 * @time_ns: the record's timestamp; for a gap, when it was found
 * @rec: the record (KLD_ENTRY_EVENT)
 * @lost_first: the first lost sequence number (KLD_ENTRY_LOST)
 * @lost: how many were lost (KLD_ENTRY_LOST)
 * @event: "tape_loaded"..., or "lost"
 * @device: the bus id ("" for a gap)
 * @time: @time_ns in RFC 3339, nanoseconds
 * @payload: the payload as text or hex
 * @encoding: "text" or "hex"
 * @truncated: the driver's payload was longer than the record holds
 * @priority: syslog severity
 * @message: one line for people
 * @ident: the boot and the log instance it belongs to
 */
struct kld_entry {
	enum kld_entry_kind kind;
	__u64 seq;
	__u64 time_ns;
	const struct kevent_s390_log_record *rec;
	__u64 lost_first;
	__u64 lost;
	const char *event;
	char device[LIBKEVENT_S390_DEVID_LEN];
	char time[KLD_TIME_LEN];
	char payload[KLD_PAYLOAD_LEN];
	const char *encoding;
	bool truncated;
	int priority;
	char message[384];
	const struct kld_ident *ident;
};

struct kld_output;

/**
 * struct kld_output_ops - what an output does
 * @open: get ready; may raise o->done; 0 or -errno, after logging why
 * @write: write one entry; 0 or -errno.  Nothing half-written stays.
 * @flush: make what was written durable; 0 or -errno, and then o->done
 *	goes back to what is durable
 * @close: let go of everything
 */
struct kld_output_ops {
	int (*open)(struct kld_output *o);
	int (*write)(struct kld_output *o, const struct kld_entry *e);
	int (*flush)(struct kld_output *o);
	void (*close)(struct kld_output *o);
};

/**
 * struct kld_output - an active output
 * @ops: its functions
 * @conf: its configuration line
 * @name: for messages: "json /var/log/keventlogd/events.json"
 * @done: the last sequence number this output has written
 * @failing: the last write or flush failed (to say when it recovers)
 * @sd_id: the configuration's sd-id, or NULL
 * @priv: the output's own state
 */
struct kld_output {
	const struct kld_output_ops *ops;
	const struct kld_output_conf *conf;
	char name[96];
	__u64 done;
	bool failing;
	const char *sd_id;
	void *priv;
};

struct kld_outputs {
	struct kld_output *v;
	unsigned int n;
};

extern const struct kld_output_ops kld_out_journal;
extern const struct kld_output_ops kld_out_syslog;
extern const struct kld_output_ops kld_out_json;
extern const struct kld_output_ops kld_out_stdout;

void kld_entry_event(struct kld_entry *e,
		     const struct kevent_s390_log_record *rec,
		     const struct kld_ident *ident);
void kld_entry_lost(struct kld_entry *e, __u64 first, __u64 last,
		    __u64 now_ns, const struct kld_ident *ident);

int __must_check kld_outputs_open(struct kld_outputs *os,
				  const struct kld_config *c, __u64 done);
int __must_check kld_outputs_write(struct kld_outputs *os,
				   const struct kld_entry *e);
int __must_check kld_outputs_flush(struct kld_outputs *os);
__u64 kld_outputs_done(const struct kld_outputs *os);
void kld_outputs_close(struct kld_outputs *os);

const char *kld_hostname(void);
const char *kld_message_id(const char *event);
void kld_sd_format(struct kld_buf *b, const struct kld_entry *e,
		   const char *sd_id);

/*
 * The journal entry of an entry, as sd_journal_sendv() takes it
 * (out_journal.c; keventlogd(8) lists the fields).
 */
#define KLD_JOURNAL_FIELDS	24
#define KLD_JOURNAL_FIELD_LEN	1024

struct kld_journal_fields {
	struct iovec iov[KLD_JOURNAL_FIELDS];
	char buf[KLD_JOURNAL_FIELDS][KLD_JOURNAL_FIELD_LEN];
	int n;
	bool overflow;
};

void kld_journal_fields(const struct kld_output *o, const struct kld_entry *e,
			struct kld_journal_fields *f);

#endif /* KLD_OUTPUT_H */
