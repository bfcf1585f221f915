// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl ct monitor: new, update and destroy events, one line each as
 * conntrack -E prints them (or a JSON object a line), filtered in user
 * space, until SIGINT/SIGTERM or --count events.  The kernel reports
 * changes only of flows created while a listener exists unless
 * net.netfilter.nf_conntrack_events is 1 (see markctl-ct(8)).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "ct.h"
#include "util.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct monitor_ctx {
	const struct ct_opts *o;
	struct ct_printer p;
};

static int monitor_event(const struct ct_flow *f, void *data)
{
	struct monitor_ctx *m = data;

	if (!ct_filter_match(&m->o->filter, f))
		return 0;
	if (ct_print_flow(&m->p, f) < 0)
		return -1;
	/* A line as it happens, also into a pipe. */
	fflush(m->p.out);
	return m->o->max_events && m->p.flows >= m->o->max_events;
}

int ct_cmd_monitor(const struct ct_opts *o, struct ct_nl *nl)
{
	struct monitor_ctx m = { o, { .out = stdout, .output = o->output } };
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: the wait returns, and the loop sees the flag. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (ct_nl_events(nl, monitor_event, &m, &stop) < 0) {
		if (errno != ENOBUFS)
			return ct_error_errno("read events");
		fprintf(stderr, "markctl ct: events lost: %s (more events "
			"than the socket buffer holds)\n", strerror(ENOBUFS));
	}
	return 0;
}
