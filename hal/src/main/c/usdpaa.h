/* SPDX-License-Identifier: Apache-2.0 */
/* The usdpaa backend's open path: /dev/fsl-usdpaa, frame-queue and buffer-pool ids from its ioctls, a
 * QMan and a BMan portal whose regions are mapped into this process, and the QMan portal's interrupt
 * through /dev/fsl-usdpaa-irq. Every system call goes through a usdpaa_ops table, the ioctl boundary a
 * test substitutes; the rings of the mapped portals are handed to the portal driver's ring protocol
 * (qb_ring.h). */
#ifndef LAYERSTORE_USDPAA_PRIVATE_H
#define LAYERSTORE_USDPAA_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "layerstore/usdpaa.h"
#include "qb_ring.h"

/* The system calls of the open path. Each returns what the call returns on success (a descriptor, 0)
 * and a negative errno on failure; mmap stores the mapping's address in *addr. */
struct usdpaa_ops {
	int (*open)(void *ctx, const char *path, int flags);
	int (*close)(void *ctx, int fd);
	int (*ioctl)(void *ctx, int fd, unsigned long request, void *arg);
	int (*mmap)(void *ctx, int fd, uint64_t offset, size_t length, int prot, void **addr);
	int (*munmap)(void *ctx, void *addr, size_t length);
	void *ctx;
};

/* The real system calls. */
extern const struct usdpaa_ops usdpaa_system_ops;

/* What the open path asks the kernel for. */
struct usdpaa_request {
	uint32_t fqids; /* frame-queue ids, one range */
	uint32_t bpids; /* buffer-pool ids, one range */
};

/* One portal as the kernel gave it and as it is mapped here. */
struct usdpaa_portal {
	int held;         /* the kernel gave it to this process (ALLOC_RAW_PORTAL) and has not had it back */
	uint32_t index;   /* the kernel's portal index */
	uint64_t ce_phys; /* the regions' physical addresses (the mmap offsets) */
	uint64_t ci_phys;
	uint8_t *ce;      /* cache-enabled region: the rings */
	uint8_t *ci;      /* cache-inhibited region: the registers */
};

/* Where an ARM part (LS1043A, LS1046A) keeps the ring indices in a portal's cache-inhibited region:
 * Linux drivers/soc/fsl/qbman/qman.c and bman.c under CONFIG_ARM64 (QM_REG_*_CINH, BM_REG_RCR_*_CINH).
 * qbman.h's LSH_QM_REG_* are the emulated portal's layout, not these. Big-endian 32-bit words. */
#define USDPAA_QM_REG_EQCR_PI 0x3000u
#define USDPAA_QM_REG_DQRR_CI 0x3140u
#define USDPAA_QM_REG_MR_CI 0x3340u
#define USDPAA_BM_REG_RCR_PI LSH_BM_REG_RCR_PI

/* The rings of the mapped portals, as the portal driver produces and consumes them, each starting at
 * this side's index as the portal's register holds it (a portal another process used is not at reset:
 * Linux qm_eqcr_init reads EQCR_PI the same way). */
struct usdpaa_rings {
	struct qb_ring eqcr; /* QMan portal, at LSH_QM_CL_EQCR of its cache-enabled region */
	struct qb_ring dqrr;
	struct qb_ring mr;
	struct qb_ring rcr;  /* BMan portal, at LSH_BM_CL_RCR */
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
	struct usdpaa_rings rings;
};

/* Runs the open path. On success returns 0 and *failed_step is LSH_USDPAA_STEP_NONE; on failure returns
 * the failed call's negative errno with *failed_step naming it, having undone every earlier step. */
int usdpaa_open(struct usdpaa *u, const struct usdpaa_ops *ops, const struct usdpaa_request *request,
		uint32_t *failed_step);
/* Undoes an open: the interrupt, the mappings, the portals, the ids and the device, in reverse order. */
void usdpaa_close(struct usdpaa *u);

#endif
