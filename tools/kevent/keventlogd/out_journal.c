// SPDX-License-Identifier: GPL-2.0
/*
 * journal: the systemd journal, through sd_journal_sendv(), with the
 * record in structured fields (keventlogd(8) lists them):
 *
 *   MESSAGE=0.0.0180: tape loaded: VOL001   PRIORITY=6
 *   MESSAGE_ID=2b565d3943504f938ac1206ae513e4f7 (one per event: the
 *     catalog, dist/catalog/keventlogd.catalog, explains it in journalctl -x)
 *   SYSLOG_IDENTIFIER=kevent   SYSLOG_FACILITY=3   SYSLOG_MSGID=tape_loaded
 *   SYSLOG_STRUCTURED_DATA=[origin ...][NAME@PEN seq="12" ...]
 *   KEVENT_SEQ=12   KEVENT_EVENT=tape_loaded   KEVENT_DEVICE=0.0.0180
 *   KEVENT_INSTANCE=0b5e2f6c-...   KEVENT_BOOT_ID=6c1f0e6a-...
 *   KEVENT_TIMESTAMP=2026-11-27T00:58:29.123456789Z
 *   KEVENT_TIMESTAMP_NS=1796000309123456789
 *   KEVENT_PAYLOAD=VOL001   KEVENT_PAYLOAD_ENCODING=text   KEVENT_TRUNCATED=0
 *
 * SYSLOG_MSGID and SYSLOG_STRUCTURED_DATA are what systemd-netlogd and
 * rsyslog's imjournal forward as the RFC 5424 MSGID and STRUCTURED-DATA;
 * they are the syslog output's (kld_sd_format()).  A gap has
 * KEVENT_EVENT=lost, KEVENT_LOST, KEVENT_LOST_FIRST and KEVENT_LOST_LAST
 * instead of KEVENT_SEQ...KEVENT_TRUNCATED.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "diag.h"
#include "output.h"

#define JOURNAL_SOCKET		"/run/systemd/journal/socket"

static void __printf(2, 3) field(struct kld_journal_fields *f,
				 const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->n == KLD_JOURNAL_FIELDS) {
		f->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(f->buf[f->n], KLD_JOURNAL_FIELD_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= KLD_JOURNAL_FIELD_LEN) {
		f->overflow = true;
		return;
	}
	f->iov[f->n].iov_base = f->buf[f->n];
	f->iov[f->n].iov_len = n;
	f->n++;
}

static void event_fields(struct kld_journal_fields *f,
			 const struct kld_entry *e)
{
	field(f, "KEVENT_SEQ=%llu", (unsigned long long)e->seq);
	field(f, "KEVENT_DEVICE=%s", e->device);
	field(f, "KEVENT_PAYLOAD=%s", e->payload);
	field(f, "KEVENT_PAYLOAD_ENCODING=%s", e->encoding);
	field(f, "KEVENT_TRUNCATED=%d", e->truncated);
}

static void lost_fields(struct kld_journal_fields *f,
			const struct kld_entry *e)
{
	field(f, "KEVENT_LOST=%llu", (unsigned long long)e->lost);
	field(f, "KEVENT_LOST_FIRST=%llu", (unsigned long long)e->lost_first);
	field(f, "KEVENT_LOST_LAST=%llu", (unsigned long long)e->seq);
}

/* The fields of @e's journal entry; f->overflow if one did not fit. */
void kld_journal_fields(const struct kld_output *o, const struct kld_entry *e,
			struct kld_journal_fields *f)
{
	const char *id = kld_message_id(e->event);
	char sd[KLD_JOURNAL_FIELD_LEN];
	struct kld_buf b = { .p = sd, .len = sizeof(sd) };

	f->n = 0;
	f->overflow = false;
	kld_sd_format(&b, e, o->sd_id);
	field(f, "MESSAGE=%s", e->message);
	if (id)
		field(f, "MESSAGE_ID=%s", id);
	field(f, "PRIORITY=%d", e->priority);
	field(f, "SYSLOG_IDENTIFIER=" KLD_EVENT_IDENT);
	field(f, "SYSLOG_FACILITY=%d", LOG_DAEMON >> 3);
	field(f, "SYSLOG_MSGID=%s", e->event);
	if (b.overflow)
		f->overflow = true;
	else
		field(f, "SYSLOG_STRUCTURED_DATA=%s", sd);
	field(f, "KEVENT_EVENT=%s", e->event);
	field(f, "KEVENT_INSTANCE=%s", e->ident->instance);
	field(f, "KEVENT_BOOT_ID=%s", e->ident->boot_id);
	field(f, "KEVENT_TIMESTAMP=%s", e->time);
	field(f, "KEVENT_TIMESTAMP_NS=%llu", (unsigned long long)e->time_ns);
	if (e->kind == KLD_ENTRY_EVENT)
		event_fields(f, e);
	else
		lost_fields(f, e);
}

static int journal_open(struct kld_output *o)
{
	const char *why = "not a socket";
	struct stat st;

	if (stat(JOURNAL_SOCKET, &st) < 0)
		why = strerror(errno);
	else if (S_ISSOCK(st.st_mode))
		return 0;
	kld_err("output %s: %s: %s\n  hint: is systemd-journald running? Use output syslog or json where there is no journal",
		o->name, JOURNAL_SOCKET, why);
	return -ENOENT;
}

static int journal_write(struct kld_output *o, const struct kld_entry *e)
{
	static struct kld_journal_fields f;

	kld_journal_fields(o, e, &f);
	if (f.overflow)
		return -EOVERFLOW;
	return sd_journal_sendv(f.iov, f.n);
}

static void journal_close(struct kld_output *o)
{
	(void)o;
}

const struct kld_output_ops kld_out_journal = {
	.open = journal_open,
	.write = journal_write,
	.close = journal_close,
};
