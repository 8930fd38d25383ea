/* SPDX-License-Identifier: Apache-2.0 */
/* The one C codec of the DPAA1 raw formats (dpaa.h): big-endian fields <-> host-order values. */
#include <endian.h>
#include <errno.h>
#include <stddef.h>

#include "layerstore/hal.h"

_Static_assert(sizeof(struct lsh_qm_fd) == 16, "qm_fd is 16 bytes");
_Static_assert(offsetof(struct lsh_qm_fd, bpid) == 1, "qm_fd BPID at byte 1");
_Static_assert(offsetof(struct lsh_qm_fd, addr_hi) == 3, "qm_fd addr[39:32] at byte 3");
_Static_assert(offsetof(struct lsh_qm_fd, addr_lo) == 4, "qm_fd addr[31:0] at byte 4");
_Static_assert(offsetof(struct lsh_qm_fd, cfg) == 8, "qm_fd cfg at byte 8");
_Static_assert(offsetof(struct lsh_qm_fd, cmd) == 12, "qm_fd cmd/status at byte 12");
_Static_assert(sizeof(struct lsh_qm_sg_entry) == 16, "qm_sg_entry is 16 bytes");
_Static_assert(offsetof(struct lsh_qm_sg_entry, addr_hi) == 3, "sg addr[39:32] at byte 3");
_Static_assert(offsetof(struct lsh_qm_sg_entry, addr_lo) == 4, "sg addr[31:0] at byte 4");
_Static_assert(offsetof(struct lsh_qm_sg_entry, cfg) == 8, "sg E/F/length at byte 8");
_Static_assert(offsetof(struct lsh_qm_sg_entry, bpid) == 13, "sg BPID at byte 13");
_Static_assert(offsetof(struct lsh_qm_sg_entry, offset) == 14, "sg offset at byte 14");
_Static_assert(sizeof(struct lsh_bm_buffer) == 8, "bm_buffer is 8 bytes");
_Static_assert(offsetof(struct lsh_bm_buffer, addr_hi) == 2, "bm addr[47:32] at byte 2");
_Static_assert(offsetof(struct lsh_bm_buffer, addr_lo) == 4, "bm addr[31:0] at byte 4");
_Static_assert(sizeof(struct lsh_fd_fields) == 32 && sizeof(struct lsh_sg_fields) == 24 &&
	       sizeof(struct lsh_bm_fields) == 16, "host-order views have no implicit padding");
_Static_assert(sizeof(struct lsh_prs_result) == 32, "fman_prs_result is 32 bytes");
_Static_assert(offsetof(struct lsh_prs_result, l3r) == 4, "prs l3r at byte 4");
_Static_assert(offsetof(struct lsh_prs_result, l4r) == 6, "prs l4r at byte 6");
_Static_assert(offsetof(struct lsh_prs_result, ip_off) == 27, "prs ip_off at byte 27");
_Static_assert(offsetof(struct lsh_prs_result, l4_off) == 30, "prs l4_off at byte 30");
_Static_assert(LSH_TX_PARSE_RESULT_OFFSET + sizeof(struct lsh_prs_result) <= LSH_TX_HEADROOM,
	       "parse results fit the TX headroom");

static int is_big(uint32_t format)
{
	return format == LSH_FD_FORMAT_CONTIG_BIG || format == LSH_FD_FORMAT_SG_BIG ||
	       format == LSH_FD_FORMAT_COMPOUND;
}

void lsh_fd_decode(const struct lsh_qm_fd *fd, struct lsh_fd_fields *f)
{
	uint32_t cfg = be32toh(fd->cfg);

	f->addr = (uint64_t)fd->addr_hi << 32 | be32toh(fd->addr_lo);
	f->format = cfg & LSH_FD_FORMAT_MASK;
	if (is_big(f->format)) {
		f->offset = 0;
		f->length = cfg & LSH_FD_LENGTH_BIG_MASK;
	} else {
		f->offset = (cfg & LSH_FD_OFFSET_MASK) >> LSH_FD_OFFSET_SHIFT;
		f->length = cfg & LSH_FD_LENGTH_MASK;
	}
	f->cmd = be32toh(fd->cmd);
	f->dd = (fd->dd_pid & LSH_FD_DD_MASK) >> LSH_FD_DD_SHIFT;
	f->pid = fd->dd_pid & LSH_FD_PID_MASK;
	f->bpid = fd->bpid;
	f->eliodn = (fd->eliodn & LSH_FD_ELIODN_MASK) >> LSH_FD_ELIODN_SHIFT;
	for (unsigned i = 0; i < sizeof(f->reserved); i++)
		f->reserved[i] = 0;
}

int32_t lsh_fd_encode(const struct lsh_fd_fields *f, struct lsh_qm_fd *fd)
{
	uint32_t cfg;

	if (f->addr > LSH_ADDR_MASK || (f->format & ~LSH_FD_FORMAT_MASK) || f->dd > 3 || f->pid > LSH_FD_PID_MASK ||
	    f->eliodn > 0xF)
		return -EINVAL;
	if (is_big(f->format)) {
		if (f->offset != 0 || f->length > LSH_FD_LENGTH_BIG_MASK)
			return -EINVAL;
		cfg = f->format | f->length;
	} else {
		if (f->offset > LSH_FD_OFFSET_MAX || f->length > LSH_FD_LENGTH_MASK)
			return -EINVAL;
		cfg = f->format | f->offset << LSH_FD_OFFSET_SHIFT | f->length;
	}
	fd->dd_pid = (uint8_t)(f->dd << LSH_FD_DD_SHIFT | f->pid);
	fd->bpid = f->bpid;
	fd->eliodn = (uint8_t)(f->eliodn << LSH_FD_ELIODN_SHIFT);
	fd->addr_hi = (uint8_t)(f->addr >> 32);
	fd->addr_lo = htobe32((uint32_t)f->addr);
	fd->cfg = htobe32(cfg);
	fd->cmd = htobe32(f->cmd);
	return 0;
}

void lsh_sg_decode(const struct lsh_qm_sg_entry *sg, struct lsh_sg_fields *f)
{
	uint32_t cfg = be32toh(sg->cfg);

	f->addr = (uint64_t)sg->addr_hi << 32 | be32toh(sg->addr_lo);
	f->length = cfg & LSH_SG_LENGTH_MASK;
	f->extension = (cfg & LSH_SG_EXT) != 0;
	f->final = (cfg & LSH_SG_FIN) != 0;
	f->offset = be16toh(sg->offset) & LSH_SG_OFFSET_MASK;
	f->bpid = sg->bpid;
	for (unsigned i = 0; i < sizeof(f->reserved); i++)
		f->reserved[i] = 0;
}

int32_t lsh_sg_encode(const struct lsh_sg_fields *f, struct lsh_qm_sg_entry *sg)
{
	if (f->addr > LSH_ADDR_MASK || f->length > LSH_SG_LENGTH_MASK || f->offset > LSH_SG_OFFSET_MASK ||
	    f->extension > 1 || f->final > 1)
		return -EINVAL;
	sg->reserved1[0] = sg->reserved1[1] = sg->reserved1[2] = 0;
	sg->addr_hi = (uint8_t)(f->addr >> 32);
	sg->addr_lo = htobe32((uint32_t)f->addr);
	sg->cfg = htobe32((f->extension ? LSH_SG_EXT : 0) | (f->final ? LSH_SG_FIN : 0) | f->length);
	sg->reserved2 = 0;
	sg->bpid = f->bpid;
	sg->offset = htobe16(f->offset);
	return 0;
}

void lsh_bm_decode(const struct lsh_bm_buffer *b, struct lsh_bm_fields *f)
{
	f->addr = (uint64_t)be16toh(b->addr_hi) << 32 | be32toh(b->addr_lo);
	f->bpid = (uint8_t)(be16toh(b->bpid) & LSH_BM_BPID_MASK);
	for (unsigned i = 0; i < sizeof(f->reserved); i++)
		f->reserved[i] = 0;
}

int32_t lsh_bm_encode(const struct lsh_bm_fields *f, struct lsh_bm_buffer *b)
{
	if (f->addr > LSH_BM_ADDR_MASK || f->bpid >= LSH_BM_POOL_MAX)
		return -EINVAL;
	b->bpid = htobe16(f->bpid);
	b->addr_hi = htobe16((uint16_t)(f->addr >> 32));
	b->addr_lo = htobe32((uint32_t)f->addr);
	return 0;
}

#define SIZE(s) { #s ".size", sizeof(struct s) }
#define FIELD(s, f) { #s "." #f, offsetof(struct s, f) }

static const struct lsh_layout_fact FACTS[] = {
	SIZE(lsh_qm_fd), FIELD(lsh_qm_fd, dd_pid), FIELD(lsh_qm_fd, bpid), FIELD(lsh_qm_fd, eliodn),
	FIELD(lsh_qm_fd, addr_hi), FIELD(lsh_qm_fd, addr_lo), FIELD(lsh_qm_fd, cfg), FIELD(lsh_qm_fd, cmd),
	SIZE(lsh_qm_sg_entry), FIELD(lsh_qm_sg_entry, reserved1), FIELD(lsh_qm_sg_entry, addr_hi),
	FIELD(lsh_qm_sg_entry, addr_lo), FIELD(lsh_qm_sg_entry, cfg), FIELD(lsh_qm_sg_entry, reserved2),
	FIELD(lsh_qm_sg_entry, bpid), FIELD(lsh_qm_sg_entry, offset),
	SIZE(lsh_bm_buffer), FIELD(lsh_bm_buffer, bpid), FIELD(lsh_bm_buffer, addr_hi), FIELD(lsh_bm_buffer, addr_lo),
	SIZE(lsh_prs_result), FIELD(lsh_prs_result, l3r), FIELD(lsh_prs_result, l4r), FIELD(lsh_prs_result, ip_off),
	FIELD(lsh_prs_result, l4_off),
	SIZE(lsh_fd_fields), FIELD(lsh_fd_fields, addr), FIELD(lsh_fd_fields, format), FIELD(lsh_fd_fields, offset),
	FIELD(lsh_fd_fields, length), FIELD(lsh_fd_fields, cmd), FIELD(lsh_fd_fields, dd), FIELD(lsh_fd_fields, pid),
	FIELD(lsh_fd_fields, bpid), FIELD(lsh_fd_fields, eliodn),
	SIZE(lsh_sg_fields), FIELD(lsh_sg_fields, addr), FIELD(lsh_sg_fields, length), FIELD(lsh_sg_fields, offset),
	FIELD(lsh_sg_fields, extension), FIELD(lsh_sg_fields, final), FIELD(lsh_sg_fields, bpid),
	SIZE(lsh_bm_fields), FIELD(lsh_bm_fields, addr), FIELD(lsh_bm_fields, bpid),
	SIZE(lsh_fm_config), FIELD(lsh_fm_config, max_frame_size), FIELD(lsh_fm_config, ring_depth),
	FIELD(lsh_fm_config, dequeue_depth), FIELD(lsh_fm_config, a050385), FIELD(lsh_fm_config, port_count),
	FIELD(lsh_fm_config, ports),
	SIZE(lsh_fq_params), FIELD(lsh_fq_params, kind), FIELD(lsh_fq_params, port), FIELD(lsh_fq_params, confirm_fqid),
	FIELD(lsh_fq_params, context_b), FIELD(lsh_fq_params, taildrop), FIELD(lsh_fq_params, cgr),
	FIELD(lsh_fq_params, context_a),
	SIZE(lsh_cgr_params), FIELD(lsh_cgr_params, threshold), FIELD(lsh_cgr_params, taildrop),
	FIELD(lsh_cgr_params, notify),
	SIZE(lsh_cgr_state), FIELD(lsh_cgr_state, cgid), FIELD(lsh_cgr_state, congested), FIELD(lsh_cgr_state, bytes),
	SIZE(lsh_tx_target), FIELD(lsh_tx_target, pcap_fd), FIELD(lsh_tx_target, socket_fd), FIELD(lsh_tx_target, flags),
	FIELD(lsh_tx_target, interface),
	SIZE(lsh_rx_port), FIELD(lsh_rx_port, rx_fqid), FIELD(lsh_rx_port, bpid), FIELD(lsh_rx_port, buffer_size),
	FIELD(lsh_rx_port, data_offset),
	SIZE(lsh_qm_eqcr_entry), FIELD(lsh_qm_eqcr_entry, verb), FIELD(lsh_qm_eqcr_entry, seqnum),
	FIELD(lsh_qm_eqcr_entry, orp), FIELD(lsh_qm_eqcr_entry, fqid), FIELD(lsh_qm_eqcr_entry, tag),
	FIELD(lsh_qm_eqcr_entry, fd),
	SIZE(lsh_qm_dqrr_entry), FIELD(lsh_qm_dqrr_entry, verb), FIELD(lsh_qm_dqrr_entry, stat),
	FIELD(lsh_qm_dqrr_entry, seqnum), FIELD(lsh_qm_dqrr_entry, tok), FIELD(lsh_qm_dqrr_entry, fqid),
	FIELD(lsh_qm_dqrr_entry, context_b), FIELD(lsh_qm_dqrr_entry, fd),
	SIZE(lsh_qm_mr_entry), FIELD(lsh_qm_mr_entry, verb), FIELD(lsh_qm_mr_entry, rc), FIELD(lsh_qm_mr_entry, fqid),
	FIELD(lsh_qm_mr_entry, tag), FIELD(lsh_qm_mr_entry, fd),
	SIZE(lsh_fm_counters), FIELD(lsh_fm_counters, frames), FIELD(lsh_fm_counters, wire_drops),
	FIELD(lsh_fm_counters, rx_frames), FIELD(lsh_fm_counters, rx_queue_full), FIELD(lsh_fm_counters, cgr_changes),
	SIZE(lsh_layout_fact), FIELD(lsh_layout_fact, value),
};

int32_t lsh_layout_facts(const struct lsh_layout_fact **facts)
{
	*facts = FACTS;
	return (int32_t)(sizeof(FACTS) / sizeof(FACTS[0]));
}
