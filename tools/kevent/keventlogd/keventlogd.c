// SPDX-License-Identifier: GPL-2.0
/*
 * keventlogd: writes the s390 driver event log (KEVENT_S390_LOG) to the
 * journal, syslog, a JSON-lines file and stdout, with nothing lost that
 * the kernel still holds, and every loss counted exactly.
 *
 * main() only does the order of things:
 *   1. options and configuration (-n stops here);
 *   2. setup with privileges: queue, log device, state, outputs, requests;
 *   3. drop privileges, check the state file is still writable;
 *   4. leave the terminal unless --foreground;
 *   5. sd_notify READY=1, then the loop until SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "diag.h"
#include "privs.h"

struct options {
	const char *config;
	bool check;
	bool foreground;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: keventlogd [-f] [-n] [-c FILE]\n"
		"  -c, --config FILE  configuration file (default %s)\n"
		"  -f, --foreground   stay in the foreground, diagnostics to stderr\n"
		"  -n, --check        check the configuration, print it, and exit\n"
		"  -h, --help         this text\n"
		"  -V, --version      the version\n"
		"See keventlogd(8) and keventlogd.conf(5).\n", KLD_CONFIG_FILE);
}

/* 0 to go on, or the exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->config = KLD_CONFIG_FILE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:fnhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'f':
			o->foreground = true;
			break;
		case 'n':
			o->check = true;
			break;
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

/* Leave the terminal: fork, new session, stdio to /dev/null. */
static int daemonize(const struct kld_config *c)
{
	bool keep_stdout = false;
	unsigned int i;
	pid_t pid;
	int fd;

	for (i = 0; i < c->nr_outputs; i++)
		keep_stdout |= c->outputs[i].type == KLD_OUT_STDOUT;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0 || chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dup2(fd, 0);
	if (!keep_stdout)
		dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	kld_diag_syslog();
	return 0;
}

static int drop_privileges(struct kld_daemon *d)
{
	char why[256];
	int err;

	if (!d->conf->user)
		return 0;
	err = kld_drop_privileges(d->conf->user, d->conf->keep_cap_syslog,
				  why, sizeof(why));
	if (err)
		kld_err("cannot become user %s: %s", d->conf->user, why);
	return err;
}

static int run(struct kld_config *c, const struct options *o)
{
	struct kld_daemon d;
	int err;

	err = kld_daemon_setup(&d, c, o->config);
	if (!err)
		err = drop_privileges(&d);
	if (!err)
		err = kld_daemon_started(&d);
	if (!err && !o->foreground)
		err = daemonize(d.conf);
	if (!err) {
		sd_notifyf(0, "READY=1\nSTATUS=logging from sequence %llu",
			   (unsigned long long)d.pos + 1);
		err = kld_daemon_run(&d);
	}
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
	if (o.check) {
		printf("%s: configuration OK\n", o.config);
		kld_config_print(c, stdout);
		kld_config_free(c);
		return 0;
	}
	return run(c, &o);
}
