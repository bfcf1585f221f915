// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "extensions.h"

/*
 * An explicit list rather than constructors: registration must happen after
 * xtables_init_all() and before the first xtables_find_*(), so that our
 * extensions win over the host's plugins of the same names.
 */
static void (*const extension_inits[])(void) = {
	libxt_MARK_init,
	libxt_mark_init,
	libxt_CONNMARK_init,
	libxt_connmark_init,
};

void extensions_register(void)
{
	for (unsigned int i = 0; i < sizeof(extension_inits) / sizeof(extension_inits[0]); i++)
		extension_inits[i]();
}

bool extensions_own(const char *name)
{
	static const char *const own[] = { "MARK", "mark", "CONNMARK",
					   "connmark" };

	for (unsigned int i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcmp(own[i], name) == 0)
			return true;
	return false;
}
