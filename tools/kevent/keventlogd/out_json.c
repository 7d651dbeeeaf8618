// SPDX-License-Identifier: GPL-2.0
/*
 * json: a JSON-lines file (RFC 8259 objects, one per line), the format
 * Fluent Bit, Vector and Logstash read as is.
 *
 *   {"type":"event","seq":12,"instance":"0b5e2f6c-...",
 *    "boot_id":"6c1f0e6a-...","time":"2026-11-27T00:58:29.123456789Z",
 *    "time_ns":1796000309123456789,"host":"s390a","device":"0.0.0180",
 *    "event":"tape_loaded","priority":6,"payload":"VOL001",
 *    "encoding":"text","truncated":false,"message":"0.0.0180: tape ..."}
 *   {"type":"lost","first":10,"last":14,"lost":5,"instance":...,
 *    "boot_id":...,"time":...,"message":...}
 *
 * keventlogd(8) gives the schema; (host, instance, seq) names a record.
 * The file only ever holds whole lines: a write that fails is cut off
 * again, and an unfinished line left by a crash is removed at open.  The
 * last line tells how far the file is, so after a crash nothing is
 * written to it twice.  With sync=yes each batch is made durable before
 * its position is saved.
 *
 * Lines are appended (O_APPEND), and what is cut is counted back from
 * the file's end, never from an offset kept: after logrotate's
 * copytruncate emptied the file, the next line goes to its start and no
 * cut makes it longer again.  Rotation by renaming and SIGHUP (the
 * shipped logrotate file) loses nothing; copytruncate loses what is
 * written between its copy and its truncation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"

#define LINE_MAX_LEN	2048
#define TAIL_MAX	8192

/**
 * struct json_out - an open json file
 * @fd: the file, O_APPEND
 * @pending: bytes appended since the last flush
 * @synced_done: the sequence number durable at the last flush
 */
struct json_out {
	int fd;
	off_t pending;
	__u64 synced_done;
};

/* ,"key":"value" with the value escaped as RFC 8259 wants. */
static void jb_str(struct kld_buf *b, const char *key, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char c;

	kld_buf_printf(b, ",\"%s\":\"", key);
	for (; *s && !b->overflow; s++) {
		c = *s;
		if (b->n + 7 > b->len) {
			b->overflow = true;
			break;
		}
		if (c == '"' || c == '\\') {
			b->p[b->n++] = '\\';
			b->p[b->n++] = c;
		} else if (c < 0x20 || c >= 0x7f) {
			memcpy(b->p + b->n, "\\u00", 4);
			b->p[b->n + 4] = digits[c >> 4];
			b->p[b->n + 5] = digits[c & 15];
			b->n += 6;
		} else {
			b->p[b->n++] = c;
		}
	}
	kld_buf_printf(b, "\"");
}

static void jb_u64(struct kld_buf *b, const char *key, __u64 v)
{
	kld_buf_printf(b, ",\"%s\":%llu", key, (unsigned long long)v);
}

static void jb_common(struct kld_buf *b, const struct kld_entry *e)
{
	jb_str(b, "time", e->time);
	jb_u64(b, "time_ns", e->time_ns);
	jb_str(b, "host", kld_hostname());
}

static void jb_ident(struct kld_buf *b, const struct kld_entry *e)
{
	jb_str(b, "instance", e->ident->instance);
	jb_str(b, "boot_id", e->ident->boot_id);
}

static int format_line(const struct kld_entry *e, char *buf, size_t len)
{
	struct kld_buf b = { .p = buf, .len = len };

	if (e->kind == KLD_ENTRY_EVENT) {
		kld_buf_printf(&b, "{\"type\":\"event\"");
		jb_u64(&b, "seq", e->seq);
		jb_ident(&b, e);
		jb_common(&b, e);
		jb_str(&b, "device", e->device);
	} else {
		kld_buf_printf(&b, "{\"type\":\"lost\"");
		jb_u64(&b, "first", e->lost_first);
		jb_u64(&b, "last", e->seq);
		jb_u64(&b, "lost", e->lost);
		jb_ident(&b, e);
		jb_common(&b, e);
	}
	jb_str(&b, "event", e->event);
	jb_u64(&b, "priority", e->priority);
	if (e->kind == KLD_ENTRY_EVENT) {
		jb_str(&b, "payload", e->payload);
		jb_str(&b, "encoding", e->encoding);
		kld_buf_printf(&b, ",\"truncated\":%s", e->truncated ? "true" : "false");
	}
	jb_str(&b, "message", e->message);
	kld_buf_printf(&b, "}\n");
	return b.overflow ? -1 : (int)b.n;
}

/* The number after "@key": in @line, or 0. */
static __u64 line_number(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* How far a line of ours says the file is: its seq, or a gap's last. */
static __u64 line_position(const char *line)
{
	if (!strncmp(line, "{\"type\":\"event\",", 16))
		return line_number(line, ",\"seq\":");
	if (!strncmp(line, "{\"type\":\"lost\",", 15))
		return line_number(line, ",\"last\":");
	return 0;
}

/* Cut an unfinished last line off the file's end @buf (*@len bytes). */
static void cut_unfinished(struct kld_output *o, struct json_out *j,
			   char *buf, size_t *len, off_t size)
{
	char *nl = memrchr(buf, '\n', *len);
	off_t cut;

	if (buf[*len - 1] == '\n')
		return;
	if (!nl && (off_t)*len < size) {
		kld_warn("output %s: the last %zu bytes hold no line end; appending after them",
			 o->name, *len);
		return;
	}
	cut = size - *len + (nl ? nl - buf + 1 : 0);
	if (ftruncate(j->fd, cut) < 0) {
		kld_warn("output %s: cannot remove an unfinished last line: %s",
			 o->name, strerror(errno));
		return;
	}
	kld_notice("output %s: removed an unfinished last line (%lld bytes), left by a crash",
		   o->name, (long long)(size - cut));
	*len = nl ? (size_t)(nl - buf + 1) : 0;
}

/* Read the end of the file: how far it is, and cut a torn line. */
static int json_tail(struct kld_output *o, struct json_out *j, off_t size)
{
	char buf[TAIL_MAX + 1], *line;
	size_t len;
	ssize_t n;
	__u64 pos;

	if (!size)
		return 0;
	len = size < TAIL_MAX ? size : TAIL_MAX;
	n = pread(j->fd, buf, len, size - len);
	if (n != (ssize_t)len)
		return n < 0 ? -errno : -EIO;
	cut_unfinished(o, j, buf, &len, size);
	if (!len)
		return 0;
	buf[len - 1] = '\0';
	line = memrchr(buf, '\n', len - 1);
	line = line ? line + 1 : buf;
	pos = line_position(line);
	if (pos > o->done)
		o->done = pos;
	return 0;
}

static const char *open_hint(int err)
{
	switch (err) {
	case EROFS:
		return "the file system is read-only: choose a writable place (under systemd, list it in ReadWritePaths= or LogsDirectory=)";
	case EACCES:
	case EPERM:
		return "the user keventlogd runs as may not write there: check the owner and mode of the file and its directory (LogsDirectory=keventlogd under systemd makes /var/log/keventlogd its own)";
	case ENOENT:
		return "the directory does not exist: create it (LogsDirectory=keventlogd under systemd)";
	case ENOSPC:
	case EDQUOT:
		return "the file system is full";
	default:
		return "check the path";
	}
}

static int json_open_fd(struct kld_output *o, struct json_out *j)
{
	struct stat st;
	int err;

	j->fd = open(o->conf->path,
		     O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (j->fd < 0) {
		err = errno;
		kld_err("output %s: cannot open: %s\n  hint: %s", o->name,
			strerror(err), open_hint(err));
		return -err;
	}
	if (fstat(j->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		kld_err("output %s: not a regular file\n  hint: name a file for JSON lines",
			o->name);
		return -EINVAL;
	}
	err = json_tail(o, j, st.st_size);
	if (err)
		kld_err("output %s: cannot read its end: %s", o->name,
			strerror(-err));
	return err;
}

static int json_open(struct kld_output *o)
{
	struct json_out *j = calloc(1, sizeof(*j));
	int err;

	if (!j)
		return -ENOMEM;
	err = json_open_fd(o, j);
	if (err) {
		if (j->fd >= 0)
			close(j->fd);
		free(j);
		return err;
	}
	j->synced_done = o->done;
	o->priv = j;
	return 0;
}

/*
 * Remove the last @len bytes this output appended, counted from the end
 * the file has now.  A file shorter than that was truncated under us
 * (copytruncate): what we wrote went with its copy, nothing to cut.
 */
static int cut_tail(struct kld_output *o, struct json_out *j, off_t len)
{
	struct stat st;

	if (!len)
		return 0;
	if (fstat(j->fd, &st) < 0)
		return -errno;
	if (st.st_size < len) {
		kld_notice("output %s: the file was truncated under keventlogd (copytruncate?): nothing to cut",
			   o->name);
		return 0;
	}
	return ftruncate(j->fd, st.st_size - len) < 0 ? -errno : 0;
}

static int json_write(struct kld_output *o, const struct kld_entry *e)
{
	struct json_out *j = o->priv;
	char line[LINE_MAX_LEN];
	ssize_t n, done = 0;
	int len, err, cut;

	len = format_line(e, line, sizeof(line));
	if (len < 0)
		return -EOVERFLOW;
	while (done < len) {
		n = write(j->fd, line + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			/* No half line stays behind: it would be torn forever. */
			cut = cut_tail(o, j, done);
			if (cut)
				kld_warn("output %s: cannot cut a failed write: %s",
					 o->name, strerror(-cut));
			return err;
		}
		done += n;
	}
	j->pending += len;
	return 0;
}

static int json_flush(struct kld_output *o)
{
	struct json_out *j = o->priv;
	int err;

	if (j->pending && o->conf->sync && fdatasync(j->fd) < 0) {
		err = -errno;
		/* What was not made durable is written again. */
		if (!cut_tail(o, j, j->pending)) {
			j->pending = 0;
			o->done = j->synced_done;
		}
		return err;
	}
	j->pending = 0;
	j->synced_done = o->done;
	return 0;
}

static void json_close(struct kld_output *o)
{
	struct json_out *j = o->priv;

	if (!j)
		return;
	close(j->fd);
	free(j);
	o->priv = NULL;
}

const struct kld_output_ops kld_out_json = {
	.open = json_open,
	.write = json_write,
	.flush = json_flush,
	.close = json_close,
};
