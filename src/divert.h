/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Listing output held back in an anonymous temporary file.  iptables-nft
 * decides whether a chain or table can be listed at all only after
 * reading it; streaming rules into a file and copying it out at the end
 * keeps memory flat and reads the kernel's rules once.  stdout itself is
 * redirected, as libxtables' print callbacks write there.
 */
#ifndef MARKCTL_DIVERT_H
#define MARKCTL_DIVERT_H

#include <stdbool.h>
#include <stdio.h>

struct divert {
	FILE *tmp;
	int saved;	/* the real stdout */
	bool terminal;	/* it is a terminal: iptables' lines show at once */
};

/* Returns 0, or -1 with errno (stdout unchanged). */
int divert_begin(struct divert *d);
/* Back to the real stdout with what was printed meanwhile; -1 + errno. */
int divert_end(struct divert *d);
/* Back to the real stdout, dropping what was printed meanwhile. */
void divert_discard(struct divert *d);

/*
 * Output held back for a moment, again and again in one file: a chain's
 * rules go to it, then the chain's header, which counts them, goes out
 * before them.  @d is zeroed before the first divert_hold().
 */
int divert_hold(struct divert *d);
/* Back to the previous stdout; what was printed stays in @d. */
int divert_unhold(struct divert *d);
/* Writes what @d holds to stdout. */
int divert_put(struct divert *d);
void divert_close(struct divert *d);

#endif
