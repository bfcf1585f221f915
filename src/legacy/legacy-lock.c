// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The xtables lock.  iptables-legacy 1.8.9 serialises its read-modify-
 * replace cycles with flock() on one file; the kernel knows nothing of
 * it, so every writer of legacy tables must take it the same way for
 * none to lose another's rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "legacy.h"
#include "util.h"

static void alarm_noop(int sig)
{
	(void)sig;	/* only there to interrupt flock() */
}

/* -w N: an alarm interrupts the blocking flock(), as in 1.8.9 (which
 * also leaves the handler installed, one-shot). */
static void arm_alarm(int wait)
{
	struct sigaction sa = { .sa_handler = alarm_noop,
				.sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(wait);
}

int lg_lock_take(struct lg_lock *l, int wait, int *err)
{
	const char *path = getenv("XTABLES_LOCKFILE");

	if (l->fd >= 0)
		return 0;
	if (!path || !path[0])
		path = LG_LOCK_PATH;
	util_strlcpy(l->path, path, sizeof(l->path));
	l->fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (l->fd < 0) {
		*err = errno;
		errno = ENOLCK;
		return -1;
	}
	if (wait != -1)
		arm_alarm(wait);
	if (flock(l->fd, LOCK_EX) == 0) {
		if (wait > 0)
			alarm(0);
		return 0;
	}
	*err = errno == EINTR ? EWOULDBLOCK : errno;
	close(l->fd);
	l->fd = -1;
	errno = EAGAIN;
	return -1;
}

void lg_lock_release(struct lg_lock *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
