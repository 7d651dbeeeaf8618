// SPDX-License-Identifier: GPL-2.0
/*
 * SIGHUP: read the configuration again and switch to it without losing a
 * record.  The read position is kept, so whatever arrives meanwhile is
 * read afterwards; requests are only wakeups.
 *
 * The switch is all or nothing.  The new outputs are opened (which also
 * reopens files after log rotation) and the new requests added first;
 * only then are the old requests removed and the old outputs closed.  If
 * anything fails, the running configuration stays as it was.
 *
 * Adding requests needs read permission on the log's node, as at start
 * (keventlogd runs in its group); when it was taken away meanwhile, a
 * reload fails with EPERM and says so.  ring-size and state-file need a
 * restart.  `systemctl reload` runs `keventlogd --test` first, so that a
 * configuration with mistakes fails the reload itself (keventlogd.service).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "daemon.h"
#include "diag.h"

static struct kld_config *read_config(const char *path)
{
	struct kld_config *c = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *err;
	int ret;

	err = open_memstream(&text, &len);
	if (!err) {
		kld_err("reload: out of memory");
		return NULL;
	}
	ret = kld_config_load(path, &c, err);
	fclose(err);
	if (ret)
		kld_err("reload: %s has %s; keeping the running configuration\n%s",
			path, ret < 0 ? "an error" : "errors", text);
	free(text);
	return c;
}

/* Settings a running daemon cannot change: keep the running ones. */
static void keep_restart_settings(const struct kld_config *old,
				  struct kld_config *c)
{
	const char *what = NULL;
	char *s;

	if (c->ring_size != old->ring_size) {
		what = "ring-size";
		c->ring_size = old->ring_size;
	}
	if (strcmp(c->state_file, old->state_file)) {
		what = "state-file";
		s = c->state_file;
		c->state_file = strdup(old->state_file);
		if (c->state_file)
			free(s);
		else
			c->state_file = s;
	}
	if (what)
		kld_warn("reload: %s changed: it takes effect when keventlogd is restarted",
			 what);
}

void kld_daemon_reload(struct kld_daemon *d)
{
	struct kld_outputs outs;
	struct kld_reqs reqs;
	struct kld_config *c;
	char why[512];
	int err;

	sd_notify(0, "RELOADING=1");
	kld_notice("reloading %s", d->conf_path);
	c = read_config(d->conf_path);
	if (!c)
		goto out;
	keep_restart_settings(d->conf, c);
	if (kld_outputs_open(&outs, c, d->pos)) {
		kld_err("reload: keeping the running configuration");
		goto err_conf;
	}
	err = kld_reqs_add(d->kfd, c, &d->next_id, &reqs, why, sizeof(why));
	if (err) {
		kld_err("reload: cannot register the new requests: %s\n"
			"  keeping the running configuration", why);
		goto err_outs;
	}
	kld_reqs_remove(d->kfd, &d->reqs);
	kld_outputs_close(&d->outs);
	kld_config_free(d->conf);
	d->reqs = reqs;
	d->outs = outs;
	d->conf = c;
	/* Outputs that fell behind are tried at once. */
	d->stalled = false;
	d->more = true;
	kld_notice("reloaded: %u request(s), %u output(s), position %llu",
		   reqs.n, outs.n, (unsigned long long)d->pos);
	goto out;

err_outs:
	kld_outputs_close(&outs);
err_conf:
	kld_config_free(c);
out:
	sd_notify(0, "READY=1");
}
