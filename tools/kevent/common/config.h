/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keventlogd.conf: one setting per line, documented in keventlogd.conf(5).
 */
#ifndef KLD_CONFIG_H
#define KLD_CONFIG_H

#include <stdio.h>

#include "common.h"

#define KLD_CONFIG_FILE		"/etc/keventlogd.conf"
#define KLD_STATE_FILE		"/var/lib/keventlogd/state"
#define KLD_SYSLOG_TARGET	"unix:/dev/log"
#define KLD_MAX_DEVICES		1024
#define KLD_RING_MAX		65536

enum kld_output_type {
	KLD_OUT_JOURNAL,
	KLD_OUT_SYSLOG,
	KLD_OUT_JSON,
	KLD_OUT_STDOUT,
};

/*
 * How syslog messages are written: RFC 3164 (BSD syslog, what /dev/log
 * receivers parse) or RFC 5424.  The default follows the target: RFC 3164
 * on a unix socket, RFC 5424 over the network.
 */
enum kld_syslog_format {
	KLD_SYSLOG_DEFAULT,
	KLD_SYSLOG_RFC3164,
	KLD_SYSLOG_RFC5424,
};

/**
 * struct kld_output_conf - one "output" line
 * @type: which output
 * @line: where it was configured
 * @path: json: the file
 * @sync: json: fdatasync before a position is saved
 * @target: syslog: "unix:PATH", "udp:HOST:PORT" or "tcp:HOST:PORT"
 * @facility: syslog: the facility code (LOG_DAEMON >> 3, ...)
 * @format: syslog: the message format, never KLD_SYSLOG_DEFAULT once
 *	parsed
 */
struct kld_output_conf {
	enum kld_output_type type;
	unsigned int line;
	char *path;
	bool sync;
	char *target;
	int facility;
	enum kld_syslog_format format;
};

/**
 * struct kld_config - a parsed configuration file
 * @file: its path
 * @all_devices: log every device (a wildcard request)
 * @devices: else these device ids, sorted
 * @nr_devices: how many
 * @events: mask of the events to log
 * @wake_all: the requests get KEVENT_REQ_WAKEUP_ALL
 * @ring_size: ring entries of the kevent queue
 * @state_file: where the last written sequence number is kept
 * @retry_seconds: how long to wait before writing again to an output that
 *	failed
 * @sd_id: the RFC 5424 SD-ID (NAME@PEN) of the kevent element in syslog
 *	messages and the journal's SYSLOG_STRUCTURED_DATA, or NULL: none
 * @outputs: the outputs
 * @nr_outputs: how many
 */
struct kld_config {
	char *file;
	bool all_devices;
	__u32 *devices;
	unsigned int nr_devices;
	__u32 events;
	bool wake_all;
	unsigned int ring_size;
	char *state_file;
	unsigned int retry_seconds;
	char *sd_id;
	struct kld_output_conf *outputs;
	unsigned int nr_outputs;
};

/* config.c */
struct kld_config *kld_config_new(const char *path);
void kld_config_free(struct kld_config *c);
void kld_config_sort_devices(struct kld_config *c);
bool kld_config_match(const struct kld_config *c, __u32 devid, __u32 event);
const char *kld_output_type_name(enum kld_output_type type);
const char *kld_facility_name(int facility);
int kld_facility_code(const char *name);
const char *kld_syslog_format_name(enum kld_syslog_format format);

/* parse.c */
int __must_check kld_config_load(const char *path, struct kld_config **out,
				 FILE *err);

/* printconf.c */
void kld_config_print(const struct kld_config *c, FILE *f);

#endif /* KLD_CONFIG_H */
