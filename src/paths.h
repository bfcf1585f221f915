/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files markctl installs beside itself (subcommand executables, data),
 * found from where the running binary is, so that a build tree and a
 * staged install (make install DESTDIR=...) work as well as the final
 * one.
 */
#ifndef MARKCTL_PATHS_H
#define MARKCTL_PATHS_H

#include <stddef.h>

/**
 * paths_find - where an installed file of markctl is
 * @dir: its configured installation directory (EXECDIR, PKGDATADIR)
 * @build: its directory in a build tree, relative to the binary ("." for
 *	   programs built beside markctl), or NULL
 * @file: its name
 *
 * Tries, in order: @build beside the running binary, @dir moved as the
 * binary moved (@dir relative to SBINDIR, then to EXECDIR, from the
 * binary's directory: markctl or one of its subcommand programs), then
 * @dir itself.  Writes the first that exists into @buf, else the
 * last candidate.  Returns 0, or -1 with errno ENAMETOOLONG.
 */
int paths_find(const char *dir, const char *build, const char *file,
	       char *buf, size_t size);

#endif
