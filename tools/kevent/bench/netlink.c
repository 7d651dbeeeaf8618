// SPDX-License-Identifier: GPL-2.0
/*
 * kevent-bench: the netlink consumers' sockets.  The generic netlink
 * family is resolved through nlctrl as any real consumer would; uevents
 * are read from NETLINK_KOBJECT_UEVENT group 1, as udev does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "bench.h"

#define KB_RCVBUF	(32 << 20)

static void sock_tune(int fd)
{
	struct timeval tv = { .tv_usec = 10000 };
	int sz = KB_RCVBUF;

	/* As root: past net.core.rmem_max.  Fall back to what we may have. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

#define NLA_OK(a, rem) ((rem) >= (int)sizeof(struct nlattr) && \
			(a)->nla_len >= sizeof(struct nlattr) && \
			(a)->nla_len <= (rem))
#define NLA_NEXT(a, rem) ((rem) -= NLA_ALIGN((a)->nla_len), \
			  (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
#define NLA_DATA(a) ((void *)((char *)(a) + NLA_HDRLEN))

static int find_group(struct nlattr *groups, int rem)
{
	struct nlattr *g, *a;
	int grem, id;
	const char *name;

	for (g = NLA_DATA(groups); NLA_OK(g, rem); g = NLA_NEXT(g, rem)) {
		grem = g->nla_len - NLA_HDRLEN;
		id = -1;
		name = NULL;
		for (a = NLA_DATA(g); NLA_OK(a, grem); a = NLA_NEXT(a, grem)) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
				memcpy(&id, NLA_DATA(a), sizeof(id));
			else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME)
				name = NLA_DATA(a);
		}
		if (name && id >= 0 && !strcmp(name, KEVENT_BENCH_GENL_MCGRP))
			return id;
	}
	return -1;
}

int kb_genl_open(int *family, int *group)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[256];
	} req;
	static char buf[8192];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *n;
	struct nlattr *a;
	int fd, len, rem;

	*family = *group = -1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto err;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.buf;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(KEVENT_BENCH_GENL_NAME);
	memcpy(NLA_DATA(a), KEVENT_BENCH_GENL_NAME, sizeof(KEVENT_BENCH_GENL_NAME));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		goto err;
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0)
		goto err;
	n = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(n, (unsigned int)len) || n->nlmsg_type == NLMSG_ERROR) {
		errno = ENOENT;
		goto err;
	}
	rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
			uint16_t id;

			memcpy(&id, NLA_DATA(a), sizeof(id));
			*family = id;
		} else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			*group = find_group(a, a->nla_len - NLA_HDRLEN);
		}
	}
	if (*family < 0 || *group < 0) {
		errno = ENOENT;
		goto err;
	}
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group,
		       sizeof(*group)) < 0)
		goto err;
	sock_tune(fd);
	return fd;
err:
	len = errno;
	close(fd);
	errno = len;
	return -1;
}

int kb_uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	sock_tune(fd);
	return fd;
}

/* One kevent_bench message: 0 and its seq and ts, or -1. */
int kb_genl_parse(const void *buf, size_t len, int family, uint64_t *seq,
		  uint64_t *ts)
{
	const struct nlmsghdr *n = buf;
	struct nlattr *a;
	int rem, got = 0;

	if (!NLMSG_OK(n, (unsigned int)len) || n->nlmsg_type != family)
		return -1;
	rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		if (a->nla_type == KEVENT_BENCH_A_SEQ) {
			memcpy(seq, NLA_DATA(a), sizeof(*seq));
			got |= 1;
		} else if (a->nla_type == KEVENT_BENCH_A_TS) {
			memcpy(ts, NLA_DATA(a), sizeof(*ts));
			got |= 2;
		}
	}
	return got == 3 ? 0 : -1;
}

/* One uevent: 0 and its bench seq and ts, or -1 for any other uevent. */
int kb_uevent_parse(const char *buf, size_t len, uint64_t *seq, uint64_t *ts)
{
	const char *p = buf, *end = buf + len;
	int got = 0;

	while (p < end) {
		size_t l = strnlen(p, end - p);

		if (!strncmp(p, KEVENT_BENCH_UEVENT_SEQ, sizeof(KEVENT_BENCH_UEVENT_SEQ) - 1)) {
			*seq = strtoull(p + sizeof(KEVENT_BENCH_UEVENT_SEQ) - 1, NULL, 10);
			got |= 1;
		} else if (!strncmp(p, KEVENT_BENCH_UEVENT_TS, sizeof(KEVENT_BENCH_UEVENT_TS) - 1)) {
			*ts = strtoull(p + sizeof(KEVENT_BENCH_UEVENT_TS) - 1, NULL, 10);
			got |= 2;
		}
		p += l + 1;
	}
	return got == 3 ? 0 : -1;
}
