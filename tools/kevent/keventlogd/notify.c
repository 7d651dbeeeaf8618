// SPDX-License-Identifier: GPL-2.0
/*
 * What systemd hears while keventlogd runs (sd_notify(3)):
 *
 *   READY=1      once set up, with the first STATUS=;
 *   STATUS=      the position and the counts since start, and a failing
 *                output or state file: `systemctl status keventlogd`
 *                shows it.  Sent from the loop when it changed, at most
 *                once a second, so not for every batch of a catch-up;
 *   WATCHDOG=1   at half the unit's WatchdogSec= ($WATCHDOG_USEC), when
 *                the loop takes the expiry of its periodic watchdog timer
 *                from its queue, idle or not: a loop that hangs gets
 *                keventlogd restarted.
 *
 * The loop calls kld_notify_tick() after each round; a changed status
 * that is not due yet makes the loop arm a timer for when it is.  Nothing
 * here blocks, and nothing reads a clock: the loop says what time it is.
 */
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "daemon.h"

#define NS_PER_SEC	1000000000ULL
#define STATUS_EVERY_NS	NS_PER_SEC

static void status_text(const struct kld_daemon *d, char *buf, size_t len)
{
	const char *failing = NULL;
	unsigned int i;
	int n;

	n = snprintf(buf, len,
		     "position %llu; since start %llu written, %llu lost, %llu left out by the filter",
		     (unsigned long long)d->pos, (unsigned long long)d->written,
		     (unsigned long long)d->lost, (unsigned long long)d->skipped);
	if (n < 0 || (size_t)n >= len)
		return;
	for (i = 0; i < d->outs.n && !failing; i++)
		if (d->outs.v[i].failing)
			failing = d->outs.v[i].name;
	if (d->state_failing)
		snprintf(buf + n, len - n,
			 "; cannot save the position, retrying every %u s",
			 d->conf->retry_seconds);
	else if (failing)
		snprintf(buf + n, len - n, "; output %s is failing, retrying every %u s",
			 failing, d->conf->retry_seconds);
}

/**
 * kld_notify_ready() - READY=1 and the first STATUS=; the watchdog period
 * @d: the daemon, set up and started
 * @now: CLOCK_MONOTONIC, in ns
 *
 * The loop starts a periodic timer of d->notify.watchdog_ns when it is
 * not 0 (kld_watchdog_start()).
 */
void kld_notify_ready(struct kld_daemon *d, __u64 now)
{
	struct kld_notify *n = &d->notify;
	uint64_t usec = 0;

	memset(n, 0, sizeof(*n));
	if (sd_watchdog_enabled(0, &usec) > 0 && usec)
		n->watchdog_ns = usec * 1000 / 2;
	n->status_at = now + STATUS_EVERY_NS;
	status_text(d, n->status, sizeof(n->status));
	n->pending = false;
	sd_notifyf(0, "READY=1\nSTATUS=%s", n->status);
}

/**
 * kld_notify_tick() - send what is due: WATCHDOG=1, a changed STATUS=
 * @d: the running daemon
 * @now: CLOCK_MONOTONIC, in ns
 * @ping: the watchdog timer expired since the last tick: WATCHDOG=1
 *
 * A changed status that is not due yet stays pending; the loop arms a
 * timer for the time returned.
 *
 * Return: the CLOCK_MONOTONIC time at which the pending status is due, or
 * 0 when none is pending.
 */
__u64 kld_notify_tick(struct kld_daemon *d, __u64 now, bool ping)
{
	struct kld_notify *n = &d->notify;
	char status[sizeof(n->status)];
	bool report;

	status_text(d, status, sizeof(status));
	n->pending = strcmp(status, n->status);
	report = n->pending && now >= n->status_at;
	ping = ping && n->watchdog_ns;
	if (report) {
		memcpy(n->status, status, sizeof(status));
		n->status_at = now + STATUS_EVERY_NS;
		n->pending = false;
	}
	if (report || ping)
		sd_notifyf(0, "%s%s%s%s", ping ? "WATCHDOG=1" : "",
			   ping && report ? "\n" : "", report ? "STATUS=" : "",
			   report ? status : "");
	return n->pending ? n->status_at : 0;
}
