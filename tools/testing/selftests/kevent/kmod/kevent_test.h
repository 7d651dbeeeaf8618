/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kevent_test.ko: the event source the selftests drive, and their shared
 * definitions.  A test interface, not ABI: it lives beside the module, not in
 * include/uapi, and changes with the tests.
 *
 * Requests of type KEVENT_TEST_TYPE need CAP_SYS_ADMIN.  Their param picks
 * one of nr_storages storages (module parameter, default 8).  Commands are
 * written to the files in /sys/kernel/debug/kevent_test/:
 *
 * fire: "STORAGE EVENT COUNT CONTEXT VALUE"
 *	Fire the storage COUNT times from process, softirq or hardirq
 *	context (CONTEXT "process", "softirq" or "hardirq"; an hrtimer in the
 *	last two); the write returns when all fires are done.  A
 *	ready request gets the storage's fire sequence number in ret_data[0]
 *	and VALUE in ret_data[1], of the newest fire when several were folded
 *	into one delivery.
 * batch: "EVENT VALUE CONTEXT STORAGE..."
 *	Fire the listed storages (at most 64, repeats allowed), in order, in
 *	one kevent_batch, from process or hardirq context (CONTEXT "process"
 *	or "hardirq").  Each fire takes the next sequence number of its
 *	storage, as a fire command's would.
 * level: "STORAGE MASK"
 *	Requests whose mask meets MASK are ready at once when added.
 * fini: "STORAGE"
 *	Tear the storage's requests off (they come back broken).
 * callback: "STORAGE RET"
 *	->callback() returns RET for the storage's requests: 1 (ready, the
 *	default), 0 (not ready) or a negative errno (broken).
 * stats (read)
 *	"fired N", "marked N", then per storage "storage I fired N marked N".
 */
#ifndef _KEVENT_TEST_H
#define _KEVENT_TEST_H

#include <linux/kevent.h>

/* The request type, in the uapi header's unstable range */
#define KEVENT_TEST_TYPE	KEVENT_TYPE_UNSTABLE_FIRST

/* The debugfs directory, under the debugfs mount */
#define KEVENT_TEST_DEBUGFS	"kevent_test"

#endif /* _KEVENT_TEST_H */
