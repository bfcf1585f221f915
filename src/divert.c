// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "divert.h"

#define DIVERT_COPY_SIZE 65536

/* stdout into @d->tmp, the real one kept in @d->saved. */
static int divert_to_tmp(struct divert *d)
{
	fflush(stdout);
	d->terminal = isatty(STDOUT_FILENO);
	d->saved = dup(STDOUT_FILENO);
	if (d->saved < 0 || dup2(fileno(d->tmp), STDOUT_FILENO) < 0) {
		int err = errno;

		if (d->saved >= 0)
			close(d->saved);
		errno = err;
		return -1;
	}
	return 0;
}

int divert_begin(struct divert *d)
{
	d->tmp = tmpfile();
	if (!d->tmp)
		return -1;
	if (divert_to_tmp(d) < 0) {
		int err = errno;

		fclose(d->tmp);
		errno = err;
		return -1;
	}
	return 0;
}

int divert_hold(struct divert *d)
{
	if (!d->tmp)
		return divert_begin(d);
	if (ftruncate(fileno(d->tmp), 0) < 0)
		return -1;
	rewind(d->tmp);
	return divert_to_tmp(d);
}

/* Through stdio, not write(2): what reaches the real stdout and when
 * (as against stderr) stays as iptables' buffered output. */
static int copy_out(FILE *from)
{
	char *buf = malloc(DIVERT_COPY_SIZE);
	int ret = 0;
	size_t n;

	if (!buf)
		return -1;
	rewind(from);
	while ((n = fread(buf, 1, DIVERT_COPY_SIZE, from)) > 0)
		if (fwrite(buf, 1, n, stdout) != n) {
			ret = -1;
			break;
		}
	if (ferror(from))
		ret = -1;
	free(buf);
	return ret;
}

static int restore_stdout(struct divert *d)
{
	int ret;

	fflush(stdout);
	ret = dup2(d->saved, STDOUT_FILENO);
	close(d->saved);
	return ret < 0 ? -1 : 0;
}

int divert_end(struct divert *d)
{
	int ret = restore_stdout(d);
	int err = errno;

	if (ret == 0 && copy_out(d->tmp) < 0) {
		ret = -1;
		err = errno;
	}
	/* stdio chose full buffering while stdout was the file; a message
	 * on stderr after this must follow the lines on a terminal, and
	 * precede them in a pipe, as with iptables' own stdout. */
	if (d->terminal)
		fflush(stdout);
	fclose(d->tmp);
	errno = err;
	return ret;
}

int divert_unhold(struct divert *d)
{
	return restore_stdout(d);
}

int divert_put(struct divert *d)
{
	return copy_out(d->tmp);
}

void divert_close(struct divert *d)
{
	if (d->tmp)
		fclose(d->tmp);
	d->tmp = NULL;
}

void divert_discard(struct divert *d)
{
	restore_stdout(d);
	fclose(d->tmp);
}
