// SPDX-License-Identifier: GPL-2.0
/*
 * syslog: RFC 5424 messages, one per datagram, to a unix datagram socket
 * (/dev/log, or rsyslog's imuxsock) or over UDP (RFC 5426) to a collector
 * such as rsyslog's imudp:
 *
 *   <30>1 2026-11-27T00:58:29.123456Z s390a keventlogd 412 tape_loaded
 *     [kevent@32473 seq="12" device="0.0.0180" event="tape_loaded"
 *     payload="VOL001" encoding="text" truncated="0"]
 *     0.0.0180: tape loaded: VOL001
 *
 * (one line).  The SD-ID uses 32473, the enterprise number RFC 5612
 * reserves for documentation and examples: kevent has none of its own.
 * A gap is MSGID "lost" with [kevent@32473 lost="5" first="10" last="14"].
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"

#define MSG_MAX_LEN	2048
#define SD_ID		"kevent@32473"
#define SEND_TIMEOUT_S	5

struct syslog_out {
	int fd;
};

/* An SD-PARAM: name="value", with '"', '\' and ']' escaped (6.3.3). */
static void sb_param(struct kld_buf *b, const char *name, const char *v)
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

static void sb_param_u64(struct kld_buf *b, const char *name, __u64 v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	sb_param(b, name, num);
}

static int format_msg(const struct kld_output *o, const struct kld_entry *e,
		      char *buf, size_t len)
{
	struct kld_buf b = { .p = buf, .len = len };
	char ts[KLD_TIME_LEN];

	/* TIME-SECFRAC has at most six digits. */
	if (kld_time_format(e->time_ns, 6, ts, sizeof(ts)))
		strcpy(ts, "-");
	kld_buf_printf(&b, "<%d>1 %s %s keventlogd %d %s [" SD_ID,
	       o->conf->facility | e->priority, ts, kld_hostname(),
	       (int)getpid(), e->event);
	if (e->kind == KLD_ENTRY_EVENT) {
		sb_param_u64(&b, "seq", e->seq);
		sb_param(&b, "device", e->device);
		sb_param(&b, "event", e->event);
		sb_param(&b, "payload", e->payload);
		sb_param(&b, "encoding", e->encoding);
		sb_param(&b, "truncated", e->truncated ? "1" : "0");
	} else {
		sb_param_u64(&b, "lost", e->lost);
		sb_param_u64(&b, "first", e->lost_first);
		sb_param_u64(&b, "last", e->seq);
	}
	kld_buf_printf(&b, "] %s", e->message);
	return b.overflow ? -1 : (int)b.n;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* "host:port" or "[v6]:port" into @host and @port. */
static int split_hostport(const char *s, char *host, size_t hlen,
			  const char **port)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon)
		return -EINVAL;
	*port = colon + 1;
	n = colon - s;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (!n || n >= hlen)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

static int connect_udp(const char *hostport)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	const char *port;
	char host[256];
	int fd = -EADDRNOTAVAIL, err;

	err = split_hostport(hostport, host, sizeof(host), &port);
	if (err)
		return err;
	err = getaddrinfo(host, port, &hints, &res);
	if (err)
		return err == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			fd = -errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = -errno;
		close(fd);
		fd = err;
	}
	freeaddrinfo(res);
	return fd;
}

static int syslog_connect(const struct kld_output *o)
{
	const char *t = o->conf->target;
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	int fd;

	if (!strncmp(t, "unix:", 5))
		fd = connect_unix(t + 5);
	else
		fd = connect_udp(t + 4);
	if (fd < 0)
		return fd;
	/* A receiver that stops reading must not stop the signals. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static int syslog_open(struct kld_output *o)
{
	struct syslog_out *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->fd = syslog_connect(o);
	if (s->fd < 0) {
		kld_err("output %s: cannot connect: %s\n  hint: %s", o->name,
			strerror(-s->fd),
			strncmp(o->conf->target, "unix:", 5) ?
			"check the host and port" :
			"is a syslog daemon (rsyslog) listening on that datagram socket?");
		free(s);
		return -ENOTCONN;
	}
	o->priv = s;
	return 0;
}

static int syslog_send(struct syslog_out *s, const char *msg, int len)
{
	ssize_t n;

	do {
		n = send(s->fd, msg, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == len ? 0 : -EMSGSIZE;
}

static int syslog_write(struct kld_output *o, const struct kld_entry *e)
{
	struct syslog_out *s = o->priv;
	char msg[MSG_MAX_LEN];
	int len, err, fd;

	len = format_msg(o, e, msg, sizeof(msg));
	if (len < 0)
		return -EOVERFLOW;
	err = s->fd >= 0 ? syslog_send(s, msg, len) : -ENOTCONN;
	if (err != -ECONNREFUSED && err != -ENOTCONN && err != -ECONNRESET)
		return err == -EAGAIN ? -ETIMEDOUT : err;
	/* The receiver was restarted: connect again, once. */
	fd = syslog_connect(o);
	if (fd < 0)
		return fd;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	err = syslog_send(s, msg, len);
	return err == -EAGAIN ? -ETIMEDOUT : err;
}

static void syslog_close(struct kld_output *o)
{
	struct syslog_out *s = o->priv;

	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	o->priv = NULL;
}

const struct kld_output_ops kld_out_syslog = {
	.open = syslog_open,
	.write = syslog_write,
	.close = syslog_close,
};
