// SPDX-License-Identifier: GPL-2.0-or-later
/* iptables -h: usage, options, then the help of the extensions loaded. */
#include <limits.h>
#include <stdio.h>

#include "backend.h"
#include "cmd.h"
#include "help.h"
#include "msg.h"

void help_markctl(void)
{
	printf("markctl %s: packet and connection marks, with iptables' "
	       "command line\n\n"
	       "Usage: markctl [--layout FILE] [-4|-6] <iptables options>\n"
	       "       markctl [--layout FILE] COMMAND [options]\n\n"
	       "Mark values may be field names of the layout (route=isp2);\n"
	       "-S, -L and save show them with --names.\n\n"
	       "Commands:\n", PACKAGE_VERSION);
	for (const struct command *c = commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\nRun 'markctl COMMAND -h' for a command's options.  "
	       "iptables' options follow.\n\n");
}

void help_markctl_version(const struct markctl_ctx *ctx)
{
	char why[PATH_MAX + 64];

	printf("markctl %s (iptables v%s compatible, backend %s, chosen by %s)\n",
	       PACKAGE_VERSION, IPTABLES_VERSION, ctx->backend_ops->name,
	       backend_choice_text(why, sizeof(why)));
}

static void print_usage(const char *p)
{
	msg_print_version(p);
	putchar('\n');
	printf("Usage: %s -[ACD] chain rule-specification [options]\n"
	       "       %s -I chain [rulenum] rule-specification [options]\n"
	       "       %s -R chain rulenum rule-specification [options]\n"
	       "       %s -D chain rulenum [options]\n"
	       "       %s -[LS] [chain [rulenum]] [options]\n"
	       "       %s -[FZ] [chain] [options]\n"
	       "       %s -[NX] chain\n"
	       "       %s -E old-chain-name new-chain-name\n"
	       "       %s -P chain target [options]\n"
	       "       %s -h (print this help information)\n\n",
	       p, p, p, p, p, p, p, p, p, p);
}

static const char help_text[] =
"Commands (long or short form):\n"
"  --append  -A chain\t\tAdd a rule at the end of chain\n"
"  --check   -C chain\t\tTell whether a matching rule exists\n"
"  --delete  -D chain\t\tRemove the first matching rule\n"
"  --delete  -D chain rulenum\n"
"\t\t\t\tRemove rule number rulenum (1 = first)\n"
"  --insert  -I chain [rulenum]\n"
"\t\t\t\tAdd a rule as number rulenum (default 1 = first)\n"
"  --replace -R chain rulenum\n"
"\t\t\t\tReplace rule number rulenum (1 = first)\n"
"  --list    -L [chain [rulenum]]\n"
"\t\t\t\tShow the rules of one chain or of all\n"
"  --list-rules -S [chain [rulenum]]\n"
"\t\t\t\tPrint the rules of one chain or of all as commands\n"
"  --flush   -F [chain]\t\tRemove every rule of one chain or of all\n"
"  --zero    -Z [chain [rulenum]]\n"
"\t\t\t\tReset packet and byte counters\n"
"  --new     -N chain\t\tCreate a user-defined chain\n"
"  --delete-chain\n"
"            -X [chain]\t\tRemove a user-defined chain\n"
"  --policy  -P chain target\n"
"\t\t\t\tSet the policy of a built-in chain\n"
"  --rename-chain\n"
"            -E old-chain new-chain\n"
"\t\t\t\tRename a chain, keeping the jumps to it\n"
"\n"
"Options:\n"
"    --ipv4\t-4\t\tIPv4 (markctl: select the family)\n"
"    --ipv6\t-6\t\tIPv6 (markctl: select the family)\n"
"[!] --protocol\t-p proto\tprotocol by name or number, e.g. `tcp'\n"
"[!] --source\t-s address[/mask]\n"
"\t\t\t\tsource address\n"
"[!] --destination -d address[/mask]\n"
"\t\t\t\tdestination address\n"
"[!] --in-interface -i input name[+]\n"
"\t\t\t\tinput interface ([+] as wildcard)\n"
" --jump\t-j target\n"
"\t\t\t\twhat to do with a match (may load a target extension)\n"
"  --goto      -g chain\n"
"\t\t\t       continue in chain without returning\n"
"  --match\t-m match\n"
"\t\t\t\tload a match extension\n"
"  --numeric\t-n\t\taddresses and ports as numbers\n"
"[!] --out-interface -o output name[+]\n"
"\t\t\t\toutput interface ([+] as wildcard)\n"
"  --table\t-t table\ttable to work on (default: `filter')\n"
"  --verbose\t-v\t\tmore detail\n"
"  --wait\t-w [seconds]\taccepted for compatibility (no lock is taken)\n"
"  --line-numbers\t\tnumber the rules when listing\n"
"  --exact\t-x\t\tshow exact counter values\n"
"[!] --fragment\t-f\t\tmatch second and later fragments only\n"
"  --modprobe=<command>\t\taccepted and ignored\n"
"  --set-counters -c PKTS BYTES\tinitial counters of the rule\n"
"[!] --version\t-V\t\tprint the version\n";

void help_iptables(const struct rule *rule)
{
	print_usage(msg_progname());
	fputs(help_text, stdout);
	for (unsigned int i = 0; rule && i < rule->nmatches; i++) {
		const struct xtables_match *m = rule->matches[i].ext;

		putchar('\n');
		if (m->help)
			m->help();
		else
			printf("%s does not take any options\n", m->name);
	}
	if (rule && rule->target) {
		putchar('\n');
		if (rule->target->help)
			rule->target->help();
		else
			printf("%s does not take any options\n",
			       rule->target->name);
	}
}
