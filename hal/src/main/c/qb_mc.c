/* SPDX-License-Identifier: Apache-2.0 */
/* The management command protocol (qb_mc.h). */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "cache_ops.h"
#include "layerstore/qbman.h"
#include "qb_mc.h"

static uint8_t verb_in(const uint8_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static uint8_t *rr_at(const struct qb_mc *mc, uint8_t idx)
{
	return mc->rr + (uint32_t)idx * mc->rr_stride;
}

void qb_mc_init(struct qb_mc *mc, uint8_t *cr, uint8_t *rr, uint32_t rr_stride, uint64_t timeout_ns)
{
	*mc = (struct qb_mc){ .cr = cr, .rr = rr, .rr_stride = rr_stride, .timeout_ns = timeout_ns };
	uint8_t rr0 = verb_in(rr_at(mc, 0)), rr1 = verb_in(rr_at(mc, 1));

	mc->rridx = ((rr0 == 0 && rr1 == 0) || rr0 != 0) ? 1 : 0;
	mc->vbit = mc->rridx ? LSH_QB_VERB_VBIT : 0;
}

void *qb_mc_start(struct qb_mc *mc)
{
	qb_zero_body(mc->cr);
	return mc->cr;
}

void qb_mc_commit(struct qb_mc *mc, uint8_t verb)
{
	const uint8_t *rr = rr_at(mc, mc->rridx);

	qb_dma_wmb();
	__atomic_store_n(mc->cr, (uint8_t)((verb & ~LSH_QB_VERB_VBIT) | mc->vbit), __ATOMIC_RELAXED);
	qb_flush(mc->cr);
	qb_invalidate_touch_ro(rr);
}

const uint8_t *qb_mc_result(struct qb_mc *mc)
{
	const uint8_t *rr = rr_at(mc, mc->rridx);

	/* The portal clears the verb of the register it answers in next and writes it last. */
	if (verb_in(rr) == 0) {
		qb_invalidate_touch_ro(rr);
		return NULL;
	}
	qb_dma_rmb();
	mc->rridx ^= 1;
	mc->vbit ^= LSH_QB_VERB_VBIT;
	return rr;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const uint8_t *qb_mc_wait(struct qb_mc *mc)
{
	uint64_t deadline = now_ns() + mc->timeout_ns;
	const uint8_t *rr;

	while ((rr = qb_mc_result(mc)) == NULL) {
		if (now_ns() > deadline)
			return NULL;
		sched_yield(); /* the answer takes microseconds on silicon; here it may need the other core */
	}
	return rr;
}

int qb_mc_call(struct qb_mc *mc, uint8_t verb, uint8_t verb_mask, const uint8_t **answer)
{
	qb_mc_commit(mc, verb);
	const uint8_t *rr = qb_mc_wait(mc);

	if (!rr)
		return -ETIMEDOUT;
	if ((rr[0] & verb_mask) != (verb & verb_mask))
		return -EIO;
	*answer = rr;
	return 0;
}
