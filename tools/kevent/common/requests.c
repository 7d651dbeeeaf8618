// SPDX-License-Identifier: GPL-2.0
/*
 * Registering KEVENT_S390_LOG requests.  A set is added whole or not at
 * all: if one entry fails, the others are removed again, so that a reload
 * that fails leaves the running set as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "libkevent.h"
#include "requests.h"

static void build(const struct kld_config *c, __u64 *next_id,
		  struct ukevent *v, unsigned int n)
{
	unsigned int i;

	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].id = (*next_id)++;
		v[i].type = KEVENT_S390_LOG;
		v[i].event = c->events;
		v[i].req_flags = c->wake_all ? KEVENT_REQ_WAKEUP_ALL : 0;
		v[i].param = c->all_devices ? KEVENT_S390_LOG_ANY_DEV :
			     c->devices[i];
	}
}

static const char *add_hint(int err)
{
	switch (err) {
	case EOPNOTSUPP:
		return "kevent_s390_log.ko is not loaded: modprobe kevent_s390_log (or insmod it) before starting keventlogd";
	case EPERM:
		return "adding s390 log requests needs CAP_SYSLOG or read permission on /dev/kevent_s390_log (its group, which the udev rule 60-kevent.rules makes keventlog)";
	case ENOSPC:
		return "the per-user request limit is reached (kevent module parameter max_user_requests)";
	default:
		return "see kevent_ctl ADD in <linux/kevent.h>";
	}
}

/* Remove the requests @v[0..@n) by id; unknown ids are fine. */
static void remove_ids(int fd, const struct ukevent *v, unsigned int n)
{
	struct ukevent *tmp;
	unsigned int i, k;

	tmp = calloc(n ? n : 1, sizeof(*tmp));
	if (!tmp)
		return;
	for (i = 0; i < n; i += k) {
		k = n - i < KEVENT_CTL_MAX ? n - i : KEVENT_CTL_MAX;
		memcpy(tmp, v + i, k * sizeof(*tmp));
		kevent_ctl(fd, KEVENT_CTL_REMOVE, k, tmp);
	}
	free(tmp);
}

/*
 * ADD @n requests from @v, in chunks.  ADD copies failed entries back to
 * the front of what it was given: work on a copy.  0, or -errno (of the
 * call, or of the first entry that failed) with @why.
 */
static int add_all(int fd, const struct ukevent *v, unsigned int n,
		   char *why, size_t whylen)
{
	struct ukevent tmp[64];
	char id[LIBKEVENT_S390_DEVID_LEN];
	unsigned int i, k;
	int ret, j, err;

	for (i = 0; i < n; i += k) {
		k = n - i < ARRAY_SIZE(tmp) ? n - i : ARRAY_SIZE(tmp);
		memcpy(tmp, v + i, k * sizeof(*tmp));
		ret = kevent_ctl(fd, KEVENT_CTL_ADD, k, tmp);
		if (ret < 0) {
			err = errno;
			snprintf(why, whylen, "%s\n  hint: %s", strerror(err),
				 add_hint(err));
			return -err;
		}
		for (j = 0; j < ret && j < (int)k; j++) {
			if (!(tmp[j].ret_flags & KEVENT_RET_BROKEN))
				continue;
			err = (int)tmp[j].ret_data[1];
			if (tmp[j].param == KEVENT_S390_LOG_ANY_DEV)
				strcpy(id, "all");
			else
				libkevent_s390_devid_format(tmp[j].param, id);
			snprintf(why, whylen, "device %s: %s\n  hint: %s", id,
				 strerror(err), add_hint(err));
			return err > 0 ? -err : -EIO;
		}
	}
	return 0;
}

/**
 * kld_reqs_add() - register the requests of a configuration
 * @fd: the kevent queue
 * @c: the configuration
 * @next_id: the next request id to use; advanced
 * @out: the set added
 * @why: out: why it failed
 * @whylen: its size
 *
 * The caller needs read permission on /dev/kevent_s390_log or CAP_SYSLOG.
 * Return: 0, or -errno; then nothing was added.
 */
int kld_reqs_add(int fd, const struct kld_config *c, __u64 *next_id,
		 struct kld_reqs *out, char *why, size_t whylen)
{
	unsigned int n = c->all_devices ? 1 : c->nr_devices;
	struct ukevent *v;
	int err;

	v = calloc(n, sizeof(*v));
	if (!v) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	build(c, next_id, v, n);
	err = add_all(fd, v, n, why, whylen);
	if (err) {
		remove_ids(fd, v, n);
		free(v);
		return err;
	}
	out->v = v;
	out->n = n;
	return 0;
}

/* Remove a whole set (the ones the kernel broke are gone already). */
void kld_reqs_remove(int fd, struct kld_reqs *r)
{
	remove_ids(fd, r->v, r->n);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/*
 * The request @id came back broken (its device was removed) and was freed
 * at commit.  Add it again under a new id, so that the device is logged if
 * it comes back.  0, -ENOENT if @id is not in @r, or -errno.
 */
int kld_reqs_renew(int fd, struct kld_reqs *r, __u64 id, __u64 *next_id)
{
	struct ukevent e;
	unsigned int i;
	int ret;

	for (i = 0; i < r->n && r->v[i].id != id; i++)
		;
	if (i == r->n)
		return -ENOENT;
	e = r->v[i];
	e.id = (*next_id)++;
	e.ret_flags = 0;
	e.ret_data[0] = 0;
	e.ret_data[1] = 0;
	ret = kevent_ctl(fd, KEVENT_CTL_ADD, 1, &e);
	if (ret < 0)
		return -errno;
	if (ret > 0 && (e.ret_flags & KEVENT_RET_BROKEN))
		return -(int)e.ret_data[1];
	r->v[i].id = e.id;
	return 0;
}
