// SPDX-License-Identifier: GPL-2.0
/*
 * A request pins the module of its type: kevent_test cannot be removed
 * while a KEVENT_TEST_TYPE request exists, can be once every fd is closed, and
 * loads again.  While it is gone, ADD of its type fails with EOPNOTSUPP.
 */
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "kevent_util.h"

#define KT_MOD		"kevent_test"

static int mod_loaded(void)
{
	return access("/sys/module/" KT_MOD, F_OK) == 0;
}

static int mod_remove(void)
{
	return syscall(__NR_delete_module, KT_MOD, O_NONBLOCK);
}

static int mod_insert(unsigned long nr_storages)
{
	char params[64], ko[4200];
	int fd, ret;

	snprintf(params, sizeof(params), "nr_storages=%lu", nr_storages);
	fd = open(kt_ko_path(ko, sizeof(ko), KT_MOD), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(__NR_finit_module, fd, params, 0);
	close(fd);
	return ret;
}

FIXTURE(unload) {
	unsigned long nr_storages;
};

FIXTURE_SETUP(unload)
{
	char ko[4200];

	ASSERT_TRUE(mod_loaded());
	ASSERT_EQ(0, access(kt_ko_path(ko, sizeof(ko), KT_MOD), R_OK));
	self->nr_storages = kt_nr_storages();
}

FIXTURE_TEARDOWN(unload)
{
	/* Leave the module loaded for whatever runs next. */
	if (!mod_loaded())
		mod_insert(self->nr_storages);
}

TEST_F(unload, busy_then_removed_then_reloaded)
{
	struct ukevent ev = kt_test(1, 0, 0x1, 0);
	struct kevent_info b, a;
	int fd, fd2, ms, ret = -1;

	fd = kevent_init(NULL, 8, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, &ev));

	/* In use by a request. */
	ASSERT_EQ(-1, mod_remove());
	ASSERT_TRUE(errno == EAGAIN || errno == EBUSY)
		TH_LOG("delete_module: %s", strerror(errno));
	ASSERT_TRUE(mod_loaded());

	/* Every fd closed: removable (freeing may lag a little). */
	ASSERT_EQ(0, close(fd));
	for (ms = 0; ms < 3000; ms++) {
		ret = mod_remove();
		if (!ret)
			break;
		ASSERT_TRUE(errno == EAGAIN || errno == EBUSY);
		kt_sleep_ms(1);
	}
	ASSERT_EQ(0, ret) TH_LOG("delete_module: %s", strerror(errno));
	ASSERT_FALSE(mod_loaded());
	ASSERT_FALSE(kt_has_source());

	/* The type's provider is gone: the whole ADD fails. */
	fd2 = kevent_init(NULL, 8, 0);
	ASSERT_LE(0, fd2);
	ev = kt_test(1, 0, 0x1, 0);
	ASSERT_EQ(0, kevent_info(fd2, &b));
	ASSERT_EQ(-1, kt_ctl1(fd2, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, kevent_info(fd2, &a));
	ASSERT_INFO_EQ(b, a);
	/* UNOTIFY does not need it. */
	ev = kt_unotify(2, 0);
	ASSERT_EQ(0, kt_ctl1(fd2, KEVENT_CTL_ADD, &ev));

	ASSERT_EQ(0, mod_insert(self->nr_storages))
		TH_LOG("finit_module: %s", strerror(errno));
	ASSERT_TRUE(kt_has_source());
	ev = kt_test(1, 0, 0x1, 0);
	ASSERT_EQ(0, kt_ctl1(fd2, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, close(fd2));
}

/* A queue with only UNOTIFY requests does not pin kevent_test. */
TEST_F(unload, unotify_does_not_pin)
{
	struct ukevent ev = kt_unotify(1, 0);
	int fd;

	fd = kevent_init(NULL, 8, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_ctl1(fd, KEVENT_CTL_ADD, &ev));
	ASSERT_EQ(0, mod_remove()) TH_LOG("delete_module: %s",
					  strerror(errno));
	ASSERT_EQ(0, mod_insert(self->nr_storages));
	close(fd);
}

TEST_HARNESS_MAIN
