/* SPDX-License-Identifier: GPL-2.0-or-later */
/* markctl's own extensions, registered before libxtables looks for plugins. */
#ifndef MARKCTL_EXTENSIONS_H
#define MARKCTL_EXTENSIONS_H

#include <stdbool.h>

void libxt_MARK_init(void);
void libxt_mark_init(void);
void libxt_CONNMARK_init(void);
void libxt_connmark_init(void);

/* Registers all of the above; call after xtables_init_all(). */
void extensions_register(void);

/* Whether @name is one of markctl's own extensions (MARK, mark, ...). */
bool extensions_own(const char *name);

#endif
