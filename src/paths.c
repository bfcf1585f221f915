// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

/* Where the running binary may be installed: markctl in SBINDIR, its
 * subcommand programs (markctl-explain, ...) in EXECDIR. */
static const char *const program_dirs[] = { SBINDIR, EXECDIR };

/* The directory of the running binary (symlinks resolved, as a drop-in
 * name is a link to it); false if unknown. */
static bool self_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return false;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

/* "../libexec/markctl" for from = /usr/sbin, to = /usr/libexec/markctl:
 * both absolute and normalised, as configure writes them. */
static int relative_path(const char *from, const char *to, char *buf,
			 size_t size)
{
	size_t common = 0, i;
	size_t len = 0;
	int n;

	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && (to[i] == '/' || !to[i]))
		common = i;
	buf[0] = '\0';
	for (i = common; from[i]; i++) {
		if (from[i] != '/' || !from[i + 1])
			continue;
		n = snprintf(buf + len, size - len, "../");
		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += n;
	}
	n = snprintf(buf + len, size - len, "%s",
		     to[common] == '/' ? to + common + 1 : to + common);
	return n < 0 || (size_t)n >= size - len ? -1 : 0;
}

static bool try_path(char *buf, size_t size, const char *a, const char *b,
		     const char *file, bool *overflow)
{
	int n = snprintf(buf, size, "%s%s%s/%s", a, b[0] ? "/" : "", b, file);

	if (n < 0 || (size_t)n >= size) {
		*overflow = true;
		return false;
	}
	return access(buf, F_OK) == 0;
}

int paths_find(const char *dir, const char *build, const char *file,
	       char *buf, size_t size)
{
	char self[PATH_MAX];
	bool overflow = false;

	if (self_dir(self, sizeof(self))) {
		char rel[PATH_MAX];

		if (build && try_path(buf, size, self, build, file, &overflow))
			return 0;
		for (size_t i = 0; i < sizeof(program_dirs) / sizeof(program_dirs[0]); i++)
			if (relative_path(program_dirs[i], dir, rel,
					  sizeof(rel)) == 0 &&
			    try_path(buf, size, self, rel, file, &overflow))
				return 0;
	}
	if (try_path(buf, size, dir, "", file, &overflow) || !overflow)
		return 0;
	errno = ENAMETOOLONG;
	return -1;
}
