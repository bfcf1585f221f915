// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loads the decoder module (nft.h) the first time a command reads rules
 * back.  Mapping libnftnl and relocating it was most of the start-up cost
 * of a single -A, which never needs it.
 */
#include "nft-core.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NFT_DECODER_FILE "nft-decode.so"

/* The reason is set already. */
static const struct nft_decoder *decoder_fail(struct nft_backend *b, int err)
{
	if (b->decoder_handle)
		dlclose(b->decoder_handle);
	b->decoder_handle = NULL;
	errno = err;
	return NULL;
}

/*
 * Where the module is: $MARKCTL_MODULEDIR if set; else beside the running
 * binary if there is one there (a build tree); else MODULEDIR.
 */
static void decoder_path(char *path, size_t size)
{
	const char *dir = secure_getenv("MARKCTL_MODULEDIR");
	ssize_t n;
	char *slash;

	if (dir && *dir) {
		snprintf(path, size, "%s/%s", dir, NFT_DECODER_FILE);
		return;
	}
	n = readlink("/proc/self/exe", path, size - 1);
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash && (size_t)(slash + 1 - path) +
			     sizeof(NFT_DECODER_FILE) <= size) {
			strcpy(slash + 1, NFT_DECODER_FILE);
			if (access(path, F_OK) == 0)
				return;
		}
	}
	snprintf(path, size, "%s/%s", MODULEDIR, NFT_DECODER_FILE);
}

const struct nft_decoder *nft_decoder_get(struct nft_backend *b)
{
	const struct nft_decoder *d;
	char path[PATH_MAX];

	if (b->decoder)
		return b->decoder;
	decoder_path(path, sizeof(path));
	b->decoder_handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!b->decoder_handle) {
		nft_error_set(b, "%s", dlerror());
		return decoder_fail(b, ELIBACC);
	}
	d = dlsym(b->decoder_handle, NFT_DECODER_SYMBOL);
	/* a module left from another build would misread struct rule */
	if (!d || strcmp(d->version, PACKAGE_VERSION) ||
	    d->rule_size != sizeof(struct rule)) {
		nft_error_set(b, "%.3000s: not the decoder of markctl %s",
			      path, PACKAGE_VERSION);
		return decoder_fail(b, ELIBBAD);
	}
	b->decoder = d;
	return d;
}

void nft_decoder_put(struct nft_backend *b)
{
	if (b->decoder_handle)
		dlclose(b->decoder_handle);
	b->decoder_handle = NULL;
	b->decoder = NULL;
}
