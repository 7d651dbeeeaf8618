// SPDX-License-Identifier: GPL-2.0
/*
 * What systemd hears while keventlogd runs (sd_notify(3)):
 *
 *   READY=1      once set up, with the first STATUS=;
 *   STATUS=      the position and the counts since start, and a failing
 *                output or state file: `systemctl status keventlogd`
 *                shows it.  Sent from the loop when it changed, at most
 *                once a second, so not for every batch of a catch-up;
 *   WATCHDOG=1   at half the unit's WatchdogSec= ($WATCHDOG_USEC), from
 *                the loop, which wakes up for it even when idle: a loop
 *                that hangs gets keventlogd restarted.
 *
 * The loop calls kld_notify_tick() before each poll and sleeps at most
 * kld_notify_wait_ms(); nothing here blocks.
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
 * kld_notify_ready() - READY=1 and the first STATUS=; start the watchdog
 * @d: the daemon, set up and started
 * @now: CLOCK_MONOTONIC, in ns
 */
void kld_notify_ready(struct kld_daemon *d, __u64 now)
{
	struct kld_notify *n = &d->notify;
	uint64_t usec = 0;

	memset(n, 0, sizeof(*n));
	if (sd_watchdog_enabled(0, &usec) > 0 && usec)
		n->watchdog_ns = usec * 1000 / 2;
	n->ping_at = now + n->watchdog_ns;
	n->status_at = now + STATUS_EVERY_NS;
	status_text(d, n->status, sizeof(n->status));
	n->pending = false;
	sd_notifyf(0, "READY=1\nSTATUS=%s", n->status);
}

/**
 * kld_notify_tick() - send what is due: a changed STATUS=, WATCHDOG=1
 * @d: the running daemon
 * @now: CLOCK_MONOTONIC, in ns
 *
 * A changed status that is not due yet stays pending, for
 * kld_notify_wait_ms().
 */
void kld_notify_tick(struct kld_daemon *d, __u64 now)
{
	struct kld_notify *n = &d->notify;
	char status[sizeof(n->status)];
	bool ping, report;

	status_text(d, status, sizeof(status));
	n->pending = strcmp(status, n->status);
	report = n->pending && now >= n->status_at;
	ping = n->watchdog_ns && now >= n->ping_at;
	if (!report && !ping)
		return;
	if (report) {
		memcpy(n->status, status, sizeof(status));
		n->status_at = now + STATUS_EVERY_NS;
		n->pending = false;
	}
	if (ping)
		n->ping_at = now + n->watchdog_ns;
	sd_notifyf(0, "%s%s%s%s", ping ? "WATCHDOG=1" : "",
		   ping && report ? "\n" : "", report ? "STATUS=" : "",
		   report ? status : "");
}

/**
 * kld_notify_wait_ms() - how long the loop may sleep before a tick is due
 * @d: the running daemon, just ticked
 * @now: CLOCK_MONOTONIC, in ns
 *
 * Return: milliseconds, or -1 when nothing is due (no watchdog, and the
 * status sent is current).
 */
int kld_notify_wait_ms(const struct kld_daemon *d, __u64 now)
{
	const struct kld_notify *n = &d->notify;
	int ms = -1, s;

	if (n->watchdog_ns)
		ms = kld_ms_until(now, n->ping_at);
	if (n->pending) {
		s = kld_ms_until(now, n->status_at);
		if (ms < 0 || s < ms)
			ms = s;
	}
	return ms;
}
