// SPDX-License-Identifier: GPL-2.0
/*
 * kld_notify_unit: what keventlogd tells systemd (keventlogd/notify.c),
 * on the build host, with the clock given by the test: READY=1 and the
 * first STATUS=, the watchdog timer's period (half of $WATCHDOG_USEC) and
 * a WATCHDOG=1 for each of its expiries, a changed STATUS= at most once a
 * second and never lost, and when the loop's status timer must expire.
 * The datagrams go to a socket of the test's, named by $NOTIFY_SOCKET as
 * systemd does.  Prints TAP.
 *
 *   make -C tools/kevent unit && build/kld_notify_unit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "tap.h"

#define SEC	1000000000ULL
#define MS	1000000ULL

static int sock = -1;

static int bind_notify(const char *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p);
	unlink(p);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The datagrams sent since the last call, separated by "|"; "" if none. */
static const char *sent(void)
{
	static char buf[2048];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 2 &&
	       (r = recv(sock, buf + n, sizeof(buf) - n - 2, 0)) > 0) {
		n += r;
		buf[n++] = '|';
	}
	buf[n ? n - 1 : 0] = '\0';
	return buf;
}

static bool sent_is(const char *want)
{
	const char *got = sent();

	if (!strcmp(got, want))
		return true;
	printf("# sent: '%s'\n# want: '%s'\n", got, want);
	return false;
}

int main(void)
{
	char dir[] = "/tmp/kld_notify_unit.XXXXXX", path[64];
	struct kld_config conf = { .retry_seconds = 5 };
	struct kld_output out = { .name = "json /var/log/k.json" };
	struct kld_daemon d;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/notify", dir);
	sock = bind_notify(path);
	check(sock >= 0, "a notify socket");
	setenv("NOTIFY_SOCKET", path, 1);

	memset(&d, 0, sizeof(d));
	d.conf = &conf;
	d.outs.v = &out;
	d.outs.n = 1;
	d.pos = 10;
	setenv("WATCHDOG_USEC", "1000000", 1);
	kld_notify_ready(&d, 1 * SEC);
	check(sent_is("READY=1\nSTATUS=position 10; since start 0 written, 0 lost, 0 left out by the filter"),
	      "READY=1 with the first STATUS=");
	check(d.notify.watchdog_ns == 500 * MS,
	      "WatchdogSec=1s: the watchdog timer's period is 500 ms (%llu ns)",
	      (unsigned long long)d.notify.watchdog_ns);

	check(kld_notify_tick(&d, 1 * SEC + 100 * MS, false) == 0 && sent_is(""),
	      "nothing due 100 ms later: nothing sent, no status timer");

	/* A batch written: the status changes, but the last was 0.2 s ago. */
	d.pos = 74;
	d.written = 60;
	d.skipped = 4;
	check(kld_notify_tick(&d, 1 * SEC + 200 * MS, false) == 2 * SEC &&
	      sent_is(""),
	      "a changed status 200 ms after the last one waits: due at 2 s");
	check(kld_notify_tick(&d, 1 * SEC + 500 * MS, true) == 2 * SEC &&
	      sent_is("WATCHDOG=1"),
	      "the watchdog timer at 500 ms: WATCHDOG=1 alone, the status still due at 2 s");
	d.pos = 138;
	d.written = 124;
	check(kld_notify_tick(&d, 1 * SEC + 900 * MS, false) == 2 * SEC &&
	      sent_is(""),
	      "another batch: still waiting, due at 2 s");
	check(kld_notify_tick(&d, 2 * SEC, true) == 0 &&
	      sent_is("WATCHDOG=1\nSTATUS=position 138; since start 124 written, 0 lost, 4 left out by the filter"),
	      "one second after READY=1: WATCHDOG=1 and the newest STATUS= together");
	check(kld_notify_tick(&d, 2 * SEC + 700 * MS, true) == 0 &&
	      sent_is("WATCHDOG=1"),
	      "every watchdog expiry is a WATCHDOG=1, however late the last one was");

	/* Idle, watchdog off: nothing due, no timer. */
	unsetenv("WATCHDOG_USEC");
	kld_notify_ready(&d, 10 * SEC);
	sent();
	check(d.notify.watchdog_ns == 0 &&
	      kld_notify_tick(&d, 20 * SEC, true) == 0 && sent_is(""),
	      "without $WATCHDOG_USEC: no watchdog timer, no WATCHDOG=1, nothing due");

	/* A status change when idle is sent within the second. */
	d.lost = 5;
	check(kld_notify_tick(&d, 20 * SEC, false) == 0 &&
	      sent_is("STATUS=position 138; since start 124 written, 5 lost, 4 left out by the filter"),
	      "a change a second after the last STATUS= is sent at once");
	out.failing = true;
	check(kld_notify_tick(&d, 20 * SEC + 1, false) == 21 * SEC &&
	      sent_is(""),
	      "a failing output right after: due a second after the last STATUS=");
	check(kld_notify_tick(&d, 21 * SEC, false) == 0 &&
	      sent_is("STATUS=position 138; since start 124 written, 5 lost, 4 left out by the filter; output json /var/log/k.json is failing, retrying every 5 s"),
	      "the failing output is named");
	d.state_failing = true;
	kld_notify_tick(&d, 23 * SEC, false);
	check(sent_is("STATUS=position 138; since start 124 written, 5 lost, 4 left out by the filter; cannot save the position, retrying every 5 s"),
	      "a state file that cannot be saved comes first");
	d.state_failing = false;
	out.failing = false;
	kld_notify_tick(&d, 25 * SEC, false);
	check(sent_is("STATUS=position 138; since start 124 written, 5 lost, 4 left out by the filter"),
	      "and both are gone once they work");

	tap_plan();
	close(sock);
	unlink(path);
	rmdir(dir);
	return tap_failed ? 1 : 0;
}
