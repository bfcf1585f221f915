/* SPDX-License-Identifier: GPL-2.0-or-later */
/* markctl audit's findings: where owners of mark bits collide. */
#ifndef MARKCTL_AUDIT_FINDINGS_H
#define MARKCTL_AUDIT_FINDINGS_H

#include "audit.h"

/* Most severe first: the order findings are reported in. */
enum audit_kind {
	AUDIT_WHOLE_WORD,	/* a whole-word write, others use bits */
	AUDIT_UNMASKED_COPY,	/* --save/--restore-mark without a mask, idem */
	AUDIT_READ_OVERLAP,	/* a match on bits another owner writes */
	AUDIT_OVERLAP,		/* two owners write the same bits */
	AUDIT_IPRULE_UNSET,	/* an ip rule on bits no rule sets */
	AUDIT_BOTH_BACKENDS,	/* mark rules in legacy and nf_tables */
	AUDIT_OUTSIDE_LAYOUT,	/* bits written outside the layout's fields */
	AUDIT_KINDS,
};

#define AUDIT_FINDING_OWNERS	8
#define AUDIT_FINDING_RULES	8

struct audit_finding {
	enum audit_kind kind;
	enum audit_word word;
	uint32_t bits;
	const struct audit_owner *owners[AUDIT_FINDING_OWNERS];
	unsigned int nowners;
	struct {
		const struct audit_owner *owner;
		const char *text;	/* an example of the collector's */
	} rules[AUDIT_FINDING_RULES];
	unsigned int nrules;
	char *message;
};

struct audit_findings {
	struct audit_finding *v;
	unsigned int n;
};

/* Fills @f, most severe first; 0, or -1 with errno ENOMEM.  The findings
 * point into @a, which must outlive them. */
int audit_findings(const struct audit *a, struct audit_findings *f);
void audit_findings_release(struct audit_findings *f);

const char *audit_kind_name(enum audit_kind k);
/* "high", "medium", "low" */
const char *audit_kind_severity(enum audit_kind k);

#endif
