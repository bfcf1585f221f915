// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl-ct: "markctl ct COMMAND [OPTIONS]", run by markctl as git runs
 * its commands (installed in $(libexecdir)/markctl), so that
 * libnetfilter_conntrack and jansson stay out of markctl's own start-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"
#include "util.h"

typedef int (*ct_cmd_fn)(const struct ct_opts *o, struct ct_nl *nl);

static const ct_cmd_fn cmd_fns[CT_NCMDS] = {
	[CT_LIST] = ct_cmd_list, [CT_COUNT] = ct_cmd_count,
	[CT_UPDATE] = ct_cmd_update, [CT_DELETE] = ct_cmd_delete,
	[CT_MONITOR] = ct_cmd_monitor,
};

static const char usage[] =
"usage: markctl ct list    [FILTER]... [-o extended,id | -o json]\n"
"       markctl ct count   [FILTER]... [--by-mark [MASK|FIELDS]] [-o json]\n"
"       markctl ct update  [FILTER]... OPERATION\n"
"       markctl ct delete  [FILTER]...\n"
"       markctl ct monitor [FILTER]... [--count N]\n"
"                          [-o extended,id,timestamp | -o json]\n"
"\n"
"FILTER:    -4 | -6 (default: both)\n"
"           [!] -m, --mark VALUE[/MASK]     (mark & MASK) == VALUE\n"
"           [!] -p, --proto PROTO           tcp, udp, icmp, icmpv6, ... or a number\n"
"           [!] -s, --src ADDR[/LEN]        original source\n"
"           [!] -d, --dst ADDR[/LEN]        original destination\n"
"           [!] --sport PORT | [!] --dport PORT\n"
"           [!] --zone ZONE\n"
"OPERATION: --set-mark VALUE[/MASK]         as CONNMARK: only the masked bits change\n"
"           --set-xmark VALUE[/MASK]\n"
"           --and-mark BITS | --or-mark BITS | --xor-mark BITS\n"
"\n"
"VALUE, MASK and BITS are numbers (decimal, 0x hex, 0 octal); VALUE[/MASK]\n"
"and BITS may be fields of the mark layout (route=isp2,vpn), MASK field\n"
"names (route,vpn).  The layout is markctl's --layout FILE, else\n"
"$MARKCTL_LAYOUT, else /etc/markctl/layout.  See markctl-ct(8).\n";

/* Lines of a list go out in large writes. */
static char out_buf[1 << 16];

int main(int argc, char **argv)
{
	struct ct_opts o;
	struct ct_nl *nl;
	char err[256];
	int cmd, ret;

	if (argc < 2) {
		fputs(usage, stderr);
		return PARAMETER_PROBLEM;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	cmd = ct_cmd_lookup(argv[1]);
	if (cmd < 0)
		ct_die(PARAMETER_PROBLEM, "unknown command \"%s\" (list, count, "
		       "update, delete, monitor; see markctl ct --help)",
		       argv[1]);
	if (ct_opts_parse(&o, cmd, argc - 2, argv + 2, err, sizeof(err)) < 0) {
		ct_opts_release(&o);
		ct_die(PARAMETER_PROBLEM, "%s", err);
	}
	if (o.help) {
		ct_opts_release(&o);
		fputs(usage, stdout);
		return 0;
	}
	if (cmd == CT_LIST)
		setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	nl = ct_nl_open(cmd == CT_MONITOR);
	if (!nl) {
		ret = ct_error_errno("open conntrack");
		ct_opts_release(&o);
		return ret;
	}
	ret = cmd_fns[cmd](&o, nl);
	ct_nl_close(nl);
	ct_opts_release(&o);
	if ((fflush(stdout) == EOF || ferror(stdout)) && !ret)
		return ct_error_errno("write output");
	return ret;
}
