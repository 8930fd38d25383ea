/* SPDX-License-Identifier: Apache-2.0 */
/* The usdpaa backend's open path: /dev/fsl-usdpaa, frame-queue and buffer-pool ids from its ioctls, a
 * QMan and a BMan portal whose regions are mapped into this process, and the QMan portal's interrupt
 * through /dev/fsl-usdpaa-irq. Every system call goes through a usdpaa_ops table, the ioctl boundary a
 * test substitutes; the mapped portals are handed to the portal driver (qm_portal_hw.h,
 * bm_portal_hw.h). */
#ifndef LAYERSTORE_USDPAA_PRIVATE_H
#define LAYERSTORE_USDPAA_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "layerstore/usdpaa.h"
#include "bm_portal_hw.h"
#include "qm_portal_hw.h"

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
};

/* Runs the open path. On success returns 0 and *failed_step is LSH_USDPAA_STEP_NONE; on failure returns
 * the failed call's negative errno with *failed_step naming it, having undone every earlier step. */
int usdpaa_open(struct usdpaa *u, const struct usdpaa_ops *ops, const struct usdpaa_request *request,
		uint32_t *failed_step);
/* Undoes an open: the interrupt, the mappings, the portals, the ids and the device, in reverse order. */
void usdpaa_close(struct usdpaa *u);

#endif
