// SPDX-License-Identifier: GPL-2.0-or-later
/* placeholder */
#include "nft.h"

const struct backend_ops nft_backend_ops = {
	.name = "nf_tables",
};

const char *const backend_table_names[] = {
	"mangle", "security", "raw", "filter", "nat", NULL,
};
