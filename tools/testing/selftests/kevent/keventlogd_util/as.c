// SPDX-License-Identifier: GPL-2.0
/*
 * "as UID GID GROUPS CMD ARGS...": run CMD as UID, with GID as its real,
 * effective and saved group and GROUPS (a comma list, or "-" for none) as
 * its supplementary groups, as `setpriv --reuid --regid --groups` does.
 * busybox's setpriv cannot change ids, and the guests have no other.
 * From root to a non-zero uid the kernel clears every capability.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define GROUPS_MAX	16

static int parse_groups(const char *s, gid_t *g)
{
	char *copy, *tok, *save = NULL;
	int n = 0;

	if (!strcmp(s, "-"))
		return 0;
	copy = strdup(s);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok && n < GROUPS_MAX;
	     tok = strtok_r(NULL, ",", &save))
		g[n++] = strtoul(tok, NULL, 10);
	free(copy);
	return tok ? -1 : n;
}

int kt_as(char **argv)
{
	uid_t uid = strtoul(argv[0], NULL, 10);
	gid_t gid = strtoul(argv[1], NULL, 10);
	gid_t groups[GROUPS_MAX];
	int n = parse_groups(argv[2], groups);

	if (n < 0) {
		fprintf(stderr, "as: bad group list '%s'\n", argv[2]);
		return 2;
	}
	if (setgroups(n, groups) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid)) {
		fprintf(stderr, "as: cannot become %u:%u: %s\n", (unsigned int)uid,
			(unsigned int)gid, strerror(errno));
		return 1;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "as: %s: %s\n", argv[3], strerror(errno));
	return 127;
}
