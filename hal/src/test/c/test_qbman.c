/* SPDX-License-Identifier: Apache-2.0 */
/* The portal rings at the memory level: every entry's layout against the Linux definitions
 * (include/soc/fsl/qman.h, drivers/soc/fsl/qbman/qman.c, bman.c), and the ring protocol of qb_ring.c
 * (valid bit, wrap-around, full and empty rings, a consumer that lags), built into this test. */
#include <endian.h>
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "layerstore/hal.h"
#include "qb_ring.h"
#include "qm_fqd.h"

void test_qbman_layouts(void)
{
	/* struct qm_eqcr_entry: _ncw_verb, dca, seqnum, orp, fqid, tag, fd, 32 reserved */
	CHECK_EQ(sizeof(struct lsh_qm_eqcr_entry), 64);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, dca), 1);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, seqnum), 2);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, orp), 4);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, fqid), 8);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, tag), 12);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, fd), 16);
	CHECK_EQ(offsetof(struct lsh_qm_eqcr_entry, reserved), 32);
	/* struct qm_dqrr_entry: verb, stat, seqnum, tok, 3 reserved, fqid, context_b, fd, 32 reserved */
	CHECK_EQ(sizeof(struct lsh_qm_dqrr_entry), 64);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, stat), 1);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, seqnum), 2);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, tok), 4);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, fqid), 8);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, context_b), 12);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, fd), 16);
	CHECK_EQ(offsetof(struct lsh_qm_dqrr_entry, reserved4), 32);
	/* union qm_mr_entry, ern: verb, dca, seqnum, rc, 3 reserved, fqid, tag, fd, 32 reserved */
	CHECK_EQ(sizeof(struct lsh_qm_mr_entry), 64);
	CHECK_EQ(offsetof(struct lsh_qm_mr_entry, dca), 1);
	CHECK_EQ(offsetof(struct lsh_qm_mr_entry, seqnum), 2);
	CHECK_EQ(offsetof(struct lsh_qm_mr_entry, rc), 4);
	CHECK_EQ(offsetof(struct lsh_qm_mr_entry, fqid), 8);
	CHECK_EQ(offsetof(struct lsh_qm_mr_entry, tag), 12);
	CHECK_EQ(offsetof(struct lsh_qm_mr_entry, fd), 16);
	/* struct qm_fqd (packed): orpc, cgid, fq_ctrl, dest_wq, ics_cred, td, context_b, context_a, oac */
	CHECK_EQ(sizeof(struct lsh_qm_fqd), 24);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, cgid), 1);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, fq_ctrl), 2);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, dest_wq), 4);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, ics_cred), 6);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, td), 8);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, context_b), 10);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, context_a), 14);
	CHECK_EQ(offsetof(struct lsh_qm_fqd, oac_query), 22);
	/* struct bm_rcr_entry: verb and bpid overlay bufs[0]; 8 buffers of 8 bytes */
	CHECK_EQ(sizeof(struct lsh_bm_rcr_entry), 64);
	CHECK_EQ(offsetof(struct lsh_bm_rcr_entry, bpid), 1);
	CHECK_EQ(offsetof(struct lsh_bm_rcr_entry, bufs[7]), 56);
	CHECK_EQ(sizeof(struct lsh_bm_mc_command), 64);
	CHECK_EQ(offsetof(struct lsh_bm_mc_command, bpid), 1);
	CHECK_EQ(sizeof(struct lsh_bm_mc_result), 64);
	CHECK_EQ(offsetof(struct lsh_bm_mc_result, bufs[1]), 8);
	/* Bit positions and values (QM_EQCR_VERB_*, QM_DQRR_*, QM_MR_*, QM_FQCTRL_*, BM_*_VERB_*) */
	CHECK_EQ(LSH_QB_VERB_VBIT, 0x80);
	CHECK_EQ(LSH_QM_EQCR_VERB_CMD_ENQUEUE & LSH_QM_EQCR_VERB_CMD_MASK, 0x01);
	CHECK_EQ(LSH_QM_DQRR_VERB_FRAME_DEQUEUE, 0x60);
	CHECK_EQ(LSH_QM_DQRR_STAT_FQ_EMPTY, 0x80);
	CHECK_EQ(LSH_QM_DQRR_STAT_FD_VALID, 0x10);
	CHECK_EQ(LSH_QM_MR_VERB_DC_ERN & LSH_QM_MR_VERB_TYPE_MASK, 0x20);
	CHECK_EQ(LSH_QM_MR_VERB_FQRN, 0x21);
	CHECK_EQ(LSH_MR_RC_FQ_TAILDROP & LSH_MR_RC_MASK, 0x50);
	CHECK_EQ(LSH_MR_RC_CGR_TAILDROP, 0x00);
	CHECK_EQ(LSH_QM_FQCTRL_TDE, 0x0200);
	CHECK_EQ(LSH_QM_FQCTRL_CGE, 0x0400);
	CHECK_EQ(LSH_QM_PIRQ_CSCI, 0x00100000);
	/* context_a: what dpaa_eth writes on a TX FQ with its own confirmation FQ (OVOM, A2V, A0V, B0V, EBD) */
	CHECK_EQ(LSH_QM_CTXA_OVOM | LSH_QM_CTXA_A2V | LSH_QM_CTXA_A0V | LSH_QM_CTXA_B0V | LSH_QM_CTXA_A2_EBD,
		 0x1e00000080000000ull);
	CHECK_EQ(LSH_QM_CTXA_OVFQ, 0x8000000000000000ull);
	CHECK_EQ(LSH_BM_RCR_VERB_CMD_BPID_SINGLE, 0x20);
	CHECK_EQ(LSH_BM_MCC_VERB_CMD_ACQUIRE, 0x10);
	/* Register and ring offsets (QM_REG_*_CINH, QM_CL_*; BM_REG_* for arm64) */
	CHECK_EQ(LSH_QM_REG_DQRR_PI, 0x40);
	CHECK_EQ(LSH_QM_REG_MR_CI, 0x84);
	CHECK_EQ(LSH_QM_REG_ISR, 0xE00);
	CHECK_EQ(LSH_QM_CL_DQRR, 0x1000);
	CHECK_EQ(LSH_QM_CL_MR, 0x2000);
	CHECK_EQ(LSH_BM_REG_RCR_CI, 0x3100);
	CHECK_EQ(LSH_BM_CL_RCR, 0x1000);
}

static void test_fqd_fields_are_big_endian_where_linux_puts_them(void)
{
	struct lsh_qm_fqd fqd;
	const uint8_t *b = (const uint8_t *)&fqd;

	qm_fqd_init(&fqd, 0x123, 0xA1B2C3D4, 1024);
	CHECK_EQ(b[4], 0x09); /* channel 0x123 << 3 = 0x0918 */
	CHECK_EQ(b[5], 0x18);
	CHECK_EQ(b[10], 0xA1);
	CHECK_EQ(b[13], 0xD4);
	CHECK_EQ(b[2], 0x02); /* TDE */
	CHECK_EQ(qm_fqd_channel(&fqd), 0x123);
	CHECK_EQ(qm_fqd_context_b(&fqd), 0xA1B2C3D4);
	CHECK_EQ(qm_fqd_taildrop(&fqd), 1024); /* mantissa 0x80, exponent 3 */
	CHECK_EQ(b[8], 0x10);
	CHECK_EQ(b[9], 0x03);
	qm_fqd_init(&fqd, 0, 0, 1001); /* not representable: rounded up */
	CHECK(qm_fqd_taildrop(&fqd) >= 1001 && qm_fqd_taildrop(&fqd) <= 1008);
	qm_fqd_init(&fqd, 0, 0, 0);
	CHECK_EQ(qm_fqd_taildrop(&fqd), 0);
	CHECK_EQ(qm_fqd_cgr(&fqd), -1);
	qm_fqd_set_cgr(&fqd, 0x2A);
	CHECK_EQ(b[1], 0x2A);
	CHECK_EQ(b[2], 0x04); /* CGE */
	CHECK_EQ(qm_fqd_cgr(&fqd), 0x2A);
	qm_fqd_set_context_a(&fqd, 0x1e00000080000000ull);
	CHECK_EQ(b[14], 0x1e);
	CHECK_EQ(b[18], 0x80);
	CHECK_EQ(b[21], 0x00);
	CHECK_EQ(qm_fqd_context_a(&fqd), 0x1e00000080000000ull);
	/* cs_thres as Linux qm_cgr_cs_thres_set64 rounds it up: 0x06000000 bytes (a 1G egress CGR) is exact */
	CHECK_EQ(qm_thres_decode(qm_thres_encode(0x06000000)), 0x06000000);
	CHECK(qm_thres_decode(qm_thres_encode(1001)) >= 1001);
	CHECK_EQ(qm_thres_decode(qm_thres_encode(150)), 150);
}

/* Produces one EQCR-style entry with `tag`; returns 0 when the ring was full. */
static int produce(struct qb_ring *p, uint32_t consumer_index, uint32_t tag)
{
	struct lsh_qm_eqcr_entry *e = qb_produce_start(p, consumer_index);

	if (!e)
		return 0;
	e->tag = htobe32(tag);
	qb_produce_commit(p, e, LSH_QM_EQCR_VERB_CMD_ENQUEUE);
	return 1;
}

/* Consumes one entry; returns its tag, or -1 when the ring holds none for this pass. *verb: its verb. */
static long consume(struct qb_ring *c, uint8_t *verb)
{
	const struct lsh_qm_eqcr_entry *e = qb_consume_current(c);

	if (!e)
		return -1;
	*verb = e->verb;
	long tag = be32toh(e->tag);

	qb_consume_next(c);
	return tag;
}

void test_qbman_rings(void)
{
	static struct qm_portal_area area;
	uint8_t verb = 0;

	test_fqd_fields_are_big_endian_where_linux_puts_them();
	qm_portal_area_reset(&area);
	/* Out of reset: indices at SIZE in big-endian words, both sides at the same index, nothing valid. */
	CHECK_EQ(((const uint8_t *)&area.ci[LSH_QM_REG_EQCR_CI / 4])[3], LSH_QM_EQCR_SIZE);
	CHECK_EQ(qm_reg_in(&area, LSH_QM_REG_DQRR_PI), LSH_QM_DQRR_SIZE);
	struct qb_ring p = qm_ring(&area, LSH_QM_CL_EQCR, LSH_QM_EQCR_SIZE);
	struct qb_ring c = qm_ring(&area, LSH_QM_CL_EQCR, LSH_QM_EQCR_SIZE);

	CHECK_EQ(consume(&c, &verb), -1); /* empty */

	/* Full: SIZE - 1 entries, then the producer waits for the consumer. */
	for (uint32_t i = 0; i < LSH_QM_EQCR_SIZE - 1; i++)
		CHECK_EQ(produce(&p, c.index, i), 1);
	CHECK_EQ(produce(&p, c.index, 99), 0);

	/* A started entry is invisible until committed: its verb keeps last pass's valid bit. */
	struct qb_ring q = qm_ring(&area, LSH_QM_CL_DQRR, LSH_QM_DQRR_SIZE);
	struct qb_ring qc = qm_ring(&area, LSH_QM_CL_DQRR, LSH_QM_DQRR_SIZE);
	void *half = qb_produce_start(&q, qc.index);

	CHECK(half != NULL);
	CHECK(qb_consume_current(&qc) == NULL);
	qb_produce_commit(&q, half, LSH_QM_DQRR_VERB_FRAME_DEQUEUE);
	CHECK(qb_consume_current(&qc) == half);
	CHECK_EQ(((const uint8_t *)half)[0], LSH_QB_VERB_VBIT | LSH_QM_DQRR_VERB_FRAME_DEQUEUE);

	/* A consumer that lags: it takes 3, the producer gets exactly 3 slots back. */
	for (long i = 0; i < 3; i++) {
		CHECK_EQ(consume(&c, &verb), i);
		CHECK_EQ(verb, LSH_QB_VERB_VBIT | LSH_QM_EQCR_VERB_CMD_ENQUEUE); /* first pass: valid bit 1 */
	}
	for (uint32_t i = 7; i < 10; i++)
		CHECK_EQ(produce(&p, c.index, i), 1);
	CHECK_EQ(produce(&p, c.index, 99), 0);

	/* Wrap-around: entries 8 and 9 went to positions 0 and 1 with the valid bit cleared; the consumer
	 * takes the rest in order and sees the bit flip at the wrap, then finds the ring empty although
	 * positions 2.. still hold last pass's entries. */
	for (long i = 3; i < 10; i++) {
		CHECK_EQ(consume(&c, &verb), i);
		CHECK_EQ(verb & LSH_QB_VERB_VBIT, i < LSH_QM_EQCR_SIZE ? LSH_QB_VERB_VBIT : 0);
	}
	CHECK_EQ(consume(&c, &verb), -1);
	CHECK_EQ(qb_fill(&c, p.index, c.index), 0);

	/* Many passes: order and count hold whatever the lag. */
	long next = 10, expect = 10;

	for (int round = 0; round < 100; round++) {
		for (int k = 0; k < round % LSH_QM_EQCR_SIZE && produce(&p, c.index, (uint32_t)next); k++)
			next++;
		for (int k = 0; k < (round * 3) % LSH_QM_EQCR_SIZE; k++) {
			long tag = consume(&c, &verb);

			if (tag < 0)
				break;
			CHECK_EQ(tag, expect++);
		}
	}
	while (consume(&c, &verb) >= 0)
		expect++;
	CHECK_EQ(expect, next);
	CHECK(next > 100);
}
