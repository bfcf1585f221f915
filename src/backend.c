// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every backend shares: the tables iptables knows with their
 * built-in chains and hooks (backend.h), and the choice of backend.  A
 * mark script must land where the host's iptables looks: asked for
 * explicitly, else what the host's `iptables` is (Debian's alternatives
 * point it at xtables-legacy-multi or xtables-nft-multi; the link is
 * read, never changed), else whichever backend already holds tables in
 * this network namespace.
 */
#include "backend.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/netfilter.h>

#include "cmd.h"
#include "util.h"

const struct backend_table backend_tables[BACKEND_NTABLES] = {
	{ "mangle", {
		{ "PREROUTING",		NF_INET_PRE_ROUTING },
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "FORWARD",		NF_INET_FORWARD },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
		{ "POSTROUTING",	NF_INET_POST_ROUTING },
	  }, 5 },
	{ "security", {
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "FORWARD",		NF_INET_FORWARD },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
	  }, 3 },
	{ "raw", {
		{ "PREROUTING",		NF_INET_PRE_ROUTING },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
	  }, 2 },
	{ "filter", {
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "FORWARD",		NF_INET_FORWARD },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
	  }, 3 },
	{ "nat", {
		{ "PREROUTING",		NF_INET_PRE_ROUTING },
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
		{ "POSTROUTING",	NF_INET_POST_ROUTING },
	  }, 4 },
};

const struct backend_table *backend_table_find(const char *name)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		if (strcmp(backend_tables[i].name, name) == 0)
			return &backend_tables[i];
	return NULL;
}

const struct backend_builtin *
backend_builtin_find(const struct backend_table *t, const char *name)
{
	for (unsigned int i = 0; i < t->nbuiltins; i++)
		if (strcmp(t->builtins[i].name, name) == 0)
			return &t->builtins[i];
	return NULL;
}

/* ---- the choice of backend ---- */

static const struct {
	const char *name;
	const struct backend_ops *ops;
} backends[] = {
	{ "nft",	&nft_backend_ops },
	{ "legacy",	&legacy_backend_ops },
};

static enum backend_reason reason = BACKEND_BY_DEFAULT;
static char detail[PATH_MAX];

static const struct backend_ops *by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i].name, name) == 0)
			return backends[i].ops;
	errno = EINVAL;
	return NULL;
}

/* What an iptables binary is, by the name of the file its links end
 * at. */
static const struct backend_ops *by_binary(const char *base)
{
	/* xtables-multi: iptables before 1.8, legacy only */
	if (strstr(base, "legacy") || strcmp(base, "xtables-multi") == 0)
		return &legacy_backend_ops;
	if (strstr(base, "nft"))
		return &nft_backend_ops;
	return NULL;
}

/* The name of the file @path's links end at, in @buf: the links alone
 * are read, not (as realpath() does) every directory on the way, which
 * costs a single command a readlink() per component. */
static const char *link_target_name(const char *path, char *buf,
				    size_t size)
{
	char link[PATH_MAX];
	ssize_t n;

	util_strlcpy(buf, path, size);
	for (int hops = 0; hops < 40; hops++) {
		n = readlink(buf, link, sizeof(link) - 1);
		if (n < 0)
			return util_basename(buf);
		link[n] = '\0';
		if (link[0] == '/') {
			util_strlcpy(buf, link, size);
		} else {
			char *slash = strrchr(buf, '/');
			size_t dirlen = slash ? (size_t)(slash - buf) + 1 : 0;

			if (dirlen + n + 1 > size)
				return NULL;
			memcpy(buf + dirlen, link, n + 1);
		}
	}
	return NULL;
}

/* @name in directory @dir, unless it is markctl itself (a drop-in link
 * ahead in PATH). */
static const struct backend_ops *probe(const char *dir, size_t len,
				       const char *name)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct stat st, self;
	const struct backend_ops *ops;
	const char *base;

	if (len == 0 || len + strlen(name) + 2 > sizeof(path))
		return NULL;
	memcpy(path, dir, len);
	path[len] = '/';
	strcpy(path + len + 1, name);
	if (stat(path, &st) < 0 || !(st.st_mode & S_IXUSR))
		return NULL;
	if (stat("/proc/self/exe", &self) == 0 && st.st_dev == self.st_dev &&
	    st.st_ino == self.st_ino)
		return NULL;
	base = link_target_name(path, target, sizeof(target));
	ops = base ? by_binary(base) : NULL;
	if (ops)
		util_strlcpy(detail, path, sizeof(detail));
	return ops;
}

/* The first `iptables` in PATH, then the system's sbin directories,
 * that names a backend. */
static const struct backend_ops *by_host(uint8_t family)
{
	const char *name = family == NFPROTO_IPV6 ? "ip6tables" : "iptables";
	const char *path = getenv("PATH");
	static const char *const sbin[] = { "/usr/sbin", "/sbin" };
	const struct backend_ops *ops;

	while (path && *path) {
		const char *end = strchrnul(path, ':');

		ops = probe(path, end - path, name);
		if (ops)
			return ops;
		path = *end ? end + 1 : end;
	}
	for (size_t i = 0; i < sizeof(sbin) / sizeof(sbin[0]); i++) {
		ops = probe(sbin[i], strlen(sbin[i]), name);
		if (ops)
			return ops;
	}
	return NULL;
}

/* nf_tables if it holds iptables' tables, or if both backends do (it
 * then warns about the legacy ones, as iptables-nft does); legacy if
 * only it does. */
static const struct backend_ops *by_rules(uint8_t family)
{
	bool nft = nft_backend_ops.in_use &&
		   nft_backend_ops.in_use(family) > 0;
	bool legacy = legacy_backend_ops.in_use &&
		      legacy_backend_ops.in_use(family) > 0;

	if (nft)
		return &nft_backend_ops;
	return legacy ? &legacy_backend_ops : NULL;
}

static const struct backend_ops *chosen(enum backend_reason why,
					const struct backend_ops *ops)
{
	reason = why;
	return ops;
}

const struct backend_ops *backend_choose(const struct markctl_ctx *ctx)
{
	const char *env = getenv("MARKCTL_BACKEND");
	const struct backend_ops *ops;

	detail[0] = '\0';
	if (ctx->backend_request)
		return chosen(ctx->dropin ? BACKEND_BY_NAME : BACKEND_BY_OPTION,
			      by_name(ctx->backend_request));
	if (env && env[0]) {
		util_strlcpy(detail, env, sizeof(detail));
		return chosen(BACKEND_BY_ENV, by_name(env));
	}
	ops = by_host(ctx->family);
	if (ops)
		return chosen(BACKEND_BY_HOST, ops);
	ops = by_rules(ctx->family);
	if (ops)
		return chosen(BACKEND_BY_RULES, ops);
	return chosen(BACKEND_BY_DEFAULT, &nft_backend_ops);
}

enum backend_reason backend_choice(const char **what)
{
	*what = detail;
	return reason;
}

const char *backend_choice_text(char *buf, size_t size)
{
	switch (reason) {
	case BACKEND_BY_OPTION:
		return "--backend";
	case BACKEND_BY_NAME:
		return "the name markctl runs as";
	case BACKEND_BY_ENV:
		snprintf(buf, size, "MARKCTL_BACKEND=%s", detail);
		return buf;
	case BACKEND_BY_HOST: {
		char real[PATH_MAX];

		snprintf(buf, size, "the host's iptables (%s)",
			 realpath(detail, real) ? real : detail);
		return buf;
	}
	case BACKEND_BY_RULES:
		return "the tables of this network namespace";
	case BACKEND_BY_DEFAULT:
		break;
	}
	return "default";
}
