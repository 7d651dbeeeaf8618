// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd's configuration in memory: its defaults, the names its
 * settings use, and whether it logs a record.  parse.c reads it from
 * keventlogd.conf, printconf.c writes it out.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config.h"

static const struct {
	const char *name;
	int code;
} facilities[] = {
	{ "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH },
	{ "syslog", LOG_SYSLOG }, { "lpr", LOG_LPR }, { "news", LOG_NEWS },
	{ "uucp", LOG_UUCP }, { "cron", LOG_CRON },
	{ "authpriv", LOG_AUTHPRIV }, { "ftp", LOG_FTP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static const char * const output_names[] = {
	[KLD_OUT_JOURNAL] = "journal",
	[KLD_OUT_SYSLOG] = "syslog",
	[KLD_OUT_JSON] = "json",
	[KLD_OUT_STDOUT] = "stdout",
};

static const char * const syslog_format_names[] = {
	[KLD_SYSLOG_DEFAULT] = "default",
	[KLD_SYSLOG_RFC3164] = "rfc3164",
	[KLD_SYSLOG_RFC5424] = "rfc5424",
};

/* The format's name in keventlogd.conf, or NULL past the last one. */
const char *kld_syslog_format_name(enum kld_syslog_format format)
{
	if ((unsigned int)format >= ARRAY_SIZE(syslog_format_names))
		return NULL;
	return syslog_format_names[format];
}

/* The output's name in keventlogd.conf, or NULL past the last type. */
const char *kld_output_type_name(enum kld_output_type type)
{
	if ((unsigned int)type >= ARRAY_SIZE(output_names))
		return NULL;
	return output_names[type];
}

/* The facility's name; @facility is a LOG_* facility code. */
const char *kld_facility_name(int facility)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(facilities); i++)
		if (facilities[i].code == facility)
			return facilities[i].name;
	return "?";
}

/* The LOG_* code of the facility named @name, or -1. */
int kld_facility_code(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(facilities); i++)
		if (!strcmp(name, facilities[i].name))
			return facilities[i].code;
	return -1;
}

static int device_cmp(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* A configuration with every default set, for @path.  NULL: no memory. */
struct kld_config *kld_config_new(const char *path)
{
	struct kld_config *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->file = strdup(path);
	if (!c->file) {
		free(c);
		return NULL;
	}
	c->wake_all = true;
	c->ring_size = 64;
	c->retry_seconds = 5;
	return c;
}

void kld_config_free(struct kld_config *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->nr_outputs; i++) {
		free(c->outputs[i].path);
		free(c->outputs[i].target);
	}
	free(c->outputs);
	free(c->sd_id);
	free(c->devices);
	free(c->state_file);
	free(c->file);
	free(c);
}

/* Sort the devices, as kld_config_match() wants them. */
void kld_config_sort_devices(struct kld_config *c)
{
	qsort(c->devices, c->nr_devices, sizeof(*c->devices), device_cmp);
}

/* Does the configuration log @event of @devid? */
bool kld_config_match(const struct kld_config *c, __u32 devid, __u32 event)
{
	if (!(c->events & event))
		return false;
	if (c->all_devices)
		return true;
	return bsearch(&devid, c->devices, c->nr_devices, sizeof(devid),
		       device_cmp) != NULL;
}
