/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MARKCTL_HELP_H
#define MARKCTL_HELP_H

#include "rule.h"

/* iptables -h (also iptables-translate -h and a restore line's -h): usage
 * naming msg_progname(), the options, then the help of each extension
 * @rule loaded (may be NULL), on stdout. */
void help_iptables(const struct rule *rule);

struct markctl_ctx;

/* markctl -h, before iptables' help: what markctl is and its commands. */
void help_markctl(void);

/* markctl -V: markctl's version, the iptables it speaks, its backend. */
void help_markctl_version(const struct markctl_ctx *ctx);

#endif
