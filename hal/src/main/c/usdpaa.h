/* SPDX-License-Identifier: Apache-2.0 */
/* The usdpaa backend's open path: /dev/fsl-usdpaa, frame-queue and buffer-pool ids from its ioctls, a
 * QMan and a BMan portal whose regions are mapped into this process, the QMan portal's interrupt
 * through /dev/fsl-usdpaa-irq, and a DMA region of the kernel's USDPAA memory (the buffers and tables
 * the silicon reads by physical address). Every system call goes through a usdpaa_ops table, the ioctl boundary a
 * test substitutes; the mapped portals are handed to the portal driver (qm_portal_hw.h,
 * bm_portal_hw.h). */
#ifndef LAYERSTORE_USDPAA_PRIVATE_H
#define LAYERSTORE_USDPAA_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "layerstore/usdpaa.h"
#include "bm_portal_hw.h"
#include "qm_portal_hw.h"
#include "usdpaa_abi.h"

/* The system calls of the open path. Each returns what the call returns on success (a descriptor, 0)
 * and a negative errno on failure; mmap stores the mapping's address in *addr. */
struct usdpaa_ops {
	int (*open)(void *ctx, const char *path, int flags);
	int (*close)(void *ctx, int fd);
	int (*ioctl)(void *ctx, int fd, unsigned long request, void *arg);
	int (*mmap)(void *ctx, int fd, uint64_t offset, size_t length, int prot, void **addr);
	int (*munmap)(void *ctx, void *addr, size_t length);
	/* poll(2) of one descriptor for POLLIN: >0 with *revents, 0 on timeout */
	int (*poll)(void *ctx, int fd, int timeout_ms, short *revents);
	/* read(2): the bytes read */
	int (*read)(void *ctx, int fd, void *buf, size_t length);
	void *ctx;
};

/* The real system calls. */
extern const struct usdpaa_ops usdpaa_system_ops;

/* What the open path asks the kernel for. */
struct usdpaa_request {
	uint32_t fqids; /* frame-queue ids, one range */
	uint32_t bpids; /* buffer-pool ids, one range */
	uint64_t dma_size; /* bytes of the DMA region: a power-of-4 multiple of the page size */
};

/* What a probe asks for: a region as large as the offload engine's buffers need on a board. */
#define USDPAA_PROBE_DMA_SIZE (64ull << 20)

/* One portal as the kernel gave it and as it is mapped here. */
struct usdpaa_portal {
	int held;         /* the kernel gave it to this process (ALLOC_RAW_PORTAL) and has not had it back */
	uint32_t index;   /* the kernel's portal index */
	uint64_t ce_phys; /* the regions' physical addresses (the mmap offsets) */
	uint64_t ci_phys;
	uint8_t *ce;      /* cache-enabled region: the rings */
	uint8_t *ci;      /* cache-inhibited region: the registers */
};

/* The interrupt sources the backend enables in the QMan portal's IER (QM_HW_REG_IER; QM_PIRQ_DQRI:
 * DQRR entries; QM_PIRQ_MRI: MR messages, the rejections; QM_PIRQ_CSCI: a congestion group's state
 * changed). ISR is write-1-to-clear; IIR 1 inhibits. */
#define USDPAA_QM_PIRQ_DQRI 0x00020000u
#define USDPAA_QM_PIRQ_MRI 0x00010000u
#define USDPAA_QM_PIRQ_CSCI LSH_QM_PIRQ_CSCI
#define USDPAA_QM_PIRQ_SOURCES (USDPAA_QM_PIRQ_DQRI | USDPAA_QM_PIRQ_MRI | USDPAA_QM_PIRQ_CSCI)

/* The DMA region: where the kernel mapped it in this process and the physical address of its first
 * byte (what a BMan buffer, an FD's address and an S/G entry hold). */
struct usdpaa_dma {
	uint8_t *virt;
	uint64_t phys;
	uint64_t size;
};

/* An open usdpaa backend. fd and irq_fd are -1 and the mappings NULL where not (or no longer) held. */
struct usdpaa {
	const struct usdpaa_ops *ops;
	int fd;
	int irq_fd;
	uint32_t fqid_base, fqid_count;
	uint32_t bpid_base, bpid_count;
	struct usdpaa_portal qman;
	struct usdpaa_portal bman;
	/* the mapped portals as the portal driver drives them, taken over where their registers say the
	 * rings are (a portal another process used is not at reset) */
	struct qm_hw_portal qm;
	struct bm_hw_portal bm;
	struct usdpaa_dma dma;
	usdpaa_irq_count irq_count; /* the interrupt count the last wake-up read */
};

/* Runs the open path. On success returns 0 and *failed_step is LSH_USDPAA_STEP_NONE; on failure returns
 * the failed call's negative errno with *failed_step naming it, having undone every earlier step. */
int usdpaa_open(struct usdpaa *u, const struct usdpaa_ops *ops, const struct usdpaa_request *request,
		uint32_t *failed_step);
/* Undoes an open: the DMA region, the interrupt, the mappings, the portals, the ids and the device, in
 * reverse order. */
void usdpaa_close(struct usdpaa *u);

/* The DMA region of an open backend; -ENXIO when it holds none. */
int usdpaa_dma_region(const struct usdpaa *u, struct usdpaa_dma *out);
/* The physical address of [p, p + length) when all of it lies in the DMA region, else -ERANGE. */
int usdpaa_dma_phys(const struct usdpaa *u, const void *p, uint64_t length, uint64_t *phys);

/* Waits for portal work, as the datapath thread does between bursts: the sources the portal raised
 * since the last wait (ISR) are cleared by writing them back (write 1 to clear) and, when there are
 * any, returned at once; otherwise the interrupt is re-armed (IIR 0: the kernel's handler inhibited
 * it) and the thread sleeps in poll() on the interrupt descriptor (EINTR is retried with the time
 * left) until the kernel counts an interrupt or timeout_ms passes (-1: no limit). On a wake-up the
 * count is read (u->irq_count) and the raised sources are cleared and returned likewise (0 when the
 * interrupt came for sources already handled). Returns 0 with *sources, -ETIMEDOUT, -EPROTO for a read
 * shorter than the count, or the negative errno of poll or read (-EBADF for a descriptor not open). */
int usdpaa_wait_portal_work(struct usdpaa *u, int timeout_ms, uint32_t *sources);

struct lsh_usdpaa_fm_config;
struct lsh_usdpaa_fm;
/* lsh_usdpaa_fm_open (layerstore/usdpaa_fm.h) on the system calls of ops, with the management commands'
 * timeout (and the waits for the RCR and for FQRNs) of mc_timeout_ns: the silicon answers within
 * QM_MCR_TIMEOUT_NS, a test's fake silicon on a loaded host may need longer. */
int usdpaa_fm_open_ops(const struct usdpaa_ops *ops, uint64_t mc_timeout_ns, const struct lsh_usdpaa_fm_config *config,
		       struct lsh_usdpaa_fm **out, uint32_t *failed_step);

#endif
