/* SPDX-License-Identifier: GPL-2.0-or-later */
/* markctl audit's report, as JSON (jansson) and as text. */
#ifndef MARKCTL_AUDIT_REPORT_H
#define MARKCTL_AUDIT_REPORT_H

#include <jansson.h>

#include "audit.h"
#include "audit-findings.h"

/* The whole report (schema in man 8 markctl-audit); NULL on ENOMEM. */
json_t *audit_report(const struct audit *a, const struct audit_findings *f);
/* The same report for people: owners in a table, then findings. */
void audit_report_text(const json_t *report);

#endif
