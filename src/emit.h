/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MARKCTL_EMIT_H
#define MARKCTL_EMIT_H

#include "rule.h"

#endif
