/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MARKCTL_NFT_H
#define MARKCTL_NFT_H

#include "backend.h"

#endif
