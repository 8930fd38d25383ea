/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The frame manager on the usdpaa backend's driven portals: what a FrameManager needs of one QMan and one
 * BMan portal that a linux-qoriq kernel handed to this process (usdpaa.h's open path), driven by the
 * silicon portal driver. One handle per thread (the portals are not shared), no lock.
 *
 * The FMan TX ports are not allocated here: their TX frame-queue ids and QMan channels are the device
 * tree's (the USDPAA variant's fsl,dpa-ethernet-init node: fsl,qman-frame-queues-tx, and the port's
 * fsl,qman-channel-id), which the caller passes per port. Confirmation queues take ids from the range
 * the kernel allocates to this process.
 */
#ifndef LAYERSTORE_USDPAA_FM_H
#define LAYERSTORE_USDPAA_FM_H

#include <stdint.h>

#include "layerstore/dpaa.h"
#include "layerstore/fm.h" /* LSH_API */
#include "layerstore/qbman.h"

/* context_a of a TX FQ with its own confirmation queue, as Linux dpaa_eth (dpaa_fq_init) writes it:
 * OVOM | A2V | A0V | B0V, and A2 EBD (FMan deallocates the sent frame's pool buffers). */
#define LSH_USDPAA_TX_CONTEXT_A (LSH_QM_CTXA_OVOM | LSH_QM_CTXA_A2V | LSH_QM_CTXA_A0V | LSH_QM_CTXA_B0V | LSH_QM_CTXA_A2_EBD)
#define LSH_USDPAA_FM_MAX_FQS 64 /* frame queues one handle initialises (and retires at close) */

struct lsh_usdpaa_fm;

/* What an open asks for. */
struct lsh_usdpaa_fm_config {
	uint32_t confirm_queues; /* frame-queue ids for confirmation queues (1..LSH_USDPAA_FM_MAX_FQS) */
	uint32_t pool_buffers;   /* buffers seeded into the handle's BMan pool, carved from the DMA region */
	uint32_t buffer_size;    /* bytes each (a multiple of 64, the cache line) */
	uint32_t reserved;       /* 0 */
	uint64_t dma_size;       /* the DMA region: a power-of-4 multiple of the page size, 0 for 64 MiB */
};

/* Opens the devices (usdpaa.h's steps), allocates a BPID and seeds its pool with pool_buffers buffers
 * of the DMA region by their physical addresses. Returns 0 with *out, or a negative errno with
 * *failed_step the LSH_USDPAA_STEP_* that failed (LSH_USDPAA_STEP_NONE when the devices opened and the
 * pool could not be seeded: EINVAL for buffers that do not fit the region, or the release's errno),
 * having undone everything. */
LSH_API int32_t lsh_usdpaa_fm_open(const struct lsh_usdpaa_fm_config *config, struct lsh_usdpaa_fm **out,
				   uint32_t *failed_step);
/* The pool the open seeded. */
LSH_API uint32_t lsh_usdpaa_fm_pool(const struct lsh_usdpaa_fm *fm);
/* A confirmation queue: the next free id of the handle's range initialised scheduled to the portal's
 * dedicated channel with context_b (returned in every dequeue from it), the portal's static dequeue
 * including that channel. Returns the FQID, -ENOSPC when the range is used up, or the command's errno. */
LSH_API int32_t lsh_usdpaa_fm_create_confirm_queue(struct lsh_usdpaa_fm *fm, uint32_t context_b);
/* The TX queue tx_fqid of an FMan port (the device tree's id) initialised scheduled to the port's
 * channel, context_b the confirmation queue and context_a LSH_USDPAA_TX_CONTEXT_A; taildrop > 0 enables
 * QMan tail drop at that many frames. Returns 0, -ENOSPC when the handle holds LSH_USDPAA_FM_MAX_FQS,
 * or the command's errno (-EBUSY: the FQ is in service already). */
LSH_API int32_t lsh_usdpaa_fm_create_tx_queue(struct lsh_usdpaa_fm *fm, uint32_t tx_fqid, uint16_t channel,
					      uint32_t confirm_fqid, uint32_t taildrop);
/* Enqueues up to count descriptors to fqid. Returns how many the EQCR took (0 when it was full). */
LSH_API int32_t lsh_usdpaa_fm_enqueue(struct lsh_usdpaa_fm *fm, uint32_t fqid, const struct lsh_qm_fd *fds,
				      uint32_t count);
/* Takes up to max dequeue responses (confirmations from every confirmation queue; entry.fqid says
 * which) off the DQRR. Returns how many. */
LSH_API int32_t lsh_usdpaa_fm_dequeue(struct lsh_usdpaa_fm *fm, struct lsh_qm_dqrr_entry *out, uint32_t max);
/* Takes up to max MR messages: enqueue rejections (ERN), whose frame's buffer has been released to the
 * pool its FD names (once; none for LSH_BPID_NONE), and FQ state changes (FQRN ...). Returns how many,
 * or the release's errno. */
LSH_API int32_t lsh_usdpaa_fm_messages(struct lsh_usdpaa_fm *fm, struct lsh_qm_mr_entry *out, uint32_t max);
/* Releases count (1-8) buffers to pool bpid. Returns 0, -EINVAL for a count outside 1-8, or -EBUSY when
 * the RCR stayed full. */
LSH_API int32_t lsh_usdpaa_fm_release(struct lsh_usdpaa_fm *fm, uint32_t bpid, const struct lsh_bm_buffer *bufs,
				      uint32_t count);
/* Acquires count (1-8) buffers from pool bpid, all or none. Returns 0, -ENOMEM when the pool had fewer
 * (those acquired are given back), -EINVAL, or the command's errno. */
LSH_API int32_t lsh_usdpaa_fm_acquire(struct lsh_usdpaa_fm *fm, uint32_t bpid, struct lsh_bm_buffer *bufs,
				      uint32_t count);
/* Waits for portal work (usdpaa_wait_portal_work): 0 with *sources (the ISR bits), -ETIMEDOUT, or the
 * poll's errno. */
LSH_API int32_t lsh_usdpaa_fm_wait(struct lsh_usdpaa_fm *fm, int32_t timeout_ms, uint32_t *sources);
/* Retires and takes out of service every FQ the handle initialised (draining the DQRR and MR meanwhile,
 * rejected frames' buffers released), empties its pool, stops the dequeue and closes the devices. */
LSH_API void lsh_usdpaa_fm_close(struct lsh_usdpaa_fm *fm);

#endif
