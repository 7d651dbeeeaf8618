// SPDX-License-Identifier: GPL-2.0
/*
 * kld_unit: keventlogd's parts that need no kernel, checked on the build
 * host (under valgrind by `make check`): bus ids, times, payloads, the
 * configuration parser, the state file and whose position it holds, and
 * the outputs byte for byte against their specifications: JSON lines,
 * logfmt, RFC 3164 (/dev/log, and with HOSTNAME over UDP), RFC 5424 over a
 * unix socket and framed by RFC 6587 octet counting over TCP, the journal
 * fields; and a JSON file emptied by copytruncate.  Prints TAP.
 *
 *   make -C tools/kevent unit && valgrind --leak-check=full build/kld_unit
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "format.h"
#include "output.h"
#include "state.h"
#include "tap.h"

static char dir[] = "/tmp/kld_unit.XXXXXX";


static char *path(const char *name)
{
	static char buf[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(path(name), "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The whole file into a static buffer. */
static const char *slurp(const char *file)
{
	static char buf[16384];
	ssize_t n = -1;
	int fd = open(file, O_RDONLY);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_format(void)
{
	char b[KLD_TIME_LEN], p[KLD_PAYLOAD_LEN];

	check(!kld_time_format(1796000309123456789ULL, 9, b, sizeof(b)) &&
	      !strcmp(b, "2026-11-30T00:58:29.123456789Z"), "time, ns: %s", b);
	check(!kld_time_format(1796000309123456789ULL, 6, b, sizeof(b)) &&
	      !strcmp(b, "2026-11-30T00:58:29.123456Z"), "time, us: %s", b);
	check(!strcmp(kld_payload_format((const __u8 *)"VOL 1", 5, p), "text") &&
	      !strcmp(p, "VOL 1"), "printable payload as text");
	check(!strcmp(kld_payload_format((const __u8 *)"\x01\xff", 2, p), "hex") &&
	      !strcmp(p, "01ff"), "binary payload as hex");
	check(kld_edit_distance("devcies", "devices") == 2 &&
	      !strcmp(kld_event_nearest("tape_loded"), "tape_loaded"),
	      "did-you-mean distances");
}

/* load NAME TEXT: the number of mistakes kld_config_load reports. */
static int load(const char *text, struct kld_config **c, char **msgs)
{
	size_t len;
	FILE *err = open_memstream(msgs, &len);
	int ret;

	put("conf", text);
	ret = kld_config_load(path("conf"), c, err);
	fclose(err);
	return ret;
}

static void test_config(void)
{
	struct kld_config *c;
	char *m = NULL;
	int ret;

	ret = load("devices 0.0.0181 0.0.0180 # two\n"
		   "events tape_loaded tape_error\nwake first\nring-size 8\n"
		   "output json path=/tmp/x sync=no\noutput syslog target=udp:[::1]:514 facility=local3\n",
		   &c, &m);
	check(!ret && c && c->nr_devices == 2 &&
	      c->devices[0] == KEVENT_S390_DEVID(0, 0, 0x180) &&
	      c->events == (KEVENT_S390_TAPE_LOADED | KEVENT_S390_TAPE_ERROR) &&
	      !c->wake_all && c->ring_size == 8 && c->nr_outputs == 2 &&
	      !c->outputs[0].sync && c->outputs[1].facility == LOG_LOCAL3,
	      "a good configuration is read as written");
	check(c && kld_config_match(c, KEVENT_S390_DEVID(0, 0, 0x181),
				    KEVENT_S390_TAPE_ERROR) &&
	      !kld_config_match(c, KEVENT_S390_DEVID(0, 0, 0x182),
				KEVENT_S390_TAPE_ERROR) &&
	      !kld_config_match(c, KEVENT_S390_DEVID(0, 0, 0x180),
				KEVENT_S390_TAPE_UNLOADED),
	      "the filter: listed devices, listed events");
	kld_config_free(c);
	free(m);
	m = NULL;

	ret = load("output stdout\n", &c, &m);
	check(!ret && c->all_devices && c->events == KEVENT_S390_EVENTS_ALL &&
	      c->wake_all && c->retry_seconds == 5 &&
	      !strcmp(c->state_file, KLD_STATE_FILE), "defaults");
	kld_config_free(c);
	free(m);
	m = NULL;

	ret = load("devcies all\nwake\nevents tape_loded\noutput stdout\noutput stdout\n"
		   "devices 0.0.0180\ndevices 0.0.0180\n", &c, &m);
	check(ret == 5 && !c && strstr(m, "conf:1: unknown setting 'devcies'") &&
	      strstr(m, "did you mean 'devices'?") &&
	      strstr(m, "conf:2: 'wake' needs a value") &&
	      strstr(m, "conf:5: output stdout is configured twice (also on line 4)") &&
	      strstr(m, "conf:7: device 0.0.0180 is listed twice (also on line 6)"),
	      "every mistake, with its line and a hint (%d)", ret);
	free(m);
	m = NULL;

	ret = load("output stdout\nuser keventlog\nkeep-cap-syslog no\n", &c, &m);
	check(ret == 2 && !c &&
	      strstr(m, "conf:2: 'user' is no longer a setting: keventlogd no longer changes its user itself\n"
			"  hint: remove the line: keventlogd.service runs keventlogd as User=keventlog") &&
	      strstr(m, "conf:3: 'keep-cap-syslog' is no longer a setting: keventlogd needs no capability\n"
			"  hint: remove the line"),
	      "user and keep-cap-syslog: refused with their line and what to do instead");
	free(m);
}

static void test_config_syslog(void)
{
	struct kld_config *c;
	char *m = NULL, *text = NULL;
	size_t len;
	FILE *f;
	int ret;

	ret = load("sd-id kevent@12345.7\noutput syslog\noutput syslog target=udp:h:514\n"
		   "output syslog target=tcp:[::1]:6514\n"
		   "output syslog target=unix:/run/x format=rfc5424\n", &c, &m);
	check(!ret && c && !strcmp(c->sd_id, "kevent@12345.7") &&
	      c->outputs[0].format == KLD_SYSLOG_RFC3164 &&
	      c->outputs[1].format == KLD_SYSLOG_RFC5424 &&
	      c->outputs[2].format == KLD_SYSLOG_RFC5424 &&
	      c->outputs[3].format == KLD_SYSLOG_RFC5424,
	      "syslog: rfc3164 by default on /dev/log, rfc5424 over udp and tcp, or as given");
	f = open_memstream(&text, &len);
	if (c && f)
		kld_config_print(c, f);
	if (f)
		fclose(f);
	check(text && strstr(text, "\nsd-id kevent@12345.7\n") &&
	      strstr(text, "output syslog target=unix:/dev/log facility=daemon format=rfc3164\n") &&
	      strstr(text, "output syslog target=tcp:[::1]:6514 facility=daemon format=rfc5424\n"),
	      "syslog: the format in effect is printed");
	free(text);
	kld_config_free(c);
	free(m);
	m = NULL;

	ret = load("sd-id kevent@32473\nsd-id x\noutput syslog format=rfc5425\n"
		   "output syslog target=tcp:localhost\n", &c, &m);
	check(ret == 5 && !c &&
	      strstr(m, "conf:1: sd-id 'kevent@32473': enterprise number 32473 is reserved for documentation (RFC 5612)") &&
	      strstr(m, "conf:2: 'sd-id' is given twice (first on line 1)") &&
	      strstr(m, "conf:3: syslog format 'rfc5425': want rfc3164 or rfc5424") &&
	      strstr(m, "conf:4: syslog target 'tcp:localhost': want tcp:HOST:PORT"),
	      "syslog: reserved PEN, bad format and target refused (%d)", ret);
	free(m);
	m = NULL;
	ret = load("sd-id kevent\noutput stdout\n", &c, &m);
	check(ret == 1 && strstr(m, "conf:1: sd-id 'kevent' is not NAME@ENTERPRISE-NUMBER"),
	      "sd-id without an enterprise number is refused");
	free(m);
	m = NULL;
	ret = load("sd-id a=b@1\noutput stdout\n", &c, &m);
	check(ret == 1 && strstr(m, "conf:1: sd-id 'a=b@1' is not NAME@"),
	      "sd-id with '=' is refused (RFC 5424 SD-NAME)");
	free(m);
}

static void test_state_match(void)
{
	static const char boot[] = "6c1f0e6a-0000-4000-8000-0123456789ab";
	static const char a[] = "0b5e2f6c-1111-4222-8333-444455556666";
	static const char b[] = "0b5e2f6c-1111-4222-8333-777788889999";
	struct kld_state s = { .last_seq = 42 };
	char why[200] = "";

	strcpy(s.boot_id, boot);
	strcpy(s.instance, a);
	check(kld_state_match(&s, boot, a, 43, why, sizeof(why)) == KLD_STATE_SAME,
	      "state: the same instance: the position is used");
	check(kld_state_match(&s, boot, b, 100, why, sizeof(why)) == KLD_STATE_OTHER &&
	      strstr(why, "another load of kevent_s390_log (instance 0b5e2f6c-1111-4222-8333-444455556666, now 0b5e2f6c-1111-4222-8333-777788889999)"),
	      "state: another instance, even with more records: not used (%s)", why);
	check(kld_state_match(&s, boot, a, 42, why, sizeof(why)) == KLD_STATE_OTHER &&
	      strstr(why, "past the log's next sequence number 42"),
	      "state: the same instance, but past next_seq: not used (%s)", why);
	check(kld_state_match(&s, "6c1f0e6a-0000-4000-8000-000000000000", a, 100,
			      why, sizeof(why)) == KLD_STATE_OTHER &&
	      strstr(why, "another boot"), "state: another boot: not used");
	s.instance[0] = '\0';
	check(kld_state_match(&s, boot, a, 43, why, sizeof(why)) == KLD_STATE_MAYBE,
	      "state: no instance saved (version 1): the record must tell");
	check(kld_state_match(&s, boot, "", 42, why, sizeof(why)) == KLD_STATE_OTHER &&
	      strstr(why, "the module was loaded again"),
	      "state: no instance ids, past next_seq: not used");
}

static void test_state(void)
{
	struct kld_state s = { .last_seq = 42, .last_ts = 7 }, r;
	struct kld_state_file sf;
	char why[128] = "";

	strcpy(s.boot_id, "6c1f0e6a-0000-4000-8000-0123456789ab");
	strcpy(s.instance, "0b5e2f6c-1111-4222-8333-444455556666");
	check(!kld_state_prepare(path("st/sub/state"), why, sizeof(why)) &&
	      !kld_state_open(&sf, path("st/sub/state")) &&
	      !kld_state_save(&sf, &s), "state saved in a new directory");
	check(!kld_state_load(path("st/sub/state"), &r, why, sizeof(why)) &&
	      r.last_seq == 42 && r.last_ts == 7 &&
	      !strcmp(r.boot_id, s.boot_id) && !strcmp(r.instance, s.instance) &&
	      strstr(slurp(path("st/sub/state")), "version 2\n") &&
	      strstr(slurp(path("st/sub/state")),
		     "\ninstance 0b5e2f6c-1111-4222-8333-444455556666\n"),
	      "state read back, with its instance (version 2)");
	put("st/v1", "version 1\nboot-id 6c1f0e6a-0000-4000-8000-0123456789ab\nlast-seq 5\n");
	check(!kld_state_load(path("st/v1"), &r, why, sizeof(why)) &&
	      r.last_seq == 5 && !r.instance[0],
	      "a version 1 state file is read, with no instance");
	check(access(path("st/sub/.state.tmp"), F_OK) && errno == ENOENT,
	      "no temporary file left");
	kld_state_close(&sf);
	put("st/bad", "version 1\nlast-seq 12x\n");
	check(kld_state_load(path("st/bad"), &r, why, sizeof(why)) == -EINVAL &&
	      strstr(why, "line 2"), "a damaged state file is refused: %s", why);
	check(kld_state_load(path("st/none"), &r, why, sizeof(why)) == -ENOENT,
	      "no state file: first start");
}

static struct kevent_s390_log_record rec(__u64 seq, __u32 event,
					 const char *payload, size_t len,
					 bool truncated)
{
	struct kevent_s390_log_record r = {
		.seq = seq, .timestamp_ns = 1796000309123456789ULL,
		.event = event, .devid = KEVENT_S390_DEVID(0, 0, 0x180),
		.payload_len = len, .flags = truncated,
	};

	memcpy(r.payload, payload, len);
	return r;
}

#define BOOT	"6c1f0e6a-0000-4000-8000-0123456789ab"
#define INST	"0b5e2f6c-1111-4222-8333-444455556666"

static const struct kld_ident ident = { .boot_id = BOOT, .instance = INST };

static const char json_want[] =
	"{\"type\":\"event\",\"seq\":1,\"instance\":\"" INST "\",\"boot_id\":\"" BOOT "\",\"time\":\"2026-11-30T00:58:29.123456789Z\",\"time_ns\":1796000309123456789,\"host\":\"%s\",\"device\":\"0.0.0180\",\"event\":\"tape_loaded\",\"priority\":6,\"payload\":\"a\\\"b\\\\c]\",\"encoding\":\"text\",\"truncated\":false,\"message\":\"0.0.0180: tape loaded: a\\\"b\\\\c]\"}\n"
	"{\"type\":\"event\",\"seq\":2,\"instance\":\"" INST "\",\"boot_id\":\"" BOOT "\",\"time\":\"2026-11-30T00:58:29.123456789Z\",\"time_ns\":1796000309123456789,\"host\":\"%s\",\"device\":\"0.0.0180\",\"event\":\"tape_error\",\"priority\":3,\"payload\":\"01ff\",\"encoding\":\"hex\",\"truncated\":true,\"message\":\"0.0.0180: tape error: hex 01ff (payload truncated to 64 bytes)\"}\n"
	"{\"type\":\"lost\",\"first\":3,\"last\":7,\"lost\":5,\"instance\":\"" INST "\",\"boot_id\":\"" BOOT "\",\"time\":\"2026-11-30T00:58:29.123456789Z\",\"time_ns\":1796000309123456789,\"host\":\"%s\",\"event\":\"lost\",\"priority\":4,\"message\":\"lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them\"}\n";

#define ORIGIN	"[origin software=\"keventlogd\" swVersion=\"" KLD_VERSION "\"]"
#define IDS	" instance=\"" INST "\" boot_id=\"" BOOT "\""

/* RFC 5424 (section 6), with sd-id kevent@12345; %s host, %d pid. */
static const char *const rfc5424_want[] = {
	"<30>1 2026-11-30T00:58:29.123456Z %s kevent %d tape_loaded " ORIGIN "[kevent@12345 seq=\"1\"" IDS " device=\"0.0.0180\" event=\"tape_loaded\" payload=\"a\\\"b\\\\c\\]\" encoding=\"text\" truncated=\"0\"] 0.0.0180: tape loaded: a\"b\\c]",
	"<27>1 2026-11-30T00:58:29.123456Z %s kevent %d tape_error " ORIGIN "[kevent@12345 seq=\"2\"" IDS " device=\"0.0.0180\" event=\"tape_error\" payload=\"01ff\" encoding=\"hex\" truncated=\"1\"] 0.0.0180: tape error: hex 01ff (payload truncated to 64 bytes)",
	"<28>1 2026-11-30T00:58:29.123456Z %s kevent %d lost " ORIGIN "[kevent@12345" IDS " lost=\"5\" first=\"3\" last=\"7\"] lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them",
};

/* RFC 3164 (4.1) as /dev/log receivers want it: no HOSTNAME; %d pid. */
static const char *const rfc3164_want[] = {
	"<30>Nov 30 00:58:29 kevent[%d]: 0.0.0180: tape loaded: a\"b\\c]",
	"<27>Nov 30 00:58:29 kevent[%d]: 0.0.0180: tape error: hex 01ff (payload truncated to 64 bytes)",
	"<28>Nov 30 00:58:29 kevent[%d]: lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them",
};

static const char stdout_want[] =
	"time=2026-11-30T00:58:29.123456789Z seq=1 device=0.0.0180 event=tape_loaded payload=\"a\\\"b\\\\c]\"\n"
	"time=2026-11-30T00:58:29.123456789Z seq=2 device=0.0.0180 event=tape_error payload=\"01ff\" encoding=hex truncated=1\n"
	"time=2026-11-30T00:58:29.123456789Z event=lost lost=5 first=3 last=7 msg=\"lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them\"\n";

/* The journal fields of record 1 (sd-id kevent@12345), one per line. */
static const char journal_want[] =
	"MESSAGE=0.0.0180: tape loaded: a\"b\\c]\n"
	"MESSAGE_ID=2b565d3943504f938ac1206ae513e4f7\n"
	"PRIORITY=6\n"
	"SYSLOG_IDENTIFIER=kevent\n"
	"SYSLOG_FACILITY=3\n"
	"SYSLOG_MSGID=tape_loaded\n"
	"SYSLOG_STRUCTURED_DATA=" ORIGIN "[kevent@12345 seq=\"1\"" IDS " device=\"0.0.0180\" event=\"tape_loaded\" payload=\"a\\\"b\\\\c\\]\" encoding=\"text\" truncated=\"0\"]\n"
	"KEVENT_EVENT=tape_loaded\n"
	"KEVENT_INSTANCE=" INST "\n"
	"KEVENT_BOOT_ID=" BOOT "\n"
	"KEVENT_TIMESTAMP=2026-11-30T00:58:29.123456789Z\n"
	"KEVENT_TIMESTAMP_NS=1796000309123456789\n"
	"KEVENT_SEQ=1\n"
	"KEVENT_DEVICE=0.0.0180\n"
	"KEVENT_PAYLOAD=a\"b\\c]\n"
	"KEVENT_PAYLOAD_ENCODING=text\n"
	"KEVENT_TRUNCATED=0\n";

static int bind_sock(int family, int type, const char *p)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd = socket(family, type, 0);

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", p ? p : "");
	if (fd < 0)
		return -1;
	if ((family == AF_UNIX ? bind(fd, (struct sockaddr *)&un, sizeof(un)) :
	     bind(fd, (struct sockaddr *)&in, sizeof(in))) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 4) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_in in;
	socklen_t len = sizeof(in);

	return getsockname(fd, (struct sockaddr *)&in, &len) ? 0 :
	       ntohs(in.sin_port);
}

/* What a datagram socket received, one datagram per line. */
static const char *drain_dgrams(int fd)
{
	static char buf[8192];
	size_t n = 0;
	ssize_t r;

	while ((r = recv(fd, buf + n, sizeof(buf) - n - 2, MSG_DONTWAIT)) > 0) {
		n += r;
		buf[n++] = '\n';
	}
	buf[n] = '\0';
	return buf;
}

/* The bytes of the first connection to a listening TCP socket. */
static const char *drain_stream(int lfd)
{
	static char buf[8192];
	size_t n = 0;
	ssize_t r;
	int fd = accept(lfd, NULL, NULL);

	while (fd >= 0 && (r = recv(fd, buf + n, sizeof(buf) - n - 1,
				    MSG_DONTWAIT)) > 0)
		n += r;
	if (fd >= 0)
		close(fd);
	buf[n] = '\0';
	return buf;
}

static int write_all_outputs(struct kld_outputs *os)
{
	struct kevent_s390_log_record r1 = rec(1, KEVENT_S390_TAPE_LOADED, "a\"b\\c]", 6, false);
	struct kevent_s390_log_record r2 = rec(2, KEVENT_S390_TAPE_ERROR, "\x01\xff", 2, true);
	struct kld_entry e;
	int err;

	kld_entry_event(&e, &r1, &ident);
	err = kld_outputs_write(os, &e);
	kld_entry_event(&e, &r2, &ident);
	err = err ? err : kld_outputs_write(os, &e);
	kld_entry_lost(&e, 3, 7, 1796000309123456789ULL, &ident);
	err = err ? err : kld_outputs_write(os, &e);
	err = err ? err : kld_outputs_flush(os);
	return err ? err : kld_outputs_done(os) == 7 ? 0 : -EIO;
}

/* @tmpl with "%s" the host name and "%d" our pid, into @out. */
static void fill(const char *tmpl, const char *host, char *out, size_t len)
{
	size_t n = 0;

	for (; *tmpl && n + 64 < len; tmpl++) {
		if (tmpl[0] == '%' && tmpl[1] == 's')
			n += snprintf(out + n, len - n, "%s", host);
		else if (tmpl[0] == '%' && tmpl[1] == 'd')
			n += snprintf(out + n, len - n, "%d", (int)getpid());
		else
			out[n++] = *tmpl;
		if (tmpl[0] == '%')
			tmpl++;
	}
	out[n] = '\0';
}

/* @tmpl[0..2] joined: each as "MSG\n" (datagrams) or "LEN MSG" (RFC 6587). */
static const char *expect(const char *const *tmpl, bool framed,
			  const char *host)
{
	static char buf[4096];
	char msg[1024];
	size_t n = 0;
	int i;

	for (i = 0; i < 3; i++) {
		fill(tmpl[i], host, msg, sizeof(msg));
		if (framed)
			n += snprintf(buf + n, sizeof(buf) - n, "%zu %s",
				      strlen(msg), msg);
		else
			n += snprintf(buf + n, sizeof(buf) - n, "%s\n", msg);
	}
	return buf;
}

static void test_outputs(void)
{
	int ufd, u5fd, tfd, dfd, out, saved, err = -ENOENT;
	const char *h = kld_hostname();
	char want[4096], conf[1024], *m = NULL;
	struct kld_outputs os;
	struct kld_config *c;

	ufd = bind_sock(AF_UNIX, SOCK_DGRAM, path("log.sock"));
	u5fd = bind_sock(AF_UNIX, SOCK_DGRAM, path("5424.sock"));
	tfd = bind_sock(AF_INET, SOCK_STREAM, NULL);
	dfd = bind_sock(AF_INET, SOCK_DGRAM, NULL);
	snprintf(conf, sizeof(conf),
		 "sd-id kevent@12345\noutput json path=%s\noutput stdout\n"
		 "output syslog target=unix:%s\n"
		 "output syslog target=unix:%s format=rfc5424\n"
		 "output syslog target=tcp:127.0.0.1:%d\n"
		 "output syslog target=udp:127.0.0.1:%d format=rfc3164\n",
		 path("events.json"), path("log.sock"), path("5424.sock"),
		 port_of(tfd), port_of(dfd));
	check(ufd >= 0 && u5fd >= 0 && tfd >= 0 && dfd >= 0 &&
	      !load(conf, &c, &m), "outputs configured");
	free(m);
	out = open(path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	saved = dup(1);
	fflush(stdout);
	dup2(out, 1);
	if (c && !kld_outputs_open(&os, c, 0)) {
		err = write_all_outputs(&os);
		kld_outputs_close(&os);
	}
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(out);
	check(!err, "three entries written to six outputs, TCP acknowledged");

	snprintf(want, sizeof(want), json_want, h, h, h);
	check(!strcmp(slurp(path("events.json")), want),
	      "json: byte for byte, with instance and boot_id");
	check(!strcmp(slurp(path("stdout")), stdout_want), "stdout: byte for byte");
	check(!strcmp(drain_dgrams(ufd), expect(rfc3164_want, false, h)),
	      "syslog on a unix socket: RFC 3164 without HOSTNAME, byte for byte");
	check(!strcmp(drain_dgrams(u5fd), expect(rfc5424_want, false, h)),
	      "syslog format=rfc5424 on a unix socket: RFC 5424, byte for byte");
	check(!strcmp(drain_stream(tfd), expect(rfc5424_want, true, h)),
	      "syslog over TCP: RFC 5424 framed as MSG-LEN SP SYSLOG-MSG (RFC 6587), byte for byte");
	snprintf(want, sizeof(want), "<30>Nov 30 00:58:29 %s kevent[%d]: 0.0.0180: tape loaded: a\"b\\c]\n",
		 h, getpid());
	check(!strncmp(drain_dgrams(dfd), want, strlen(want)),
	      "syslog format=rfc3164 over UDP: with HOSTNAME (4.1.2)");

	/* A torn last line is removed, and the file's end is its position. */
	put("events.json", "{\"type\":\"event\",\"seq\":41,\"x\":1}\n{\"type\":\"ev");
	if (c && !kld_outputs_open(&os, c, 0)) {
		check(os.v[0].done == 41 && os.v[1].done == 0,
		      "json: starts after its last line (41), others at 0");
		kld_outputs_close(&os);
	}
	check(!strcmp(slurp(path("events.json")), "{\"type\":\"event\",\"seq\":41,\"x\":1}\n"),
	      "json: the torn last line is gone");
	close(ufd);
	close(u5fd);
	close(tfd);
	close(dfd);
	kld_config_free(c);
}

static void test_journal(void)
{
	struct kevent_s390_log_record r1 = rec(1, KEVENT_S390_TAPE_LOADED, "a\"b\\c]", 6, false);
	static struct kld_journal_fields f;
	struct kld_output o = { .sd_id = "kevent@12345" };
	char got[8192], sd[256];
	struct kld_buf b = { .p = sd, .len = sizeof(sd) };
	struct kld_entry e;
	size_t n = 0;
	int i;

	kld_entry_event(&e, &r1, &ident);
	kld_journal_fields(&o, &e, &f);
	for (i = 0; i < f.n; i++)
		n += snprintf(got + n, sizeof(got) - n, "%.*s\n",
			      (int)f.iov[i].iov_len,
			      (const char *)f.iov[i].iov_base);
	check(!f.overflow && !strcmp(got, journal_want),
	      "journal: MESSAGE_ID, SYSLOG_IDENTIFIER=kevent, SYSLOG_MSGID, SYSLOG_STRUCTURED_DATA, KEVENT_INSTANCE, KEVENT_BOOT_ID and the record");
	kld_sd_format(&b, &e, NULL);
	check(!b.overflow && !strcmp(sd, ORIGIN),
	      "without sd-id: only the registered origin element");
	check(kld_message_id("tape_intervention") &&
	      !strcmp(kld_message_id("tape_intervention"), "95a044cbbd9d491aaf3a926a48b6cdc6") &&
	      !kld_message_id("no_such_event"), "a MESSAGE_ID per event");
}

/* Every MESSAGE_ID keventlogd sends has its entry in the catalog. */
static void test_catalog(const char *file)
{
	static const char *const events[] = {
		"tape_loaded", "tape_unloaded", "tape_error", "tape_intervention",
		"device_added", "device_removed", "lost",
	};
	char line[64];
	unsigned int i, missing = 0;
	const char *cat = slurp(file);

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(line, sizeof(line), "\n-- %s\n", kld_message_id(events[i]));
		if (!strstr(cat, line))
			missing++;
	}
	check(*cat && !missing, "catalog %s: an entry for each of the %zu MESSAGE_IDs (%u missing)",
	      file, ARRAY_SIZE(events), missing);
}

/*
 * logrotate's copytruncate empties the file under keventlogd.  A write
 * that fails after it (RLIMIT_FSIZE: a short write, then EFBIG) must not
 * leave its half line, nor make the file longer again; the next line
 * goes to the start.
 */
static void test_copytruncate(void)
{
	struct kevent_s390_log_record r[3] = {
		rec(1, KEVENT_S390_TAPE_LOADED, "A", 1, false),
		rec(2, KEVENT_S390_TAPE_LOADED, "B", 1, false),
		rec(3, KEVENT_S390_TAPE_LOADED, "C", 1, false),
	};
	struct rlimit lim, small = { .rlim_cur = 100, .rlim_max = RLIM_INFINITY };
	struct kld_outputs os;
	struct kld_config *c;
	struct kld_entry e;
	char conf[512], *m = NULL;
	int ok = -1, failed = 0;
	struct stat st = { .st_size = -1 };
	const char *text;

	snprintf(conf, sizeof(conf), "output json path=%s\n", path("rot.json"));
	if (load(conf, &c, &m) || kld_outputs_open(&os, c, 0)) {
		check(false, "copytruncate: json output opened");
		free(m);
		kld_config_free(c);
		return;
	}
	kld_entry_event(&e, &r[0], &ident);
	ok = kld_outputs_write(&os, &e);
	kld_entry_event(&e, &r[1], &ident);
	ok = ok ? ok : kld_outputs_write(&os, &e);
	ok = ok ? ok : kld_outputs_flush(&os);
	if (truncate(path("rot.json"), 0))
		ok = -errno;
	getrlimit(RLIMIT_FSIZE, &lim);
	small.rlim_max = lim.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	kld_entry_event(&e, &r[2], &ident);
	setrlimit(RLIMIT_FSIZE, &small);
	failed = kld_outputs_write(&os, &e);
	setrlimit(RLIMIT_FSIZE, &lim);
	stat(path("rot.json"), &st);
	check(!ok && failed == -EFBIG && st.st_size == 0,
	      "copytruncate, then a short write: the half line is cut, the file stays empty (size %lld)",
	      (long long)st.st_size);
	ok = kld_outputs_write(&os, &e);
	ok = ok ? ok : kld_outputs_flush(&os);
	text = slurp(path("rot.json"));
	check(!ok && !strncmp(text, "{\"type\":\"event\",\"seq\":3,", 24) &&
	      !strstr(text + 1, "{\"type\"") &&
	      strchr(text, '\n') == text + strlen(text) - 1,
	      "copytruncate: the next line is the file's first and only one");
	kld_outputs_close(&os);
	kld_config_free(c);
	free(m);
}

int main(int argc, char **argv)
{
	char cmd[300];

	/* RFC 3164 times are local: make them the test's. */
	setenv("TZ", "UTC", 1);
	tzset();
	if (!mkdtemp(dir))
		return 1;
	test_format();
	test_config();
	test_config_syslog();
	test_state();
	test_state_match();
	test_outputs();
	test_journal();
	test_copytruncate();
	if (argc > 1)
		test_catalog(argv[1]);
	tap_plan();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		tap_failed++;
	return tap_failed ? 1 : 0;
}
