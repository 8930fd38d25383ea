/* SPDX-License-Identifier: Apache-2.0 */
/* The QMan portal driver on a silicon-mapped portal (qm_portal_hw.h). */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "cache_ops.h"
#include "qm_fqd.h"
#include "qm_portal_hw.h"

_Static_assert(sizeof(struct qm_hw_mcc_initfq) == LSH_QB_ENTRY_SIZE, "INITFQ is 64 bytes");
_Static_assert(sizeof(struct qm_hw_mcc_fq) == LSH_QB_ENTRY_SIZE, "ALTER/QUERY FQ is 64 bytes");
_Static_assert(sizeof(struct qm_hw_mcc_initcgr) == LSH_QB_ENTRY_SIZE, "INITCGR is 64 bytes");
_Static_assert(sizeof(struct qm_hw_mcr) == LSH_QB_ENTRY_SIZE, "a result is 64 bytes");
_Static_assert(sizeof(struct qm_hw_mr_fq) == LSH_QB_ENTRY_SIZE, "an FQ state change message is 64 bytes");

/* qm_in/qm_out: the registers are big-endian words; the accesses must not be merged or elided. */
uint32_t qm_hw_in(const struct qm_hw_portal *p, uint32_t offset)
{
	return be32toh(__atomic_load_n((const uint32_t *)(p->ci + offset), __ATOMIC_RELAXED));
}

void qm_hw_out(struct qm_hw_portal *p, uint32_t offset, uint32_t value)
{
	__atomic_store_n((uint32_t *)(p->ci + offset), htobe32(value), __ATOMIC_RELAXED);
}

/* dpaa_cyc_diff: entries from first to last on a ring of ringsize positions. */
static uint8_t cyc_diff(uint8_t ringsize, uint8_t first, uint8_t last)
{
	return (uint8_t)(first <= last ? last - first : ringsize + last - first);
}

static uint8_t *entry_at(const struct qb_ring *ring)
{
	return ring->base + (size_t)(ring->index & (ring->size - 1)) * LSH_QB_ENTRY_SIZE;
}

/* A consumer ring whose producer is at the PI register and whose consumer position is the CI register:
 * the consumer's index is the PI's (with its pass bit) less the entries between them (qm_dqrr_init). */
static struct qb_ring consumer_at(const struct qm_hw_portal *p, uint32_t cl, uint32_t size, uint32_t pi_reg,
				  uint32_t ci_reg)
{
	struct qb_ring ring = qb_ring_at(p->ce + cl, size);
	uint32_t pi = qm_hw_in(p, pi_reg) & (2 * size - 1), ci = qm_hw_in(p, ci_reg) & (size - 1);
	uint32_t fill = cyc_diff((uint8_t)size, (uint8_t)ci, (uint8_t)(pi & (size - 1)));

	ring.index = (pi - fill) & (2 * size - 1);
	return ring;
}

void qm_hw_portal_init(struct qm_hw_portal *p, uint8_t *ce, uint8_t *ci, uint64_t mc_timeout_ns)
{
	*p = (struct qm_hw_portal){ .ce = ce, .ci = ci };
	qb_vb_ring_init(&p->eqcr, ce + LSH_QM_CL_EQCR, LSH_QM_EQCR_SIZE, qm_hw_in(p, QM_HW_REG_EQCR_PI),
			qm_hw_in(p, QM_HW_REG_EQCR_CI), ce + QM_HW_CL_EQCR_CI);
	p->dqrr = consumer_at(p, LSH_QM_CL_DQRR, LSH_QM_DQRR_SIZE, QM_HW_REG_DQRR_PI, QM_HW_REG_DQRR_CI);
	p->mr = consumer_at(p, LSH_QM_CL_MR, LSH_QM_MR_SIZE, QM_HW_REG_MR_PI, QM_HW_REG_MR_CI);
	/* No dequeues until asked for (qm_dqrr_init: static, volatile and pull commands 0), then the modes */
	qm_hw_out(p, QM_HW_REG_DQRR_SDQCR, 0);
	qm_hw_out(p, QM_HW_REG_DQRR_VDQCR, 0);
	qm_hw_out(p, QM_HW_REG_DQRR_PDQCR, 0);
	/* The three init steps of Linux keep no bit of the old value between them (EST and EP 0: no stashing). */
	uint32_t cfg = QM_HW_CFG_EPM_PVB << QM_HW_CFG_EPM_SHIFT | (uint32_t)QM_HW_DQRR_MAXFILL << QM_HW_CFG_DQRR_MF_SHIFT |
	       0u << QM_HW_CFG_DP_SHIFT | 0u << QM_HW_CFG_DCM_SHIFT | QM_HW_CFG_RE_SE | 0u << QM_HW_CFG_MM_SHIFT;
	qm_hw_out(p, QM_HW_REG_CFG, cfg);
	/* Polling: every source disabled, pending ones cleared (qman_create_portal) */
	qm_hw_out(p, QM_HW_REG_IER, 0);
	qm_hw_out(p, QM_HW_REG_ISR, qm_hw_in(p, QM_HW_REG_ISR)); /* write 1 to clear: what is raised */
	qm_hw_out(p, QM_HW_REG_ISDR, 0);
	qm_hw_out(p, QM_HW_REG_IIR, 0);
	qb_mc_init(&p->mc, ce + QM_HW_CL_CR, ce + QM_HW_CL_RR0, QM_HW_CL_RR1 - QM_HW_CL_RR0, mc_timeout_ns);
}

void qm_hw_static_dequeue(struct qm_hw_portal *p, uint32_t pools)
{
	p->sdqcr = QM_SDQCR_SOURCE_CHANNELS | QM_SDQCR_COUNT_UPTO3 | QM_SDQCR_DEDICATED_PRECEDENCE |
		   QM_SDQCR_TYPE_PRIO_QOS | (uint32_t)QM_SDQCR_TOKEN << QM_SDQCR_TOKEN_SHIFT |
		   QM_SDQCR_CHANNELS_DEDICATED | (pools & QM_SDQCR_POOLS_MASK);
	qm_hw_out(p, QM_HW_REG_DQRR_SDQCR, p->sdqcr);
}

int32_t qm_hw_enqueue(struct qm_hw_portal *p, uint32_t fqid, uint32_t tag, const struct lsh_qm_fd *fds, uint32_t count)
{
	uint32_t n = 0;

	struct lsh_qm_eqcr_entry *e;

	while (n < count && (e = qb_vb_ring_start(&p->eqcr)) != NULL) {
		e->fqid = htobe32(fqid & LSH_QM_FQID_MASK);
		e->tag = htobe32(tag);
		e->fd = fds[n++];
		qb_vb_ring_commit(&p->eqcr, e, LSH_QM_EQCR_VERB_CMD_ENQUEUE);
	}
	return n > 0 ? (int32_t)n : -EBUSY;
}

/* qm_dqrr_pvb_update / qm_mr_pvb_update: an entry is fresh when its valid bit is this pass's; a line
 * that is not is invalidated and prefetched, so the next poll reads what QMan wrote since. */
static const uint8_t *consume_current(struct qb_ring *ring)
{
	const uint8_t *e = qb_consume_current(ring);

	if (!e) {
		qb_invalidate_touch_ro(entry_at(ring));
		return NULL;
	}
	qb_dma_rmb();
	return e;
}

/* Takes up to max entries of a consumer ring into out; the CI write (qm_dqrr_cci_consume,
 * qm_mr_cci_consume) tells QMan they are free, and each consumed line is invalidated for its next pass. */
static uint32_t consume(struct qm_hw_portal *p, struct qb_ring *ring, uint32_t ci_reg, void *out, uint32_t max)
{
	uint32_t n = 0;
	const uint8_t *e;

	while (n < max && (e = consume_current(ring)) != NULL) {
		memcpy((uint8_t *)out + (size_t)n++ * LSH_QB_ENTRY_SIZE, e, LSH_QB_ENTRY_SIZE);
		qb_invalidate(e);
		qb_consume_next(ring);
	}
	if (n > 0) {
		qb_io_wmb();
		qm_hw_out(p, ci_reg, ring->index & (ring->size - 1));
		qb_touch_ro(entry_at(ring));
	}
	return n;
}

uint32_t qm_hw_dequeue(struct qm_hw_portal *p, struct lsh_qm_dqrr_entry *out, uint32_t max)
{
	return consume(p, &p->dqrr, QM_HW_REG_DQRR_CI, out, max);
}

uint32_t qm_hw_messages(struct qm_hw_portal *p, struct lsh_qm_mr_entry *out, uint32_t max)
{
	return consume(p, &p->mr, QM_HW_REG_MR_CI, out, max);
}

int qm_hw_result_errno(uint8_t result)
{
	switch (result) {
	case QM_MCR_RESULT_OK:
		return 0;
	case QM_MCR_RESULT_PENDING:
		return 1;
	case QM_MCR_RESULT_ERR_FQID:
		return -ERANGE;
	case QM_MCR_RESULT_ERR_NOTEMPTY:
		return -ENOTEMPTY;
	case QM_MCR_RESULT_ERR_FQSTATE:
		return -EBUSY;
	case QM_MCR_RESULT_ERR_BADCHANNEL:
		return -ENXIO;
	default:
		return -EIO;
	}
}

/* The command in the CR, committed and answered (qm_mc_commit, qm_mc_result_timeout). */
static int mc_call(struct qm_hw_portal *p, uint8_t verb, const struct qm_hw_mcr **out)
{
	return qb_mc_call(&p->mc, verb, QM_MCC_VERB_MASK, (const uint8_t **)out);
}

/* The errno of a command that completes at once: PENDING is an answer only ALTER_RETIRE may give. */
static int completed(const struct qm_hw_mcr *r)
{
	int rc = qm_hw_result_errno(r->result);

	return rc == 1 ? -EIO : rc;
}

static int fq_command(struct qm_hw_portal *p, uint8_t verb, uint32_t fqid, const struct qm_hw_mcr **out)
{
	struct qm_hw_mcc_fq *c = qb_mc_start(&p->mc);

	c->fqid = htobe32(fqid & LSH_QM_FQID_MASK);
	return mc_call(p, verb, out);
}

int qm_hw_init_fq(struct qm_hw_portal *p, uint32_t fqid, int schedule, const struct lsh_qm_fqd *fqd, uint16_t we_mask)
{
	struct qm_hw_mcc_initfq *c = qb_mc_start(&p->mc);
	const struct qm_hw_mcr *r;

	c->we_mask = htobe16(we_mask);
	c->fqid = htobe32(fqid & LSH_QM_FQID_MASK);
	c->count = 0;
	c->fqd = *fqd;
	int rc = mc_call(p, schedule ? QM_MCC_VERB_INITFQ_SCHED : QM_MCC_VERB_INITFQ_PARKED, &r);

	return rc < 0 ? rc : completed(r);
}

int qm_hw_retire_fq(struct qm_hw_portal *p, uint32_t fqid, uint8_t *fqs)
{
	const struct qm_hw_mcr *r;
	int rc = fq_command(p, QM_MCC_VERB_ALTER_RETIRE, fqid, &r);

	if (rc < 0)
		return rc;
	*fqs = r->fqs;
	return qm_hw_result_errno(r->result);
}

int qm_hw_oos_fq(struct qm_hw_portal *p, uint32_t fqid)
{
	const struct qm_hw_mcr *r;
	int rc = fq_command(p, QM_MCC_VERB_ALTER_OOS, fqid, &r);

	return rc < 0 ? rc : completed(r);
}

int qm_hw_query_fq_np(struct qm_hw_portal *p, uint32_t fqid, struct qm_hw_fq_np *out)
{
	const struct qm_hw_mcr *r;
	int rc = fq_command(p, QM_MCC_VERB_QUERYFQ_NP, fqid, &r);

	if (rc < 0 || (rc = completed(r)) < 0)
		return rc;
	*out = (struct qm_hw_fq_np){ .state = r->state & QM_MCR_NP_STATE_MASK,
				     .frames = be32toh(r->frm_cnt) & LSH_QM_FQID_MASK,
				     .bytes = be32toh(r->byte_cnt) };
	return 0;
}

int qm_hw_init_cgr(struct qm_hw_portal *p, uint8_t cgid, int modify, uint32_t threshold_bytes, int taildrop, int notify)
{
	struct qm_hw_mcc_initcgr *c = qb_mc_start(&p->mc);
	const struct qm_hw_mcr *r;
	uint16_t thres = qm_thres_encode(threshold_bytes);

	c->we_mask = htobe16(QM_CGR_WE_CS_THRES | QM_CGR_WE_CSTD_EN | QM_CGR_WE_CSCN_EN | QM_CGR_WE_MODE);
	c->cs_thres[0] = (uint8_t)(thres >> 8);
	c->cs_thres[1] = (uint8_t)thres;
	c->cstd_en = taildrop ? QM_CGR_EN : 0;
	c->cscn_en = notify ? QM_CGR_EN : 0;
	c->cgid = cgid;
	int rc = mc_call(p, modify ? QM_MCC_VERB_MODIFYCGR : QM_MCC_VERB_INITCGR, &r);

	return rc < 0 ? rc : completed(r);
}
