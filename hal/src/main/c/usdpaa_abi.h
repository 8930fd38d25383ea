/* SPDX-License-Identifier: Apache-2.0 */
/* The USDPAA user-space ABI of NXP's linux-qoriq kernels: the ioctls of /dev/fsl-usdpaa and
 * /dev/fsl-usdpaa-irq, written from include/linux/fsl_usdpaa.h (the kernel side is
 * drivers/staging/fsl_qbman/fsl_usdpaa.c and fsl_usdpaa_irq.c; DPDK's drivers/bus/dpaa/base/qbman/process.c
 * is another user of the same ABI). Only what the usdpaa backend calls is here. The layouts are those of
 * an LP64 process (arm64, the board's): an enum of that header is a 32-bit int and a pointer is 8 bytes;
 * test_usdpaa.c checks every size, offset and request number. */
#ifndef LAYERSTORE_USDPAA_ABI_H
#define LAYERSTORE_USDPAA_ABI_H

#include <linux/ioctl.h>
#include <stdint.h>

#define USDPAA_DEVICE "/dev/fsl-usdpaa"
#define USDPAA_IRQ_DEVICE "/dev/fsl-usdpaa-irq"

/* enum usdpaa_id_type: which id space an allocation draws from */
#define USDPAA_ID_FQID 0u
#define USDPAA_ID_BPID 1u
/* enum usdpaa_portal_type */
#define USDPAA_PORTAL_QMAN 0u
#define USDPAA_PORTAL_BMAN 1u
/* QBMAN_ANY_PORTAL_IDX: let the kernel choose a free portal; it writes back the one it chose */
#define USDPAA_ANY_PORTAL 0xFFFFFFFFu

/* struct usdpaa_ioctl_id_alloc: num ids from base, aligned to align (a power of two, 0 means 1);
 * partial 0 asks for all of them or none. The kernel writes base and num back. */
struct usdpaa_id_alloc {
	uint32_t base;
	uint32_t id_type;
	uint32_t num;
	uint32_t align;
	int32_t partial;
};

/* struct usdpaa_ioctl_id_release */
struct usdpaa_id_release {
	uint32_t id_type;
	uint32_t base;
	uint32_t num;
};

/* struct usdpaa_ioctl_raw_portal: a portal taken from the kernel's pool of unused ones, without
 * stashing; the kernel writes back its index and the physical addresses of its cache-inhibited (cinh)
 * and cache-enabled (cena) regions, which the process then maps with mmap on the same descriptor at
 * those offsets (usdpaa_mmap matches the offset against the portal's regions). */
struct usdpaa_raw_portal {
	uint32_t type;
	uint8_t enable_stash;
	uint32_t cpu;
	uint32_t cache;
	uint32_t window;
	uint8_t sdest;
	uint32_t index;
	uint64_t cinh;
	uint64_t cena;
};

/* struct usdpaa_ioctl_irq_map: binds a /dev/fsl-usdpaa-irq descriptor to the portal whose
 * cache-inhibited region is mapped at portal_cinh in the process that holds fd (its /dev/fsl-usdpaa). */
struct usdpaa_irq_map {
	uint32_t type;
	int32_t fd;
	void *portal_cinh;
};

/* struct usdpaa_ioctl_dma_map: a region of the kernel's USDPAA memory reservation (physically
 * contiguous, never migrated: it is not page-cache or anonymous memory). len must be a power-of-4
 * multiple of the page size; flags 0 asks for a private region (SHARE with a name makes or joins a
 * named one; CREATE, LAZY, RDONLY qualify it). The kernel maps the region into the calling process
 * itself (ioctl_dma_map ends with do_mmap of the region's frames) and writes back where (ptr), the
 * physical address of its first byte (phys_addr) and, for a shared region, has_locking and
 * did_create. */
#define USDPAA_DMA_NAME_MAX 16
#define USDPAA_DMA_FLAG_SHARE 0x01u
#define USDPAA_DMA_FLAG_CREATE 0x02u
#define USDPAA_DMA_FLAG_LAZY 0x04u
#define USDPAA_DMA_FLAG_RDONLY 0x08u
struct usdpaa_dma_map {
	void *ptr;
	uint64_t phys_addr;
	uint64_t len;
	uint32_t flags;
	char name[USDPAA_DMA_NAME_MAX];
	int32_t has_locking;
	int32_t did_create;
};

#define USDPAA_IOCTL_MAGIC 'u'
#define USDPAA_IOCTL_ID_ALLOC _IOWR(USDPAA_IOCTL_MAGIC, 0x01, struct usdpaa_id_alloc)
#define USDPAA_IOCTL_ID_RELEASE _IOW(USDPAA_IOCTL_MAGIC, 0x02, struct usdpaa_id_release)
/* DMA_UNMAP's argument is not a struct but the region's address in the process (ptr): the kernel
 * finds the mapping there, gives the region back and unmaps it. */
#define USDPAA_IOCTL_DMA_MAP _IOWR(USDPAA_IOCTL_MAGIC, 0x03, struct usdpaa_dma_map)
#define USDPAA_IOCTL_DMA_UNMAP _IOW(USDPAA_IOCTL_MAGIC, 0x04, unsigned char)
#define USDPAA_IOCTL_PORTAL_IRQ_MAP _IOW(USDPAA_IOCTL_MAGIC, 0x09, struct usdpaa_irq_map)
#define USDPAA_IOCTL_ALLOC_RAW_PORTAL _IOWR(USDPAA_IOCTL_MAGIC, 0x0C, struct usdpaa_raw_portal)
#define USDPAA_IOCTL_FREE_RAW_PORTAL _IOR(USDPAA_IOCTL_MAGIC, 0x0D, struct usdpaa_raw_portal)

/* The size of each portal region as the LS1043A/LS1046A device trees give it (every qman-portal and
 * bman-portal node: a 16 KiB cache-enabled and a 16 KiB cache-inhibited reg); usdpaa_mmap refuses
 * (EINVAL) a mapping whose length differs from the region's. */
#define USDPAA_PORTAL_CE_SIZE 0x4000u
#define USDPAA_PORTAL_CI_SIZE 0x4000u

/* /dev/fsl-usdpaa-irq (fsl_usdpaa_irq.c): after IRQ_MAP its interrupt handler counts each interrupt
 * of the portal, wakes the descriptor's readers and inhibits the portal's interrupt (writes 1 to the
 * portal's IIR) until user space re-enables it. poll() says POLLIN while the count differs from the
 * one last read; read() of at least this many bytes returns the count (blocking until it differs). */
typedef uint32_t usdpaa_irq_count;

#endif
