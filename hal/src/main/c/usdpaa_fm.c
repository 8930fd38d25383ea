/* SPDX-License-Identifier: Apache-2.0 */
/* The frame manager on the usdpaa backend's driven portals (layerstore/usdpaa_fm.h): usdpaa.c's open
 * path, then the silicon portal driver (qm_portal_hw.c, bm_portal_hw.c) for the queues, the frames and
 * the pool. */
#include <endian.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "layerstore/usdpaa_fm.h"
#include "qm_fqd.h"
#include "usdpaa.h"

#define FM_DEFAULT_DMA_SIZE USDPAA_PROBE_DMA_SIZE
#define FM_CACHE_LINE 64u

struct lsh_usdpaa_fm {
	struct usdpaa u;
	uint64_t timeout_ns; /* the waits for a free RCR entry, an FQRN and an FQ to empty */
	uint8_t bpid;
	uint32_t pool_buffers;
	uint32_t confirm_used; /* ids of the allocated range given to confirmation queues */
	uint32_t fqs[LSH_USDPAA_FM_MAX_FQS]; /* every FQ initialised, in order: close retires them in reverse */
	uint32_t fq_count;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void put_buffer(struct lsh_bm_buffer *b, uint8_t bpid, uint64_t addr)
{
	b->bpid = htobe16(bpid);
	b->addr_hi = htobe16((uint16_t)(addr >> 32));
	b->addr_lo = htobe32((uint32_t)addr);
}

static uint64_t buffer_addr(const struct lsh_bm_buffer *b)
{
	return (uint64_t)be16toh(b->addr_hi) << 32 | be32toh(b->addr_lo);
}

/* A release, waiting while BMan drains a full RCR (it does within microseconds on silicon). */
static int release_addrs(struct lsh_usdpaa_fm *fm, uint8_t bpid, const uint64_t *addrs, uint32_t count)
{
	uint64_t deadline = now_ns() + fm->timeout_ns;
	int rc;

	while ((rc = bm_hw_release(&fm->u.bm, bpid, addrs, count)) == -EBUSY && now_ns() < deadline)
		sched_yield();
	return rc;
}

/* The pool's buffers: consecutive pieces of the DMA region, released by their physical addresses. */
static int seed_pool(struct lsh_usdpaa_fm *fm, uint32_t buffers, uint32_t size)
{
	struct usdpaa_dma dma;
	uint64_t addrs[LSH_BM_BURST_MAX];
	int rc = usdpaa_dma_region(&fm->u, &dma);

	if (rc < 0)
		return rc;
	if (size == 0 || size % FM_CACHE_LINE != 0 || (uint64_t)buffers * size > dma.size)
		return -EINVAL;
	for (uint32_t i = 0; i < buffers; i += LSH_BM_BURST_MAX) {
		uint32_t n = buffers - i < LSH_BM_BURST_MAX ? buffers - i : LSH_BM_BURST_MAX;

		for (uint32_t j = 0; j < n; j++) {
			rc = usdpaa_dma_phys(&fm->u, dma.virt + (uint64_t)(i + j) * size, size, &addrs[j]);
			if (rc < 0)
				return rc;
		}
		rc = release_addrs(fm, fm->bpid, addrs, n);
		if (rc < 0)
			return rc;
	}
	fm->pool_buffers = buffers;
	return 0;
}

int usdpaa_fm_open_ops(const struct usdpaa_ops *ops, uint64_t mc_timeout_ns, const struct lsh_usdpaa_fm_config *config,
		       struct lsh_usdpaa_fm **out, uint32_t *failed_step)
{
	*failed_step = LSH_USDPAA_STEP_NONE;
	if (!config || !out || config->confirm_queues == 0 || config->confirm_queues > LSH_USDPAA_FM_MAX_FQS ||
	    config->reserved != 0)
		return -EINVAL;
	struct lsh_usdpaa_fm *fm = calloc(1, sizeof(*fm));

	if (!fm)
		return -ENOMEM;
	const struct usdpaa_request request = { .fqids = config->confirm_queues, .bpids = 1,
						.dma_size = config->dma_size ? config->dma_size : FM_DEFAULT_DMA_SIZE };
	int rc = usdpaa_open(&fm->u, ops, &request, failed_step);

	if (rc < 0) {
		free(fm);
		return rc;
	}
	fm->timeout_ns = mc_timeout_ns;
	fm->u.qm.mc.timeout_ns = mc_timeout_ns;
	fm->u.bm.mc.timeout_ns = mc_timeout_ns;
	fm->bpid = (uint8_t)fm->u.bpid_base;
	rc = seed_pool(fm, config->pool_buffers, config->buffer_size);
	if (rc < 0) {
		lsh_usdpaa_fm_close(fm);
		return rc;
	}
	*out = fm;
	return 0;
}

int32_t lsh_usdpaa_fm_open(const struct lsh_usdpaa_fm_config *config, struct lsh_usdpaa_fm **out, uint32_t *failed_step)
{
	uint32_t ignored;

	return usdpaa_fm_open_ops(&usdpaa_system_ops, QM_MCR_TIMEOUT_NS, config, out, failed_step ? failed_step : &ignored);
}

uint32_t lsh_usdpaa_fm_pool(const struct lsh_usdpaa_fm *fm)
{
	return fm->bpid;
}

/* INITFQ_SCHED of the fields the mask names, the FQ remembered for close (qman_init_fq). */
static int init_scheduled(struct lsh_usdpaa_fm *fm, uint32_t fqid, const struct lsh_qm_fqd *fqd, uint16_t we_mask)
{
	if (fm->fq_count == LSH_USDPAA_FM_MAX_FQS)
		return -ENOSPC;
	int rc = qm_hw_init_fq(&fm->u.qm, fqid, 1, fqd, we_mask);

	if (rc < 0)
		return rc;
	fm->fqs[fm->fq_count++] = fqid;
	return 0;
}

int32_t lsh_usdpaa_fm_create_confirm_queue(struct lsh_usdpaa_fm *fm, uint32_t context_b)
{
	if (fm->confirm_used == fm->u.fqid_count)
		return -ENOSPC;
	uint32_t fqid = fm->u.fqid_base + fm->confirm_used;
	struct lsh_qm_fqd fqd;

	/* the portal's dedicated channel is its index (QM_CHANNEL_SWPORTAL0 is channel 0) */
	qm_fqd_init(&fqd, (uint16_t)fm->u.qman.index, context_b, 0);
	int rc = init_scheduled(fm, fqid, &fqd, QM_INITFQ_WE_DESTWQ | QM_INITFQ_WE_CONTEXTB | QM_INITFQ_WE_FQCTRL);

	if (rc < 0)
		return rc;
	fm->confirm_used++;
	qm_hw_static_dequeue(&fm->u.qm, 0);
	return (int32_t)fqid;
}

int32_t lsh_usdpaa_fm_create_tx_queue(struct lsh_usdpaa_fm *fm, uint32_t tx_fqid, uint16_t channel,
				      uint32_t confirm_fqid, uint32_t taildrop)
{
	struct lsh_qm_fqd fqd;

	/* context_b names the confirmation queue (B0V), context_a as dpaa_eth sets it for TX */
	qm_fqd_init(&fqd, channel, confirm_fqid, taildrop);
	qm_fqd_set_context_a(&fqd, LSH_USDPAA_TX_CONTEXT_A);
	return init_scheduled(fm, tx_fqid, &fqd,
			      QM_INITFQ_WE_DESTWQ | QM_INITFQ_WE_CONTEXTA | QM_INITFQ_WE_CONTEXTB | QM_INITFQ_WE_FQCTRL |
				      (taildrop ? QM_INITFQ_WE_TDTHRESH : 0));
}

int32_t lsh_usdpaa_fm_enqueue(struct lsh_usdpaa_fm *fm, uint32_t fqid, const struct lsh_qm_fd *fds, uint32_t count)
{
	if (count == 0)
		return 0;
	int32_t n = qm_hw_enqueue(&fm->u.qm, fqid, fqid, fds, count);

	return n == -EBUSY ? 0 : n;
}

int32_t lsh_usdpaa_fm_dequeue(struct lsh_usdpaa_fm *fm, struct lsh_qm_dqrr_entry *out, uint32_t max)
{
	return (int32_t)qm_hw_dequeue(&fm->u.qm, out, max);
}

static int is_rejection(const struct lsh_qm_mr_entry *m)
{
	uint8_t type = m->verb & LSH_QM_MR_VERB_TYPE_MASK;

	return type == LSH_QM_MR_VERB_ERN || type == LSH_QM_MR_VERB_DC_ERN;
}

int32_t lsh_usdpaa_fm_messages(struct lsh_usdpaa_fm *fm, struct lsh_qm_mr_entry *out, uint32_t max)
{
	uint32_t n = qm_hw_messages(&fm->u.qm, out, max);

	/* QMan hands a rejected frame back untouched: its buffer is software's again (dpaa_eth's ern handler
	 * frees it), and the MR entry is consumed once, so it is released once. */
	for (uint32_t i = 0; i < n; i++) {
		if (!is_rejection(&out[i]) || out[i].fd.bpid == LSH_BPID_NONE)
			continue;
		uint64_t addr = (uint64_t)out[i].fd.addr_hi << 32 | be32toh(out[i].fd.addr_lo);
		int rc = release_addrs(fm, out[i].fd.bpid, &addr, 1);

		if (rc < 0)
			return rc;
	}
	return (int32_t)n;
}

int32_t lsh_usdpaa_fm_release(struct lsh_usdpaa_fm *fm, uint32_t bpid, const struct lsh_bm_buffer *bufs, uint32_t count)
{
	uint64_t addrs[LSH_BM_BURST_MAX];

	if (count == 0 || count > LSH_BM_BURST_MAX || bpid > LSH_BM_BPID_MASK)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++)
		addrs[i] = buffer_addr(&bufs[i]);
	return release_addrs(fm, (uint8_t)bpid, addrs, count);
}

int32_t lsh_usdpaa_fm_acquire(struct lsh_usdpaa_fm *fm, uint32_t bpid, struct lsh_bm_buffer *bufs, uint32_t count)
{
	uint64_t addrs[LSH_BM_BURST_MAX];

	if (count == 0 || count > LSH_BM_BURST_MAX || bpid > LSH_BM_BPID_MASK)
		return -EINVAL;
	int got = bm_hw_acquire(&fm->u.bm, (uint8_t)bpid, addrs, count);

	if (got < 0)
		return got;
	if ((uint32_t)got < count) {
		/* all or none: what BMan gave goes back */
		int rc = got > 0 ? release_addrs(fm, (uint8_t)bpid, addrs, (uint32_t)got) : 0;

		return rc < 0 ? rc : -ENOMEM;
	}
	for (uint32_t i = 0; i < count; i++)
		put_buffer(&bufs[i], (uint8_t)bpid, addrs[i]);
	return 0;
}

int32_t lsh_usdpaa_fm_wait(struct lsh_usdpaa_fm *fm, int32_t timeout_ms, uint32_t *sources)
{
	return usdpaa_wait_portal_work(&fm->u, timeout_ms, sources);
}

/* What is on the DQRR is dropped, what is on the MR handled (rejected frames' buffers released).
 * Returns whether an FQRN for fqid was among the messages. */
static int drain(struct lsh_usdpaa_fm *fm, uint32_t fqid)
{
	struct lsh_qm_dqrr_entry dq[LSH_QM_DQRR_SIZE];
	struct lsh_qm_mr_entry mr[LSH_QM_MR_SIZE];
	int fqrn = 0;

	while (qm_hw_dequeue(&fm->u.qm, dq, LSH_QM_DQRR_SIZE) > 0)
		;
	for (int32_t n; (n = lsh_usdpaa_fm_messages(fm, mr, LSH_QM_MR_SIZE)) > 0;)
		for (int32_t i = 0; i < n; i++)
			fqrn |= (mr[i].verb & LSH_QM_MR_VERB_TYPE_MASK) == LSH_QM_MR_VERB_FQRN &&
				(be32toh(mr[i].fqid) & LSH_QM_FQID_MASK) == fqid;
	return fqrn;
}

/* Retire (waiting for the FQRN when retirement is pending), then out of service once the FQ is empty
 * (qman_retire_fq, qman_oos_fq). */
static void retire(struct lsh_usdpaa_fm *fm, uint32_t fqid)
{
	uint64_t deadline = now_ns() + fm->timeout_ns;
	uint8_t fqs;
	int rc = qm_hw_retire_fq(&fm->u.qm, fqid, &fqs);

	while (rc == 1 && !drain(fm, fqid) && now_ns() < deadline)
		sched_yield();
	while (qm_hw_oos_fq(&fm->u.qm, fqid) == -ENOTEMPTY && now_ns() < deadline) {
		drain(fm, fqid);
		sched_yield();
	}
}

void lsh_usdpaa_fm_close(struct lsh_usdpaa_fm *fm)
{
	if (!fm)
		return;
	drain(fm, 0);
	while (fm->fq_count > 0)
		retire(fm, fm->fqs[--fm->fq_count]);
	qm_hw_out(&fm->u.qm, QM_HW_REG_DQRR_SDQCR, 0);
	/* the pool emptied, so no buffer of the region about to go back to the kernel stays in BMan: eight at
	 * a time, then the rest one by one, as BMan gives none to an acquire of more than the pool holds */
	uint64_t addrs[LSH_BM_BURST_MAX];

	for (uint32_t n = LSH_BM_BURST_MAX; fm->pool_buffers > 0 && n > 0; n = n == 1 ? 0 : 1)
		while (bm_hw_acquire(&fm->u.bm, fm->bpid, addrs, n) > 0)
			;
	usdpaa_close(&fm->u);
	free(fm);
}
