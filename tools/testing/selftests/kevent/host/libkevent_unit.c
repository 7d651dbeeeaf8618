// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libkevent_unit: the ring helpers on a fake ring in memory, on the build
 * host (make check runs it under valgrind, scripts/host-unit.sh), for what
 * a test against the kernel cannot set up at will: entries marked
 * KEVENT_RET_REMOVED, and other claimers committing between the cursor
 * read and KEVENT_IOC_WAIT.  ioctl() is replaced by a fake queue that
 * checks indices as the kernel does, and by a fake log device whose
 * answers a test scripts, broken ones included, for the s390 log reader.
 * Event names and bus ids are checked too.  Prints TAP.
 *
 *   make -C tools/lib/kevent unit && ./libkevent_unit
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libkevent.h"
#include "libkevent_s390_log.h"
#include "tap.h"

#define FAKE_FD		1000
#define FAKE_LOG_FD	1001
#define FAKE_ENTRIES	8

static struct kevent_ring_prod prod;
static struct kevent_ring_cons cons;
static struct ukevent slots[FAKE_ENTRIES];
static struct kevent_ring ring;


/* An empty ring whose indices start at @start. */
static void reset(unsigned int start)
{
	memset(&prod, 0, sizeof(prod));
	memset(&cons, 0, sizeof(cons));
	memset(slots, 0, sizeof(slots));
	memset(&ring, 0, sizeof(ring));
	prod.tail = start;
	prod.committed = start;
	prod.mask = FAKE_ENTRIES - 1;
	cons.head = start;
	ring.fd = FAKE_FD;
	ring.entries = FAKE_ENTRIES;
	ring.mask = FAKE_ENTRIES - 1;
	ring.prod = &prod;
	ring.cons = &cons;
	ring.ring = slots;
	ring.cursor = start;
}

/* The kernel writes an entry for request @id. */
static void push(__u64 id, __u32 ret_flags)
{
	struct ukevent *e = &slots[prod.tail & prod.mask];

	memset(e, 0, sizeof(*e));
	e->id = id;
	e->ret_flags = ret_flags;
	prod.tail++;
}

/* KEVENT_IOC_WAIT: how often, the last old_uidx, claims to race it with. */
static unsigned int waits, wait_uidx, wait_race;

/*
 * The log device's next answer, as a test sets it: READ returns @ret (or
 * fails with @err), writes @rd's out fields and copies @recs; STATS copies
 * @st.  The first @eintr calls fail with EINTR.
 */
static struct {
	int ret, err;
	unsigned int eintr, calls;
	struct kevent_s390_log_read rd, asked;
	struct kevent_s390_log_record recs[4];
	struct kevent_s390_log_stats st;
} logdev;

static int log_ioctl(unsigned long req, void *arg)
{
	struct kevent_s390_log_read *rd = arg;

	logdev.calls++;
	if (logdev.eintr) {
		logdev.eintr--;
		errno = EINTR;
		return -1;
	}
	switch (req) {
	case KEVENT_S390_LOG_IOC_STATS:
		memcpy(arg, &logdev.st, sizeof(logdev.st));
		return 0;
	case KEVENT_S390_LOG_IOC_READ:
		logdev.asked = *rd;
		rd->count = logdev.rd.count;
		rd->next_seq = logdev.rd.next_seq;
		rd->lost = logdev.rd.lost;
		if (logdev.ret > 0)
			memcpy((void *)(unsigned long)rd->buf, logdev.recs,
			       logdev.ret * sizeof(logdev.recs[0]));
		if (logdev.err) {
			errno = logdev.err;
			return -1;
		}
		return logdev.ret;
	default:
		errno = ENOTTY;
		return -1;
	}
}

/*
 * The kernel's side of KEVENT_IOC_COMMIT and KEVENT_IOC_WAIT (no sleep),
 * and of the log device.
 */
int ioctl(int fd, unsigned long req, ...)
{
	const struct kevent_commit *c;
	const struct kevent_wait *w;
	unsigned int n;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd == FAKE_LOG_FD)
		return log_ioctl(req, arg);
	if (fd != FAKE_FD) {
		errno = EBADF;
		return -1;
	}
	switch (req) {
	case KEVENT_IOC_COMMIT:
		c = arg;
		n = c->new_uidx - prod.committed;
		if (c->flags || n > prod.tail - prod.committed)
			break;
		prod.committed = c->new_uidx;
		return n;
	case KEVENT_IOC_WAIT:
		w = arg;
		waits++;
		wait_uidx = w->old_uidx;
		/* Other threads claim and commit after the caller read old_uidx. */
		for (; wait_race; wait_race--) {
			push(100 + wait_race, 0);
			ring.cursor++;
			prod.committed = ring.cursor;
		}
		if (w->num > FAKE_ENTRIES ||
		    w->old_uidx - prod.committed > prod.tail - prod.committed)
			break;
		return prod.tail - w->old_uidx;
	default:
		errno = ENOTTY;
		return -1;
	}
	errno = EINVAL;
	return -1;
}

struct seen {
	unsigned int n;
	__u64 id[FAKE_ENTRIES];
};

static int record(const struct ukevent *ev, void *arg)
{
	struct seen *s = arg;

	if (s->n < FAKE_ENTRIES)
		s->id[s->n] = ev->id;
	s->n++;
	return 0;
}

/* Entries marked KEVENT_RET_REMOVED are committed, not delivered. */
static void test_consume_removed(unsigned int start)
{
	struct seen s = { 0 };
	int n;

	reset(start);
	push(1, 0);
	push(2, KEVENT_RET_REMOVED);
	push(3, KEVENT_RET_COALESCED);
	push(4, KEVENT_RET_REMOVED | KEVENT_RET_COALESCED);
	n = kevent_ring_consume(&ring, 8, record, &s);
	check(n == 2 && s.n == 2 && s.id[0] == 1 && s.id[1] == 3,
	      "consume from %#x: 2 of 4 delivered, the removed skipped (got %d, ids %llu %llu)",
	      start, n, (unsigned long long)s.id[0],
	      (unsigned long long)s.id[1]);
	check(prod.committed == start + 4 && cons.head == start + 4,
	      "consume from %#x: all 4 slots committed (committed %+d, head %+d)",
	      start, (int)(prod.committed - start), (int)(cons.head - start));

	/* Nothing but removed entries: committed all the same. */
	memset(&s, 0, sizeof(s));
	push(5, KEVENT_RET_REMOVED);
	push(6, KEVENT_RET_REMOVED);
	n = kevent_ring_consume(&ring, 8, record, &s);
	check(n == 0 && s.n == 0 && prod.committed == start + 6,
	      "consume from %#x: only removed entries: none delivered, slots committed (got %d, %u delivered, committed %+d)",
	      start, n, s.n, (int)(prod.committed - start));
}

/* The claim helpers skip them too, and their slots are committed. */
static void test_claim_removed(unsigned int start)
{
	struct ukevent ev;
	unsigned int idx = 0;
	int a, b, c;
	__u64 id1, id3;

	reset(start);
	push(1, 0);
	push(2, KEVENT_RET_REMOVED);
	push(3, 0);
	a = kevent_ring_claim(&ring, &idx, &ev);
	id1 = ev.id;
	b = kevent_ring_claim(&ring, &idx, &ev);
	id3 = ev.id;
	check(a == 1 && b == 1 && id1 == 1 && id3 == 3 && idx == start + 2,
	      "claim from %#x: ids 1 and 3, the removed 2 skipped (got %d %d, ids %llu %llu, last index %+d)",
	      start, a, b, (unsigned long long)id1, (unsigned long long)id3,
	      (int)(idx - start));
	c = kevent_ring_claim(&ring, &idx, &ev);
	a = kevent_ring_commit_claimed(&ring);
	check(c == 0 && a == 3 && prod.committed == start + 3,
	      "claim from %#x: then empty; commit_claimed commits 3 slots (got %d, %d, committed %+d)",
	      start, c, a, (int)(prod.committed - start));

	/*
	 * Nothing but removed entries: the claimer gets nothing and will not
	 * commit, so claim must, or a ring full of them holds back the
	 * backlog for ever.
	 */
	push(4, KEVENT_RET_REMOVED);
	push(5, KEVENT_RET_REMOVED);
	ev.id = 0;
	c = kevent_ring_claim(&ring, &idx, &ev);
	check(c == 0 && prod.committed == start + 5 && cons.head == start + 5,
	      "claim from %#x: only removed entries: none claimed, slots committed (got %d, id %llu, committed %+d, head %+d)",
	      start, c, c ? (unsigned long long)ev.id : 0ULL,
	      (int)(prod.committed - start), (int)(cons.head - start));
}

/* kevent_ring_wait(): from the committed index, and again after a race. */
static void test_wait(unsigned int start)
{
	int ret, err;

	reset(start);
	push(1, 0);
	push(2, 0);
	prod.committed = start + 2;	/* by kevent_get_events(), say */
	waits = 0;
	ret = kevent_ring_wait(&ring, 1, NULL, 0);
	check(ret == 0 && waits == 1 && wait_uidx == start + 2 &&
	      ring.cursor == start + 2,
	      "wait from %#x: a cursor behind the committed index moves up to it (got %d, old_uidx %+d)",
	      start, ret, (int)(wait_uidx - start));

	/* Two claimed and committed by others before the kernel looked. */
	waits = 0;
	wait_race = 2;
	ret = kevent_ring_wait(&ring, 1, NULL, 0);
	check(ret == 0 && waits == 2 && wait_uidx == start + 4,
	      "wait from %#x: EINVAL as others committed past the cursor: waits again from the new cursor (got %d, %u waits, old_uidx %+d)",
	      start, ret, waits, (int)(wait_uidx - start));

	/* Any other EINVAL is the caller's. */
	waits = 0;
	errno = 0;
	ret = kevent_ring_wait(&ring, FAKE_ENTRIES + 1, NULL, 0);
	err = errno;
	check(ret == -1 && err == EINVAL && waits == 1,
	      "wait from %#x: num above the ring: EINVAL, not retried (got %d, errno %d, %u waits)",
	      start, ret, err, waits);
}

/* The log answers @n records from @seq on: a well-formed READ. */
static void log_answer(__u64 seq, int n)
{
	int i;

	memset(&logdev, 0, sizeof(logdev));
	logdev.ret = n;
	logdev.rd.count = n;
	logdev.rd.next_seq = seq + n;
	for (i = 0; i < n; i++) {
		logdev.recs[i].seq = seq + i;
		logdev.recs[i].payload_len = i;
	}
}

/* A READ with @why, @res filled with junk first. */
static int log_read(__u64 seq, unsigned int max,
		    struct libkevent_s390_log_result *res, char *why)
{
	static struct kevent_s390_log_record buf[4];

	memset(res, 0xa5, sizeof(*res));
	why[0] = '\0';
	return libkevent_s390_log_read(FAKE_LOG_FD, seq, buf, max, res, why,
				       128);
}

/* libkevent_s390_log_read(): the kernel's answers, good and broken. */
static void test_log_read(void)
{
	struct libkevent_s390_log_result res;
	struct kevent_s390_log_record rec;
	char why[128];
	int ret, err;

	log_answer(5, 3);
	ret = log_read(5, 4, &res, why);
	check(ret == 0 && res.count == 3 && res.next == 8 && !res.lost &&
	      logdev.asked.seq == 5 && logdev.asked.max == 4 && !logdev.asked.flags,
	      "log read: 3 records from 5 (got %d, count %u, next %llu, lost %llu)",
	      ret, res.count, (unsigned long long)res.next,
	      (unsigned long long)res.lost);

	log_answer(8, 0);
	ret = log_read(8, 4, &res, why);
	check(ret == 0 && res.count == 0 && res.next == 8 && !res.lost,
	      "log read: nothing new: count 0, next unchanged (got %d, count %u, next %llu)",
	      ret, res.count, (unsigned long long)res.next);

	log_answer(3, 0);
	logdev.ret = -1;
	logdev.err = EOVERFLOW;
	logdev.rd.lost = 4;
	logdev.rd.next_seq = 7;
	ret = log_read(3, 4, &res, why);
	check(ret == 0 && res.count == 0 && res.next == 7 && res.lost == 4,
	      "log read: EOVERFLOW is a result: 4 lost, next 7 (got %d, count %u, next %llu, lost %llu)",
	      ret, res.count, (unsigned long long)res.next,
	      (unsigned long long)res.lost);

	logdev.rd.next_seq = 8;
	errno = 0;
	ret = log_read(3, 4, &res, why);
	err = errno;
	check(ret == -EPROTO && err == EPROTO && why[0],
	      "log read: EOVERFLOW whose next is not seq + lost: EPROTO (got %d, errno %d, \"%s\")",
	      ret, err, why);

	log_answer(5, 3);
	logdev.recs[1].seq = 9;
	ret = log_read(5, 4, &res, why);
	check(ret == -EPROTO && why[0],
	      "log read: a record out of sequence: EPROTO (got %d, \"%s\")",
	      ret, why);

	log_answer(5, 2);
	logdev.recs[1].payload_len = KEVENT_S390_LOG_PAYLOAD_MAX + 1;
	ret = log_read(5, 4, &res, why);
	check(ret == -EPROTO && why[0],
	      "log read: a payload longer than a record holds: EPROTO (got %d, \"%s\")",
	      ret, why);

	log_answer(5, 3);
	ret = log_read(5, 2, &res, why);
	check(ret == -EPROTO,
	      "log read: more records than asked for: EPROTO (got %d)", ret);

	log_answer(5, 3);
	logdev.rd.next_seq = 9;
	ret = log_read(5, 4, &res, why);
	check(ret == -EPROTO,
	      "log read: next_seq not past the records copied: EPROTO (got %d)",
	      ret);

	log_answer(5, 1);
	logdev.eintr = 2;
	ret = log_read(5, 4, &res, why);
	check(ret == 0 && res.count == 1 && logdev.calls == 3,
	      "log read: EINTR is retried (got %d, count %u, %u calls)",
	      ret, res.count, logdev.calls);

	log_answer(50, 0);
	logdev.ret = -1;
	logdev.err = ERANGE;
	errno = 0;
	ret = log_read(50, 4, &res, why);
	err = errno;
	check(ret == -ERANGE && err == ERANGE,
	      "log read: ERANGE (log reloaded) is passed on (got %d, errno %d)",
	      ret, err);

	log_answer(5, 1);
	logdev.recs[0].seq = 6;
	ret = libkevent_s390_log_read(FAKE_LOG_FD, 5, &rec, 1, &res, NULL, 0);
	check(ret == -EPROTO, "log read: why may be NULL (got %d)", ret);
}

/* libkevent_s390_log_stats(): passed on when consistent. */
static void test_log_stats(void)
{
	struct kevent_s390_log_stats st;
	int ret;

	memset(&logdev, 0, sizeof(logdev));
	logdev.st.size = 8;
	logdev.st.oldest_seq = 3;
	logdev.st.next_seq = 7;
	logdev.st.records = 4;
	ret = libkevent_s390_log_stats(FAKE_LOG_FD, &st);
	check(ret == 0 && !memcmp(&st, &logdev.st, sizeof(st)),
	      "log stats: copied (got %d)", ret);

	logdev.st.records = 5;
	ret = libkevent_s390_log_stats(FAKE_LOG_FD, &st);
	check(ret == -EPROTO, "log stats: records != next - oldest: EPROTO (got %d)",
	      ret);

	logdev.st.oldest_seq = 0;
	logdev.st.records = 7;
	ret = libkevent_s390_log_stats(FAKE_LOG_FD, &st);
	check(ret == -EPROTO, "log stats: oldest 0: EPROTO (got %d)", ret);

	ret = libkevent_s390_log_stats(FAKE_FD + 2, &st);
	check(ret == -EBADF && errno == EBADF,
	      "log stats: a failing ioctl's errno is passed on (got %d)", ret);
}

/* Event names: every bit round-trips; anything else is unknown. */
static void test_event_names(void)
{
	unsigned int bits = 0, named = 0;
	__u32 bit, back;

	for (bit = 1; bit & KEVENT_S390_EVENTS_ALL; bit <<= 1) {
		bits++;
		if (strcmp(libkevent_s390_event_name(bit), "unknown") &&
		    strcmp(libkevent_s390_event_text(bit), "unknown event") &&
		    strstr(libkevent_s390_event_names(),
			   libkevent_s390_event_name(bit)) &&
		    !libkevent_s390_event_parse(libkevent_s390_event_name(bit),
						&back) && back == bit)
			named++;
	}
	check(bits == 6 && named == bits,
	      "event names: all %u bits named, listed and parsed back (%u)",
	      bits, named);
	check(!strcmp(libkevent_s390_event_name(KEVENT_S390_TAPE_LOADED),
		      "tape_loaded") &&
	      !strcmp(libkevent_s390_event_name(KEVENT_S390_DEVICE_REMOVED),
		      "device_removed") &&
	      !strcmp(libkevent_s390_event_text(KEVENT_S390_TAPE_INTERVENTION),
		      "operator intervention required"),
	      "event names: tape_loaded, device_removed, intervention text");
	check(!strcmp(libkevent_s390_event_name(0), "unknown") &&
	      !strcmp(libkevent_s390_event_name(3), "unknown") &&
	      !strcmp(libkevent_s390_event_name(0x40), "unknown") &&
	      !strcmp(libkevent_s390_event_text(0x40), "unknown event"),
	      "event names: no bit, two bits, a newer bit: unknown");
	check(libkevent_s390_event_parse("Tape_loaded", &bit) == -EINVAL &&
	      libkevent_s390_event_parse("tape_loaded ", &bit) == -EINVAL &&
	      libkevent_s390_event_parse("", &bit) == -EINVAL &&
	      libkevent_s390_event_parse("unknown", &bit) == -EINVAL,
	      "event names: other spellings, \"\" and \"unknown\" do not parse");
}

/* Device ids: the kernel's bus id format, both ways. */
static void test_devid(void)
{
	char b[LIBKEVENT_S390_DEVID_LEN];
	__u32 id = 0;

	check(!libkevent_s390_devid_parse("0.0.0180", &id) &&
	      id == KEVENT_S390_DEVID(0, 0, 0x180) &&
	      !strcmp(libkevent_s390_devid_format(id, b), "0.0.0180"),
	      "devid: 0.0.0180 both ways");
	check(!libkevent_s390_devid_parse("FE.3.A", &id) &&
	      id == KEVENT_S390_DEVID(0xfe, 3, 0xa) &&
	      !strcmp(libkevent_s390_devid_format(id, b), "fe.3.000a"),
	      "devid: FE.3.A parses, is written fe.3.000a");
	check(!strcmp(libkevent_s390_devid_format(0xffffffff, b), "ff.ff.ffff"),
	      "devid: the longest fits LIBKEVENT_S390_DEVID_LEN");
	id = 0;
	check(libkevent_s390_devid_parse("0.4.0180", &id) == -ERANGE &&
	      errno == ERANGE && id == 0,
	      "devid: ssid 4 is out of range");
	check(libkevent_s390_devid_parse("0.0.01800", &id) == -EINVAL &&
	      libkevent_s390_devid_parse("0.0.", &id) == -EINVAL &&
	      libkevent_s390_devid_parse("0.0.0180x", &id) == -EINVAL &&
	      libkevent_s390_devid_parse("100.0.0180", &id) == -EINVAL &&
	      libkevent_s390_devid_parse("0.00.0180", &id) == -EINVAL &&
	      libkevent_s390_devid_parse(".0.0180", &id) == -EINVAL &&
	      libkevent_s390_devid_parse("0.0", &id) == -EINVAL &&
	      libkevent_s390_devid_parse("", &id) == -EINVAL &&
	      errno == EINVAL,
	      "devid: malformed bus ids are EINVAL");
}

int main(void)
{
	/* From 0, and across the wrap of the 32-bit indices. */
	test_consume_removed(0);
	test_consume_removed(0xfffffffe);
	test_claim_removed(0);
	test_claim_removed(0xfffffffe);
	test_wait(0);
	test_wait(0xfffffffe);
	test_log_read();
	test_log_stats();
	test_event_names();
	test_devid();
	tap_plan();
	return tap_failed ? 1 : 0;
}
