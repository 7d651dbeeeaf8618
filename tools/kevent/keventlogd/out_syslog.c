// SPDX-License-Identifier: GPL-2.0
/*
 * syslog: one message per record, to a unix datagram socket (/dev/log),
 * over TCP with RFC 6587 octet counting, or over UDP (RFC 5426, lossy).
 *
 * RFC 3164, the default on a unix socket, is what /dev/log receivers
 * parse (journald, rsyslog's imuxsock): glibc's syslog(3) form, with no
 * HOSTNAME, which they would take for the TAG:
 *
 *   <30>Nov 27 00:58:29 kevent[412]: 0.0.0180: tape loaded: VOL001
 *
 * Over the network RFC 3164 carries the HOSTNAME (4.1.2) after the time.
 * RFC 5424, the default over the network:
 *
 *   <30>1 2026-11-27T00:58:29.123456Z s390a kevent 412 tape_loaded
 *     [origin software="keventlogd" swVersion="0.1.0"][kevent@12345
 *     seq="12" instance="..." boot_id="..." device="0.0.0180" ...]
 *     0.0.0180: tape loaded: VOL001
 *
 * (one line; the record's element only with an sd-id: kld_sd_format()).
 * Over TCP each message is framed as MSG-LEN SP SYSLOG-MSG (RFC 6587
 * 3.4.1).  A TCP message counts as written once the collector's TCP has
 * acknowledged it (flush waits for that); when the connection breaks,
 * what was not acknowledged is sent again on a new one, so a collector
 * may see a record twice, never miss one.  UDP has no acknowledgement: a
 * datagram dropped on the way is lost without notice.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "diag.h"
#include "output.h"

#define MSG_MAX_LEN	2048
#define SEND_TIMEOUT_S	5

enum transport { T_UNIX, T_UDP, T_TCP };

/**
 * struct syslog_out - an open syslog output
 * @fd: the socket, -1 while not connected
 * @t: its transport
 * @acked: TCP: the last sequence number the collector acknowledged
 * @resend: TCP: the connection broke with messages not acknowledged;
 *	o->done went back to @acked, and the next flush says so
 * @hinted: the hint about systemd's IP restriction was given
 */
struct syslog_out {
	int fd;
	enum transport t;
	__u64 acked;
	bool resend;
	bool hinted;
};

static enum transport transport_of(const char *target)
{
	if (!strncmp(target, "unix:", 5))
		return T_UNIX;
	return strncmp(target, "tcp:", 4) ? T_UDP : T_TCP;
}

/* RFC 3164 4.1.2: "Mmm dd hh:mm:ss", local time, the day padded by a space. */
static int time_3164(__u64 ns, char *buf, size_t len)
{
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	time_t sec = ns / 1000000000ULL;
	struct tm tm;

	if (!localtime_r(&sec, &tm))
		return -1;
	snprintf(buf, len, "%s %2d %02d:%02d:%02d", months[tm.tm_mon],
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static void format_3164(const struct kld_output *o, const struct kld_entry *e,
			struct kld_buf *b, int pri)
{
	char ts[24];

	if (time_3164(e->time_ns, ts, sizeof(ts)))
		strcpy(ts, "Jan  1 00:00:00");
	kld_buf_printf(b, "<%d>%s ", pri, ts);
	if (transport_of(o->conf->target) != T_UNIX)
		kld_buf_printf(b, "%s ", kld_hostname());
	kld_buf_printf(b, KLD_EVENT_IDENT "[%d]: %s", (int)getpid(),
		       e->message);
}

static void format_5424(const struct kld_output *o, const struct kld_entry *e,
			struct kld_buf *b, int pri)
{
	char ts[KLD_TIME_LEN];

	/* TIME-SECFRAC has at most six digits. */
	if (kld_time_format(e->time_ns, 6, ts, sizeof(ts)))
		strcpy(ts, "-");
	kld_buf_printf(b, "<%d>1 %s %s " KLD_EVENT_IDENT " %d %s ", pri, ts,
		       kld_hostname(), (int)getpid(), e->event);
	kld_sd_format(b, e, o->sd_id);
	kld_buf_printf(b, " %s", e->message);
}

static int format_msg(const struct kld_output *o, const struct kld_entry *e,
		      char *buf, size_t len)
{
	struct kld_buf b = { .p = buf, .len = len };
	int pri = o->conf->facility | e->priority;

	if (o->conf->format == KLD_SYSLOG_RFC3164)
		format_3164(o, e, &b, pri);
	else
		format_5424(o, e, &b, pri);
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

/* A non-blocking connect() in progress: its result, within the timeout. */
static int connect_wait(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int n, err;

	do {
		n = poll(&p, 1, SEND_TIMEOUT_S * 1000);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (!n)
		return -ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

static int connect_one(const struct addrinfo *ai)
{
	int one = 1, fd, err = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
		err = errno == EINPROGRESS ? connect_wait(fd) : -errno;
	if (!err && ai->ai_socktype == SOCK_STREAM &&
	    (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ||
	     setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0))
		err = -errno;
	/* Blocking from here on, with SO_SNDTIMEO. */
	if (!err && ioctl(fd, FIONBIO, &(int){ 0 }) < 0)
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static int connect_inet(const char *hostport, int type)
{
	struct addrinfo hints = { .ai_socktype = type,
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
		fd = connect_one(ai);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	return fd;
}

static int syslog_connect(const struct kld_output *o, enum transport t)
{
	const char *target = o->conf->target;
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };
	int fd;

	if (t == T_UNIX)
		fd = connect_unix(target + 5);
	else
		fd = connect_inet(target + 4, t == T_TCP ? SOCK_STREAM : SOCK_DGRAM);
	if (fd < 0)
		return fd;
	/* A receiver that stops reading must not stop the signals. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* What to do about @err, a failure to reach a network target. */
static const char *net_hint(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
		return "keventlogd.service lets keventlogd reach localhost only (IPAddressDeny=any, IPAddressAllow=localhost): allow the collector in a drop-in, `systemctl edit keventlogd.service` with [Service] IPAddressAllow=ITS-ADDRESS, then restart; else check routes and firewalls";
	case ECONNREFUSED:
		return "nothing listens there: is the collector (rsyslog imtcp or imudp) running on that port?";
	default:
		return "check the host name and port";
	}
}

static int syslog_open(struct kld_output *o)
{
	struct syslog_out *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->t = transport_of(o->conf->target);
	s->fd = syslog_connect(o, s->t);
	if (s->fd < 0) {
		kld_err("output %s: cannot connect: %s\n  hint: %s", o->name,
			strerror(-s->fd),
			s->t == T_UNIX ?
			"is a syslog daemon (rsyslog, or journald's /run/systemd/journal/dev-log) listening on that datagram socket?" :
			net_hint(-s->fd));
		free(s);
		return -ENOTCONN;
	}
	s->acked = o->done;
	o->priv = s;
	return 0;
}

/* The whole of @msg, or -errno: a stream takes it in pieces. */
static int send_all(int fd, const char *msg, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, msg, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		msg += n;
		len -= n;
	}
	return 0;
}

/* A datagram: sent whole, or not at all. */
static int send_dgram(int fd, const char *msg, size_t len)
{
	ssize_t n;

	do {
		n = send(fd, msg, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* The collector closed the connection (it never sends us anything). */
static bool peer_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* The TCP connection is gone: what it did not acknowledge is sent again. */
static void tcp_broken(struct kld_output *o, struct syslog_out *s)
{
	close(s->fd);
	s->fd = -1;
	if (o->done > s->acked) {
		o->done = s->acked;
		s->resend = true;
	}
}

static int tcp_write(struct kld_output *o, struct syslog_out *s,
		     const char *msg, int len)
{
	char frame[MSG_MAX_LEN + 16];
	int n, err;

	if (s->fd >= 0 && peer_closed(s->fd))
		tcp_broken(o, s);
	/* Messages not acknowledged went with the connection: stall. */
	if (s->resend)
		return -ECONNRESET;
	if (s->fd < 0) {
		s->fd = syslog_connect(o, T_TCP);
		if (s->fd < 0)
			return s->fd;
		kld_notice("output %s: connected", o->name);
	}
	/* RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG. */
	n = snprintf(frame, sizeof(frame), "%d %.*s", len, len, msg);
	err = send_all(s->fd, frame, n);
	if (err)
		tcp_broken(o, s);
	return err;
}

/* The collector's TCP has everything sent: SIOCOUTQ is 0. */
static int tcp_acked(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int i, outq;

	for (i = 0; i < SEND_TIMEOUT_S * 100; i++) {
		if (ioctl(fd, SIOCOUTQ, &outq) < 0)
			return -errno;
		if (!outq)
			return 0;
		if (poll(&p, 1, 10) > 0)
			return -ECONNRESET;
	}
	return -ETIMEDOUT;
}

static int syslog_flush(struct kld_output *o)
{
	struct syslog_out *s = o->priv;
	int err = 0;

	if (s->t != T_TCP)
		return 0;
	if (s->fd >= 0) {
		err = tcp_acked(s->fd);
		if (err)
			tcp_broken(o, s);
	}
	if (s->resend) {
		s->resend = false;
		return err ? err : -ECONNRESET;
	}
	s->acked = o->done;
	return err;
}

static int dgram_write(struct kld_output *o, struct syslog_out *s,
		       const char *msg, int len)
{
	int err, fd;

	err = s->fd >= 0 ? send_dgram(s->fd, msg, len) : -ENOTCONN;
	if (err != -ECONNREFUSED && err != -ENOTCONN && err != -ECONNRESET)
		return err;
	/* The receiver was restarted: connect again, once. */
	fd = syslog_connect(o, s->t);
	if (fd < 0)
		return fd;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	return send_dgram(s->fd, msg, len);
}

static int syslog_write(struct kld_output *o, const struct kld_entry *e)
{
	struct syslog_out *s = o->priv;
	char msg[MSG_MAX_LEN];
	int len, err;

	len = format_msg(o, e, msg, sizeof(msg));
	if (len < 0)
		return -EOVERFLOW;
	if (s->t == T_TCP)
		err = tcp_write(o, s, msg, len);
	else
		err = dgram_write(o, s, msg, len);
	if (err && s->t != T_UNIX && !s->hinted && err != -ECONNRESET) {
		s->hinted = true;
		kld_err("output %s: %s\n  hint: %s", o->name, strerror(-err),
			net_hint(-err));
	}
	return err;
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
	.flush = syslog_flush,
	.close = syslog_close,
};
