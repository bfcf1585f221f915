/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers of every layer; they print nothing. */
#ifndef MARKCTL_UTIL_H
#define MARKCTL_UTIL_H

#include <stddef.h>

/* Copies @src into @dst of @size bytes (> 0), truncating, always
 * terminated: a name into a fixed field, without snprintf's cost. */
void util_strlcpy(char *dst, const char *src, size_t size);
/* The last component of @path (argv[0]): what follows the last '/'. */
const char *util_basename(const char *path);

#endif
