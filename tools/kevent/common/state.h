/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The durable read position: the last sequence number whose record every
 * output has written, saved with write, fsync, rename and fsync of the
 * directory, so that after a crash the file holds either the old position
 * or the new one, never a torn one.
 */
#ifndef KLD_STATE_H
#define KLD_STATE_H

#include <sys/types.h>

#include "common.h"

#define KLD_BOOT_ID_LEN		37	/* a UUID and its NUL */

/**
 * struct kld_state - what the state file holds
 * @last_seq: every record up to this one was written (or counted lost)
 * @last_ts: timestamp of record @last_seq, 0 if unknown; tells a log that
 *	was started again (module reloaded) from the one the position is in
 * @boot_id: the boot the position belongs to ("" if unknown)
 * @instance: the load of kevent_s390_log the position belongs to: its
 *	instance id from STATS ("" if unknown: an older kernel or state file)
 */
struct kld_state {
	__u64 last_seq;
	__u64 last_ts;
	char boot_id[KLD_BOOT_ID_LEN];
	char instance[KLD_BOOT_ID_LEN];
};

/*
 * Does a saved position belong to the log loaded now?  KLD_STATE_MAYBE:
 * the ids cannot tell (one side has no instance id); the record at the
 * position must be looked at.
 */
enum kld_state_match {
	KLD_STATE_OTHER,
	KLD_STATE_SAME,
	KLD_STATE_MAYBE,
};

/**
 * struct kld_state_file - where the state is saved
 * @dirfd: the directory, open for fsync and renameat
 * @name: the file's name in it
 * @tmp: the temporary name written first
 * @path: the full path, for messages
 */
struct kld_state_file {
	int dirfd;
	char *name;
	char *tmp;
	char *path;
};

int __must_check kld_state_prepare(const char *path, char *why,
				   size_t whylen);
int __must_check kld_state_open(struct kld_state_file *sf, const char *path);
void kld_state_close(struct kld_state_file *sf);
int __must_check kld_state_load(const char *path, struct kld_state *s,
				char *why, size_t whylen);
int __must_check kld_state_save(const struct kld_state_file *sf,
				const struct kld_state *s);
void kld_boot_id(char *buf);
enum kld_state_match kld_state_match(const struct kld_state *s,
				     const char *boot, const char *instance,
				     __u64 next_seq, char *why, size_t whylen);

#endif /* KLD_STATE_H */
