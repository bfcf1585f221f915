// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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

int util_read_lines(FILE *f, const char *path, unsigned int *lineno,
		    int (*fn)(void *data, char *line), void *data,
		    char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	while (ret == 0 && getline(&line, &cap, f) >= 0) {
		(*lineno)++;
		ret = fn(data, line);
	}
	if (ret == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	free(line);
	return ret;
}
