// SPDX-License-Identifier: GPL-2.0
/*
 * Records as "read" and "monitor" print them, in each format:
 *
 *   text   one line each: sequence, time, device, event, payload
 *   json   JSON lines: {"meta":{...}} first, then one object per record
 *          or loss, so that a monitor's output can be read as it comes
 *   pairs  meta.KEY=VALUE, then records[N].KEY=VALUE, one pair a line
 *
 * The fields are keventlogd's json output's (type, seq, time, time_ns,
 * device, event, payload, encoding, truncated; first, last, lost for a
 * loss).  keventctl(8), OUTPUT, lists them.
 */
#include <string.h>

#include "format.h"
#include "keventctl.h"

/* Begin the output: the meta object, for json and pairs. */
void kctl_out_start(struct kctl_out *o, FILE *f, enum kctl_format format)
{
	kctl_fmt_init(&o->t, f, format, true);
	if (format == KCTL_FMT_TEXT)
		return;
	kctl_fmt_begin(&o->t, NULL, false);
	kctl_fmt_meta(&o->t);
	/* JSON lines: each record a line of its own; pairs: records[N]. */
	if (format == KCTL_FMT_JSON)
		kctl_fmt_end(&o->t);
	else
		kctl_fmt_begin(&o->t, "records", true);
}

void kctl_out_record(struct kctl_out *o,
		     const struct kevent_s390_log_record *r)
{
	char t[KLD_TIME_LEN], pl[KLD_PAYLOAD_LEN];
	char dev[LIBKEVENT_S390_DEVID_LEN];
	bool have_time;
	const char *enc;

	libkevent_s390_devid_format(r->devid, dev);
	enc = kld_payload_format(r->payload, r->payload_len, pl);
	if (o->t.format == KCTL_FMT_TEXT) {
		if (kld_time_format(r->timestamp_ns, 6, t, sizeof(t)))
			strcpy(t, "-");
		fprintf(o->t.f, "%8llu %s %s %-17s %s\"%s\"%s\n",
			(unsigned long long)r->seq, t, dev,
			libkevent_s390_event_name(r->event),
			strcmp(enc, "hex") ? "" : "hex:", pl,
			r->flags & KEVENT_S390_LOG_REC_TRUNCATED ?
			" (truncated)" : "");
		return;
	}
	have_time = !kld_time_format(r->timestamp_ns, 9, t, sizeof(t));
	kctl_fmt_begin(&o->t, NULL, false);
	kctl_fmt_str(&o->t, "type", "event");
	kctl_fmt_u64(&o->t, "seq", r->seq);
	kctl_fmt_str(&o->t, "time", have_time ? t : NULL);
	kctl_fmt_u64(&o->t, "time_ns", r->timestamp_ns);
	kctl_fmt_str(&o->t, "device", dev);
	kctl_fmt_str(&o->t, "event", libkevent_s390_event_name(r->event));
	kctl_fmt_str(&o->t, "payload", pl);
	kctl_fmt_str(&o->t, "encoding", enc);
	kctl_fmt_bool(&o->t, "truncated",
		      r->flags & KEVENT_S390_LOG_REC_TRUNCATED);
	kctl_fmt_end(&o->t);
}

/* Records @first to @first + @count - 1 were overwritten unread. */
void kctl_out_lost(struct kctl_out *o, __u64 first, __u64 count)
{
	if (o->t.format == KCTL_FMT_TEXT) {
		fprintf(o->t.f, "%8s lost %llu record(s): sequence %llu..%llu were overwritten before they were read\n",
			"-", (unsigned long long)count,
			(unsigned long long)first,
			(unsigned long long)(first + count - 1));
		return;
	}
	kctl_fmt_begin(&o->t, NULL, false);
	kctl_fmt_str(&o->t, "type", "lost");
	kctl_fmt_u64(&o->t, "first", first);
	kctl_fmt_u64(&o->t, "last", first + count - 1);
	kctl_fmt_u64(&o->t, "lost", count);
	kctl_fmt_end(&o->t);
}
