// SPDX-License-Identifier: GPL-2.0
/*
 * Setting the daemon up: the kevent queue, the log device, the state file
 * and where to start reading, the outputs, the requests, the signalfd and
 * its request on the queue.  Each step says what went wrong and what to do
 * about it.  kld_daemon_teardown() undoes any prefix of it.
 *
 * Where to start: after the saved position, if it belongs to the log that
 * is loaded now: the one whose instance id (STATS) the state file names
 * (kld_state_match()).  Without instance ids (an older kernel or state
 * file) it does not when the boot id differs, when the position is past
 * the log's next sequence number, or when the record at the position has
 * another timestamp than the one saved (the module was loaded again).
 * Then reading starts at sequence 1, and what is gone from the buffer is
 * reported as lost, exactly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon.h"
#include "diag.h"
#include "libkevent.h"
#include "libkevent_s390_log.h"

static int open_queue(struct kld_daemon *d)
{
	int err;

	/*
	 * Head mode: storing the head gives entries back, no commit call.  A
	 * kevent.ko older than this daemon (a package upgraded, the module
	 * not reloaded yet) refuses the flag; it has no KEVENT_POLL and
	 * KEVENT_TIMER either, which the loop needs (wakeups.c).
	 */
	d->kfd = kevent_init(&d->ring, d->conf->ring_size,
			     KEVENT_INIT_HEAD_COMMITS);
	if (d->kfd >= 0) {
		d->head = kevent_ring_committed(d->ring);
		return 0;
	}
	err = errno;
	kld_err("cannot set up a kevent queue on %s: %s%s\n  hint: %s",
		KLD_KEVENT_DEV, strerror(err),
		err == EINVAL ? " (head mode, KEVENT_INIT_HEAD_COMMITS)" : "",
		err == ENOENT ? "kevent.ko is not loaded: modprobe kevent" :
		err == E2BIG ? "ring-size is above the kevent module parameter max_ring_entries" :
		err == EINVAL ? KLD_OLD_MODULE_HINT :
		"check the device's permissions");
	return -err;
}

static int open_log(struct kld_daemon *d)
{
	d->lfd = libkevent_s390_log_open();
	if (d->lfd >= 0)
		return 0;
	kld_err("cannot open %s: %s\n  hint: %s",
		LIBKEVENT_S390_LOG_DEVICE, strerror(-d->lfd),
		d->lfd == -ENOENT ? "kevent_s390_log.ko is not loaded: modprobe kevent_s390_log" :
		d->lfd == -EACCES ? "reading the s390 log needs read permission on /dev/kevent_s390_log: run keventlogd as a member of its group (the udev rule 60-kevent.rules makes it 0640 root:keventlog; keventlogd.service has User=keventlog, and keventlogd(8) gives the setpriv line for other starts)" :
		"check the device");
	return d->lfd;
}

static int open_state(struct kld_daemon *d)
{
	const char *path = d->conf->state_file;
	char why[320];
	int err;

	err = kld_state_prepare(path, why, sizeof(why));
	if (err) {
		kld_err("state file %s: %s", path, why);
		return err;
	}
	err = kld_state_open(&d->sf, path);
	if (err)
		kld_err("state file %s: cannot open its directory: %s", path,
			strerror(-err));
	return err;
}

/* Is record @st->last_seq still the one the state file means? */
static bool same_record(struct kld_daemon *d, const struct kld_state *st)
{
	struct kevent_s390_log_record rec;
	struct libkevent_s390_log_result rd;
	char why[160];

	if (!st->last_seq || !st->last_ts)
		return true;
	if (libkevent_s390_log_read(d->lfd, st->last_seq, &rec, 1, &rd, why,
				    sizeof(why)))
		return true;
	/* Overwritten: it cannot be told; a gap will be reported. */
	return rd.lost || rd.count != 1 || rec.timestamp_ns == st->last_ts;
}

/* Where to start, from the state file: 1 resumed, 0 from the start. */
static int resume_from(struct kld_daemon *d, const struct kld_state *st,
		       const struct kevent_s390_log_stats *ls,
		       const char *boot, const char *instance)
{
	enum kld_state_match m;
	char why[200];

	m = kld_state_match(st, boot, instance, ls->next_seq, why, sizeof(why));
	if (m == KLD_STATE_MAYBE && !same_record(d, st)) {
		snprintf(why, sizeof(why),
			 "its record has another timestamp: the module was loaded again");
		m = KLD_STATE_OTHER;
	}
	if (m == KLD_STATE_OTHER) {
		kld_notice("saved position %llu not used: %s; reading the log from its start",
			   (unsigned long long)st->last_seq, why);
		return 0;
	}
	d->pos = st->last_seq;
	d->pos_ts = st->last_ts;
	kld_notice("resuming after sequence %llu: %llu record(s) arrived since",
		   (unsigned long long)d->pos,
		   (unsigned long long)(ls->next_seq - 1 - d->pos));
	return 1;
}

/* The ids that name this run's records; "" in @boot, @instance if unknown. */
static void identify(struct kld_daemon *d,
		     const struct kevent_s390_log_stats *ls, char *boot,
		     char *instance)
{
	static const __u8 nil[16];

	kld_boot_id(boot);
	kld_uuid_format(ls->instance, d->ident.instance);
	strcpy(instance, memcmp(ls->instance, nil, 16) ? d->ident.instance : "");
	kld_uuid_format(nil, d->ident.boot_id);
	if (boot[0])
		strcpy(d->ident.boot_id, boot);
}

static int start_position(struct kld_daemon *d)
{
	struct kevent_s390_log_stats ls;
	struct kld_state st;
	char why[160] = "", boot[KLD_BOOT_ID_LEN], instance[KLD_UUID_LEN];
	int err, resumed;

	err = libkevent_s390_log_stats(d->lfd, &ls);
	if (err) {
		kld_err("STATS on %s: %s", LIBKEVENT_S390_LOG_DEVICE,
			strerror(-err));
		return err;
	}
	identify(d, &ls, boot, instance);
	err = kld_state_load(d->sf.path, &st, why, sizeof(why));
	if (err == -EINVAL)
		kld_err("state file %s is damaged: %s\n  hint: remove it to log everything the kernel buffer still holds",
			d->sf.path, why);
	else if (err && err != -ENOENT)
		kld_err("cannot read the state file %s: %s", d->sf.path,
			strerror(-err));
	if (err && err != -ENOENT)
		return err;
	if (err)
		kld_notice("no saved position in %s: reading the log from its start",
			   d->sf.path);
	resumed = err ? 0 : resume_from(d, &st, &ls, boot, instance);
	d->saved.last_seq = d->pos;
	d->saved.last_ts = d->pos_ts;
	strcpy(d->saved.boot_id, boot);
	strcpy(d->saved.instance, instance);
	return resumed;
}

/*
 * What the outputs already hold (the json file's last line) counts only
 * for the log the position belongs to.
 */
static void output_positions(struct kld_daemon *d, bool resumed)
{
	struct kevent_s390_log_stats ls;
	struct kld_output *o;
	unsigned int i;

	if (libkevent_s390_log_stats(d->lfd, &ls))
		ls.next_seq = 0;
	for (i = 0; i < d->outs.n; i++) {
		o = &d->outs.v[i];
		if (o->done <= d->pos)
			continue;
		if (!resumed || o->done >= ls.next_seq) {
			kld_notice("output %s ends at sequence %llu of an earlier log: appending this log after it",
				   o->name, (unsigned long long)o->done);
			o->done = d->pos;
			continue;
		}
		kld_notice("output %s already holds records up to sequence %llu (written before a crash): not writing them again",
			   o->name, (unsigned long long)o->done);
	}
}

static int add_requests(struct kld_daemon *d)
{
	char why[512];
	int err;

	err = kld_reqs_add(d->kfd, d->conf, &d->next_id, &d->reqs, why,
			   sizeof(why));
	if (err)
		kld_err("cannot register KEVENT_S390_LOG requests: %s", why);
	return err;
}

static int open_signals(struct kld_daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* A reader that went away is an output error (EPIPE), not a death. */
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	d->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sfd < 0) {
		kld_err("signalfd: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/**
 * kld_daemon_setup() - open and register everything
 * @d: the daemon, filled here
 * @conf: its configuration; @d owns it from now on
 * @path: the configuration file, for reloads
 *
 * Return: 0, or -errno after an error message.  Call
 * kld_daemon_teardown() in either case.
 */
int kld_daemon_setup(struct kld_daemon *d, struct kld_config *conf,
		     const char *path)
{
	int err, resumed;

	memset(d, 0, sizeof(*d));
	d->kfd = d->lfd = d->sfd = -1;
	d->sf.dirfd = -1;
	d->conf = conf;
	d->conf_path = path;
	d->next_id = 1;
	d->retry.id = KLD_ID_RETRY;
	d->status_timer.id = KLD_ID_STATUS;
	err = open_queue(d);
	if (!err)
		err = open_log(d);
	if (!err)
		err = open_state(d);
	if (err)
		return err;
	resumed = start_position(d);
	if (resumed < 0)
		return resumed;
	err = kld_outputs_open(&d->outs, conf, d->pos);
	if (err)
		return err;
	output_positions(d, resumed);
	err = add_requests(d);
	if (!err)
		err = open_signals(d);
	if (!err)
		err = kld_wakeups_add(d);
	return err;
}

/*
 * The position must be savable before anything is logged (this is the
 * first save, with this boot's id).  0, or -errno after a message.
 */
int kld_daemon_started(struct kld_daemon *d)
{
	int err = kld_state_save(&d->sf, &d->saved);

	if (err) {
		kld_err("cannot save the position to %s: %s\n  hint: its directory must be writable by the user keventlogd runs as (uid %u): StateDirectory= in keventlogd.service, or tmpfiles.d/keventlogd.conf, makes /var/lib/keventlogd so",
			d->sf.path, strerror(-err), (unsigned int)geteuid());
		return err;
	}
	kld_notice("logging %s, %s, wake %s, from sequence %llu, to %u output(s)",
		   d->conf->all_devices ? "every device" : "the configured devices",
		   d->conf->events == KEVENT_S390_EVENTS_ALL ? "every event" :
		   "the configured events",
		   d->conf->wake_all ? "all" : "first",
		   (unsigned long long)d->pos + 1, d->outs.n);
	return 0;
}

void kld_daemon_teardown(struct kld_daemon *d)
{
	kld_outputs_close(&d->outs);
	if (d->kfd >= 0)
		kld_reqs_remove(d->kfd, &d->reqs);
	if (d->ring)
		kevent_close(d->ring);
	else if (d->kfd >= 0)
		close(d->kfd);
	if (d->lfd >= 0)
		close(d->lfd);
	if (d->sfd >= 0)
		close(d->sfd);
	if (d->sf.path)
		kld_state_close(&d->sf);
	free(d->renew);
	kld_config_free(d->conf);
	memset(d, 0, sizeof(*d));
	d->kfd = d->lfd = d->sfd = -1;
}
