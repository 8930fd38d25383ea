/* SPDX-License-Identifier: Apache-2.0 */
/* The portal driver on silicon-mapped portals (qm_portal_hw.c, bm_portal_hw.c, qb_mc.c) against the
 * fake QMan and BMan of fake_silicon.c: register and command layouts against Linux qman.c, bman.c and
 * include/soc/fsl/qman.h; the EQCR filling up and wrapping, a DQRR consumer that lags, the FQ commands
 * and where their fields land, a retirement's FQRN, an error result as an errno, BMan release and
 * acquire. */
#include <endian.h>
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "bm_portal_hw.h"
#include "check.h"
#include "fake_silicon.h"
#include "qm_fqd.h"
#include "qm_portal_hw.h"

#define CHANNEL 3u /* the fake portal's dedicated channel */
#define TIMEOUT_NS 30000000000ull /* the fake answers within microseconds; this only bounds a broken run */

static void test_offsets_are_the_arm_ones_of_linux(void)
{
	/* qman.c under CONFIG_ARM64: QM_REG_*_CINH and QM_CL_* */
	CHECK_EQ(QM_HW_REG_EQCR_PI, 0x3000);
	CHECK_EQ(QM_HW_REG_EQCR_CI, 0x3040);
	CHECK_EQ(QM_HW_REG_EQCR_ITR, 0x3080);
	CHECK_EQ(QM_HW_REG_DQRR_PI, 0x3100);
	CHECK_EQ(QM_HW_REG_DQRR_CI, 0x3140);
	CHECK_EQ(QM_HW_REG_DQRR_ITR, 0x3180);
	CHECK_EQ(QM_HW_REG_DQRR_DCAP, 0x31C0);
	CHECK_EQ(QM_HW_REG_DQRR_SDQCR, 0x3200);
	CHECK_EQ(QM_HW_REG_DQRR_VDQCR, 0x3240);
	CHECK_EQ(QM_HW_REG_DQRR_PDQCR, 0x3280);
	CHECK_EQ(QM_HW_REG_MR_PI, 0x3300);
	CHECK_EQ(QM_HW_REG_MR_CI, 0x3340);
	CHECK_EQ(QM_HW_REG_MR_ITR, 0x3380);
	CHECK_EQ(QM_HW_REG_CFG, 0x3500);
	CHECK_EQ(QM_HW_REG_ISR, 0x3600);
	CHECK_EQ(QM_HW_REG_IER, 0x3640);
	CHECK_EQ(QM_HW_REG_ISDR, 0x3680);
	CHECK_EQ(QM_HW_REG_IIR, 0x36C0);
	CHECK_EQ(QM_HW_CL_EQCR_CI, 0x3040);
	CHECK_EQ(QM_HW_CL_DQRR_CI, 0x3140);
	CHECK_EQ(QM_HW_CL_MR_CI, 0x3340);
	CHECK_EQ(QM_HW_CL_CR, 0x3800);
	CHECK_EQ(QM_HW_CL_RR0, 0x3900);
	CHECK_EQ(QM_HW_CL_RR1, 0x3940);
	/* the PowerPC layout stays the emulated portal's */
	CHECK_EQ(LSH_QM_REG_EQCR_PI, 0x0000);
	CHECK_EQ(LSH_QM_REG_DQRR_CI, 0x0044);
	/* bman.c under CONFIG_ARM64: BM_REG_* and BM_CL_* */
	CHECK_EQ(BM_HW_REG_RCR_PI, 0x3000);
	CHECK_EQ(BM_HW_REG_RCR_CI, 0x3100);
	CHECK_EQ(BM_HW_REG_RCR_ITR, 0x3200);
	CHECK_EQ(BM_HW_REG_CFG, 0x3300);
	CHECK_EQ(BM_HW_REG_ISR, 0x3E00);
	CHECK_EQ(BM_HW_REG_IER, 0x3E40);
	CHECK_EQ(BM_HW_REG_ISDR, 0x3E80);
	CHECK_EQ(BM_HW_REG_IIR, 0x3EC0);
	CHECK_EQ(BM_HW_CL_CR, 0x0000);
	CHECK_EQ(BM_HW_CL_RR0, 0x0100);
	CHECK_EQ(BM_HW_CL_RR1, 0x0140);
	CHECK_EQ(BM_HW_CL_RCR, 0x1000);
	CHECK_EQ(BM_HW_CL_RCR_CI, 0x3100);
	/* struct qm_mcc_initfq, qm_mcc_alterfq, qm_mcc_initcgr (with __qm_mc_cgr at 4) */
	CHECK_EQ(offsetof(struct qm_hw_mcc_initfq, we_mask), 2);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initfq, fqid), 4);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initfq, count), 8);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initfq, fqd), 10);
	CHECK_EQ(offsetof(struct qm_hw_mcc_fq, fqid), 4);
	CHECK_EQ(offsetof(struct qm_hw_mcc_fq, count), 9);
	CHECK_EQ(offsetof(struct qm_hw_mcc_fq, context_b), 20);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, we_mask), 2);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, wr_en_g), 16);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, cscn_en), 19);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, cscn_targ), 20);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, cstd_en), 24);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, cs_thres), 26);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, mode), 28);
	CHECK_EQ(offsetof(struct qm_hw_mcc_initcgr, cgid), 31);
	/* union qm_mc_result: qm_mcr_alterfq.fqs, qm_mcr_queryfq_np.state, byte_cnt, frm_cnt */
	CHECK_EQ(offsetof(struct qm_hw_mcr, result), 1);
	CHECK_EQ(offsetof(struct qm_hw_mcr, fqs), 2);
	CHECK_EQ(offsetof(struct qm_hw_mcr, state), 3);
	CHECK_EQ(offsetof(struct qm_hw_mcr, byte_cnt), 40);
	CHECK_EQ(offsetof(struct qm_hw_mcr, frm_cnt), 44);
	/* union qm_mr_entry's fq form */
	CHECK_EQ(offsetof(struct qm_hw_mr_fq, fqs), 1);
	CHECK_EQ(offsetof(struct qm_hw_mr_fq, fqid), 8);
	CHECK_EQ(offsetof(struct qm_hw_mr_fq, context_b), 12);
	/* verbs, result codes, masks */
	CHECK_EQ(QM_MCC_VERB_INITFQ_SCHED, 0x41);
	CHECK_EQ(QM_MCC_VERB_ALTER_RETIRE, 0x4A);
	CHECK_EQ(QM_MCC_VERB_INITCGR, 0x50);
	CHECK_EQ(QM_MCR_RESULT_PENDING, 0xF8);
	CHECK_EQ(QM_INITFQ_WE_CONTEXTA | QM_INITFQ_WE_OAC, 0x0101);
	CHECK_EQ(QM_SDQCR_POOL(1), 0x4000);
	CHECK_EQ(QM_SDQCR_POOL_CHANNEL(0x401), 0x4000);
}

static struct lsh_qm_fd fd_of(uint32_t n)
{
	return (struct lsh_qm_fd){ .bpid = 7, .addr_lo = htobe32(0x10000000u + n * 0x800), .cfg = htobe32(60 + n) };
}

static void test_init_takes_the_portal_where_its_registers_say(void)
{
	static struct fake_qman q;
	struct qm_hw_portal p;

	fake_qman_reset(&q, CHANNEL, 11); /* EQCR at 19 (position 3, pass bit 0), DQRR at 27, MR at 19 */
	qm_hw_portal_init(&p, q.ce, q.ci, TIMEOUT_NS);
	CHECK_EQ(p.eqcr.ring.index, 3);
	CHECK_EQ(p.eqcr.available, LSH_QM_EQCR_SIZE - 1);
	CHECK_EQ(p.dqrr.index, 27 & 31);
	CHECK_EQ(p.mr.index, 3);
	CHECK_EQ(qm_hw_in(&p, QM_HW_REG_CFG), 0x02F000A0); /* EPM valid bit, MF 15, push, CI consumption, RE|SE */
	CHECK_EQ(qm_hw_in(&p, QM_HW_REG_IER), 0);
	CHECK_EQ(qm_hw_in(&p, QM_HW_REG_DQRR_SDQCR), 0);
	CHECK_EQ(qm_hw_in(&p, QM_HW_REG_DQRR_VDQCR), 0);
	CHECK_EQ(qm_hw_in(&p, QM_HW_REG_DQRR_PDQCR), 0);
	CHECK_EQ(p.mc.rridx, 1); /* both RRs clear: RR1, valid bit 1 first */
	CHECK_EQ(p.mc.vbit, LSH_QB_VERB_VBIT);
	/* registers are big-endian words */
	CHECK_EQ(q.ci[QM_HW_REG_CFG], 0x02);
	CHECK_EQ(q.ci[QM_HW_REG_CFG + 3], 0xA0);
}

static void test_eqcr_fills_wraps_and_flips_its_valid_bit(void)
{
	static struct fake_qman q;
	struct qm_hw_portal p;
	struct lsh_qm_fd fds[10];

	for (uint32_t i = 0; i < 10; i++)
		fds[i] = fd_of(i);
	fake_qman_reset(&q, CHANNEL, 0);
	qm_hw_portal_init(&p, q.ce, q.ci, TIMEOUT_NS);
	q.eqcr_paused = 1;
	/* Full at SIZE - 1: seven taken, then busy */
	CHECK_EQ(qm_hw_enqueue(&p, 0x123456, 0xCAFE, fds, 10), 7);
	CHECK_EQ(qm_hw_enqueue(&p, 0x123456, 0xCAFE, fds, 1), -EBUSY);
	const struct lsh_qm_eqcr_entry *e = (const struct lsh_qm_eqcr_entry *)(q.ce + LSH_QM_CL_EQCR);

	CHECK_EQ(e[0].verb, LSH_QB_VERB_VBIT | LSH_QM_EQCR_VERB_CMD_ENQUEUE);
	CHECK_EQ(((const uint8_t *)&e[2])[8 + 1], 0x12); /* fqid big-endian at byte 8 */
	CHECK_EQ(((const uint8_t *)&e[2])[15], 0xFE);    /* tag at 12 */
	CHECK(memcmp(&e[6].fd, &fds[6], sizeof(fds[6])) == 0);
	CHECK_EQ(e[7].verb & LSH_QB_VERB_VBIT, 0); /* not written: last pass's bit */
	/* QMan takes them: the room comes back from the consumer index's cache-enabled copy */
	q.eqcr_paused = 0;
	fake_qman_step(&q);
	CHECK_EQ(q.eq_count, 7);
	CHECK_EQ(qm_hw_enqueue(&p, 0x123456, 0xBEEF, fds + 7, 3), 3);
	CHECK_EQ(e[7].verb, LSH_QB_VERB_VBIT | LSH_QM_EQCR_VERB_CMD_ENQUEUE); /* last of the first pass */
	CHECK_EQ(e[0].verb, LSH_QM_EQCR_VERB_CMD_ENQUEUE);                    /* wrapped: valid bit 0 */
	CHECK_EQ(e[1].verb, LSH_QM_EQCR_VERB_CMD_ENQUEUE);
	fake_qman_step(&q);
	CHECK_EQ(q.eq_count, 10);
	for (uint32_t i = 0; i < 10; i++)
		CHECK_EQ(be32toh(q.eq_log[i].fd.addr_lo), 0x10000000u + i * 0x800);
	CHECK_EQ(be32toh(q.eq_log[9].tag), 0xBEEF);
	/* Many passes, QMan taking them every third burst: busy only when the ring is full, nothing lost */
	uint32_t sent = 10, busy = 0;

	for (int round = 0; round < 60; round++) {
		uint32_t free_entries = LSH_QM_EQCR_SIZE - 1 - (p.eqcr.ring.index - q.eqcr.index) % (2 * LSH_QM_EQCR_SIZE);
		int32_t n = qm_hw_enqueue(&p, 0x123456, sent, fds, (uint32_t)(round % 4) + 1);

		if (free_entries == 0) {
			CHECK_EQ(n, -EBUSY);
			busy++;
		} else {
			CHECK_EQ(n, (int32_t)((uint32_t)(round % 4) + 1 < free_entries ? (uint32_t)(round % 4) + 1 : free_entries));
			sent += n > 0 ? (uint32_t)n : 0;
		}
		if (round % 3 == 2)
			fake_qman_step(&q);
	}
	fake_qman_step(&q);
	CHECK(busy > 0);
	CHECK(sent > 4 * LSH_QM_EQCR_SIZE);
	CHECK_EQ(q.eq_count, sent);
}

static void init_fq(struct qm_hw_portal *p, uint32_t fqid, uint16_t channel, uint32_t context_b, int schedule)
{
	struct lsh_qm_fqd fqd;

	qm_fqd_init(&fqd, channel, context_b, 0);
	CHECK_EQ(qm_hw_init_fq(p, fqid, schedule, &fqd, QM_INITFQ_WE_DESTWQ | QM_INITFQ_WE_CONTEXTB), 0);
}

static void test_dqrr_with_a_consumer_that_lags(void)
{
	static struct fake_qman q;
	struct fake_runner run;
	struct qm_hw_portal p;
	struct lsh_qm_dqrr_entry got[LSH_QM_DQRR_SIZE];
	struct lsh_qm_fd fd;

	fake_qman_reset(&q, CHANNEL, 5);
	qm_hw_portal_init(&p, q.ce, q.ci, TIMEOUT_NS);
	fake_qman_start(&run, &q);
	init_fq(&p, FAKE_FQID_BASE + 1, CHANNEL, 0xA1B2C3D4, 1);
	fake_stop(&run);
	/* Nothing is dequeued before the static dequeue command names the channel */
	fd = fd_of(0);
	CHECK_EQ(qm_hw_enqueue(&p, FAKE_FQID_BASE + 1, 0, &fd, 1), 1);
	fake_qman_step(&q);
	CHECK_EQ(qm_hw_dequeue(&p, got, LSH_QM_DQRR_SIZE), 0);
	qm_hw_static_dequeue(&p, 0);
	CHECK_EQ(qm_hw_in(&p, QM_HW_REG_DQRR_SDQCR), 0x31000000u | QM_SDQCR_TOKEN << 16 | QM_SDQCR_CHANNELS_DEDICATED);
	fake_qman_step(&q);
	CHECK_EQ(qm_hw_dequeue(&p, got, LSH_QM_DQRR_SIZE), 1);
	CHECK_EQ(be32toh(got[0].fqid), FAKE_FQID_BASE + 1);
	CHECK_EQ(be32toh(got[0].context_b), 0xA1B2C3D4);
	CHECK_EQ(got[0].tok, QM_SDQCR_TOKEN);
	CHECK_EQ(got[0].stat, LSH_QM_DQRR_STAT_FD_VALID | LSH_QM_DQRR_STAT_FQ_EMPTY);
	CHECK_EQ(be32toh(got[0].fd.addr_lo), 0x10000000u);

	/* The consumer takes fewer than QMan delivers; QMan stops at DQRR_MAXFILL and resumes as CI moves.
	 * Order and count hold over many wraps of the 16-entry ring. */
	uint32_t sent = 1, seen = 1, max_fill = 0;

	for (int round = 0; round < 200; round++) {
		for (int k = 0; k < 2 && sent - seen < FAKE_FQ_FRAMES / 2; k++) {
			struct lsh_qm_fd burst[7];
			uint32_t want = (uint32_t)(round * 5 + k) % 7 + 1;

			for (uint32_t i = 0; i < want; i++)
				burst[i] = fd_of(sent + i);
			int32_t n = qm_hw_enqueue(&p, FAKE_FQID_BASE + 1, 0, burst, want);

			if (n > 0)
				sent += (uint32_t)n;
			fake_qman_step(&q);
		}
		uint32_t fill = (q.dqrr.index - p.dqrr.index) & (2 * LSH_QM_DQRR_SIZE - 1);

		max_fill = fill > max_fill ? fill : max_fill;
		uint32_t n = qm_hw_dequeue(&p, got, (uint32_t)round % 5 + 1);

		for (uint32_t i = 0; i < n; i++)
			CHECK_EQ(be32toh(got[i].fd.addr_lo), 0x10000000u + seen++ * 0x800);
	}
	for (int i = 0; i < 100 && seen < sent; i++) {
		fake_qman_step(&q);
		uint32_t n = qm_hw_dequeue(&p, got, LSH_QM_DQRR_SIZE);

		for (uint32_t k = 0; k < n; k++)
			CHECK_EQ(be32toh(got[k].fd.addr_lo), 0x10000000u + seen++ * 0x800);
	}
	CHECK_EQ(seen, sent);
	CHECK(sent > 3 * LSH_QM_DQRR_SIZE);
	CHECK_EQ(max_fill, LSH_QM_DQRR_SIZE - 1); /* the consumer lagged: the ring was full */
}

static void test_fq_commands_and_where_their_fields_land(void)
{
	static struct fake_qman q;
	struct fake_runner run;
	struct qm_hw_portal p;
	struct lsh_qm_fqd fqd;
	struct qm_hw_fq_np np;

	fake_qman_reset(&q, CHANNEL, 0);
	qm_hw_portal_init(&p, q.ce, q.ci, TIMEOUT_NS);
	fake_qman_start(&run, &q);
	/* INITFQ_SCHED of a TX FQ as dpaa_eth sets one: channel, context_a, context_b, CGR, tail drop */
	qm_fqd_init(&fqd, 0x802, 0x00ABCDEF, 1024);
	qm_fqd_set_context_a(&fqd, 0x1e00000080000000ull);
	qm_fqd_set_cgr(&fqd, 0x2A);
	uint16_t we = QM_INITFQ_WE_DESTWQ | QM_INITFQ_WE_CONTEXTA | QM_INITFQ_WE_CONTEXTB | QM_INITFQ_WE_CGID |
		      QM_INITFQ_WE_FQCTRL | QM_INITFQ_WE_TDTHRESH;

	CHECK_EQ(qm_hw_init_fq(&p, FAKE_FQID_BASE + 2, 1, &fqd, we), 0);
	fake_stop(&run);
	const uint8_t *c = q.last_command;

	CHECK_EQ(c[0], LSH_QB_VERB_VBIT | QM_MCC_VERB_INITFQ_SCHED);
	CHECK_EQ(c[2], 0x00);
	CHECK_EQ(c[3], 0x77); /* we_mask big-endian */
	CHECK_EQ(c[6], 0x01);
	CHECK_EQ(c[7], 0x02); /* fqid 0x102 at 4 */
	CHECK_EQ(c[10 + 1], 0x2A); /* cgid */
	CHECK_EQ(c[10 + 2], 0x06); /* fq_ctrl: CGE | TDE */
	CHECK_EQ(c[10 + 4], 0x40); /* dest_wq: channel 0x802 << 3 = 0x4010 */
	CHECK_EQ(c[10 + 5], 0x10);
	CHECK_EQ(c[10 + 8], 0x10); /* td: 1024 = 0x80 << 3 */
	CHECK_EQ(c[10 + 9], 0x03);
	CHECK_EQ(c[10 + 11], 0xAB); /* context_b at 10 of the FQD */
	CHECK_EQ(c[10 + 13], 0xEF);
	CHECK_EQ(c[10 + 14], 0x1e); /* context_a at 14 */
	CHECK_EQ(c[10 + 18], 0x80);
	CHECK_EQ(qm_fqd_channel(&q.fqs[2].fqd), 0x802);
	CHECK_EQ(qm_fqd_cgr(&q.fqs[2].fqd), 0x2A);
	/* what the mask leaves out is not written */
	fake_qman_reset(&q, CHANNEL, 0);
	qm_hw_portal_init(&p, q.ce, q.ci, TIMEOUT_NS);
	fake_qman_start(&run, &q);
	CHECK_EQ(qm_hw_init_fq(&p, FAKE_FQID_BASE + 2, 0, &fqd, QM_INITFQ_WE_CONTEXTB), 0);
	CHECK_EQ(qm_hw_query_fq_np(&p, FAKE_FQID_BASE + 2, &np), 0);
	CHECK_EQ(np.state, QM_MCR_NP_STATE_PARKED);
	fake_stop(&run);
	CHECK_EQ(qm_fqd_context_b(&q.fqs[2].fqd), 0x00ABCDEF);
	CHECK_EQ(qm_fqd_channel(&q.fqs[2].fqd), 0);
	CHECK_EQ(qm_fqd_context_a(&q.fqs[2].fqd), 0);
	/* answers alternate RR1, RR0, ... */
	CHECK_EQ(q.commands, 2);
	CHECK_EQ(q.rr_used[0], 1);
	CHECK_EQ(q.rr_used[1], 0);
	/* a portal taken over after that finds the last answer in RR0: its next command goes to RR1 */
	struct qm_hw_portal again;

	qm_hw_portal_init(&again, q.ce, q.ci, TIMEOUT_NS);
	CHECK_EQ(again.mc.rridx, 1);
	CHECK_EQ(again.mc.vbit, LSH_QB_VERB_VBIT);

	/* CGR: threshold, tail drop and notification where __qm_mc_cgr puts them */
	fake_qman_start(&run, &q);
	CHECK_EQ(qm_hw_init_cgr(&again, 0x2A, 0, 0x06000000, 1, 1), 0);
	CHECK_EQ(qm_hw_init_cgr(&again, 0x2A, 1, 150, 0, 1), 0);
	fake_stop(&run);
	CHECK_EQ(q.last_command[0] & QM_MCC_VERB_MASK, QM_MCC_VERB_MODIFYCGR);
	CHECK_EQ(q.last_command[31], 0x2A);
	CHECK_EQ(qm_thres_decode((uint16_t)(q.cgr_thres[0x2A][0] << 8 | q.cgr_thres[0x2A][1])), 150);
	CHECK_EQ(q.cgr_cstd[0x2A], 0);
	CHECK_EQ(q.cgr_cscn[0x2A], QM_CGR_EN);
}

/* Polls the MR while the fake runs on its thread: the messages, or 0 after TIMEOUT_NS. */
static uint32_t await_messages(struct qm_hw_portal *p, struct lsh_qm_mr_entry *m)
{
	struct timespec start, now;
	uint32_t n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((n = qm_hw_messages(p, m, LSH_QM_MR_SIZE)) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((uint64_t)(now.tv_sec - start.tv_sec) * 1000000000u + (uint64_t)now.tv_nsec - (uint64_t)start.tv_nsec >
		    TIMEOUT_NS)
			break;
		sched_yield();
	}
	return n;
}

static void test_retire_of_a_busy_fq_sends_its_fqrn(void)
{
	static struct fake_qman q;
	struct fake_runner run;
	struct qm_hw_portal p;
	struct lsh_qm_mr_entry m[LSH_QM_MR_SIZE];
	struct qm_hw_fq_np np;
	struct lsh_qm_fd fds[3] = { fd_of(1), fd_of(2), fd_of(3) };
	uint8_t fqs = 0;

	fake_qman_reset(&q, CHANNEL, 6);
	qm_hw_portal_init(&p, q.ce, q.ci, TIMEOUT_NS);
	qm_hw_static_dequeue(&p, 0); /* the pool channel 0x401 is not dequeued: its frames stay queued */
	fake_qman_start(&run, &q);
	init_fq(&p, FAKE_FQID_BASE + 4, 0x401, 0x5EED, 1);
	init_fq(&p, FAKE_FQID_BASE + 5, 0x401, 0, 1);
	CHECK_EQ(qm_hw_enqueue(&p, FAKE_FQID_BASE + 4, 9, fds, 3), 3);
	CHECK_EQ(qm_hw_query_fq_np(&p, FAKE_FQID_BASE + 4, &np), 0); /* the fake took the EQCR before the CR */
	CHECK_EQ(np.state, QM_MCR_NP_STATE_TRU_SCHED);
	CHECK_EQ(np.frames, 3);
	CHECK_EQ(np.bytes, 60 * 3 + 6);
	/* busy: retirement pends and the FQRN says so on the MR */
	CHECK_EQ(qm_hw_retire_fq(&p, FAKE_FQID_BASE + 4, &fqs), 1);
	CHECK_EQ(fqs, QM_MCR_FQS_NOTEMPTY);
	uint32_t n = await_messages(&p, m);

	CHECK_EQ(n, 1);
	const struct qm_hw_mr_fq *f = (const struct qm_hw_mr_fq *)&m[0];

	CHECK_EQ(f->verb & LSH_QM_MR_VERB_TYPE_MASK, LSH_QM_MR_VERB_FQRN);
	CHECK_EQ(be32toh(f->fqid), FAKE_FQID_BASE + 4);
	CHECK_EQ(be32toh(f->context_b), 0x5EED);
	CHECK_EQ(f->fqs, QM_MCR_FQS_NOTEMPTY);
	/* errors as errno numbers: OOS of a non-empty FQ, retiring it again, an FQID QMan has not */
	CHECK_EQ(qm_hw_oos_fq(&p, FAKE_FQID_BASE + 4), -ENOTEMPTY);
	CHECK_EQ(qm_hw_retire_fq(&p, FAKE_FQID_BASE + 4, &fqs), -EBUSY);
	CHECK_EQ(qm_hw_query_fq_np(&p, 0x999, &np), -ERANGE);
	__atomic_store_n(&q.force_result, QM_MCR_RESULT_ERR_BADCHANNEL, __ATOMIC_RELAXED);
	CHECK_EQ(qm_hw_init_cgr(&p, 1, 0, 1000, 1, 0), -ENXIO);
	__atomic_store_n(&q.force_result, QM_MCR_RESULT_ERR_BADCOMMAND, __ATOMIC_RELAXED);
	CHECK_EQ(qm_hw_oos_fq(&p, FAKE_FQID_BASE + 5), -EIO);
	/* an empty FQ retires at once, without a message, and goes out of service; an enqueue to it then
	 * comes back on the MR as a rejection */
	CHECK_EQ(qm_hw_retire_fq(&p, FAKE_FQID_BASE + 5, &fqs), 0);
	CHECK_EQ(qm_hw_oos_fq(&p, FAKE_FQID_BASE + 5), 0);
	CHECK_EQ(qm_hw_query_fq_np(&p, FAKE_FQID_BASE + 5, &np), 0);
	CHECK_EQ(np.state, QM_MCR_NP_STATE_OOS);
	CHECK_EQ(qm_hw_enqueue(&p, FAKE_FQID_BASE + 5, 0x7A6, fds, 1), 1);
	n = await_messages(&p, m);
	fake_stop(&run);
	CHECK_EQ(n, 1);
	CHECK_EQ(m[0].verb & LSH_QM_MR_VERB_TYPE_MASK, LSH_QM_MR_VERB_ERN);
	CHECK_EQ(m[0].rc & LSH_MR_RC_MASK, LSH_MR_RC_ERROR);
	CHECK_EQ(be32toh(m[0].tag), 0x7A6);
	CHECK(memcmp(&m[0].fd, &fds[0], sizeof(fds[0])) == 0);
	CHECK_EQ(q.mr.index, p.mr.index);
}

static void test_a_command_nobody_answers_times_out(void)
{
	static struct fake_qman q;
	struct qm_hw_portal p;
	struct qm_hw_fq_np np;

	fake_qman_reset(&q, CHANNEL, 0);
	qm_hw_portal_init(&p, q.ce, q.ci, 1000000); /* 1 ms: no fake runs */
	CHECK_EQ(qm_hw_query_fq_np(&p, FAKE_FQID_BASE, &np), -ETIMEDOUT);
}

static void test_bman_release_and_acquire(void)
{
	static struct fake_bman b;
	struct fake_runner run;
	struct bm_hw_portal p;
	uint64_t addrs[LSH_BM_BURST_MAX], got[LSH_BM_BURST_MAX];

	for (uint32_t i = 0; i < LSH_BM_BURST_MAX; i++)
		addrs[i] = 0x123400000000ull + i * 0x1000;
	fake_bman_reset(&b, 5);
	bm_hw_portal_init(&p, b.ce, b.ci, TIMEOUT_NS);
	CHECK_EQ(p.rcr.ring.index, 13);
	CHECK_EQ(bm_hw_in(&p, BM_HW_REG_CFG) & 3, BM_HW_CFG_RPM_PVB);
	CHECK_EQ(bm_hw_release(&p, 3, addrs, 0), -EINVAL);
	CHECK_EQ(bm_hw_release(&p, 3, addrs, 9), -EINVAL);
	/* The RCR fills at SIZE - 1 and wraps (position 5 onward: two on the first pass, five after) */
	b.rcr_paused = 1;
	for (int i = 0; i < LSH_BM_RCR_SIZE - 1; i++)
		CHECK_EQ(bm_hw_release(&p, 3, addrs, (uint32_t)i + 1), 0);
	CHECK_EQ(bm_hw_release(&p, 3, addrs, 1), -EBUSY);
	const struct lsh_bm_rcr_entry *e = (const struct lsh_bm_rcr_entry *)(b.ce + BM_HW_CL_RCR);

	CHECK_EQ(e[5].verb, LSH_QB_VERB_VBIT | LSH_BM_RCR_VERB_CMD_BPID_SINGLE | 1);
	CHECK_EQ(e[0].verb, LSH_BM_RCR_VERB_CMD_BPID_SINGLE | 4); /* the fourth, wrapped: valid bit 0 */
	CHECK_EQ(e[0].bpid, 3);
	CHECK_EQ(((const uint8_t *)&e[0])[2], 0x12); /* the first buffer's 48-bit address at byte 2 */
	CHECK_EQ(((const uint8_t *)&e[0])[3], 0x34);
	CHECK_EQ(be32toh(e[0].bufs[2].addr_lo), 0x2000);
	b.rcr_paused = 0;
	fake_bman_step(&b);
	CHECK_EQ(b.releases, 7);
	CHECK_EQ(b.pool_count[3], 28);
	CHECK_EQ(bm_hw_release(&p, 3, addrs, 8), 0);
	fake_bman_step(&b);
	CHECK_EQ(b.pool_count[3], 36);
	/* Acquire: eight at a time, then what is left, then none from an empty pool */
	fake_bman_start(&run, &b);
	CHECK_EQ(bm_hw_acquire(&p, 3, got, 0), -EINVAL);
	CHECK_EQ(bm_hw_acquire(&p, 3, got, 8), 8);
	for (uint32_t i = 0; i < 8; i++)
		CHECK_EQ(got[i], addrs[7 - i]); /* the fake's pool is a stack */
	int total = 8, n;

	while ((n = bm_hw_acquire(&p, 3, got, 8)) > 0)
		total += n;
	CHECK_EQ(n, 0);
	CHECK_EQ(total, 36);
	CHECK_EQ(bm_hw_acquire(&p, 4, got, 1), 0);
	/* a round trip through a pool */
	CHECK_EQ(bm_hw_release(&p, 4, addrs + 6, 2), 0);
	/* the fake takes the RCR before the CR in each step: the second acquire sees the release at the latest */
	n = bm_hw_acquire(&p, 4, got, 2);
	if (n == 0)
		n = bm_hw_acquire(&p, 4, got, 2);
	fake_stop(&run);
	CHECK_EQ(n, 2);
	CHECK_EQ(got[0], addrs[7]);
	CHECK_EQ(got[1], addrs[6]);
}

void test_portal_hw(void)
{
	test_offsets_are_the_arm_ones_of_linux();
	test_init_takes_the_portal_where_its_registers_say();
	test_eqcr_fills_wraps_and_flips_its_valid_bit();
	test_dqrr_with_a_consumer_that_lags();
	test_fq_commands_and_where_their_fields_land();
	test_retire_of_a_busy_fq_sends_its_fqrn();
	test_a_command_nobody_answers_times_out();
	test_bman_release_and_acquire();
}
