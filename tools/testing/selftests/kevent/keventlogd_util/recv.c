// SPDX-License-Identifier: GPL-2.0
/*
 * "recv unix:PATH|udp:PORT OUT": datagrams, one per line into OUT, until
 * SIGTERM (a syslog or notify socket).  "recv tcp:PORT OUT": a TCP
 * listener on 127.0.0.1; the bytes of each connection, in turn, into OUT
 * as they came (an RFC 6587 stream).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int bind_addr(const char *addr)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd;

	if (!strncmp(addr, "unix:", 5)) {
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", addr + 5);
		unlink(un.sun_path);
		if (fd >= 0 && bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0)
			return -1;
		/* Anyone may send, as to systemd's notify socket or /dev/log. */
		chmod(un.sun_path, 0777);
		return fd;
	}
	if (strncmp(addr, "udp:", 4) && strncmp(addr, "tcp:", 4))
		return -1;
	fd = socket(AF_INET, addr[0] == 't' ? SOCK_STREAM : SOCK_DGRAM, 0);
	in.sin_port = htons(atoi(addr + 4));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (fd >= 0 && bind(fd, (struct sockaddr *)&in, sizeof(in)) < 0)
		return -1;
	if (addr[0] == 't' && listen(fd, 4) < 0)
		return -1;
	return fd;
}

/* Connections one after the other, their bytes appended to @ofd. */
static int recv_stream(int lfd, int ofd)
{
	char buf[65536];
	ssize_t n;
	int fd;

	while (!stop) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		while (!stop && (n = recv(fd, buf, sizeof(buf), 0)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			if (write(ofd, buf, n) != n)
				return 1;
		}
		close(fd);
	}
	return 0;
}

int kt_recv(const char *addr, const char *out)
{
	struct sigaction sa = { .sa_handler = on_term };
	char buf[65536];
	ssize_t n;
	int fd, ofd;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = bind_addr(addr);
	if (fd < 0) {
		fprintf(stderr, "recv: cannot bind %s: %s\n", addr,
			strerror(errno));
		return 1;
	}
	ofd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	if (ofd < 0)
		return 1;
	if (!strncmp(addr, "tcp:", 4))
		return recv_stream(fd, ofd);
	while (!stop) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			continue;
		buf[n++] = '\n';
		if (write(ofd, buf, n) != n)
			return 1;
	}
	close(ofd);
	return 0;
}
