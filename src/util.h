/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers of every layer; they print nothing. */
#ifndef MARKCTL_UTIL_H
#define MARKCTL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Copies @src into @dst of @size bytes (> 0), truncating, always
 * terminated: a name into a fixed field, without snprintf's cost. */
void util_strlcpy(char *dst, const char *src, size_t size);
/* The last component of @path (argv[0]): what follows the last '/'. */
const char *util_basename(const char *path);

/*
 * Each line of @f (read from @path) to @fn with @data, counted in
 * *@lineno, until @fn returns non-zero (returned).  A read error is put
 * in @err as "PATH: reason", -1.
 */
int util_read_lines(FILE *f, const char *path, unsigned int *lineno,
		    int (*fn)(void *data, char *line), void *data,
		    char *err, size_t errlen);

/*
 * Strict unsigned 32-bit number in decimal, 0x hex or 0 octal: rejects
 * empty strings, signs, trailing junk and values above 0xffffffff.
 * Returns 0, or -1 with errno = EINVAL/ERANGE.
 */
int util_parse_u32(const char *s, uint32_t *out);
/* "value[/mask]", mask defaulting to 0xffffffff; same rules as above. */
int util_parse_mark_mask(const char *s, uint32_t *mark, uint32_t *mask);

#endif
