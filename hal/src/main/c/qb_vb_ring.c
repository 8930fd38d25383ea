/* SPDX-License-Identifier: Apache-2.0 */
/* A valid-bit command ring, the producer's side (qb_vb_ring.h). */
#include <endian.h>

#include "cache_ops.h"
#include "qb_vb_ring.h"

/* dpaa_cyc_diff: entries from first to last on a ring of size positions */
static uint8_t cyc_diff(uint32_t size, uint8_t first, uint8_t last)
{
	return (uint8_t)((last - first) & (size - 1));
}

void qb_vb_ring_init(struct qb_vb_ring *r, uint8_t *base, uint32_t size, uint32_t pi, uint32_t ci,
		     const uint8_t *cena_ci)
{
	r->ring = qb_ring_at(base, size);
	r->ring.index = pi & (2 * size - 1);
	r->cena_ci = cena_ci;
	r->ci = (uint8_t)(ci & (size - 1));
	qb_invalidate(cena_ci);
	r->available = (uint8_t)(size - 1 - cyc_diff(size, r->ci, (uint8_t)(pi & (size - 1))));
}

/* The consumer index from its cache-enabled copy; without stashing nothing refreshes that line, so it
 * is invalidated right after the read and the next read fetches the portal's value. */
static void update(struct qb_vb_ring *r)
{
	uint8_t old = r->ci;

	r->ci = (uint8_t)(be32toh(__atomic_load_n((const uint32_t *)r->cena_ci, __ATOMIC_RELAXED)) & (r->ring.size - 1));
	qb_invalidate(r->cena_ci);
	r->available = (uint8_t)(r->available + cyc_diff(r->ring.size, old, r->ci));
}

void *qb_vb_ring_start(struct qb_vb_ring *r)
{
	if (r->available == 0)
		update(r);
	if (r->available == 0)
		return NULL;
	uint8_t *e = r->ring.base + (size_t)(r->ring.index & (r->ring.size - 1)) * LSH_QB_ENTRY_SIZE;

	qb_zero_body(e);
	return e;
}

void qb_vb_ring_commit(struct qb_vb_ring *r, void *entry, uint8_t verb)
{
	qb_dma_wmb();
	qb_produce_commit(&r->ring, entry, verb);
	qb_flush(entry);
	r->available--;
}
