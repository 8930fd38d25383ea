/* SPDX-License-Identifier: Apache-2.0 */
/* The ring protocol of QMan/BMan software portals, shared by the portal driver (software) and the
 * emulated QMan (hardware): a ring of 64-byte entries in the portal's cache-enabled area, a producer
 * that marks each entry valid with the verb's valid bit, a consumer that recognises fresh entries by
 * that bit, and indices published in the portal's cache-inhibited registers.
 *
 * An index counts modulo twice the ring size: the low bits are the position, the next bit the pass,
 * and the pass bit is the valid bit the producer writes (Linux qm_eqcr_init: vbit = PI & SIZE). Out of
 * reset every index is SIZE (position 0, pass bit set), so the first pass writes a valid bit of 1 and a
 * zeroed ring reads as empty. A ring holds at most SIZE - 1 entries (the EQCR's "available" and
 * DQRR_MAXFILL of the Linux driver). */
#ifndef LAYERSTORE_QB_RING_H
#define LAYERSTORE_QB_RING_H

#include <stdint.h>

#include "layerstore/qbman.h"

/* One QMan software portal's memory: the cache-enabled area (the rings at their QM_CL_* offsets) and
 * the cache-inhibited register block (big-endian words at their QM_REG_* offsets). */
struct qm_portal_area {
	_Alignas(64) uint8_t ce[LSH_QM_CE_SIZE];
	_Alignas(64) uint32_t ci[LSH_QM_CI_SIZE / 4];
};

/* One side's view of one ring: where it is, how big, and this side's index. */
struct qb_ring {
	uint8_t *base;
	uint32_t size;  /* entries, a power of two */
	uint32_t index; /* this side's producer or consumer index, modulo 2 * size */
};

/* Resets the area: zeroed rings, every index register at SIZE. */
void qm_portal_area_reset(struct qm_portal_area *area);
/* A ring of the area seen from one side, starting at the reset index. */
struct qb_ring qm_ring(struct qm_portal_area *area, uint32_t cl_offset, uint32_t size);
/* A ring of `size` entries at base (a portal's cache-enabled memory plus the ring's QM_CL_ or BM_CL_
 * offset, wherever it is mapped), seen from one side, starting at the reset index. */
struct qb_ring qb_ring_at(uint8_t *base, uint32_t size);

/* Register access: 32-bit big-endian words, read with acquire and written with release ordering, the
 * way a driver's cache-inhibited accesses are ordered with the ring memory around them. */
uint32_t qm_reg_in(const struct qm_portal_area *area, uint32_t offset);
void qm_reg_out(struct qm_portal_area *area, uint32_t offset, uint32_t value);

/* Entries between a producer index and a consumer index. */
uint32_t qb_fill(const struct qb_ring *ring, uint32_t producer, uint32_t consumer);

/* Producer: the entry to write next, zeroed except its verb, or NULL when the ring holds SIZE - 1
 * entries the consumer (at consumer_index) has not consumed. */
void *qb_produce_start(struct qb_ring *ring, uint32_t consumer_index);
/* Producer: publishes the entry from qb_produce_start: a release barrier after the entry's other bytes,
 * then the verb with this pass's valid bit, then the index advances (the valid bit flips on a wrap). */
void qb_produce_commit(struct qb_ring *ring, void *entry, uint8_t verb);

/* Consumer: the entry at the consumer's index when its valid bit is this pass's, else NULL (read with
 * acquire ordering, so the entry's other bytes are those written before its verb). */
const void *qb_consume_current(const struct qb_ring *ring);
/* Consumer: steps past the current entry (the expected valid bit flips on a wrap). */
void qb_consume_next(struct qb_ring *ring);

#endif
