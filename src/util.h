/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MARKCTL_UTIL_H
#define MARKCTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xtables.h>

/* iptables' version as shown in messages, for byte-identical output. */
#define IPTABLES_VERSION	"1.8.9"
#define IPTABLES_VARIANT	"nf_tables"

/*
 * Prints "<prog> v1.8.9 (nf_tables): <msg>" (or the message alone when it
 * starts with "iptables:"/"ip6tables:"), the "Try ..." line for
 * PARAMETER_PROBLEM, the upgrade hint for VERSION_PROBLEM, and exits with
 * @status.  Also installed as libxtables' exit_err.
 */
void util_die(enum xtables_exittype status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

/*
 * Only the "Error occurred at line: N" (restore) and "Try ..." lines, then
 * exit: iptables' exit_tryhelp, for "Bad argument `x'" and -6 in iptables.
 */
void util_exit_tryhelp(enum xtables_exittype status) __attribute__((noreturn));

/* Program name used in messages ("iptables", "ip6tables"); set once. */
void util_set_progname(const char *name);
const char *util_progname(void);

/*
 * Restore input line being processed (0: none).  While set, util_die adds
 * "Error occurred at line: N" before the "Try ..." line, as
 * iptables-restore does.
 */
void util_set_lineno(unsigned int line);

/*
 * Strict unsigned 32-bit number in decimal, 0x hex or 0 octal: rejects
 * empty strings, signs, trailing junk and values above 0xffffffff.
 * Returns 0, or -1 with errno = EINVAL/ERANGE.
 */
int util_parse_u32(const char *s, uint32_t *out);

/* Copies @src into @dst of @size bytes (> 0), truncating, always
 * terminated: a name into a fixed field, without snprintf's cost. */
void util_strlcpy(char *dst, const char *src, size_t size);
/* The last component of @path (argv[0]): what follows the last '/'. */
const char *util_basename(const char *path);

/* "value[/mask]", mask defaulting to 0xffffffff; same rules as above. */
int util_parse_mark_mask(const char *s, uint32_t *mark, uint32_t *mask);

/*
 * iptables-nft's hint on stderr that legacy x_tables rules exist too:
 * "# Warning: iptables-legacy tables present, use iptables-legacy<@tool>
 * to see them" (@tool "" or "-save"), ip6tables for IPv6.
 */
void util_warn_legacy(uint8_t family, const char *tool);

#endif
