/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One parsed command line into the backend, once per address pair. */
#ifndef MARKCTL_QUEUE_H
#define MARKCTL_QUEUE_H

#include <stdbool.h>

#include "parse.h"
#include "rule.h"

/* Queues one command; reports a refusal its own way (iptables exits,
 * iptables-restore remembers it for COMMIT). */
typedef void (*queue_fn)(const struct rule_cmd *cmd, void *data);

/* How -v shows the rules of rule commands. */
enum queue_echo {
	QUEUE_QUIET,
	/* iptables-nft: -A before queueing it, the other rule commands once
	 * their rule or position is found */
	QUEUE_ECHO_FOUND,
	/* iptables-legacy: each before its libiptc call */
	QUEUE_ECHO_FIRST,
};

/**
 * queue_pairs - carry out @cmd for each (source, destination) pair
 * @cmd: the command, with the first pair's rule
 * @pairs: rules of the further pairs (-s a,b), as parse_argv_pairs gives
 * @echo: whether and when -v shows each rule
 * @queue: queues one command
 */
void queue_pairs(const struct rule_cmd *cmd, const struct rule_pairs *pairs,
		 enum queue_echo echo, queue_fn queue, void *data);

#endif
