/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The usdpaa backend's open path, as the Java side sees it: a probe that runs every step against the
 * real devices (/dev/fsl-usdpaa and /dev/fsl-usdpaa-irq of a linux-qoriq kernel) and undoes them, and
 * says which step failed with which errno. The steps are in the order the open path takes them.
 */
#ifndef LAYERSTORE_USDPAA_H
#define LAYERSTORE_USDPAA_H

#include <stdint.h>

#include "layerstore/fm.h" /* LSH_API */

#define LSH_USDPAA_STEP_NONE 0         /* every step succeeded */
#define LSH_USDPAA_STEP_OPEN_DEVICE 1  /* open /dev/fsl-usdpaa */
#define LSH_USDPAA_STEP_ALLOC_FQIDS 2  /* USDPAA_IOCTL_ID_ALLOC of frame-queue ids */
#define LSH_USDPAA_STEP_ALLOC_BPIDS 3  /* USDPAA_IOCTL_ID_ALLOC of buffer-pool ids */
#define LSH_USDPAA_STEP_QMAN_PORTAL 4  /* USDPAA_IOCTL_ALLOC_RAW_PORTAL of a QMan portal */
#define LSH_USDPAA_STEP_QMAN_MAP_CE 5  /* mmap of its cache-enabled region (the rings) */
#define LSH_USDPAA_STEP_QMAN_MAP_CI 6  /* mmap of its cache-inhibited region (the registers) */
#define LSH_USDPAA_STEP_BMAN_PORTAL 7  /* USDPAA_IOCTL_ALLOC_RAW_PORTAL of a BMan portal */
#define LSH_USDPAA_STEP_BMAN_MAP_CE 8
#define LSH_USDPAA_STEP_BMAN_MAP_CI 9
#define LSH_USDPAA_STEP_OPEN_IRQ 10    /* open /dev/fsl-usdpaa-irq */
#define LSH_USDPAA_STEP_IRQ_MAP 11     /* USDPAA_IOCTL_PORTAL_IRQ_MAP of the QMan portal's interrupt */
#define LSH_USDPAA_STEP_DMA_MAP 12     /* USDPAA_IOCTL_DMA_MAP of the DMA region (the kernel maps it too) */

/* What a probe found. */
struct lsh_usdpaa_probe {
	int32_t error;        /* 0, or the negative errno of the failed step */
	uint32_t step;        /* the failed step (LSH_USDPAA_STEP_*), LSH_USDPAA_STEP_NONE if none failed */
	uint32_t qman_portal; /* the portals and ids the kernel gave (valid when no step failed) */
	uint32_t bman_portal;
	uint32_t fqid_base;
	uint32_t bpid_base;
	uint32_t reserved;    /* 0 */
	uint64_t dma_size;    /* the DMA region the kernel gave (valid when no step failed): its bytes */
	uint64_t dma_phys;    /* and the physical address of its first byte */
};

/* Opens the usdpaa backend on the real devices (one FQID, one BPID, a QMan and a BMan portal, the QMan
 * portal's interrupt and a 64 MiB DMA region, what the backend maps for its buffers), then closes it
 * again, releasing everything. Returns out->error. */
LSH_API int32_t lsh_usdpaa_probe(struct lsh_usdpaa_probe *out);
/* The name of a step (LSH_USDPAA_STEP_*), for messages; "unknown step" for any other value. */
LSH_API const char *lsh_usdpaa_step_name(uint32_t step);

#endif
