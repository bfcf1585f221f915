// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl-audit (markctl audit): reads this network namespace's mark users
 * read-only (iptables tables of both families through the backends, every
 * other nf_tables table, ip rules, WireGuard and xfrm marks), groups them
 * into owners and reports who uses which bits and where they collide.
 * Exit status: 0 no finding, 1 findings, 2 bad usage (or a bad layout or
 * owners file), 4 the rules could not be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-findings.h"
#include "audit-read.h"
#include "audit-report.h"
#include "backend.h"
#include "layout.h"
#include "opts.h"
#include "subcmd.h"

struct audit_opts {
	const char *output, *layout, *owners;
};

static const char audit_usage[] =
"Usage: markctl audit [-o text|json] [--layout FILE] [--owners FILE]\n"
"\n"
"Reads the marks this network namespace's rules set and match (iptables\n"
"tables of both backends, nf_tables and legacy x_tables; other nf_tables\n"
"tables, ip rules, WireGuard and xfrm), groups them into owners and\n"
"reports where owners collide.  Changes nothing.\n"
"Exit status: 0 no finding, 1 findings, 2 bad usage, 4 cannot read.\n";

static void audit_help(void *state, const char *arg)
{
	(void)state;
	(void)arg;
	fputs(audit_usage, stdout);
	exit(0);
}

static void audit_unknown(void *state)
{
	(void)state;
	fputs(audit_usage, stderr);
	exit(SUBCMD_USAGE);
}

static const struct opt audit_options[] = {
	OPTS_STRING("output", 'o', OPT_OWN, struct audit_opts, output),
	OPTS_STRING("layout", OPTS_LONG_ONLY, OPT_OWN, struct audit_opts,
		    layout),
	OPTS_STRING("owners", OPTS_LONG_ONLY + 1, OPT_OWN, struct audit_opts,
		    owners),
	OPTS_CALL("help", 'h', no_argument, OPT_OWN, audit_help),
	OPTS_END,
};

/* Backends whose iptables tables are read, whichever markctl would
 * choose: the audit reports marks in both.  Of the legacy backend only
 * the tables /proc/net/ip*_tables_names lists (reading one creates it). */
static const struct backend_ops *const audit_backends[] = {
	&nft_backend_ops, &legacy_backend_ops,
};

static void __attribute__((noreturn)) cannot_read(const char *what)
{
	if (errno == EPERM || errno == EACCES)
		subcmd_die(SUBCMD_RESOURCE, "cannot read %s: %s (you must be root)",
			   what, strerror(errno));
	subcmd_die(SUBCMD_RESOURCE, "cannot read %s: %s", what, strerror(errno));
}

static void read_all(struct audit *a)
{
	static const uint8_t families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	struct audit_native *native = audit_native_alloc();

	if (!native)
		cannot_read("the ruleset");
	for (size_t b = 0; b < sizeof(audit_backends) / sizeof(audit_backends[0]); b++)
		for (size_t f = 0; f < sizeof(families); f++)
			if (audit_read_iptables(a, audit_backends[b],
						families[f], native) < 0)
				cannot_read("the iptables tables");
	if (audit_read_nft(a, native) < 0)
		cannot_read("the nf_tables tables");
	audit_native_free(native);
	if (audit_read_iprules(a) < 0)
		cannot_read("the ip rules");
	if (audit_read_wireguard(a) < 0)
		cannot_read("the WireGuard interfaces");
	if (audit_read_xfrm(a) < 0)
		cannot_read("the xfrm states and policies");
}

int main(int argc, char **argv)
{
	struct audit_opts o = { .output = "text" };
	struct audit_findings f;
	struct owners *owners;
	struct audit *a;
	json_t *report;
	bool json;
	int ret;

	subcmd_init("audit");
	opts_parse(audit_options, false, argc, argv, &o, audit_unknown);
	json = subcmd_output_json(o.output);
	if (optind != argc) {
		fputs(audit_usage, stderr);
		return SUBCMD_USAGE;
	}
	if (o.layout)
		layout_set_path(o.layout);
	owners = subcmd_owners(o.owners);
	a = audit_alloc(owners, layout_get());
	if (!a)
		subcmd_die(SUBCMD_RESOURCE, "%s", strerror(ENOMEM));
	read_all(a);
	if (audit_findings(a, &f) < 0 || !(report = audit_report(a, &f)))
		subcmd_die(SUBCMD_RESOURCE, "%s", strerror(ENOMEM));
	if (json)
		subcmd_print_json(report);
	else
		audit_report_text(report);
	ret = f.n ? SUBCMD_FINDINGS : SUBCMD_OK;
	json_decref(report);
	audit_findings_release(&f);
	audit_free(a);
	owners_free(owners);
	layout_release();
	return ret;
}
