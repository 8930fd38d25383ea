/* SPDX-License-Identifier: Apache-2.0 */
/* The BMan portal driver on a silicon-mapped portal (bm_portal_hw.h). */
#include <endian.h>
#include <errno.h>

#include "bm_portal_hw.h"

uint32_t bm_hw_in(const struct bm_hw_portal *p, uint32_t offset)
{
	return be32toh(__atomic_load_n((const uint32_t *)(p->ci + offset), __ATOMIC_RELAXED));
}

void bm_hw_out(struct bm_hw_portal *p, uint32_t offset, uint32_t value)
{
	__atomic_store_n((uint32_t *)(p->ci + offset), htobe32(value), __ATOMIC_RELAXED);
}

void bm_hw_portal_init(struct bm_hw_portal *p, uint8_t *ce, uint8_t *ci, uint64_t mc_timeout_ns)
{
	*p = (struct bm_hw_portal){ .ce = ce, .ci = ci };
	qb_vb_ring_init(&p->rcr, ce + BM_HW_CL_RCR, LSH_BM_RCR_SIZE, bm_hw_in(p, BM_HW_REG_RCR_PI),
			bm_hw_in(p, BM_HW_REG_RCR_CI), ce + BM_HW_CL_RCR_CI);
	/* bm_rcr_init: BCSP_CFG with its top two bits cleared and RPM in the low two */
	bm_hw_out(p, BM_HW_REG_CFG, (bm_hw_in(p, BM_HW_REG_CFG) & 0x3FFFFFFFu) | BM_HW_CFG_RPM_PVB);
	bm_hw_out(p, BM_HW_REG_IER, 0);
	bm_hw_out(p, BM_HW_REG_ISR, bm_hw_in(p, BM_HW_REG_ISR)); /* write 1 to clear: what is raised */
	bm_hw_out(p, BM_HW_REG_ISDR, 0);
	bm_hw_out(p, BM_HW_REG_IIR, 0);
	qb_mc_init(&p->mc, ce + BM_HW_CL_CR, ce + BM_HW_CL_RR0, BM_HW_CL_RR1 - BM_HW_CL_RR0, mc_timeout_ns);
}

static void put_addr(struct lsh_bm_buffer *b, uint64_t addr)
{
	b->addr_hi = htobe16((uint16_t)(addr >> 32));
	b->addr_lo = htobe32((uint32_t)addr);
}

static uint64_t get_addr(const struct lsh_bm_buffer *b)
{
	return (uint64_t)be16toh(b->addr_hi) << 32 | be32toh(b->addr_lo);
}

int bm_hw_release(struct bm_hw_portal *p, uint8_t bpid, const uint64_t *addrs, uint32_t count)
{
	if (count == 0 || count > LSH_BM_BURST_MAX)
		return -EINVAL;
	struct lsh_bm_rcr_entry *e = qb_vb_ring_start(&p->rcr);

	if (!e)
		return -EBUSY;
	/* bman_release: the first buffer's reserved byte is the verb, so that buffer is written field by
	 * field (its BPID byte is the command's) and the verb only by the commit. */
	for (uint32_t i = 0; i < count; i++)
		put_addr(&e->bufs[i], addrs[i] & LSH_BM_ADDR_MASK);
	for (uint32_t i = 1; i < count; i++)
		e->bufs[i].bpid = htobe16(bpid);
	e->bpid = bpid;
	qb_vb_ring_commit(&p->rcr, e, (uint8_t)(LSH_BM_RCR_VERB_CMD_BPID_SINGLE | count));
	return 0;
}

int bm_hw_acquire(struct bm_hw_portal *p, uint8_t bpid, uint64_t *addrs, uint32_t count)
{
	if (count == 0 || count > LSH_BM_BURST_MAX)
		return -EINVAL;
	struct lsh_bm_mc_command *c = qb_mc_start(&p->mc);
	uint8_t verb = (uint8_t)(LSH_BM_MCC_VERB_CMD_ACQUIRE | count);

	c->bpid = bpid;
	const struct lsh_bm_mc_result *r;
	int rc = qb_mc_call(&p->mc, verb, LSH_BM_MCC_VERB_CMD_MASK, (const uint8_t **)&r);

	if (rc < 0)
		return rc;
	uint32_t got = r->verb & LSH_BM_MCC_VERB_ACQUIRE_BUFCOUNT;

	if (got > count)
		return -EIO;
	for (uint32_t i = 0; i < got; i++)
		addrs[i] = get_addr(&r->bufs[i]);
	return (int)got;
}
