/* SPDX-License-Identifier: Apache-2.0 */
/* The QMan/BMan ring protocol (qb_ring.h): valid-bit production and consumption over 64-byte entries. */
#include <endian.h>
#include <string.h>

#include "qb_ring.h"

_Static_assert(sizeof(struct lsh_qm_eqcr_entry) == LSH_QB_ENTRY_SIZE, "an EQCR entry is 64 bytes");
_Static_assert(sizeof(struct lsh_qm_dqrr_entry) == LSH_QB_ENTRY_SIZE, "a DQRR entry is 64 bytes");
_Static_assert(sizeof(struct lsh_qm_mr_entry) == LSH_QB_ENTRY_SIZE, "an MR entry is 64 bytes");
_Static_assert(sizeof(struct lsh_bm_rcr_entry) == LSH_QB_ENTRY_SIZE, "an RCR entry is 64 bytes");
_Static_assert(sizeof(struct lsh_bm_mc_command) == LSH_QB_ENTRY_SIZE, "a BMan command is 64 bytes");
_Static_assert(sizeof(struct lsh_bm_mc_result) == LSH_QB_ENTRY_SIZE, "a BMan result is 64 bytes");
_Static_assert(sizeof(struct lsh_qm_fqd) == 24, "an FQD is 24 bytes");
_Static_assert(LSH_QM_CL_DQRR >= LSH_QM_CL_EQCR + LSH_QM_EQCR_SIZE * LSH_QB_ENTRY_SIZE, "EQCR fits");
_Static_assert(LSH_QM_CL_MR >= LSH_QM_CL_DQRR + LSH_QM_DQRR_SIZE * LSH_QB_ENTRY_SIZE, "DQRR fits");

void qm_portal_area_reset(struct qm_portal_area *area)
{
	memset(area, 0, sizeof(*area));
	qm_reg_out(area, LSH_QM_REG_EQCR_PI, LSH_QM_EQCR_SIZE);
	qm_reg_out(area, LSH_QM_REG_EQCR_CI, LSH_QM_EQCR_SIZE);
	qm_reg_out(area, LSH_QM_REG_DQRR_PI, LSH_QM_DQRR_SIZE);
	qm_reg_out(area, LSH_QM_REG_DQRR_CI, LSH_QM_DQRR_SIZE);
	qm_reg_out(area, LSH_QM_REG_MR_PI, LSH_QM_MR_SIZE);
	qm_reg_out(area, LSH_QM_REG_MR_CI, LSH_QM_MR_SIZE);
}

struct qb_ring qb_ring_at(uint8_t *base, uint32_t size)
{
	return (struct qb_ring){ .base = base, .size = size, .index = size };
}

struct qb_ring qm_ring(struct qm_portal_area *area, uint32_t cl_offset, uint32_t size)
{
	return qb_ring_at(area->ce + cl_offset, size);
}

uint32_t qm_reg_in(const struct qm_portal_area *area, uint32_t offset)
{
	return be32toh(__atomic_load_n(&area->ci[offset / 4], __ATOMIC_ACQUIRE));
}

void qm_reg_out(struct qm_portal_area *area, uint32_t offset, uint32_t value)
{
	__atomic_store_n(&area->ci[offset / 4], htobe32(value), __ATOMIC_RELEASE);
}

uint32_t qb_fill(const struct qb_ring *ring, uint32_t producer, uint32_t consumer)
{
	return (producer - consumer) & (2 * ring->size - 1);
}

static uint8_t *entry_at(const struct qb_ring *ring, uint32_t index)
{
	return ring->base + (size_t)(index & (ring->size - 1)) * LSH_QB_ENTRY_SIZE;
}

static uint8_t pass_vbit(uint32_t index, uint32_t size)
{
	return (index & size) ? LSH_QB_VERB_VBIT : 0;
}

void *qb_produce_start(struct qb_ring *ring, uint32_t consumer_index)
{
	if (qb_fill(ring, ring->index, consumer_index) >= ring->size - 1)
		return NULL;
	uint8_t *e = entry_at(ring, ring->index);

	/* The verb keeps last pass's valid bit until commit, so the consumer never sees a half entry. */
	memset(e + 1, 0, LSH_QB_ENTRY_SIZE - 1);
	return e;
}

void qb_produce_commit(struct qb_ring *ring, void *entry, uint8_t verb)
{
	uint8_t v = (uint8_t)((verb & ~LSH_QB_VERB_VBIT) | pass_vbit(ring->index, ring->size));

	/* dma_wmb() then the verb write in the Linux driver (qm_eqcr_pvb_commit) */
	__atomic_store_n((uint8_t *)entry, v, __ATOMIC_RELEASE);
	ring->index = (ring->index + 1) & (2 * ring->size - 1);
}

const void *qb_consume_current(const struct qb_ring *ring)
{
	const uint8_t *e = entry_at(ring, ring->index);
	uint8_t verb = __atomic_load_n(e, __ATOMIC_ACQUIRE);

	return (verb & LSH_QB_VERB_VBIT) == pass_vbit(ring->index, ring->size) ? e : NULL;
}

void qb_consume_next(struct qb_ring *ring)
{
	ring->index = (ring->index + 1) & (2 * ring->size - 1);
}
