// SPDX-License-Identifier: GPL-2.0-or-later
/* placeholder */
#include "parse.h"
