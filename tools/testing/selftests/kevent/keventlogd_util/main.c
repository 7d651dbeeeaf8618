// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd_test_util: the checking half of the keventlogd tests, used by
 * the keventlogd*_test scripts in the guest.
 *
 *   recv unix:PATH|udp:PORT OUT   receive datagrams, one per line into OUT,
 *                                 until SIGTERM (a syslog or notify socket)
 *   recv tcp:PORT OUT             a TCP listener: each connection's bytes
 *   json FILE                     check keventlogd's JSON lines (RFC 8259,
 *                                 strictly, and every field's type and form)
 *   journal FILE                  check `journalctl -o json` output: the
 *                                 kevent entries and their fields
 *   journal-syslog FILE JSON      journald's entries from /dev/log: what its
 *                                 RFC 3164 parser made of each JSON line
 *   rfc5424 FILE                  check RFC 5424 syslog messages against the
 *                                 ABNF of section 6, and the $KT_SD_ID element
 *   rfc6587 FILE                  a TCP stream: octet-counted frames (RFC 6587
 *                                 3.4.1), each RFC 5424
 *   rfc3164 FILE JSON [host]      RFC 3164 messages, byte for byte those of
 *                                 the JSON file's lines
 *   instance                      the log's instance id (STATS)
 *   cover FIRST LAST CANON        every sequence number FIRST..LAST exactly
 *                                 once, as an event or in a lost range
 *   as UID GID GROUPS CMD...      run CMD as UID:GID with the supplementary
 *                                 GROUPS (a comma list, or -), no capability
 *   flat FILE [LIST]              check a JSON document (with LIST: JSON
 *                                 lines) strictly, and print it as the
 *                                 key=value pairs of keventctl --format pairs
 *   sleeps PID                    PID is blocked in ioctl(KEVENT_IOC_WAIT)
 *                                 on /dev/kevent (/proc/PID/syscall)
 *   oldkevent CMD...              run CMD as if kevent.ko had no
 *                                 KEVENT_TIMER and KEVENT_POLL (a seccomp
 *                                 filter refuses their ADD with EINVAL)
 *
 * json, journal, rfc5424 and rfc6587 print what they found in one canonical form,
 * so that outputs can be compared with each other and with the kernel:
 *   event SEQ DEVICE EVENT ENCODING PAYLOAD TRUNCATED
 *   lost FIRST LAST COUNT
 * (PAYLOAD is "-" when empty).  A mistake is printed as "FILE:LINE: what"
 * and the exit status is 1.
 *
 * One file per subcommand (json.c, journal.c, rfc5424.c, rfc6587.c,
 * rfc3164.c, recv.c, cover.c, as.c, instance.c, flat.c, sleeps.c,
 * oldkevent.c); jsonparse.c,
 * canon.c and lines.c are what they share (jsonflat.c is flat's own).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "recv") && argc == 4)
		return kt_recv(argv[2], argv[3]);
	if (!strcmp(cmd, "json") && argc == 3)
		return kt_each_line(argv[2], kt_json_line);
	if (!strcmp(cmd, "journal") && argc == 3)
		return kt_each_line(argv[2], kt_journal_line);
	if (!strcmp(cmd, "rfc5424") && argc == 3)
		return kt_each_line(argv[2], kt_rfc5424_line);
	if (!strcmp(cmd, "rfc6587") && argc == 3)
		return kt_rfc6587(argv[2]);
	if (!strcmp(cmd, "rfc3164") && (argc == 4 || argc == 5))
		return kt_rfc3164(argv[2], argv[3], argc == 5 && !strcmp(argv[4], "host"));
	if (!strcmp(cmd, "journal-syslog") && argc == 4)
		return kt_journal_syslog(argv[2], argv[3]);
	if (!strcmp(cmd, "instance") && argc == 2)
		return kt_instance();
	if (!strcmp(cmd, "flat") && (argc == 3 || argc == 4))
		return kt_flat(argv[2], argc == 4 ? argv[3] : NULL);
	if (!strcmp(cmd, "cover") && argc == 5)
		return kt_cover(strtoull(argv[2], NULL, 10),
				strtoull(argv[3], NULL, 10), argv[4]);
	if (!strcmp(cmd, "as") && argc >= 6)
		return kt_as(argv + 2);
	if (!strcmp(cmd, "sleeps") && argc == 3)
		return kt_sleeps(argv[2]);
	if (!strcmp(cmd, "oldkevent") && argc >= 3)
		return kt_oldkevent(argv + 2);
	fprintf(stderr, "usage: keventlogd_test_util recv|json|journal|journal-syslog|rfc5424|rfc6587|rfc3164|instance|cover|as|flat|sleeps|oldkevent ...\n");
	return 2;
}
