// SPDX-License-Identifier: GPL-2.0
/*
 * "oldkevent CMD ARGS...": run CMD as if kevent.ko were older than
 * KEVENT_TIMER and KEVENT_POLL.  Such a module had KEVENT_TYPE_MAX 4 and
 * refused a KEVENT_IOC_CTL ADD whose array held a type at or above it,
 * whole, with EINVAL (its header's IOCTLS section); everything else it
 * did as the new one does.  A seccomp filter hands every
 * ioctl(KEVENT_IOC_CTL) of CMD to this process (a user notification),
 * which reads the array from CMD's memory and answers EINVAL for such an
 * ADD, and lets every other call go on to the real module.
 * Exit status: CMD's; 4 when the kernel has no seccomp filters (the debug
 * kernels' minimal config), so that the test can say it is not checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/kevent.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define OLD_TYPE_MAX	4

/* The low 32 bits of the ioctl's cmd, args[1], whatever the byte order. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG1_LOW	offsetof(struct seccomp_data, args[1])
#else
#define ARG1_LOW	(offsetof(struct seccomp_data, args[1]) + 4)
#endif

static int install(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG1_LOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KEVENT_IOC_CTL, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* Does the KEVENT_IOC_CTL at @addr in @pid's memory ADD a new type? */
static bool adds_new_type(int pid, unsigned long long addr)
{
	static struct ukevent ev[KEVENT_CTL_MAX];
	struct kevent_ctl ctl;
	bool found = false;
	char path[64];
	unsigned int i;
	int mem;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	mem = open(path, O_RDONLY | O_CLOEXEC);
	if (mem < 0)
		return false;
	if (pread(mem, &ctl, sizeof(ctl), addr) == sizeof(ctl) &&
	    ctl.cmd == KEVENT_CTL_ADD && ctl.num && ctl.num <= KEVENT_CTL_MAX &&
	    pread(mem, ev, ctl.num * sizeof(ev[0]), ctl.events) ==
	    (ssize_t)(ctl.num * sizeof(ev[0])))
		for (i = 0; i < ctl.num; i++)
			found |= ev[i].type >= OLD_TYPE_MAX;
	close(mem);
	return found;
}

static void answer(int listener)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
		return;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	if (adds_new_type(req.pid, req.data.args[2]))
		resp.error = -EINVAL;
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int kt_oldkevent(char **argv)
{
	struct pollfd pfd;
	int listener, status;
	pid_t pid;

	listener = install();
	if (listener < 0) {
		perror("oldkevent: seccomp");
		return errno == ENOSYS || errno == EINVAL ? 4 : 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("oldkevent: fork");
		return 2;
	}
	if (!pid) {
		close(listener);
		execvp(argv[0], argv);
		fprintf(stderr, "oldkevent: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* This process never calls KEVENT_IOC_CTL: the filter is only CMD's. */
	pfd.fd = listener;
	pfd.events = POLLIN;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & POLLIN))
			answer(listener);
	}
	close(listener);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
