// SPDX-License-Identifier: GPL-2.0-or-later
/* placeholder: replaced by the real extension */
#include "extensions.h"

void libxt_mark_init(void)
{
}
