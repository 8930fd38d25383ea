/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The frame-manager API: QMan portal, frame queues, FMan TX ports, BMan pools and DMA regions.
 *
 * Each call maps one-to-one onto a USDPAA portal call (docs/hal.md has the table). Every function
 * returns 0 or a non-negative count on success and a negative errno on failure. A portal is used
 * by one thread at a time, like a QMan/BMan software portal, which is affine to one core.
 */
#ifndef LAYERSTORE_FM_H
#define LAYERSTORE_FM_H

#include <stdint.h>

#include "layerstore/dpaa.h"
#include "layerstore/qbman.h"

#if defined(__GNUC__)
#define LSH_API __attribute__((visibility("default")))
#else
#define LSH_API
#endif

/* A portal: one QMan and one BMan software portal with the FMan ports it may use. Opaque. */
struct lsh_fm;

#define LSH_FM_MAX_PORTS 16

/* Board limits and wiring a portal is opened with (from the board profile). */
struct lsh_fm_config {
	uint32_t max_frame_size;  /* MAC maximum frame length in bytes (1522, up to 9600) */
	uint32_t ring_depth;      /* frames a TX FQ may hold, counting those still in the EQCR; enqueue
				   * beyond it is busy, as a congested egress queue is */
	uint32_t dequeue_depth;   /* frames each confirmation FQ holds before the hardware stalls */
	uint32_t a050385;         /* 1: enforce LS1043A erratum A050385 alignment (LS1043A), 0: not */
	uint32_t smmu;            /* 1: the SMMU translates the FMan stream (bus addresses are IOVAs the
				   * portal assigns at DMA registration); 0: bus addresses are physical */
	uint32_t port_count;      /* entries used in ports[] */
	uint32_t ports[LSH_FM_MAX_PORTS]; /* FMan TX port ids (device-tree cell-index) */
};

/* Frame queue kinds for lsh_fm_fq_create. */
#define LSH_FQ_TX 1      /* frames enqueued here are transmitted by `port` */
#define LSH_FQ_CONFIRM 2 /* TX confirmations (and TX errors) are delivered here to be dequeued */
#define LSH_FQ_RX 3      /* an RX port's received frames are delivered here (lsh_fm_port_rx), dequeued and
			  * notified exactly like confirmations, on the same portal's DQRR */

struct lsh_fq_params {
	uint32_t kind;         /* LSH_FQ_TX, LSH_FQ_CONFIRM or LSH_FQ_RX */
	uint32_t port;         /* TX: the FMan port id; CONFIRM, RX: unused (0) */
	uint32_t confirm_fqid; /* TX: default confirmation FQ (0: none; FCO in a descriptor overrides) */
	uint32_t context_b;    /* CONFIRM, RX: returned in every dequeue response from this FQ (software's) */
	uint32_t taildrop;     /* TX: tail-drop threshold in frames (0: none); frames beyond it are rejected */
	uint32_t cgr;          /* TX, CONFIRM: LSH_FQ_CGE | a congestion group id (lsh_fm_cgr_create): the FQ's frames
				* count in that group (qm_fqd cgid with QM_FQCTRL_CGE); 0: in no group. A confirmation
				* FQ's are the confirmations waiting in it (not yet on the DQRR); while the group is
				* congested with tail drop FMan's enqueue of a confirmation is rejected and FMan
				* discards the frame, releasing its pool buffers (once: not those EBD released) */
	uint64_t context_a;    /* TX: FMan's per-queue options (qm_fqd context_a, LSH_QM_CTXA_*): who releases a
				* transmitted frame's pool buffers, where its confirmation goes; 0: none */
};

#define LSH_FQ_CGE 0x100u /* lsh_fq_params.cgr: the FQ is in the congestion group of the low 8 bits */

/* A congestion group (QMan CGR, as Linux qman_create_cgr with QMAN_CGR_FLAG_USE_INIT sets it up): it counts
 * the bytes (frame lengths) of the frames queued on its FQs, its instantaneous count (i_bcnt), and is
 * congested while that count exceeds its CS threshold. */
struct lsh_cgr_params {
	uint32_t threshold; /* CS threshold in bytes (cs_thres: TA[12:5] << Tn[4:0], rounded up), >= 1 */
	uint32_t taildrop;  /* 1: cstd_en: while congested, enqueues to its FQs are rejected (QM_MR_RC_CGR_TAILDROP) */
	uint32_t notify;    /* 1: cscn_en: this portal is told each state change (QM_PIRQ_CSCI, lsh_fm_congestion) */
	uint32_t reserved;  /* 0 */
};

/* A congestion group's state: what QMan's Query CGR answers (qm_mcr_querycgr: cs, i_bcnt). */
struct lsh_cgr_state {
	uint32_t cgid;
	uint32_t congested; /* 1: in congestion (the byte count exceeds the threshold) */
	uint64_t bytes;     /* the instantaneous byte count */
};

#define LSH_IFNAME_SIZE 16 /* IFNAMSIZ */

/* Where an emulated port's wire goes. pcap_fd is borrowed, not closed. interface names
 * an existing Linux interface with no IP address of its own (a veth end): the emulator opens it with
 * AF_PACKET (SOCK_RAW, ETH_P_ALL, bound to its ifindex, PACKET_IGNORE_OUTGOING; it needs CAP_NET_RAW:
 * -EPERM otherwise, -ENODEV for no such interface) and closes it at rebind and close. TX frames leave
 * on it as whole Ethernet frames (padded to 60 bytes, no FCS); frames arriving on it are the port's
 * receive path (lsh_fm_port_rx). */
struct lsh_tx_target {
	int32_t pcap_fd;   /* -1 or an empty file: receives a pcap (LINKTYPE_ETHERNET) of every frame sent */
	uint32_t flags;    /* reserved, 0 */
	uint32_t reserved;
	char interface[LSH_IFNAME_SIZE]; /* "" or a NUL-terminated interface name */
};

/* An RX port's configuration (the FMan RX port's buffer pool, buffer layout and default FQ). */
struct lsh_rx_port {
	uint32_t rx_fqid;     /* an LSH_FQ_RX queue: every received frame's FD goes there (0: RX off) */
	uint32_t bpid;        /* the BMan pool the port takes receive buffers from */
	uint32_t buffer_size; /* bytes of every buffer in that pool */
	uint32_t data_offset; /* where the frame starts in a buffer (the FD offset): LSH_RX_MIN_DATA_OFFSET to
			       * LSH_FD_OFFSET_MAX; private data and the parse results come before it */
};

/* Counters of one portal since it was opened. */
struct lsh_fm_counters {
	uint64_t frames;          /* frames transmitted */
	uint64_t bytes;           /* bytes transmitted (whole frames) */
	uint64_t sg_entries;      /* S/G entries gathered */
	uint64_t dma_errors;      /* frames confirmed with LSH_FD_STATUS_DMA */
	uint64_t format_errors;   /* frames confirmed with LSH_FD_STATUS_UNSUPPORTED_FORMAT */
	uint64_t length_errors;   /* frames confirmed with LSH_FD_STATUS_LENGTH */
	uint64_t a050385_errors;  /* frames refused for breaking A050385 (counted in format_errors too) */
	uint64_t rejections;      /* enqueue rejections */
	uint64_t ring_full;       /* enqueue calls answered -EBUSY */
	uint64_t confirmations;   /* entries delivered to confirmation FQs */
	uint64_t checksums;       /* frames whose IPv4/TCP/UDP checksums were filled (DTC) */
	uint64_t buffers_released; /* buffers released to BMan pools after transmission */
	uint64_t wire_drops;      /* frames the bound interface refused (sent and confirmed, but lost on the wire) */
	uint64_t rx_frames;       /* frames received and delivered to RX FQs without an error status */
	uint64_t rx_bytes;        /* bytes of those frames */
	uint64_t rx_no_buffer;    /* frames discarded because the port's pool had no buffer */
	uint64_t rx_errors;       /* frames delivered with an RX error status (LSH_FD_STATUS_RX_ERRORS) */
	uint64_t rx_queue_full;   /* frames discarded because the RX FQ held dequeue_depth frames */
	uint64_t cgr_rejections;  /* enqueue rejections by a congested group's tail drop: software's to TX FQs (counted in
				   * rejections too) and FMan's of confirmations (discarded frames, not in rejections) */
	uint64_t cgr_changes;     /* congestion state changes of groups with notify */
};

/* Opens a portal. The emulated backend starts its hardware thread here. */
LSH_API int32_t lsh_fm_open(const struct lsh_fm_config *config, struct lsh_fm **portal);
/* Closes a portal: stops its hardware, drops frames still queued. */
LSH_API int32_t lsh_fm_close(struct lsh_fm *portal);
/* The name of the backend behind the portal ("emulated"), NUL-terminated, static. */
LSH_API const char *lsh_fm_backend(const struct lsh_fm *portal);

/* Creates a frame queue; *fqid receives its id (24 bits, never 0). */
LSH_API int32_t lsh_fm_fq_create(struct lsh_fm *portal, const struct lsh_fq_params *params, uint32_t *fqid);
/* Destroys an empty frame queue (-EBUSY while frames or confirmations are queued on it). */
LSH_API int32_t lsh_fm_fq_destroy(struct lsh_fm *portal, uint32_t fqid);

/* Creates a congestion group; *cgid receives its id (0-255). -ENOSPC when all 256 are in use, -EINVAL for
 * a threshold of 0 or flags other than 0 and 1. */
LSH_API int32_t lsh_fm_cgr_create(struct lsh_fm *portal, const struct lsh_cgr_params *params, uint32_t *cgid);
/* Destroys a congestion group; -EBUSY while an FQ is in it, -ENOENT for no such group. */
LSH_API int32_t lsh_fm_cgr_destroy(struct lsh_fm *portal, uint32_t cgid);
/* Queries a congestion group's state (QMan's Query CGR management command); -ENOENT for no such group. */
LSH_API int32_t lsh_fm_cgr_query(struct lsh_fm *portal, uint32_t cgid, struct lsh_cgr_state *state);
/* The congestion state change notifications (CSCN) of the groups with notify, as Linux qm_congestion_task
 * handles the portal's CSCI interrupt: when QMan raised CSCI in the portal's ISR, the driver clears it,
 * queries every group's state (Query Congestion) and returns, up to max, the groups whose state differs
 * from what it last reported, each with its new state. A change also makes the notifiers of the confirmation
 * queues of the group's TX FQs readable (the portal interrupt). Returns how many (0: none). */
LSH_API int32_t lsh_fm_congestion(struct lsh_fm *portal, struct lsh_cgr_state *changes, uint32_t max);

/* Binds a TX port to its transmit target and enables it. Rebinding replaces the target. */
LSH_API int32_t lsh_fm_port_bind(struct lsh_fm *portal, uint32_t port, const struct lsh_tx_target *target);
/* Configures the receive path of a port bound to an interface (-ENOTCONN otherwise): the emulated FMan
 * reads every frame arriving on the interface, acquires a buffer from rx->bpid (none: the frame is
 * discarded and counted in rx_no_buffer), writes the frame at rx->data_offset and the parse results
 * (struct lsh_prs_result) at LSH_RX_PARSE_RESULT_OFFSET through the DMA regions (the buffers must be
 * registered), and enqueues a contiguous FD (the pool's BPID, the buffer address, the offset, the
 * length; status 0, LSH_FD_STATUS_L4CV, or LSH_FD_STATUS_RX_ERRORS bits) to rx->rx_fqid. A frame
 * longer than the buffer room or the MAC maximum is cut there and has LSH_FD_STATUS_RX_SIZE. Software
 * dequeues the FDs with lsh_fm_dequeue and releases each buffer to the pool when done with it.
 * rx->rx_fqid 0 turns receiving off. -ENODEV unknown port, -ENOENT no such FQ or pool, -EINVAL bad
 * layout or an FQ that is not LSH_FQ_RX. */
LSH_API int32_t lsh_fm_port_rx(struct lsh_fm *portal, uint32_t port, const struct lsh_rx_port *rx);
/* Enables (1) or disables (0) a bound TX port; a disabled port leaves frames queued. */
LSH_API int32_t lsh_fm_port_enable(struct lsh_fm *portal, uint32_t port, int32_t enabled);
/* Sets a TX port's error queue (the FMan port's error FQ, dpaa_eth's dpaa_tx_error): frames the port
 * could not send (a status in LSH_FD_STATUS_TX_ERRORS) are delivered there with their status, whatever
 * their confirmation queue, and never released to a pool by the hardware; software frees them once.
 * fqid is a confirmation FQ, or 0: errored frames go to their confirmation queue like the others
 * (and, with none, are dropped). -ENODEV for an unknown port, -ENOENT/-EINVAL for a bad FQ. */
LSH_API int32_t lsh_fm_port_error_queue(struct lsh_fm *portal, uint32_t port, uint32_t fqid);

/* Enqueues up to count descriptors to a TX FQ in order through the portal's EQCR, in one burst (one
 * EQCR_PI write per EQCR refill); returns how many were taken (>= 1), or -EBUSY when nothing was (the
 * EQCR is full and QMan takes nothing from it, or the FQ holds ring_depth frames), -ENOENT for an unknown
 * FQ, -EINVAL otherwise. Fewer than count: the rest are the caller's to retry, in order. A frame taken
 * may still be rejected (tail drop), each by itself: its rejection arrives on the message ring
 * (lsh_fm_rejections) and the frames behind it are queued. */
LSH_API int32_t lsh_fm_enqueue(struct lsh_fm *portal, uint32_t fqid, const struct lsh_qm_fd *fds, uint32_t count);
/* Dequeues up to max TX confirmations of a confirmation FQ (or received frames of an RX FQ): the portal's DQRR entries for it, each the
 * frame's descriptor with its status word in place of the command. Entries of other FQs met on the
 * DQRR wait in their FQ's software ring for their own call. Returns how many (0: none yet). */
LSH_API int32_t lsh_fm_dequeue(struct lsh_fm *portal, uint32_t fqid, struct lsh_qm_dqrr_entry *entries, uint32_t max);
/* Dequeues up to max enqueue rejections (ERNs) from the portal's message ring; returns how many. */
LSH_API int32_t lsh_fm_rejections(struct lsh_fm *portal, struct lsh_qm_mr_entry *entries, uint32_t max);

/* Readiness notification of a confirmation FQ (an RX FQ alike: received frames count as its entries), so a consumer can sleep in poll/epoll instead of polling
 * the queue (the QMan portal interrupt: DQRI for confirmations, MRI for rejections).
 * lsh_fm_notifier returns a descriptor (an eventfd, non-blocking, close-on-exec; >= 0) that becomes
 * readable when `threshold` (1 to the FQ's depth) confirmations wait in the FQ, or fewer when the TX FQ
 * they came from has nothing more queued, or at an enqueue rejection of a frame enqueued to a TX FQ
 * whose confirmation FQ it is (confirmations are coalesced as by the portal's interrupt threshold). It
 * stays readable until lsh_fm_notify_ack. The portal owns the descriptor: it is closed when the FQ is
 * destroyed or the portal closed (never close it yourself; remove it from epoll sets first). Repeated
 * calls return the same descriptor and set the threshold. -EINVAL for a TX FQ or a threshold out of
 * range.
 * Like a level interrupt that software re-enables, one notification covers every entry delivered until
 * the ack: acknowledge first, then dequeue confirmations (and rejections) until none are left, so no
 * entry goes unnoticed. lsh_fm_notify_ack clears the descriptor and re-arms it; returns 1 when a
 * notification was pending, 0 when not, -EBADF when the FQ has no notifier. */
LSH_API int32_t lsh_fm_notifier(struct lsh_fm *portal, uint32_t fqid, uint32_t threshold);
LSH_API int32_t lsh_fm_notify_ack(struct lsh_fm *portal, uint32_t fqid);
/* Waits up to timeout_ms until the portal's hardware has nothing queued; 0 when idle, -ETIMEDOUT. */
LSH_API int32_t lsh_fm_drain(struct lsh_fm *portal, uint32_t timeout_ms);

/* Creates a buffer pool; returns its BPID (0..63) or -ENOSPC. capacity: buffers it can hold. */
LSH_API int32_t lsh_bm_pool_create(struct lsh_fm *portal, uint32_t capacity);
/* Destroys a pool; the buffers still in it are forgotten (they were never the pool's memory). */
LSH_API int32_t lsh_bm_pool_destroy(struct lsh_fm *portal, uint32_t bpid);
/* Releases 1-8 buffers to a pool; -ENOSPC when the pool is full (nothing released). */
LSH_API int32_t lsh_bm_release(struct lsh_fm *portal, uint32_t bpid, const struct lsh_bm_buffer *buffers, uint32_t count);
/* Acquires exactly count (1-8) buffers, or -ENOMEM when the pool holds fewer (nothing acquired). */
LSH_API int32_t lsh_bm_acquire(struct lsh_fm *portal, uint32_t bpid, struct lsh_bm_buffer *buffers, uint32_t count);
/* The number of buffers a pool holds. */
LSH_API int32_t lsh_bm_pool_count(struct lsh_fm *portal, uint32_t bpid);

/* Registers [vaddr, vaddr + length) for DMA. Both must be page-aligned. *region receives the
 * region's id and *bus_base the bus address of its first byte.
 * Physical mode (config.smmu == 0): pfns[i] is the page frame number of page i (from
 *   /proc/self/pagemap, pinned with mlock); a byte's bus address is pfn << page_shift | page offset,
 *   so later pages are wherever their frames are. Every bus address must fit 40 bits (-ERANGE).
 * SMMU mode (config.smmu == 1): pfns must be NULL; the portal maps the range at a contiguous
 *   40-bit IOVA range: bus address = *bus_base + (virtual address - vaddr).
 * The memory must stay mapped until unregistered. The device reads it only through the region:
 * a read of a page that went away (a truncated file) is a DMA error, never a fault. */
LSH_API int32_t lsh_dma_register(struct lsh_fm *portal, uint64_t vaddr, uint64_t length, const uint64_t *pfns,
				 uint32_t *region, uint64_t *bus_base);
/* Unregisters a region; frames still in flight that point into it complete with a DMA error. */
LSH_API int32_t lsh_dma_unregister(struct lsh_fm *portal, uint32_t region);

/* Copies the portal's counters. */
LSH_API int32_t lsh_fm_counters(struct lsh_fm *portal, struct lsh_fm_counters *counters);

/* ---- The codec of dpaa.h: raw big-endian fields <-> host-order values ------------------------------ */
LSH_API void lsh_fd_decode(const struct lsh_qm_fd *fd, struct lsh_fd_fields *fields);
/* Returns -EINVAL (and writes nothing) when a value does not fit its field. */
LSH_API int32_t lsh_fd_encode(const struct lsh_fd_fields *fields, struct lsh_qm_fd *fd);
LSH_API void lsh_sg_decode(const struct lsh_qm_sg_entry *sg, struct lsh_sg_fields *fields);
LSH_API int32_t lsh_sg_encode(const struct lsh_sg_fields *fields, struct lsh_qm_sg_entry *sg);
LSH_API void lsh_bm_decode(const struct lsh_bm_buffer *buffer, struct lsh_bm_fields *fields);
LSH_API int32_t lsh_bm_encode(const struct lsh_bm_fields *fields, struct lsh_bm_buffer *buffer);

/* ---- Layout facts for the binding tests: sizeof/offsetof as the C compiler sees them ---------------- */
struct lsh_layout_fact {
	const char *name; /* "struct.size" or "struct.field" */
	uint64_t value;   /* bytes */
};
/* Sets *facts to a static table and returns its length. */
LSH_API int32_t lsh_layout_facts(const struct lsh_layout_fact **facts);

#endif
