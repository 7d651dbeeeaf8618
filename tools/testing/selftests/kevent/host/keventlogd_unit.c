// SPDX-License-Identifier: GPL-2.0
/*
 * kld_unit: keventlogd's parts that need no kernel, checked on the build
 * host (under valgrind by `make check`): bus ids, times, payloads, the
 * configuration parser, the state file, and the json, stdout and syslog
 * outputs byte for byte.  Prints TAP.
 *
 *   make -C tools/kevent unit && valgrind --leak-check=full build/kld_unit
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
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

static void test_state(void)
{
	struct kld_state s = { .last_seq = 42, .last_ts = 7 }, r;
	struct kld_state_file sf;
	char why[128] = "";

	strcpy(s.boot_id, "6c1f0e6a-0000-4000-8000-0123456789ab");
	check(!kld_state_prepare(path("st/sub/state"), why, sizeof(why)) &&
	      !kld_state_open(&sf, path("st/sub/state")) &&
	      !kld_state_save(&sf, &s), "state saved in a new directory");
	check(!kld_state_load(path("st/sub/state"), &r, why, sizeof(why)) &&
	      r.last_seq == 42 && r.last_ts == 7 &&
	      !strcmp(r.boot_id, s.boot_id), "state read back");
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

static const char json_want[] =
	"{\"type\":\"event\",\"seq\":1,\"time\":\"2026-11-30T00:58:29.123456789Z\",\"time_ns\":1796000309123456789,\"host\":\"%s\",\"device\":\"0.0.0180\",\"event\":\"tape_loaded\",\"priority\":6,\"payload\":\"a\\\"b\\\\c]\",\"encoding\":\"text\",\"truncated\":false,\"message\":\"0.0.0180: tape loaded: a\\\"b\\\\c]\"}\n"
	"{\"type\":\"event\",\"seq\":2,\"time\":\"2026-11-30T00:58:29.123456789Z\",\"time_ns\":1796000309123456789,\"host\":\"%s\",\"device\":\"0.0.0180\",\"event\":\"tape_error\",\"priority\":3,\"payload\":\"01ff\",\"encoding\":\"hex\",\"truncated\":true,\"message\":\"0.0.0180: tape error: hex 01ff (payload truncated to 64 bytes)\"}\n"
	"{\"type\":\"lost\",\"first\":3,\"last\":7,\"lost\":5,\"time\":\"2026-11-30T00:58:29.123456789Z\",\"time_ns\":1796000309123456789,\"host\":\"%s\",\"event\":\"lost\",\"priority\":4,\"message\":\"lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them\"}\n";

static const char syslog_want[] =
	"<30>1 2026-11-30T00:58:29.123456Z %s keventlogd %d tape_loaded [kevent@32473 seq=\"1\" device=\"0.0.0180\" event=\"tape_loaded\" payload=\"a\\\"b\\\\c\\]\" encoding=\"text\" truncated=\"0\"] 0.0.0180: tape loaded: a\"b\\c]\n"
	"<27>1 2026-11-30T00:58:29.123456Z %s keventlogd %d tape_error [kevent@32473 seq=\"2\" device=\"0.0.0180\" event=\"tape_error\" payload=\"01ff\" encoding=\"hex\" truncated=\"1\"] 0.0.0180: tape error: hex 01ff (payload truncated to 64 bytes)\n"
	"<28>1 2026-11-30T00:58:29.123456Z %s keventlogd %d lost [kevent@32473 lost=\"5\" first=\"3\" last=\"7\"] lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them\n";

static const char stdout_want[] =
	"time=2026-11-30T00:58:29.123456789Z seq=1 device=0.0.0180 event=tape_loaded payload=\"a\\\"b\\\\c]\"\n"
	"time=2026-11-30T00:58:29.123456789Z seq=2 device=0.0.0180 event=tape_error payload=\"01ff\" encoding=hex truncated=1\n"
	"time=2026-11-30T00:58:29.123456789Z event=lost lost=5 first=3 last=7 msg=\"lost 5 events (sequence 3..7): the kernel buffer overwrote them before keventlogd read them\"\n";

static int bind_unix(const char *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What the syslog socket received, one datagram per line. */
static const char *drain_socket(int fd)
{
	static char buf[8192];
	size_t n = 0;
	ssize_t r;

	while ((r = recv(fd, buf + n, sizeof(buf) - n - 2, 0)) > 0) {
		n += r;
		buf[n++] = '\n';
	}
	buf[n] = '\0';
	return buf;
}

static int write_all_outputs(struct kld_outputs *os)
{
	struct kevent_s390_log_record r1 = rec(1, KEVENT_S390_TAPE_LOADED, "a\"b\\c]", 6, false);
	struct kevent_s390_log_record r2 = rec(2, KEVENT_S390_TAPE_ERROR, "\x01\xff", 2, true);
	struct kld_entry e;
	int err;

	kld_entry_event(&e, &r1);
	err = kld_outputs_write(os, &e);
	kld_entry_event(&e, &r2);
	err = err ? err : kld_outputs_write(os, &e);
	kld_entry_lost(&e, 3, 7, 1796000309123456789ULL);
	err = err ? err : kld_outputs_write(os, &e);
	err = err ? err : kld_outputs_flush(os);
	return err ? err : kld_outputs_done(os) == 7 ? 0 : -EIO;
}

static void test_outputs(void)
{
	char want[4096], conf[512];
	struct kld_outputs os;
	struct kld_config *c;
	const char *h = kld_hostname();
	int sfd, out, saved, pid = getpid(), err = -ENOENT;
	char *m = NULL;

	sfd = bind_unix(path("syslog.sock"));
	snprintf(conf, sizeof(conf),
		 "output json path=%s\noutput stdout\noutput syslog target=unix:%s\n",
		 path("events.json"), path("syslog.sock"));
	check(sfd >= 0 && !load(conf, &c, &m), "outputs configured");
	free(m);
	out = open(path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	saved = dup(1);
	fflush(stdout);
	dup2(out, 1);
	if (!kld_outputs_open(&os, c, 0)) {
		err = write_all_outputs(&os);
		kld_outputs_close(&os);
	}
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(out);
	check(!err, "three entries written to three outputs");

	snprintf(want, sizeof(want), json_want, h, h, h);
	check(!strcmp(slurp(path("events.json")), want), "json: byte for byte");
	check(!strcmp(slurp(path("stdout")), stdout_want), "stdout: byte for byte");
	snprintf(want, sizeof(want), syslog_want, h, pid, h, pid, h, pid);
	check(!strcmp(drain_socket(sfd), want), "syslog: byte for byte");

	/* A torn last line is removed, and the file's end is its position. */
	put("events.json", "{\"type\":\"event\",\"seq\":41,\"x\":1}\n{\"type\":\"ev");
	if (!kld_outputs_open(&os, c, 0)) {
		check(os.v[0].done == 41 && os.v[1].done == 0,
		      "json: starts after its last line (41), others at 0");
		kld_outputs_close(&os);
	}
	check(!strcmp(slurp(path("events.json")), "{\"type\":\"event\",\"seq\":41,\"x\":1}\n"),
	      "json: the torn last line is gone");
	close(sfd);
	kld_config_free(c);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir))
		return 1;
	test_format();
	test_config();
	test_state();
	test_outputs();
	tap_plan();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		tap_failed++;
	return tap_failed ? 1 : 0;
}
