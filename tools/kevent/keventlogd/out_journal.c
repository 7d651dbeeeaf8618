// SPDX-License-Identifier: GPL-2.0
/*
 * journal: the systemd journal, through sd_journal_sendv(), with the
 * record in structured fields (keventlogd(8) lists them):
 *
 *   MESSAGE=0.0.0180: tape loaded: VOL001   PRIORITY=6
 *   SYSLOG_IDENTIFIER=keventlogd   SYSLOG_FACILITY=3
 *   KEVENT_SEQ=12   KEVENT_EVENT=tape_loaded   KEVENT_DEVICE=0.0.0180
 *   KEVENT_TIMESTAMP=2026-11-27T00:58:29.123456789Z
 *   KEVENT_TIMESTAMP_NS=1796000309123456789
 *   KEVENT_PAYLOAD=VOL001   KEVENT_PAYLOAD_ENCODING=text   KEVENT_TRUNCATED=0
 *
 * A gap is sent with MESSAGE_ID=KLD_LOST_MESSAGE_ID, KEVENT_EVENT=lost,
 * KEVENT_LOST, KEVENT_LOST_FIRST and KEVENT_LOST_LAST.
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
#define KLD_LOST_MESSAGE_ID	"c2a4f1b0e6d94e3f8a5b7c1d2e3f4a5b"
#define FIELDS_MAX		16
#define FIELD_LEN		448

struct fields {
	struct iovec iov[FIELDS_MAX];
	char buf[FIELDS_MAX][FIELD_LEN];
	int n;
	bool overflow;
};

static void __printf(2, 3) field(struct fields *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->n == FIELDS_MAX) {
		f->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(f->buf[f->n], FIELD_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= FIELD_LEN) {
		f->overflow = true;
		return;
	}
	f->iov[f->n].iov_base = f->buf[f->n];
	f->iov[f->n].iov_len = n;
	f->n++;
}

static void event_fields(struct fields *f, const struct kld_entry *e)
{
	field(f, "KEVENT_SEQ=%llu", (unsigned long long)e->seq);
	field(f, "KEVENT_DEVICE=%s", e->device);
	field(f, "KEVENT_PAYLOAD=%s", e->payload);
	field(f, "KEVENT_PAYLOAD_ENCODING=%s", e->encoding);
	field(f, "KEVENT_TRUNCATED=%d", e->truncated);
}

static void lost_fields(struct fields *f, const struct kld_entry *e)
{
	field(f, "MESSAGE_ID=%s", KLD_LOST_MESSAGE_ID);
	field(f, "KEVENT_LOST=%llu", (unsigned long long)e->lost);
	field(f, "KEVENT_LOST_FIRST=%llu", (unsigned long long)e->lost_first);
	field(f, "KEVENT_LOST_LAST=%llu", (unsigned long long)e->seq);
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
	struct fields f;

	(void)o;
	f.n = 0;
	f.overflow = false;
	field(&f, "MESSAGE=%s", e->message);
	field(&f, "PRIORITY=%d", e->priority);
	field(&f, "SYSLOG_IDENTIFIER=keventlogd");
	field(&f, "SYSLOG_FACILITY=%d", LOG_DAEMON >> 3);
	field(&f, "KEVENT_EVENT=%s", e->event);
	field(&f, "KEVENT_TIMESTAMP=%s", e->time);
	field(&f, "KEVENT_TIMESTAMP_NS=%llu", (unsigned long long)e->time_ns);
	if (e->kind == KLD_ENTRY_EVENT)
		event_fields(&f, e);
	else
		lost_fields(&f, e);
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
