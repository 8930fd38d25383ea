/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated DPAA1 backend's internal state: one struct lsh_fm per portal, guarded by its mutex.
 * The portal driver (portal_driver.c) and the emulated QMan (emu_fm.c) meet only in the portal's
 * memory (struct qm_portal_area): EQCR, DQRR and MR entries and the index registers. */
#ifndef LAYERSTORE_EMU_H
#define LAYERSTORE_EMU_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "layerstore/hal.h"
#include "qb_ring.h"
#include "qm_fqd.h"

#define EMU_MAX_FQS 1024
#define EMU_MAX_REGIONS 4096
#define EMU_FIRST_FQID 0x100
/* SMMU mode hands out IOVAs from here up, page-aligned, below 2^40. */
#define EMU_IOVA_BASE 0x0100000000ull

/* A frame queue: what QMan holds (state, descriptor, frames) and what the portal driver keeps for it
 * (the software ring of dequeue responses met on the DQRR while another FQ was being dequeued). */
struct emu_fq {
	uint32_t id; /* 0: slot free */
	uint32_t kind;
	uint32_t state;        /* LSH_QM_FQ_STATE_* */
	uint32_t port;
	uint32_t confirm_fqid;
	struct lsh_qm_fqd fqd; /* destination channel, context_b, tail drop */
	uint32_t head, count, capacity;
	struct lsh_qm_fd *frames;      /* hardware: TX frames queued, or confirmations (status in cmd) */
	uint32_t in_eqcr;              /* TX: enqueue commands for it in the EQCR not yet taken by QMan */
	uint32_t pending;              /* CONFIRM: delivered and not yet dequeued by software (anywhere) */
	struct lsh_qm_dqrr_entry *parked; /* CONFIRM: software ring of dequeue responses */
	uint32_t parked_head, parked_count;
	int notify_fd;                 /* LSH_FQ_CONFIRM: eventfd signalled on delivery (-1: none asked for) */
	int notify_armed;              /* a delivery may signal notify_fd (cleared by the signal, set by the ack) */
	uint32_t notify_threshold;     /* entries that must wait before a delivery signals (ITHRESH) */
};

/* A congestion group as QMan keeps it (the CGR record: cs_thres, cstd_en, cscn_en, cs, i_bcnt). */
struct emu_cgr {
	int used;
	uint16_t cs_thres;  /* the threshold word: TA << Tn bytes */
	int taildrop, notify;
	int congested;      /* cs */
	uint64_t bytes;     /* i_bcnt: frame lengths of the frames queued on its FQs */
	uint32_t fqs;       /* FQs in the group (it cannot be destroyed while any is) */
};

struct emu_port {
	uint32_t id;
	int bound, enabled, busy; /* busy: the hardware is writing to its wire (target must not change) */
	int pcap_fd;
	int if_fd;          /* the interface's AF_PACKET socket, the port's own (-1: none) */
	struct lsh_rx_port rx; /* the receive path (rx.rx_fqid 0: off) */
	uint32_t error_fqid; /* the port's TX error queue (0: errors go to the frames' confirmation queue) */
};

struct emu_page {
	uint64_t pfn;
	uint64_t index; /* page index within the region */
};

struct emu_region {
	uint32_t id; /* 0: slot free */
	uint64_t vaddr, length, bus_base;
	uint64_t pages;
	struct emu_page *by_pfn; /* physical mode: pages sorted by frame number */
};

struct emu_pool {
	int used;
	uint32_t capacity, count;
	uint64_t *addrs;
};

struct lsh_fm {
	pthread_mutex_t lock;
	pthread_cond_t work;    /* hardware: something to do; callers: something changed */
	pthread_t fman;         /* the hardware thread of FMan TX (QMan reacts to the portal's doorbell) */
	int stop;               /* set under the lock; the wire reads it atomically without it */
	uint32_t in_flight;     /* FQID whose ring-head frame the hardware holds (0: none); only that FQ is busy */
	struct lsh_fm_config config;
	uint32_t page_shift;
	uint64_t page_size;
	pid_t pid;
	uint8_t *frame;         /* the hardware's gather buffer: one maximum-size frame */

	struct emu_fq fqs[EMU_MAX_FQS];
	uint32_t next_fqid;
	uint32_t next_tx_scan;  /* round-robin start among TX FQs */
	struct emu_port ports[LSH_FM_MAX_PORTS];
	struct emu_region *regions;
	uint32_t region_slots;
	uint32_t next_region_id;
	uint64_t next_iova;
	struct emu_pool pools[LSH_BM_POOL_MAX];
	struct lsh_fm_counters counters;

	pthread_t rx_thread;    /* FMan RX: reads the ports' interfaces (started by the first lsh_fm_port_rx) */
	int rx_started;
	int rx_wake;            /* eventfd that interrupts the RX thread's poll (-1 until it starts) */
	int rx_polling;         /* the RX thread is in poll() on the ports' sockets, without the lock */
	uint32_t rx_hold;       /* callers changing a port's socket: the RX thread must not poll meanwhile */
	uint8_t *rx_frame;      /* the RX thread's receive buffer */

	struct qm_portal_area *area; /* the QMan software portal's memory, shared by both sides */
	struct qb_ring sw_eqcr, sw_dqrr, sw_mr; /* the portal driver's cursors (produces EQCR) */
	struct qb_ring hw_eqcr, hw_dqrr, hw_mr; /* QMan's cursors (consumes EQCR, produces DQRR and MR) */
	uint32_t next_dequeue_scan;  /* round-robin start among confirmation FQs for the DQRR */

	struct emu_cgr cgrs[LSH_QM_CGR_COUNT]; /* QMan's congestion groups */
	uint8_t reported[LSH_QM_CGR_COUNT];    /* the driver's view: the state it last reported per group */
};

struct emu_fq *emu_fq_find(struct lsh_fm *fm, uint32_t fqid);
/* A queue software dequeues from the DQRR: a confirmation or an RX FQ. */
static inline int emu_fq_dequeued(const struct emu_fq *fq)
{
	return fq->kind == LSH_FQ_CONFIRM || fq->kind == LSH_FQ_RX;
}
/* Moves a dequeued FQ's frames onto the DQRR while it has room; returns how many (see emu_notify). */
uint32_t emu_dequeue_to_dqrr(struct lsh_fm *fm, struct emu_fq *fq, int now);
struct emu_port *emu_port_find(struct lsh_fm *fm, uint32_t port);

/* Adds (sign 1) or removes (sign -1) the length of a frame queued on an FQ (a TX frame, or a confirmation
 * waiting in its confirmation FQ) to the FQ's congestion group and, at a state change of a group with
 * notify, raises CSCI in the portal's ISR and wakes the notifiers of the group's confirmation queues and
 * of its TX FQs' confirmation queues. Under the lock. */
void emu_cgr_account(struct lsh_fm *fm, const struct emu_fq *fq, const struct lsh_qm_fd *fd, int sign);
/* Whether QMan rejects an enqueue to fq (software's to a TX FQ, FMan's to a confirmation FQ) because its
 * group is congested with tail drop. Under the lock. */
int emu_cgr_taildrop(const struct lsh_fm *fm, const struct emu_fq *fq);

/* Signals a confirmation FQ's notifier when it has one, is armed, and either holds its threshold of
 * entries or `now` is set (nothing more is on its way: a drained TX FQ, a rejection). Under the lock. */
void emu_notify(struct emu_fq *conf, int now);
/* Closes an FQ's notifier, if any, before the FQ goes away. Under the lock. */
void emu_notify_close(struct emu_fq *fq);
/* Rings the portal's doorbell after the driver wrote an index register (EQCR_PI: new commands; DQRR_CI,
 * MR_CI: room). The emulated QMan reacts at once, in the caller's thread: it takes every command it can
 * off the EQCR and dequeues what waits onto the DQRR; then waiting threads are woken. Under the lock. */
void emu_doorbell(struct lsh_fm *fm);

/* Copies len bytes at bus address bus into dst through the registered regions; 0 or -EFAULT. */
int emu_dma_read(struct lsh_fm *fm, uint64_t bus, uint32_t len, void *dst);
/* Copies len bytes from src to bus address bus through the registered regions; 0 or -EFAULT. */
int emu_dma_write(struct lsh_fm *fm, uint64_t bus, uint32_t len, const void *src);
void emu_dma_free(struct lsh_fm *fm);

/* Releases one buffer to a pool from the hardware side; 0, -ENOENT (no pool) or -ENOSPC. */
int emu_pool_put(struct lsh_fm *fm, uint32_t bpid, uint64_t addr);
/* Whether a pool exists (configuring an RX port names its pool). */
int emu_pool_exists(struct lsh_fm *fm, uint32_t bpid);
/* Acquires one buffer from a pool from the hardware side; 0, -ENOENT (no pool) or -ENOMEM (empty). */
int emu_pool_take(struct lsh_fm *fm, uint32_t bpid, uint64_t *addr);
void emu_pools_free(struct lsh_fm *fm);

/* Gathers the frame a descriptor describes into fm->frame and applies DTC; returns the status word
 * for the confirmation and sets *len to the frame length (0 when the frame is not transmitted). */
uint32_t emu_tx_gather(struct lsh_fm *fm, const struct lsh_qm_fd *fd, uint32_t *len);
/* Releases the buffers of a transmitted frame to the pools their BPIDs name. */
void emu_tx_release(struct lsh_fm *fm, const struct lsh_qm_fd *fd);

/* Puts a gathered frame on the port's wire (its interface and/or pcap file); called with the lock, which
 * it releases only while the interface's socket has no room (until *stop, read atomically, is set), so a
 * confirmation is delivered before anyone else sees the portal after the peer could have the bytes.
 * Returns 0, or -errno when the interface refused the frame (a frame lost on the wire, counted). */
int emu_wire_transmit(struct emu_port *port, const uint8_t *frame, uint32_t len, const int *stop, pthread_mutex_t *lock);
/* Writes the pcap global header to an empty file; 0 or -errno. */
int emu_wire_pcap_start(int fd);
/* Opens the AF_PACKET socket of an interface for a port's wire; the descriptor or -errno. */
int emu_wire_open_interface(const char *name);

/* Replaces a port's target (rebind): waits until neither the TX nor the RX side uses its sockets, closes
 * the old interface socket, keeps the receive path only when the new target has an interface. Under the lock. */
void emu_port_retarget(struct lsh_fm *fm, struct emu_port *port, const struct lsh_tx_target *target, int if_fd);
/* Stops the RX thread and closes the ports' interface sockets (portal close). Called without the lock. */
void emu_rx_stop(struct lsh_fm *fm);

/* The Internet checksum (RFC 1071) of data, folded, starting from sum. */
uint16_t emu_checksum(const uint8_t *data, size_t len, uint32_t sum);
/* The TCP/UDP pseudo-header sum of an IPv4 header for an L4 length and protocol. */
uint32_t emu_pseudo_header_sum(const uint8_t *ip, uint16_t l4_length, uint8_t protocol);

#endif
