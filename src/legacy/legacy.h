/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to the legacy x_tables backend (src/legacy/), in layers, each
 * file using only those above it in this header:
 *
 *   legacy-lock.c   the xtables lock, as iptables-legacy 1.8.9 takes it
 *   legacy-sock.c   one family's get/setsockopt interface: GET_INFO,
 *                   GET_ENTRIES, SET_REPLACE, SET_ADD_COUNTERS, revisions
 *   legacy-blob.c   a table blob as the kernel returns it: walk, check,
 *                   index of chains and rules
 *   legacy-entry.c  rule model <-> ipt_entry / ip6t_entry bytes
 *   legacy-edit.c   a table being changed: chains as pieces of the old
 *                   blob and new entries
 *   legacy-cmd.c    one command of rule.h applied to a table
 *   legacy-write.c  the changed table laid out, spliced in place or
 *                   copied, and its counters mapped
 *   legacy.c        backend_ops: transaction, commit, rollback, listing
 *
 * Why not libip4tc/libip6tc: libiptc turns every entry of the table into
 * a heap object to change one rule (that is most of iptables-legacy's time
 * and memory at 100k rules), has no IPv4/IPv6-neutral interface (two
 * copies of every call), and is not a stable public interface (netfilter
 * FAQ 4.5).  The sockopt interface it wraps is kernel UAPI; this backend
 * reproduces libiptc's observable behaviour on it (layout, counters,
 * errors) and splices the blob instead.
 */
#ifndef MARKCTL_LEGACY_H
#define MARKCTL_LEGACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* first: xtables.h includes the libc network headers before linux/ ones */
#include "backend.h"

#include <linux/netfilter/x_tables.h>

/* ---- legacy-lock.c ---- */

/* Default lock file; XTABLES_LOCKFILE overrides it. */
#define LG_LOCK_PATH "/run/xtables.lock"

struct lg_lock {
	int fd;			/* -1: not held */
	char path[256];		/* the file it was (or would be) taken on */
};

/*
 * Takes the lock as iptables-legacy 1.8.9: open(O_RDONLY|O_CREAT, 0600),
 * blocking flock(LOCK_EX), bounded by alarm(@wait) unless @wait is -1
 * (0: no alarm, waits forever).  Returns 0; or -1 with errno ENOLCK (the
 * file cannot be opened; *@err its errno) or EAGAIN (not taken within
 * @wait seconds).
 */
int lg_lock_take(struct lg_lock *l, int wait, int *err);
void lg_lock_release(struct lg_lock *l);

/* ---- legacy-sock.c ---- */

/* What differs between IPv4 and IPv6, besides the structs themselves. */
struct lg_family {
	uint8_t nfproto;
	int af, level;
	int so_rev_match, so_rev_target;
	size_t entry_size;		/* sizeof(struct ipt_entry) ... */
	size_t off_ip_flags;		/* ipt_ip.flags / ip6t_ip6.flags */
	size_t off_target;		/* target_offset, next_offset follow */
	size_t off_comefrom;
	size_t off_counters;
	uint8_t goto_flag;		/* IPT_F_GOTO / IP6T_F_GOTO */
	const char *names_path;		/* /proc/net/ip(6)_tables_names */
	const char *prog;		/* "iptables" / "ip6tables" */
};

const struct lg_family *lg_family_get(uint8_t nfproto);

/* Room before the entries of a blob buffer: SET_REPLACE's header, which
 * GET_ENTRIES' shorter one is read into the end of. */
#define LG_HDR_ROOM	sizeof(struct ipt_replace)

/* A table as GET_INFO describes it. */
struct lg_info {
	char name[XT_TABLE_MAXNAMELEN];
	uint32_t valid_hooks;
	uint32_t hook_entry[NF_INET_NUMHOOKS];
	uint32_t underflow[NF_INET_NUMHOOKS];
	uint32_t num_entries;
	uint32_t size;
};

struct lg_sock {
	const struct lg_family *fam;
	int fd;				/* -1 until first use */
};

/* 0 or -1 + errno (ENOENT: no such table, EINVAL: name too long). */
int lg_get_info(struct lg_sock *s, const char *table, struct lg_info *info);
/* The entries (info->size bytes) into @buf + LG_HDR_ROOM; EAGAIN when the
 * table changed since GET_INFO. */
int lg_get_entries(struct lg_sock *s, const struct lg_info *info,
		   uint8_t *buf);
/*
 * SET_REPLACE of @info's table with the @num_entries/@size entries at
 * @buf + LG_HDR_ROOM; @buf's first LG_HDR_ROOM bytes are overwritten.
 * @old_counters (@num_counters slots, the number of entries replaced)
 * receives the replaced entries' final counters; NULL drops them.
 */
int lg_replace(struct lg_sock *s, const struct lg_info *info, uint8_t *buf,
	       uint32_t num_entries, uint32_t size, uint32_t num_counters,
	       struct xt_counters *old_counters);
/* SET_ADD_COUNTERS: @ci is a header followed by @n counters. */
int lg_add_counters(struct lg_sock *s, const char *table,
		    struct xt_counters_info *ci, uint32_t n);
/* 1 if the kernel has extension @name at @rev (@target: 0 match, 1). */
int lg_revision(struct lg_sock *s, const char *name, uint8_t rev,
		int target);
void lg_sock_close(struct lg_sock *s);

/* ---- legacy-blob.c ---- */

/* Entry fields at the family's offsets. */
static inline uint16_t *lg_e_target_offset(const struct lg_family *f,
					   const uint8_t *e)
{
	return (uint16_t *)(e + f->off_target);
}

static inline uint16_t lg_e_next(const struct lg_family *f, const uint8_t *e)
{
	return *(const uint16_t *)(e + f->off_target + 2);
}

static inline struct xt_entry_target *lg_e_target(const struct lg_family *f,
						  const uint8_t *e)
{
	return (struct xt_entry_target *)(e + *lg_e_target_offset(f, e));
}

static inline struct xt_counters *lg_e_counters(const struct lg_family *f,
						const uint8_t *e)
{
	return (struct xt_counters *)(e + f->off_counters);
}

/* The verdict of a standard target, NULL if @e has another target. */
int32_t *lg_e_verdict(const struct lg_family *f, const uint8_t *e);
/* Whether @e is an ERROR entry (chain head or table end). */
bool lg_e_is_error(const struct lg_family *f, const uint8_t *e);

/* mmap()ed buffers: untouched pages cost nothing, growing moves pages. */
uint8_t *lg_map(size_t size);
int lg_remap(uint8_t **p, size_t *size, size_t want);
void lg_unmap(uint8_t *p, size_t size);

/* Entry sizes of the fixed parts of every table. */
size_t lg_standard_entry_size(const struct lg_family *f);
size_t lg_error_entry_size(const struct lg_family *f);

/* Writes an unconditional standard entry (policy, RETURN tail) at @e. */
void lg_put_standard(const struct lg_family *f, uint8_t *e, int32_t verdict);
/* Writes an ERROR entry naming @name (a user chain head, or "ERROR"). */
void lg_put_error(const struct lg_family *f, uint8_t *e, const char *name);

/* A chain as found in a blob. */
struct lg_bchain {
	char name[XT_FUNCTION_MAXNAMELEN];
	int hook;			/* NF_INET_*, -1 for user chains */
	uint32_t head;			/* user: its ERROR entry */
	uint32_t start;			/* first rule (jump target) */
	uint32_t end;			/* policy or RETURN tail */
	uint32_t first_idx;		/* entry index of start */
	uint32_t nrules;
	uint32_t refs;			/* standard jumps to it */
};

/* Index of a blob: chains in blob order (built-ins, then users sorted). */
struct lg_bindex {
	struct lg_bchain *chains;
	unsigned int nchains;
	uint32_t num_entries;
	/* entries whose standard verdict is an offset (jumps, and rules
	 * without a target, to the next entry), ascending: all a splice
	 * has to fix */
	uint32_t *voffs;
	unsigned int nvoffs;
};

/*
 * Walks the blob @e (@info's size and hooks) and indexes its chains.
 * EBADMSG if it is not laid out as iptables lays tables out.
 */
int lg_blob_index(const struct lg_family *f, const struct lg_info *info,
		  const uint8_t *e, struct lg_bindex *ix);
void lg_bindex_release(struct lg_bindex *ix);
/* The chain whose range holds blob offset @off (jump targets). */
const struct lg_bchain *lg_bindex_at(const struct lg_bindex *ix,
				     uint32_t off);
/* Index in @ix->voffs of the first entry at or after @off. */
unsigned int lg_bindex_voff_from(const struct lg_bindex *ix, uint32_t off);
/* The matches of @e fit between its header and its target. */
bool lg_entry_matches_ok(const struct lg_family *f, const uint8_t *e);

/* ---- legacy-entry.c ---- */

/* Verdicts of new entries until they get their offsets. */
#define LG_VERDICT_FALLTHROUGH	INT32_MAX	/* no -j: next entry */
/* Jumps of new entries carry the target chain's id. */

/* Bytes the entry of @r takes. */
size_t lg_entry_size(const struct lg_family *f, const struct rule *r);
/*
 * Writes @r as an entry at @e (lg_entry_size() bytes, zeroed by the
 * caller); a jump's verdict is @jump_id, no -j LG_VERDICT_FALLTHROUGH.
 * @r's counters stay in the entry for ADD_COUNTERS.
 */
void lg_entry_build(const struct lg_family *f, const struct rule *r,
		    int32_t jump_id, uint8_t *e);

/* A rule decoded in place: blobs point into the entry (not owned). */
struct lg_view {
	unsigned int cap;		/* of rule.matches */
	/* the last extensions looked up, by name and revision */
	struct lg_extcache {
		char name[XT_EXTENSION_MAXNAMELEN];
		uint8_t rev;
		bool target;
		void *ext;
	} cache[8];
	unsigned int cache_next;
	/* last: its entry ends in a flexible array */
	struct rule rule;
};

void lg_view_init(struct lg_view *v, uint8_t family);
void lg_view_release(struct lg_view *v);
/*
 * Decodes @e into @v->rule; a jump (verdict >= 0 and not the next entry)
 * is named by @jump_name, the goto flag deciding -g.  The rule stays
 * valid while @e does.  EBADMSG if @e is malformed.
 */
int lg_entry_decode(const struct lg_family *f, const uint8_t *e,
		    const char *jump_name, bool fallthrough,
		    struct lg_view *v);

/* A target as libiptc classes it for -D/-C (target_same()): @value is
 * the verdict of a standard one, the chain id of a jump. */
enum lg_tkind { LG_T_FALLTHROUGH, LG_T_STANDARD, LG_T_JUMP, LG_T_MODULE };
struct lg_tclass {
	enum lg_tkind kind;
	int64_t value;
};

/*
 * The mask iptables 1.8.9 compares -D/-C specs under (make_delete_mask),
 * over the entry of rule @r: its head of @head bytes (the entry's size;
 * ip6tables' -C passes a pointer's), then each match's and the target's
 * header and userspace part.  *@len bytes, malloc()ed.
 */
uint8_t *lg_delete_mask(const struct lg_family *f, const struct rule *r,
			size_t head, size_t *len);
/*
 * -D/-C by rule spec as libiptc compares (is_same, target_same): @spec
 * the entry built from the command's rule, @e a kernel entry, their
 * targets as the caller classed them; data bytes under @mask, indexed by
 * their offset in the entry (0 past @masklen, as the heap past ip6tables'
 * short mask mostly is).
 */
bool lg_entry_same(const struct lg_family *f, const uint8_t *spec,
		   const uint8_t *e, const struct lg_tclass *spec_t,
		   const struct lg_tclass *e_t, const uint8_t *mask,
		   size_t masklen);

/* ---- legacy-edit.c ---- */

/* Where a rule's counters come from at commit, as libiptc maps them. */
enum lg_cmap {
	LG_CM_KEEP,		/* the old entry's, read at the replace */
	LG_CM_ZEROED,		/* what it counted since we read it */
	LG_CM_SET,		/* the entry's own counters field */
	LG_CM_NONE,		/* zero */
};

#define LG_NEW	UINT32_MAX	/* old_idx of entries not in the old blob */

/* Consecutive rules of a chain: entries of the old blob or new ones. */
struct lg_piece {
	const uint8_t *p;
	uint32_t len, n;
	uint32_t old_off;		/* blob offset of p; or LG_NEW */
	uint32_t old_idx;		/* entry index of p; or LG_NEW */
	uint8_t cmap;			/* enum lg_cmap */
	struct lg_chunk *chunk;		/* holding new entries */
};

struct lg_chain {
	char name[XT_FUNCTION_MAXNAMELEN];
	int hook;			/* NF_INET_*, -1 for user chains */
	uint32_t id;			/* index in lg_table.chains */
	bool gone;			/* deleted (-X) */
	const struct lg_bchain *old;	/* as in the old blob, or NULL */
	struct lg_piece *pieces;
	unsigned int npieces, cap;
	uint32_t nrules;
	uint32_t refs;			/* jumps to it */
	/* built-ins: policy verdict and its counters' map */
	int32_t policy;
	uint8_t pol_cmap;
	struct xt_counters pol_ctr;	/* as read, or to set */
	/* set by lg_table_layout() */
	uint32_t new_head, new_start, new_end, new_idx;
	struct lg_chain *hnext;		/* by-name hash chain */
};

/* A table: the old blob as read, and the chains as they are to become. */
struct lg_table {
	const struct lg_family *fam;
	struct lg_info info;		/* as read */
	uint8_t *buf;			/* LG_HDR_ROOM + blob, mmap()ed */
	size_t bufsize;			/* mapped bytes */
	struct lg_bindex ix;
	struct lg_chain **chains;	/* by id; old ones first, blob order */
	unsigned int nchains, cap;
	struct lg_chain **hash;
	unsigned int hsize;
	struct lg_chunk *chunks;	/* new entries */
	uint8_t *arena_last;		/* lg_arena_alloc()'s last, unused */
	bool changed;			/* a replace is due */
	bool keep_old;			/* never splice the old blob in place */
	/* set by lg_table_layout() and lg_table_write() */
	struct lg_chain **order;	/* chains in blob order */
	unsigned int norder;
	uint32_t new_entries, new_size;
	struct lg_info out_info;	/* hooks and sizes of the new blob */
	uint8_t *out;			/* LG_HDR_ROOM + new blob; may be buf */
	size_t outsize;
};

/* Reads @name into @t (GET_INFO, GET_ENTRIES, index), retrying while the
 * table changes between the two. */
int lg_table_read(struct lg_table *t, struct lg_sock *s, const char *name);
/* The same from a blob at hand (@info's size bytes of entries), copied. */
int lg_table_from_blob(struct lg_table *t, const struct lg_family *f,
		       const struct lg_info *info, const uint8_t *entries);
void lg_table_release(struct lg_table *t);

struct lg_chain *lg_chain_find(const struct lg_table *t, const char *name);
/* A new, empty user chain (the caller checked the name is free). */
struct lg_chain *lg_chain_add(struct lg_table *t, const char *name);
void lg_chain_remove(struct lg_table *t, struct lg_chain *c);
int lg_chain_rename(struct lg_table *t, struct lg_chain *c,
		    const char *name);

/* The class of entry @e of piece @p (jumps as chain ids). */
struct lg_tclass lg_entry_class(const struct lg_table *t,
				const struct lg_piece *p, const uint8_t *e);

/* Rule @pos (0-based) of @c: its piece and the entry; E2BIG past the
 * end. */
struct lg_rpos {
	unsigned int piece;
	uint32_t k;			/* entries before it in the piece */
	uint32_t off;			/* its byte offset in the piece */
};
int lg_chain_locate(const struct lg_table *t, const struct lg_chain *c,
		    uint32_t pos, struct lg_rpos *rp);

/* Zeroed room for a new entry of @len bytes, to build in place and hand
 * to lg_chain_insert() next (which then copies nothing). */
uint8_t *lg_arena_alloc(struct lg_table *t, uint32_t len);
/* Copies the @len-byte entry @e (jumps as chain ids) in as rule @pos. */
int lg_chain_insert(struct lg_table *t, struct lg_chain *c, uint32_t pos,
		    const uint8_t *e, uint32_t len);
int lg_chain_delete(struct lg_table *t, struct lg_chain *c, uint32_t pos);
void lg_chain_flush(struct lg_table *t, struct lg_chain *c);
/* @len bytes of chunk @c are no longer referred to; unmapped at none. */
void lg_chunk_put(struct lg_table *t, struct lg_chunk *c, uint32_t len);
/* -Z: rule @pos, or all with @pos LG_NEW (policy too) */
int lg_chain_zero(struct lg_table *t, struct lg_chain *c, uint32_t pos);

/* ---- legacy-cmd.c ---- */

/* The libiptc function a failure happened in: iptc_strerror() words an
 * errno by it (TC_BUILTIN, called along the way, often has the last
 * word). */
enum lg_fn {
	LG_FN_NONE,
	LG_FN_INIT,
	LG_FN_BUILTIN,
	LG_FN_APPEND,
	LG_FN_INSERT,
	LG_FN_REPLACE,
	LG_FN_DELETE_ENTRY,
	LG_FN_DELETE_NUM,
	LG_FN_FLUSH,
	LG_FN_ZERO,
	LG_FN_ZERO_COUNTER,
	LG_FN_CREATE_CHAIN,
	LG_FN_GET_REFERENCES,
	LG_FN_DELETE_CHAIN,
	LG_FN_RENAME,
	LG_FN_SET_POLICY,
	LG_FN_COMMIT,
};

struct lg_err {
	enum lg_fn fn;
	int err;			/* libiptc's errno */
};

/*
 * Applies @cmd to @t as iptables-legacy's libiptc calls for it do: 0, or
 * -1 with errno as backend.h names the failure and @e as libiptc had it.
 */
int lg_cmd_apply(struct lg_table *t, const struct rule_cmd *cmd,
		 struct lg_err *e);
/* Restore without --noflush: chains flushed, user chains deleted. */
int lg_cmd_flush_table(struct lg_table *t);
/* iptc_strerror(): libiptc's words for @err after a call to @fn. */
const char *lg_strerror_fn(enum lg_fn fn, int err);

/* ---- legacy-write.c ---- */

/* Offsets and entry numbers of the table as it is to become: fills
 * @t->order, new_entries, new_size and each chain's new_* fields. */
int lg_table_layout(struct lg_table *t);

/*
 * The counters to add after the replace, as libiptc maps them: @ci's
 * slots get what does not depend on the kernel's answer, @runs (freed by
 * the caller) the stretches that add the replaced entries' counters.
 * After lg_table_layout(), before lg_table_write() (it reads old entries).
 */
struct lg_crun {
	uint32_t new_idx, old_idx, n;
};
int lg_table_counters(const struct lg_table *t, struct xt_counters_info **ci,
		      struct lg_crun **runs, unsigned int *nruns);
/* Adds the replaced entries' counters @old to the runs' slots. */
void lg_counters_apply(struct xt_counters_info *ci, const struct lg_crun *runs,
		       unsigned int nruns, const struct xt_counters *old);

/*
 * Writes the laid out table to @t->out: in place in the read buffer when
 * one stretch of it changes (and !keep_old), else into a new buffer, new
 * entries' chunks freed as they are copied.  The old pieces are invalid
 * afterwards.
 */
int lg_table_write(struct lg_table *t);


#endif
