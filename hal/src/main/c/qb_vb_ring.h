/* SPDX-License-Identifier: Apache-2.0 */
/* A command ring a silicon-mapped portal consumes in valid-bit mode (the QMan EQCR, the BMan RCR), from
 * the producer's side: the room is counted down as entries are written and refreshed from the portal's
 * cache-enabled copy of its consumer index only when used up (Linux qman.c qm_eqcr_start_stash and
 * qm_eqcr_cce_update, bman.c bm_rcr_start and bm_rcr_cce_update). */
#ifndef LAYERSTORE_QB_VB_RING_H
#define LAYERSTORE_QB_VB_RING_H

#include <stdint.h>

#include "qb_ring.h"

struct qb_vb_ring {
	struct qb_ring ring;     /* the next entry's index, with the pass bit (the valid bit it gets) */
	const uint8_t *cena_ci;  /* the consumer index's cache-enabled copy (a big-endian word) */
	uint8_t ci;              /* the consumer's position as last read */
	uint8_t available;       /* entries free as far as known */
};

/* The ring at base of size entries, its producer index pi (with the pass bit) and consumer index ci as
 * the portal's cache-inhibited registers hold them (qm_eqcr_init, bm_rcr_init). */
void qb_vb_ring_init(struct qb_vb_ring *r, uint8_t *base, uint32_t size, uint32_t pi, uint32_t ci,
		     const uint8_t *cena_ci);
/* The next entry, zeroed but for its verb, or NULL when the portal has not consumed any of a full ring. */
void *qb_vb_ring_start(struct qb_vb_ring *r);
/* Publishes the entry from qb_vb_ring_start: dma_wmb, the verb with the valid bit, the line flushed to
 * the portal (qm_eqcr_pvb_commit, bm_rcr_pvb_commit). */
void qb_vb_ring_commit(struct qb_vb_ring *r, void *entry, uint8_t verb);

#endif
