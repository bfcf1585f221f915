// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *progname = "iptables";
static unsigned int lineno;

void util_set_progname(const char *name)
{
	progname = name;
}

const char *util_progname(void)
{
	return progname;
}

void util_set_lineno(unsigned int line)
{
	lineno = line;
}

/* iptables prints messages that name the program ("iptables: No chain...")
 * without its version prefix. */
static bool starts_with_progname(const char *msg)
{
	size_t n = strlen(progname);

	return strncmp(msg, progname, n) == 0 && msg[n] == ':';
}

void util_exit_tryhelp(enum xtables_exittype status)
{
	if (lineno)
		fprintf(stderr, "Error occurred at line: %u\n", lineno);
	fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n",
		progname, progname);
	fflush(stdout);
	exit(status);
}

void util_die(enum xtables_exittype status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!starts_with_progname(fmt))
		fprintf(stderr, "%s v%s (%s): ", progname, IPTABLES_VERSION,
			IPTABLES_VARIANT);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status == PARAMETER_PROBLEM)
		util_exit_tryhelp(status);
	if (status == VERSION_PROBLEM)
		fprintf(stderr,
			"Perhaps %s or your kernel needs to be upgraded.\n",
			progname);
	/* Flush what extensions printed, free nothing: we are exiting. */
	fflush(stdout);
	exit(status);
}

int util_parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts leading space and signs; iptables does not. */
	if (!s || *s < '0' || *s > '9') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end != '\0') {
		errno = errno ? errno : EINVAL;
		return -1;
	}
	if (v > UINT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int util_parse_mark_mask(const char *s, uint32_t *mark, uint32_t *mask)
{
	const char *slash = strchr(s, '/');
	char value[32];
	size_t len;

	if (!slash) {
		*mask = UINT32_MAX;
		return util_parse_u32(s, mark);
	}
	len = slash - s;
	if (len >= sizeof(value)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(value, s, len);
	value[len] = '\0';
	if (util_parse_u32(value, mark) < 0)
		return -1;
	return util_parse_u32(slash + 1, mask);
}

void util_warn_legacy(uint8_t family, const char *tool)
{
	const char *path = family == NFPROTO_IPV6 ?
		"/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names";
	const char *prefix = family == NFPROTO_IPV6 ? "ip6" : "ip";
	FILE *f = fopen(path, "re");
	int c;

	if (!f)
		return;
	c = fgetc(f);
	fclose(f);
	if (c != EOF)
		fprintf(stderr, "# Warning: %stables-legacy tables present, "
			"use %stables-legacy%s to see them\n",
			prefix, prefix, tool);
}

void util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

const char *util_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}
