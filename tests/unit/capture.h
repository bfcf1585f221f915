/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs a function in a child with stdout and stderr in temporary files:
 * libxtables keeps global state and errors exit, so each case gets its own
 * process.  For Check tests (failures are ck_assert ones).
 */
#ifndef MARKCTL_TESTS_CAPTURE_H
#define MARKCTL_TESTS_CAPTURE_H

struct captured {
	int rc;			/* exit status, or 128 + signal */
	char *out, *err;	/* all the child wrote, NUL-terminated */
};

void run_captured(int (*fn)(const void *arg), const void *arg,
		  struct captured *res);
void captured_release(struct captured *res);

#endif
