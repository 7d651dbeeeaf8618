// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd: writes the s390 driver event log (KEVENT_S390_LOG) to the
 * journal, syslog, a JSON-lines file and stdout, with nothing lost that
 * the kernel still holds, and every loss counted exactly.
 *
 * main() only does the order of things:
 *   1. options and configuration (-t stops here);
 *   2. setup: queue, log device, state, outputs, requests;
 *   3. check that the state file is writable;
 *   4. sd_notify READY=1, then the loop until SIGTERM.
 *
 * It stays in the foreground and never changes its user: systemd starts
 * it as the user keventlog (User= in keventlogd.service), and so does
 * setpriv(1) elsewhere (keventlogd(8)).  Reading the log and subscribing
 * to it need read permission on /dev/kevent_s390_log, which its group
 * gives; no capability.
 */
#include <getopt.h>
#include <stdio.h>

#include "config.h"
#include "daemon.h"
#include "diag.h"

struct options {
	const char *config;
	bool test;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: keventlogd [-t] [-c FILE]\n"
		"  -c, --config FILE  configuration file (default %s)\n"
		"  -t, --test         check the configuration, print it, and exit\n"
		"  -f, --foreground   accepted and ignored: keventlogd never forks\n"
		"  -h, --help         this text\n"
		"  -V, --version      the version\n"
		"See keventlogd(8) and keventlogd.conf(5).\n", KLD_CONFIG_FILE);
}

/* 0 to go on, or the exit status (-1: exit 0). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "test", no_argument, NULL, 't' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->config = KLD_CONFIG_FILE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:tfnhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 't':
			o->test = true;
			break;
		case 'f':
			break;
		case 'n':
			/*
			 * It was "check" up to 0.1.0; to auditd and rsyslogd
			 * it means "do not fork".  Neither guess is safe.
			 */
			fprintf(stderr,
				"keventlogd: %s is no longer an option\n"
				"  hint: check a configuration with -t (--test); keventlogd always stays in the foreground, so it needs no -n\n",
				argv[optind - 1]);
			return 2;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf("keventlogd %s\n", KLD_VERSION);
			return -1;
		case ':':
			fprintf(stderr, "keventlogd: option %s needs a value\n",
				argv[optind - 1]);
			usage(stderr);
			return 2;
		default:
			fprintf(stderr, "keventlogd: unknown option %s\n",
				argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "keventlogd: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

static struct kld_config *load_config(const struct options *o)
{
	struct kld_config *c;
	int ret;

	ret = kld_config_load(o->config, &c, stderr);
	if (ret > 0)
		fprintf(stderr, "keventlogd: %s: %d error%s\n", o->config, ret,
			ret == 1 ? "" : "s");
	return c;
}

static int run(struct kld_config *c, const struct options *o)
{
	struct kld_daemon d;
	int err;

	err = kld_daemon_setup(&d, c, o->config);
	if (!err)
		err = kld_daemon_started(&d);
	if (!err)
		err = kld_daemon_run(&d);
	kld_daemon_teardown(&d);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct kld_config *c;
	int ret;

	kld_diag_init("keventlogd");
	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	c = load_config(&o);
	if (!c)
		return 1;
	if (o.test) {
		printf("%s: configuration OK\n", o.config);
		kld_config_print(c, stdout);
		kld_config_free(c);
		return 0;
	}
	return run(c, &o);
}
