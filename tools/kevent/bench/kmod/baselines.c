// SPDX-License-Identifier: GPL-2.0
/*
 * The mechanisms kevent is compared with: one generic netlink multicast, one
 * KOBJ_CHANGE uevent or one eventfd_signal() per event.
 */
#include <linux/eventfd.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "internal.h"

static const struct genl_multicast_group mcgrps[] = {
	{ .name = KEVENT_BENCH_GENL_MCGRP, },
};

static struct genl_family genl_family = {
	.name = KEVENT_BENCH_GENL_NAME,
	.version = KEVENT_BENCH_GENL_VERSION,
	.maxattr = KEVENT_BENCH_A_MAX,
	.module = THIS_MODULE,
	.mcgrps = mcgrps,
	.n_mcgrps = ARRAY_SIZE(mcgrps),
};

/* One multicast message per event.  Context: any but NMI with GFP_ATOMIC. */
int kevent_bench_genl_send(u64 seq, u64 ns, gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(2 * nla_total_size_64bit(sizeof(u64)), gfp);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &genl_family, 0, KEVENT_BENCH_C_EVENT);
	if (!hdr)
		goto nospace;
	if (nla_put_u64_64bit(skb, KEVENT_BENCH_A_SEQ, seq, KEVENT_BENCH_A_PAD) ||
	    nla_put_u64_64bit(skb, KEVENT_BENCH_A_TS, ns, KEVENT_BENCH_A_PAD))
		goto nospace;
	genlmsg_end(skb, hdr);
	/* -ESRCH (nobody listens) and -ENOBUFS (a receiver overran) count. */
	return genlmsg_multicast(&genl_family, skb, 0, 0, gfp);

nospace:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/* One KOBJ_CHANGE uevent of our misc device per event.  Context: process. */
int kevent_bench_uevent_send(u64 seq, u64 ns)
{
	char s[48], t[48];
	char *envp[3];

	snprintf(s, sizeof(s), KEVENT_BENCH_UEVENT_SEQ "%llu", seq);
	snprintf(t, sizeof(t), KEVENT_BENCH_UEVENT_TS "%llu", ns);
	envp[0] = s;
	envp[1] = t;
	envp[2] = NULL;
	return kobject_uevent_env(&kevent_bench_misc.this_device->kobj,
				  KOBJ_CHANGE, envp);
}

/* One eventfd_signal() per event.  Context: any. */
void kevent_bench_eventfd_send(struct eventfd_ctx *efd)
{
	eventfd_signal(efd);
}

int kevent_bench_genl_init(void)
{
	return genl_register_family(&genl_family);
}

void kevent_bench_genl_exit(void)
{
	genl_unregister_family(&genl_family);
}
