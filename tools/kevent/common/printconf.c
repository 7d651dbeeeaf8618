// SPDX-License-Identifier: GPL-2.0
/*
 * Printing a configuration as keventlogd.conf lines (keventlogd -t), with
 * every default written out.
 */
#include "config.h"
#include "format.h"

/* The configuration as it is in effect, defaults included. */
void kld_config_print(const struct kld_config *c, FILE *f)
{
	const struct kld_output_conf *o;
	char id[LIBKEVENT_S390_DEVID_LEN];
	unsigned int i;

	fputs("devices", f);
	if (c->all_devices)
		fputs(" all", f);
	for (i = 0; i < c->nr_devices; i++) {
		libkevent_s390_devid_format(c->devices[i], id);
		fprintf(f, " %s", id);
	}
	fputs("\nevents", f);
	if (c->events == KEVENT_S390_EVENTS_ALL)
		fputs(" all", f);
	else
		for (i = 0; i < 32; i++)
			if (c->events & (1U << i))
				fprintf(f, " %s",
					libkevent_s390_event_name(1U << i));
	fprintf(f, "\nwake %s\nring-size %u\nstate-file %s\nretry-seconds %u\n",
		c->wake_all ? "all" : "first", c->ring_size, c->state_file,
		c->retry_seconds);
	if (c->sd_id)
		fprintf(f, "sd-id %s\n", c->sd_id);
	for (i = 0; i < c->nr_outputs; i++) {
		o = &c->outputs[i];
		fprintf(f, "output %s", kld_output_type_name(o->type));
		if (o->type == KLD_OUT_JSON)
			fprintf(f, " path=%s sync=%s", o->path,
				o->sync ? "yes" : "no");
		if (o->type == KLD_OUT_SYSLOG)
			fprintf(f, " target=%s facility=%s format=%s",
				o->target, kld_facility_name(o->facility),
				kld_syslog_format_name(o->format));
		fputc('\n', f);
	}
}
