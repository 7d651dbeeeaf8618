// SPDX-License-Identifier: GPL-2.0
/*
 * kevent's tracepoints (events/kevent/ and events/kevent_s390_log/ in
 * tracefs; Documentation/kevent.rst and s390-log.rst): a known sequence of
 * operations emits exactly the events the documents describe, field by
 * field, in order, and in the context they say (the flags column of the
 * trace: hardirq, softirq or task).
 *
 * Each test reads its own trace instance (instances/kevent_trace_test.PID),
 * so the global buffer and its settings stay as they were.  A kernel
 * without tracefs skips, naming the options it lacks; a kernel with
 * tracefs whose events/ has no kevent while kevent.ko is loaded fails.
 */
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "s390_log_util.h"

#define KT_TRACEFS		"/sys/kernel/tracing"
#define KT_TRACEFS_DEBUGFS	"/sys/kernel/debug/tracing"
#define KT_TR_MAX		32	/* events a test expects, at most */
#define KT_TR_TEXT		200
#define KT_TR_CAP		4	/* '*' fields captured, at most */
#define KT_TR_CAPLEN		32
/* What %p prints before the kernel has a key to hash pointers with. */
#define KT_TR_PTRVAL		"(____ptrval____)"

/* The test source's storages these tests fire; no other test uses them. */
#define KT_TR_ST		5
#define KT_TR_ST_LEVEL		6

/* One event as the trace shows it. */
struct kt_tline {
	char ctx;		/* hardirq/softirq column: 'h', 'H', 's' or '.' */
	char text[KT_TR_TEXT];	/* "name: fields" */
};

/* One event a test expects. */
struct kt_twant {
	char ctx;		/* 'h' (h or H), 's' or '.' */
	char pat[KT_TR_TEXT];	/* the text; each '*' is one word, captured */
};

FIXTURE(trace) {
	char skip[256];		/* why this kernel cannot run the test */
	char inst[128];		/* our trace instance, once made */
	struct kevent_ring *r;
	int fd;
	unsigned long long queue;
	struct kt_tline got[KT_TR_MAX + 1];
	int nr_got;
	struct kt_twant want[KT_TR_MAX];
	int nr_want;
	char cap[KT_TR_CAP][KT_TR_CAPLEN];
};

/*
 * Where tracefs is, mounted if it is not: 0, or -1 with the reason in
 * @why.  /sys/kernel/tracing exists exactly when the kernel has tracing.
 */
static int kt_tracefs(const char **dir, char *why, size_t len)
{
	*dir = KT_TRACEFS;
	if (!access(KT_TRACEFS "/instances", F_OK))
		return 0;
	*dir = KT_TRACEFS_DEBUGFS;
	if (!access(KT_TRACEFS_DEBUGFS "/instances", F_OK))
		return 0;
	*dir = KT_TRACEFS;
	if (access(KT_TRACEFS, F_OK)) {
		snprintf(why, len,
			 "no %s: the kernel has no CONFIG_TRACING (which brings CONFIG_EVENT_TRACING); CONFIG_FTRACE=y with a tracer (CONFIG_ENABLE_DEFAULT_TRACERS=y, say) selects it, and so does CONFIG_PROVE_LOCKING",
			 KT_TRACEFS);
		return -1;
	}
	if (mount("tracefs", KT_TRACEFS, "tracefs", 0, NULL) ||
	    access(KT_TRACEFS "/instances", F_OK)) {
		snprintf(why, len, "cannot mount tracefs on %s: %s",
			 KT_TRACEFS, strerror(errno));
		return -1;
	}
	return 0;
}

/* "kevent-queue:" of @fd's fdinfo: the number the events name it by. */
static unsigned long long kt_queue_of(int fd)
{
	unsigned long long q = 0;
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "kevent-queue: %llu", &q) == 1)
			break;
	fclose(f);
	return q;
}

/* "storage @st fired N" of kevent_test's stats: the storage's last fire. */
static unsigned long long kt_storage_fired(unsigned int st)
{
	char buf[4096], key[40], *p;

	if (kt_stats_text(buf, sizeof(buf)))
		return ~0ULL;
	snprintf(key, sizeof(key), "storage %u fired ", st);
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : ~0ULL;
}

FIXTURE_SETUP(trace)
{
	const char *tracefs;
	char path[256];

	/* This harness runs the test after a SKIP here: record it instead. */
	if (kt_tracefs(&tracefs, self->skip, sizeof(self->skip)))
		return;
	snprintf(path, sizeof(path), "%s/events", tracefs);
	if (access(path, F_OK)) {
		snprintf(self->skip, sizeof(self->skip),
			 "%s has no events/: the kernel lacks CONFIG_EVENT_TRACING",
			 tracefs);
		return;
	}
	ASSERT_EQ(0, access("/sys/module/kevent", F_OK))
		TH_LOG("kevent.ko is not loaded");
	snprintf(path, sizeof(path), "%s/events/kevent", tracefs);
	ASSERT_EQ(0, access(path, F_OK))
		TH_LOG("kevent.ko is loaded, but %s is missing", path);

	snprintf(self->inst, sizeof(self->inst),
		 "%s/instances/kevent_trace_test.%d", tracefs, getpid());
	rmdir(self->inst);
	ASSERT_EQ(0, mkdir(self->inst, 0700))
		TH_LOG("mkdir %s: %s", self->inst, strerror(errno));
	snprintf(path, sizeof(path), "%s/events/kevent/enable", self->inst);
	ASSERT_EQ(0, kt_write_file(path, "1\n"));
	/* kevent_s390_log.ko is loaded for every test (s390_log_util.h). */
	snprintf(path, sizeof(path), "%s/events/kevent_s390_log/enable",
		 self->inst);
	ASSERT_EQ(0, kt_write_file(path, "1\n"))
		TH_LOG("%s: kevent_s390_log.ko's events are missing", path);

	self->fd = kevent_init(&self->r, 2, 0);
	ASSERT_LE(0, self->fd) TH_LOG("kevent_init: %s", strerror(errno));
	self->queue = kt_queue_of(self->fd);
	ASSERT_NE(0, self->queue) TH_LOG("no kevent-queue in fdinfo");
}

FIXTURE_TEARDOWN(trace)
{
	char path[256];

	if (self->r)
		kevent_close(self->r);
	if (!self->inst[0])
		return;
	/* An instance with events enabled cannot be removed. */
	snprintf(path, sizeof(path), "%s/events/enable", self->inst);
	kt_write_file(path, "0\n");
	if (rmdir(self->inst))
		TH_LOG("rmdir %s: %s", self->inst, strerror(errno));
}

/* Expect, next, an event in context @ctx that matches @fmt. */
static void __attribute__((format(printf, 3, 4)))
kt_want(FIXTURE_DATA(trace) *self, char ctx, const char *fmt, ...)
{
	struct kt_twant *w;
	va_list ap;

	if (self->nr_want == KT_TR_MAX)
		return;
	w = &self->want[self->nr_want++];
	w->ctx = ctx;
	va_start(ap, fmt);
	vsnprintf(w->pat, sizeof(w->pat), fmt, ap);
	va_end(ap);
}

/*
 * Stop the instance and parse its trace into self->got: 0, or -1.  A line
 * reads "TASK-PID [CPU] FLAGS TIMESTAMP: NAME: FIELDS", where FLAGS is
 * irqs-off, need-resched, then the hardirq/softirq column.
 */
static int kt_trace_read(FIXTURE_DATA(trace) *self)
{
	char path[256], *buf, *line, *save, *p, *q;
	size_t size = 1 << 20, n = 0;
	ssize_t rd;
	int fd;

	snprintf(path, sizeof(path), "%s/tracing_on", self->inst);
	if (kt_write_file(path, "0\n"))
		return -1;
	snprintf(path, sizeof(path), "%s/trace", self->inst);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	buf = malloc(size);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (n < size - 1 && (rd = read(fd, buf + n, size - 1 - n)) > 0)
		n += rd;
	close(fd);
	buf[n] = '\0';

	self->nr_got = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct kt_tline *t;

		if (line[0] == '#')
			continue;
		if (self->nr_got == KT_TR_MAX + 1)
			break;
		t = &self->got[self->nr_got++];
		t->ctx = '?';
		p = strstr(line, ": kevent");
		if (!p) {	/* "[LOST n EVENTS]", say: shown as it is */
			snprintf(t->text, sizeof(t->text), "%s", line);
			continue;
		}
		snprintf(t->text, sizeof(t->text), "%s", p + 2);
		/* Back over the timestamp, then to the start of FLAGS. */
		for (q = p; q > line && q[-1] != ' '; q--)
			;
		while (q > line && q[-1] == ' ')
			q--;
		p = q;
		while (p > line && p[-1] != ' ')
			p--;
		if (q - p >= 3)
			t->ctx = p[2];
	}
	free(buf);
	return 0;
}

/*
 * @text matches @pat, each '*' of which stands for one word (no space),
 * which is appended to @cap[*ncap].
 */
static bool kt_match(const char *pat, const char *text,
		     char cap[][KT_TR_CAPLEN], int *ncap)
{
	size_t len;

	while (*pat) {
		if (*pat != '*') {
			if (*pat++ != *text++)
				return false;
			continue;
		}
		pat++;
		len = strcspn(text, " ");
		if (!len)
			return false;
		if (*ncap < KT_TR_CAP)
			snprintf(cap[(*ncap)++], KT_TR_CAPLEN, "%.*s",
				 (int)len, text);
		text += len;
	}
	return !*text;
}

static bool kt_ctx_ok(char want, char got)
{
	return want == 'h' ? got == 'h' || got == 'H' : got == want;
}

/*
 * The trace holds exactly the expected events, in order and context.  What
 * it holds is logged; on a difference, what was expected too.
 */
static void kt_check(struct __test_metadata *_metadata,
		     FIXTURE_DATA(trace) *self)
{
	bool same = true;
	int i, ncap = 0;

	ASSERT_EQ(0, kt_trace_read(self)) TH_LOG("%s/trace: %s", self->inst,
						 strerror(errno));
	if (self->nr_got != self->nr_want)
		same = false;
	for (i = 0; same && i < self->nr_want; i++)
		same = kt_match(self->want[i].pat, self->got[i].text,
				self->cap, &ncap) &&
		       kt_ctx_ok(self->want[i].ctx, self->got[i].ctx);
	for (i = 0; i < self->nr_got; i++)
		TH_LOG("got  %c %s", self->got[i].ctx, self->got[i].text);
	if (same)
		return;
	for (i = 0; i < self->nr_want; i++)
		TH_LOG("want %c %s", self->want[i].ctx, self->want[i].pat);
	ASSERT_TRUE(same) TH_LOG("the trace differs from the sequence's events");
}

/* Every field the documents name, with the type perf and bpftrace see. */
TEST_F(trace, formats)
{
	static const struct {
		const char *event;
		const char *fields[8];
	} events[] = {
		{ "kevent/kevent_request_add", { "u64 queue", "u64 id",
		  "u64 param", "u32 type", "u32 event", "u32 req_flags",
		  "int ret" } },
		{ "kevent/kevent_request_remove", { "u64 queue", "u64 id",
		  "u32 type", "u32 ret_flags" } },
		{ "kevent/kevent_storage_fire", { "const void * storage",
		  "u32 event", "int queued" } },
		{ "kevent/kevent_ring_enqueue", { "u64 queue", "u64 id",
		  "u64 ret_data0", "u64 ret_data1", "u32 type",
		  "u32 ret_flags", "u32 index" } },
		{ "kevent/kevent_backlog", { "u64 queue", "u64 id", "u32 type",
		  "u32 backlog", "u32 tail", "u32 committed" } },
		{ "kevent/kevent_commit", { "u64 queue", "u32 committed",
		  "u32 new_uidx", "u32 tail", "u32 backlog" } },
		{ "kevent_s390_log/kevent_s390_log_notify", { "u64 seq",
		  "u32 devid", "u32 event", "u64 len" } },
	};
	char path[256], buf[4096], field[64];
	unsigned int i, j;
	int fd;
	ssize_t n;

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	for (i = 0; i < ARRAY_LEN(events); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/format",
			 self->inst, events[i].event);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", path, strerror(errno));
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		ASSERT_LT(0, n);
		buf[n] = '\0';
		for (j = 0; events[i].fields[j]; j++) {
			snprintf(field, sizeof(field), "\tfield:%s;",
				 events[i].fields[j]);
			EXPECT_NE(NULL, strstr(buf, field))
				TH_LOG("%s: no '%s'", path, field + 1);
		}
	}
}

/*
 * Requests added (one refused, one ready at once), fired, marked ready,
 * queued in the ring and the backlog, folded, committed, removed and
 * closed, in task context: the test source and KEVENT_UNOTIFY on a ring
 * of two slots.
 */
TEST_F(trace, core_sequence)
{
	unsigned long long q = self->queue, f0;
	struct ukevent ev[2];

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	ASSERT_TRUE(kt_has_source()) TH_LOG("kevent_test.ko not loaded");
	ASSERT_EQ(0, kt_level(KT_TR_ST, 0));
	ASSERT_EQ(0, kt_callback_ret(KT_TR_ST, 1));
	ASSERT_EQ(0, kt_callback_ret(KT_TR_ST_LEVEL, 1));
	f0 = kt_storage_fired(KT_TR_ST);
	ASSERT_NE(~0ULL, f0);

	ev[0] = kt_test(1, KT_TR_ST, 0x1, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, ev));
	kt_want(self, '.', "kevent_request_add: queue=%llu id=1 type=%u event=0x1 req_flags=0x0 param=0x%x ret=0",
		q, KEVENT_TEST_TYPE, KT_TR_ST);
	/* The same id again: refused, EEXIST. */
	ev[0] = kt_test(1, KT_TR_ST, 0x1, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_ADD, ev));
	ASSERT_EQ(EEXIST, ev[0].ret_data[1]);
	kt_want(self, '.', "kevent_request_add: queue=%llu id=1 type=%u event=0x1 req_flags=0x0 param=0x%x ret=%d",
		q, KEVENT_TEST_TYPE, KT_TR_ST, -EEXIST);
	ev[0] = kt_unotify(2, 0);
	ev[1] = kt_unotify(3, 0);
	ASSERT_EQ(0, kevent_ctl(self->fd, KEVENT_CTL_ADD, 2, ev));
	kt_want(self, '.', "kevent_request_add: queue=%llu id=2 type=0 event=0x1 req_flags=0x0 param=0x0 ret=0",
		q);
	kt_want(self, '.', "kevent_request_add: queue=%llu id=3 type=0 event=0x1 req_flags=0x0 param=0x0 ret=0",
		q);
	/* Ready at once and ONESHOT: answered by the ADD, and gone. */
	ASSERT_EQ(0, kt_level(KT_TR_ST_LEVEL, 0x1));
	ev[0] = kt_test(4, KT_TR_ST_LEVEL, 0x1, KEVENT_REQ_ONESHOT);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_ADD, ev));
	ASSERT_EQ(KEVENT_RET_DONE, ev[0].ret_flags);
	ASSERT_EQ(0, kt_level(KT_TR_ST_LEVEL, 0));
	kt_want(self, '.', "kevent_request_add: queue=%llu id=4 type=%u event=0x1 req_flags=0x%x param=0x%x ret=1",
		q, KEVENT_TEST_TYPE, KEVENT_REQ_ONESHOT, KT_TR_ST_LEVEL);
	kt_want(self, '.', "kevent_request_remove: queue=%llu id=4 type=%u ret_flags=0x0",
		q, KEVENT_TEST_TYPE);

	/* A fire takes the first slot... */
	ASSERT_EQ(0, kt_fire(KT_TR_ST, 0x1, 1, "process", 7));
	kt_want(self, '.', "kevent_ring_enqueue: queue=%llu id=1 type=%u index=0 ret_flags=0x0 ret_data0=%llu ret_data1=0x7",
		q, KEVENT_TEST_TYPE, f0 + 1);
	kt_want(self, '.', "kevent_storage_fire: storage=* event=0x1 queued=1");
	/* ...a READY the second, and the next READY finds the ring full. */
	ASSERT_EQ(1, kt_ready(self->fd, 2, 42));
	kt_want(self, '.', "kevent_ring_enqueue: queue=%llu id=2 type=0 index=1 ret_flags=0x0 ret_data0=1 ret_data1=0x2a",
		q);
	ASSERT_EQ(1, kt_ready(self->fd, 3, 43));
	kt_want(self, '.', "kevent_backlog: queue=%llu id=3 type=0 backlog=1 tail=2 committed=0",
		q);
	/* Request 1 is unread: the fire is folded into it, none queued. */
	ASSERT_EQ(0, kt_fire(KT_TR_ST, 0x1, 1, "process", 8));
	kt_want(self, '.', "kevent_storage_fire: storage=* event=0x1 queued=0");

	/*
	 * Commit both slots: request 1, level and fired again, is queued
	 * again, behind request 3 in the backlog; both move into the ring.
	 */
	ASSERT_EQ(2, kevent_commit(self->fd, 2, 0));
	kt_want(self, '.', "kevent_commit: queue=%llu committed=0 new_uidx=2 tail=2 backlog=1",
		q);
	kt_want(self, '.', "kevent_backlog: queue=%llu id=1 type=%u backlog=2 tail=2 committed=0",
		q, KEVENT_TEST_TYPE);
	kt_want(self, '.', "kevent_ring_enqueue: queue=%llu id=3 type=0 index=2 ret_flags=0x0 ret_data0=1 ret_data1=0x2b",
		q);
	kt_want(self, '.', "kevent_ring_enqueue: queue=%llu id=1 type=%u index=3 ret_flags=0x%x ret_data0=%llu ret_data1=0x8",
		q, KEVENT_TEST_TYPE, KEVENT_RET_COALESCED, f0 + 2);
	/* The events say what the entries say. */
	ASSERT_EQ(4, kevent_ring_tail(self->r));
	ASSERT_EQ(3, kevent_ring_entry(self->r, 2)->id);
	ASSERT_EQ(43, kevent_ring_entry(self->r, 2)->ret_data[1]);
	ASSERT_EQ(1, kevent_ring_entry(self->r, 3)->id);
	ASSERT_EQ(KEVENT_RET_COALESCED, kevent_ring_entry(self->r, 3)->ret_flags);
	ASSERT_EQ(f0 + 2, kevent_ring_entry(self->r, 3)->ret_data[0]);

	ev[0] = kt_test(1, KT_TR_ST, 0x1, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, ev));
	kt_want(self, '.', "kevent_request_remove: queue=%llu id=1 type=%u ret_flags=0x0",
		q, KEVENT_TEST_TYPE);
	ev[0] = kt_unotify(2, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, ev));
	kt_want(self, '.', "kevent_request_remove: queue=%llu id=2 type=0 ret_flags=0x0",
		q);
	ASSERT_EQ(2, kevent_commit(self->fd, 4, 0));
	kt_want(self, '.', "kevent_commit: queue=%llu committed=2 new_uidx=4 tail=4 backlog=0",
		q);
	/* Closing removes what is left. */
	ASSERT_EQ(0, kevent_close(self->r));
	self->r = NULL;
	kt_want(self, '.', "kevent_request_remove: queue=%llu id=3 type=0 ret_flags=0x0",
		q);

	kt_check(_metadata, self);
	/* Both fires were of the same storage. */
	ASSERT_STREQ(self->cap[0], self->cap[1]);
}

/* Fires from hardirq and softirq: the events come in that context. */
TEST_F(trace, fire_contexts)
{
	unsigned long long q = self->queue, f0;
	struct ukevent ev;

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	ASSERT_TRUE(kt_has_source()) TH_LOG("kevent_test.ko not loaded");
	ASSERT_EQ(0, kt_level(KT_TR_ST, 0));
	ASSERT_EQ(0, kt_callback_ret(KT_TR_ST, 1));
	f0 = kt_storage_fired(KT_TR_ST);
	ASSERT_NE(~0ULL, f0);

	ev = kt_test(1, KT_TR_ST, 0x2, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	kt_want(self, '.', "kevent_request_add: queue=%llu id=1 type=%u event=0x2 req_flags=0x0 param=0x%x ret=0",
		q, KEVENT_TEST_TYPE, KT_TR_ST);
	ASSERT_EQ(0, kt_fire(KT_TR_ST, 0x2, 1, "hardirq", 9));
	kt_want(self, 'h', "kevent_ring_enqueue: queue=%llu id=1 type=%u index=0 ret_flags=0x0 ret_data0=%llu ret_data1=0x9",
		q, KEVENT_TEST_TYPE, f0 + 1);
	kt_want(self, 'h', "kevent_storage_fire: storage=* event=0x2 queued=1");
	ASSERT_EQ(1, kevent_commit(self->fd, 1, 0));
	kt_want(self, '.', "kevent_commit: queue=%llu committed=0 new_uidx=1 tail=1 backlog=0",
		q);
	ASSERT_EQ(0, kt_fire(KT_TR_ST, 0x2, 1, "softirq", 10));
	kt_want(self, 's', "kevent_ring_enqueue: queue=%llu id=1 type=%u index=1 ret_flags=0x0 ret_data0=%llu ret_data1=0xa",
		q, KEVENT_TEST_TYPE, f0 + 2);
	kt_want(self, 's', "kevent_storage_fire: storage=* event=0x2 queued=1");

	kt_check(_metadata, self);
	ASSERT_STREQ(self->cap[0], self->cap[1]);
}

/*
 * The s390 log: a notify reaches a request for its device through the
 * device's storage, and the wildcard storage is fired only once it has a
 * request; a tape loaded (notified from hardirq by the simulator) fires
 * both, the device's first; a rejected notify is traced with sequence
 * number 0.
 */
TEST_F(trace, s390_log_notify)
{
	unsigned long long q = self->queue, seq, seq2;
	unsigned long long dev0 = KT_S390_DEV0;
	struct ukevent ev;

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	ASSERT_TRUE(kt_s390_loaded("kevent_s390_log") &&
		    kt_s390_loaded("kevent_tape_sim"))
		TH_LOG("kevent_s390_log.ko and kevent_tape_sim.ko not loaded");
	ASSERT_EQ(0, kt_s390_tapes());

	ev = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	kt_want(self, '.', "kevent_request_add: queue=%llu id=1 type=%u event=0x%x req_flags=0x0 param=0x%x ret=0",
		q, KEVENT_S390_LOG, KEVENT_S390_TAPE_LOADED, KT_S390_DEV0);
	/* ssid 4 is no device id: refused by the type, EINVAL. */
	ev = kt_s390_req(2, KEVENT_S390_DEVID(0, 4, 0x180),
			 KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(EINVAL, ev.ret_data[1]);
	kt_want(self, '.', "kevent_request_add: queue=%llu id=2 type=%u event=0x%x req_flags=0x0 param=0x%x ret=%d",
		q, KEVENT_S390_LOG, KEVENT_S390_TAPE_LOADED,
		KEVENT_S390_DEVID(0, 4, 0x180), -EINVAL);

	/* No wildcard request yet: the device's storage alone fires. */
	ASSERT_EQ(0, kt_write_file(KT_S390_SIM "/notify", "1 0x180\n"));
	seq = kevent_ring_entry(self->r, 0)->ret_data[0];
	ASSERT_NE(0, seq);
	kt_want(self, '.', "kevent_s390_log_notify: seq=%llu device=0.0.0180 event=tape_loaded len=0",
		seq);
	kt_want(self, '.', "kevent_ring_enqueue: queue=%llu id=1 type=%u index=0 ret_flags=0x0 ret_data0=%llu ret_data1=0x%llx",
		q, KEVENT_S390_LOG, seq,
		(unsigned long long)KEVENT_S390_TAPE_LOADED << 32 | dev0);
	kt_want(self, '.', "kevent_storage_fire: storage=* event=0x%x queued=1",
		KEVENT_S390_TAPE_LOADED);
	ASSERT_EQ(1, kevent_commit(self->fd, 1, 0));
	kt_want(self, '.', "kevent_commit: queue=%llu committed=0 new_uidx=1 tail=1 backlog=0",
		q);

	ev = kt_s390_req(3, KEVENT_S390_LOG_ANY_DEV, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(0, kt_ctl1(self->fd, KEVENT_CTL_ADD, &ev));
	kt_want(self, '.', "kevent_request_add: queue=%llu id=3 type=%u event=0x%x req_flags=0x0 param=0x%x ret=0",
		q, KEVENT_S390_LOG, KEVENT_S390_TAPE_LOADED,
		KEVENT_S390_LOG_ANY_DEV);

	ASSERT_EQ(0, kt_s390_sim(KT_S390_TAPE0, "load", "VOL001\n"));
	seq2 = kt_s390_tape_seq(KT_S390_TAPE0);
	ASSERT_EQ(seq + 1, seq2);
	kt_want(self, 'h', "kevent_s390_log_notify: seq=%llu device=0.0.0180 event=tape_loaded len=6",
		seq2);
	kt_want(self, 'h', "kevent_ring_enqueue: queue=%llu id=1 type=%u index=1 ret_flags=0x0 ret_data0=%llu ret_data1=0x%llx",
		q, KEVENT_S390_LOG, seq2,
		(unsigned long long)KEVENT_S390_TAPE_LOADED << 32 | dev0);
	kt_want(self, 'h', "kevent_storage_fire: storage=* event=0x%x queued=1",
		KEVENT_S390_TAPE_LOADED);
	kt_want(self, 'h', "kevent_ring_enqueue: queue=%llu id=3 type=%u index=2 ret_flags=0x0 ret_data0=%llu ret_data1=0x%llx",
		q, KEVENT_S390_LOG, seq2,
		(unsigned long long)KEVENT_S390_TAPE_LOADED << 32 | dev0);
	kt_want(self, 'h', "kevent_storage_fire: storage=* event=0x%x queued=1",
		KEVENT_S390_TAPE_LOADED);
	ASSERT_EQ(seq2, kevent_ring_entry(self->r, 1)->ret_data[0]);
	ASSERT_EQ(seq2, kevent_ring_entry(self->r, 2)->ret_data[0]);

	/* Two event bits: rejected, nothing stored. */
	ASSERT_EQ(-EINVAL, kt_write_file(KT_S390_SIM "/notify", "3 0x180\n"));
	kt_want(self, '.', "kevent_s390_log_notify: seq=0 device=0.0.0180 event=0x3 len=0");

	ASSERT_EQ(2, kevent_commit(self->fd, 3, 0));
	kt_want(self, '.', "kevent_commit: queue=%llu committed=1 new_uidx=3 tail=3 backlog=0",
		q);
	ev = kt_s390_req(1, KT_S390_DEV0, KEVENT_S390_TAPE_LOADED, 0);
	ASSERT_EQ(1, kt_ctl1(self->fd, KEVENT_CTL_REMOVE, &ev));
	kt_want(self, '.', "kevent_request_remove: queue=%llu id=1 type=%u ret_flags=0x0",
		q, KEVENT_S390_LOG);

	kt_check(_metadata, self);
	/* The device's storage twice, then the wildcard one. */
	ASSERT_STREQ(self->cap[0], self->cap[1]);
	/*
	 * Two addresses, unless the kernel cannot hash them yet and prints
	 * every one the same (no random key: a guest without an entropy
	 * source, say).
	 */
	if (strcmp(self->cap[1], KT_TR_PTRVAL))
		ASSERT_STRNE(self->cap[1], self->cap[2]);
}

TEST_HARNESS_MAIN
