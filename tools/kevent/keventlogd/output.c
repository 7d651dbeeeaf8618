// SPDX-License-Identifier: GPL-2.0
/*
 * The outputs as a set: entries are formatted once, then handed to every
 * output that does not have them yet.  The first failure stops the entry:
 * the caller must not count it as written, and will offer it again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"

static const struct kld_output_ops *const ops_of[] = {
	[KLD_OUT_JOURNAL] = &kld_out_journal,
	[KLD_OUT_SYSLOG] = &kld_out_syslog,
	[KLD_OUT_JSON] = &kld_out_json,
	[KLD_OUT_STDOUT] = &kld_out_stdout,
};

/* The host name, as every output writes it; "-" if it cannot be told. */
const char *kld_hostname(void)
{
	static char name[256];
	unsigned int i;

	if (name[0])
		return name;
	if (gethostname(name, sizeof(name) - 1) < 0 || !name[0])
		strcpy(name, "-");
	name[sizeof(name) - 1] = '\0';
	for (i = 0; name[i]; i++)
		if (name[i] <= ' ' || name[i] > '~' || name[i] == '"')
			name[i] = '_';
	return name;
}

static void set_time(struct kld_entry *e, __u64 ns)
{
	e->time_ns = ns;
	if (kld_time_format(ns, 9, e->time, sizeof(e->time)))
		strcpy(e->time, "-");
}

/*
 * The journal's MESSAGE_ID of each event, generated once (systemd-id128
 * new) and never changed: journalctl -x explains them from
 * dist/catalog/keventlogd.catalog.
 */
static const struct {
	const char *event;
	const char *id;
} message_ids[] = {
	{ "tape_loaded", "2b565d3943504f938ac1206ae513e4f7" },
	{ "tape_unloaded", "eefc3a5592094441acdc6cdbc4b497ea" },
	{ "tape_error", "cb0c071cd2fc46c89127ad090daf3650" },
	{ "tape_intervention", "95a044cbbd9d491aaf3a926a48b6cdc6" },
	{ "device_added", "17794508075a46f18709eb48525004f8" },
	{ "device_removed", "29c41b220a214ccea78ecca7ee61819d" },
	{ "lost", "887a11eae6c849f4a3c379072025b150" },
};

/* The MESSAGE_ID of @event, or NULL for an event newer than this table. */
const char *kld_message_id(const char *event)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(message_ids); i++)
		if (!strcmp(event, message_ids[i].event))
			return message_ids[i].id;
	return NULL;
}

/* An SD-PARAM: name="value", with '"', '\' and ']' escaped (6.3.3). */
static void sd_param(struct kld_buf *b, const char *name, const char *v)
{
	kld_buf_printf(b, " %s=\"", name);
	for (; *v && !b->overflow; v++) {
		if (b->n + 3 > b->len) {
			b->overflow = true;
			break;
		}
		if (*v == '"' || *v == '\\' || *v == ']')
			b->p[b->n++] = '\\';
		b->p[b->n++] = *v;
	}
	kld_buf_printf(b, "\"");
}

static void sd_param_u64(struct kld_buf *b, const char *name, __u64 v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	sd_param(b, name, num);
}

/*
 * RFC 5424 STRUCTURED-DATA of @e: the registered "origin" element (7.2),
 * then, with an @sd_id of the administrator's (NAME@PEN), the record:
 *
 *   [origin software="keventlogd" swVersion="0.1.0"][kevent@12345
 *    seq="12" instance="..." boot_id="..." device="0.0.0180"
 *    event="tape_loaded" payload="VOL001" encoding="text" truncated="0"]
 *
 * A gap has lost, first and last instead of seq...truncated.  Without
 * an SD-ID the record stays out: RFC 5424 names of one's own need an
 * enterprise number, and kevent has none to lend.
 */
void kld_sd_format(struct kld_buf *b, const struct kld_entry *e,
		   const char *sd_id)
{
	kld_buf_printf(b, "[origin");
	sd_param(b, "software", "keventlogd");
	sd_param(b, "swVersion", KLD_VERSION);
	kld_buf_printf(b, "]");
	if (!sd_id)
		return;
	kld_buf_printf(b, "[%s", sd_id);
	if (e->kind == KLD_ENTRY_EVENT)
		sd_param_u64(b, "seq", e->seq);
	sd_param(b, "instance", e->ident->instance);
	sd_param(b, "boot_id", e->ident->boot_id);
	if (e->kind == KLD_ENTRY_EVENT) {
		sd_param(b, "device", e->device);
		sd_param(b, "event", e->event);
		sd_param(b, "payload", e->payload);
		sd_param(b, "encoding", e->encoding);
		sd_param(b, "truncated", e->truncated ? "1" : "0");
	} else {
		sd_param_u64(b, "lost", e->lost);
		sd_param_u64(b, "first", e->lost_first);
		sd_param_u64(b, "last", e->seq);
	}
	kld_buf_printf(b, "]");
}

/* Fill @e for the record @rec of the log @ident names. */
void kld_entry_event(struct kld_entry *e,
		     const struct kevent_s390_log_record *rec,
		     const struct kld_ident *ident)
{
	int n;

	memset(e, 0, sizeof(*e));
	e->kind = KLD_ENTRY_EVENT;
	e->ident = ident;
	e->seq = rec->seq;
	e->rec = rec;
	set_time(e, rec->timestamp_ns);
	e->event = libkevent_s390_event_name(rec->event);
	libkevent_s390_devid_format(rec->devid, e->device);
	e->encoding = kld_payload_format(rec->payload, rec->payload_len,
					 e->payload);
	e->truncated = rec->flags & KEVENT_S390_LOG_REC_TRUNCATED;
	e->priority = kld_event_priority(rec->event);
	n = snprintf(e->message, sizeof(e->message), "%s: %s", e->device,
		     libkevent_s390_event_text(rec->event));
	if (e->payload[0])
		n += snprintf(e->message + n, sizeof(e->message) - n, ": %s%s",
			      strcmp(e->encoding, "hex") ? "" : "hex ",
			      e->payload);
	if (e->truncated)
		snprintf(e->message + n, sizeof(e->message) - n,
			 " (payload truncated to %d bytes)",
			 KEVENT_S390_LOG_PAYLOAD_MAX);
}

/* Fill @e for the gap [@first, @last] of @ident's log, found at @now_ns. */
void kld_entry_lost(struct kld_entry *e, __u64 first, __u64 last,
		    __u64 now_ns, const struct kld_ident *ident)
{
	unsigned long long n = last - first + 1;

	memset(e, 0, sizeof(*e));
	e->kind = KLD_ENTRY_LOST;
	e->ident = ident;
	e->seq = last;
	e->lost_first = first;
	e->lost = n;
	set_time(e, now_ns);
	e->event = "lost";
	e->encoding = "text";
	e->priority = LOG_WARNING;
	if (n == 1)
		snprintf(e->message, sizeof(e->message),
			 "lost 1 event (sequence %llu): the kernel buffer overwrote it before keventlogd read it",
			 (unsigned long long)first);
	else
		snprintf(e->message, sizeof(e->message),
			 "lost %llu events (sequence %llu..%llu): the kernel buffer overwrote them before keventlogd read them",
			 n, (unsigned long long)first,
			 (unsigned long long)last);
}

static void output_name(struct kld_output *o)
{
	const struct kld_output_conf *c = o->conf;
	const char *type = kld_output_type_name(c->type);

	if (c->type == KLD_OUT_JSON)
		snprintf(o->name, sizeof(o->name), "%s %s", type, c->path);
	else if (c->type == KLD_OUT_SYSLOG)
		snprintf(o->name, sizeof(o->name), "%s %s", type, c->target);
	else
		snprintf(o->name, sizeof(o->name), "%s", type);
}

/*
 * Open every output of @c.  @done is the position every output starts
 * from.  0, or -errno after an error message; then nothing stays open.
 */
int kld_outputs_open(struct kld_outputs *os, const struct kld_config *c,
		     __u64 done)
{
	struct kld_output *o;
	unsigned int i;
	int err;

	os->n = 0;
	os->v = calloc(c->nr_outputs, sizeof(*os->v));
	if (!os->v)
		return -ENOMEM;
	for (i = 0; i < c->nr_outputs; i++) {
		o = &os->v[i];
		o->conf = &c->outputs[i];
		o->ops = ops_of[o->conf->type];
		o->done = done;
		o->sd_id = c->sd_id;
		output_name(o);
		err = o->ops->open(o);
		if (err) {
			kld_outputs_close(os);
			return err;
		}
		os->n++;
	}
	return 0;
}

/* A gap that an output has partly written already: the rest of it. */
static const struct kld_entry *rest_of_gap(const struct kld_output *o,
					   const struct kld_entry *e,
					   struct kld_entry *tmp)
{
	if (e->kind != KLD_ENTRY_LOST || o->done < e->lost_first)
		return e;
	kld_entry_lost(tmp, o->done + 1, e->seq, e->time_ns, e->ident);
	return tmp;
}

static void output_failed(struct kld_output *o, const char *what,
			  const struct kld_entry *e, int err)
{
	if (o->failing)
		return;
	o->failing = true;
	kld_err("output %s: %s of sequence %llu failed: %s\n"
		"  nothing after sequence %llu counts as written; keventlogd writes it again once the output works",
		o->name, what, (unsigned long long)e->seq, strerror(-err),
		(unsigned long long)o->done);
}

static void output_ok(struct kld_output *o)
{
	if (!o->failing)
		return;
	o->failing = false;
	kld_notice("output %s: working again from sequence %llu", o->name,
		   (unsigned long long)o->done);
}

/* Write @e to every output that lacks it.  0, or the first -errno. */
int kld_outputs_write(struct kld_outputs *os, const struct kld_entry *e)
{
	struct kld_entry tmp;
	struct kld_output *o;
	unsigned int i;
	int err;

	for (i = 0; i < os->n; i++) {
		o = &os->v[i];
		if (e->seq <= o->done)
			continue;
		err = o->ops->write(o, rest_of_gap(o, e, &tmp));
		if (err) {
			output_failed(o, "write", e, err);
			return err;
		}
		o->done = e->seq;
		output_ok(o);
	}
	return 0;
}

/* Make everything written durable.  0, or the first -errno. */
int kld_outputs_flush(struct kld_outputs *os)
{
	struct kld_entry e = { .seq = 0 };
	struct kld_output *o;
	unsigned int i;
	int err;

	for (i = 0; i < os->n; i++) {
		o = &os->v[i];
		if (!o->ops->flush)
			continue;
		e.seq = o->done;
		err = o->ops->flush(o);
		if (err) {
			output_failed(o, "flush", &e, err);
			return err;
		}
	}
	return 0;
}

/* The last sequence number every output has. */
__u64 kld_outputs_done(const struct kld_outputs *os)
{
	__u64 done = ~0ULL;
	unsigned int i;

	for (i = 0; i < os->n; i++)
		if (os->v[i].done < done)
			done = os->v[i].done;
	return done;
}

void kld_outputs_close(struct kld_outputs *os)
{
	unsigned int i;

	for (i = 0; i < os->n; i++)
		os->v[i].ops->close(&os->v[i]);
	free(os->v);
	os->v = NULL;
	os->n = 0;
}
