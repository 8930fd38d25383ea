/* SPDX-License-Identifier: Apache-2.0 */
/* Cache maintenance and DMA barriers of a silicon-mapped portal's cache-enabled region, used by the
 * portal driver on mapped portals only (qm_portal_hw.c, bm_portal_hw.c, qb_mc.c).
 *
 * A USDPAA process maps the cache-enabled region cacheable and non-shareable, so QMan's writes to a ring
 * entry are not snooped: software invalidates a line before reading what QMan wrote there, and cleans a
 * line after writing a command so QMan sees it (Linux drivers/soc/fsl/qbman/dpaa_sys.h: dpaa_flush,
 * dpaa_invalidate, dpaa_touch_ro; DPDK drivers/bus/dpaa/include/compat.h: dcbf, dccivac, dcbit_ro).
 * On arm64 user space cannot use `dc ivac` (EL1 only, it traps at EL0), so invalidation is clean and
 * invalidate (`dc civac`), as DPDK's dcbit_ro does; a line software wrote is never invalidated before it
 * was cleaned, so nothing is lost. dma_wmb/dma_rmb are the outer-shareable `dmb` Linux uses for them.
 *
 * Elsewhere (the host and the s390x test build) the "silicon" is a test thread on the same coherent
 * memory: the cache operations are compiler barriers and the DMA barriers C11 fences (no instruction on
 * x86 or s390x, which keep stores and loads in order). */
#ifndef LAYERSTORE_CACHE_OPS_H
#define LAYERSTORE_CACHE_OPS_H

#include <string.h>

#define QB_CACHELINE 64

#if defined(__aarch64__)
/* dpaa_flush: clean the line to the point of coherency, so QMan reads what software wrote. */
static inline void qb_flush(const void *p)
{
	__asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
}

/* dpaa_invalidate: drop the line (after cleaning it), so the next read fetches what QMan wrote. */
static inline void qb_invalidate(const void *p)
{
	__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
}

/* dpaa_touch_ro: start fetching the line software reads next. */
static inline void qb_touch_ro(const void *p)
{
	__asm__ volatile("prfm pldl1keep, [%0]" : : "r"(p));
}

/* dma_wmb: a command's other bytes reach memory before its verb. */
static inline void qb_dma_wmb(void)
{
	__asm__ volatile("dmb oshst" : : : "memory");
}

/* dma_rmb: an entry's other bytes are read after the verb that said it is valid. */
static inline void qb_dma_rmb(void)
{
	__asm__ volatile("dmb oshld" : : : "memory");
}

/* The cache-inhibited register writes are ordered after the ring stores before them. */
static inline void qb_io_wmb(void)
{
	__asm__ volatile("dsb st" : : : "memory");
}
#else
static inline void qb_flush(const void *p)
{
	(void)p;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void qb_invalidate(const void *p)
{
	(void)p;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void qb_touch_ro(const void *p)
{
	__builtin_prefetch(p, 0, 3);
}

static inline void qb_dma_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void qb_dma_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void qb_io_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}
#endif

/* dpaa_invalidate_touch_ro: invalidate a line QMan will write, and start fetching it. */
static inline void qb_invalidate_touch_ro(const void *p)
{
	qb_invalidate(p);
	qb_touch_ro(p);
}

/* dpaa_zero, but for the verb: a command entry starts as zeroes so the previous command's bytes do not
 * leak into it. The verb keeps last pass's valid bit until the commit writes it: on silicon the zeroed
 * line stays in the cache until the flush, but where the memory is coherent QMan would see a zero verb,
 * which is valid on every odd pass, before the command was written. */
static inline void qb_zero_body(void *p)
{
	memset((unsigned char *)p + 1, 0, QB_CACHELINE - 1);
}

#endif
