/* SPDX-License-Identifier: Apache-2.0 */
/* The BMan portal driver on a silicon-mapped software portal (the usdpaa backend's BMan portal): buffer
 * release through the RCR in valid-bit mode and acquire through the management command, as Linux
 * drivers/soc/fsl/qbman/bman.c (bman_release, bman_acquire) and DPDK drivers/bus/dpaa/base/qbman/bman.c
 * do on an ARM part. Not thread-safe: one portal per thread. Registers at the ARM offsets (BM_REG_* of
 * bman.c under CONFIG_ARM64), big-endian 32-bit words. */
#ifndef LAYERSTORE_BM_PORTAL_HW_H
#define LAYERSTORE_BM_PORTAL_HW_H

#include <stdint.h>

#include "layerstore/qbman.h"
#include "qb_mc.h"
#include "qb_vb_ring.h"

/* Cache-inhibited registers, ARM layout (Linux bman.c BM_REG_*) */
#define BM_HW_REG_RCR_PI LSH_BM_REG_RCR_PI /* 0x3000 */
#define BM_HW_REG_RCR_CI LSH_BM_REG_RCR_CI /* 0x3100 */
#define BM_HW_REG_RCR_ITR 0x3200u
#define BM_HW_REG_CFG 0x3300u
#define BM_HW_REG_ISR 0x3E00u
#define BM_HW_REG_IER 0x3E40u
#define BM_HW_REG_ISDR 0x3E80u
#define BM_HW_REG_IIR 0x3EC0u
/* Cache-enabled region (BM_CL_*): the command interface, the RCR and its consumer index copy */
#define BM_HW_CL_CR LSH_BM_CL_CR   /* 0x0000 */
#define BM_HW_CL_RR0 LSH_BM_CL_RR0 /* 0x0100 */
#define BM_HW_CL_RR1 0x0140u
#define BM_HW_CL_RCR LSH_BM_CL_RCR /* 0x1000 */
#define BM_HW_CL_RCR_PI 0x3000u
#define BM_HW_CL_RCR_CI 0x3100u
/* BCSP_CFG::RPM, RCR production mode: 2 = valid bit (bm_rcr_init) */
#define BM_HW_CFG_RPM_PVB 2u
#define BM_MCR_TIMEOUT_NS 10000000u /* BM_MCR_TIMEOUT: 10 ms */

struct bm_hw_portal {
	uint8_t *ce;
	uint8_t *ci;
	struct qb_vb_ring rcr; /* producer */
	struct qb_mc mc;
};

uint32_t bm_hw_in(const struct bm_hw_portal *p, uint32_t offset);
void bm_hw_out(struct bm_hw_portal *p, uint32_t offset, uint32_t value);

/* Takes over the portal at ce/ci where its registers say the RCR is, in valid-bit mode, interrupts
 * disabled (bm_rcr_init, bm_mc_init, bman_create_portal). */
void bm_hw_portal_init(struct bm_hw_portal *p, uint8_t *ce, uint8_t *ci, uint64_t mc_timeout_ns);
/* Releases count (1-8) buffers, by their 48-bit addresses, to pool bpid in one RCR entry. Returns 0,
 * -EINVAL for a count outside 1-8, or -EBUSY when the RCR has no free entry. */
int bm_hw_release(struct bm_hw_portal *p, uint8_t bpid, const uint64_t *addrs, uint32_t count);
/* Acquires up to count (1-8) buffers from pool bpid. Returns how many BMan gave (0 when the pool is
 * empty), -EINVAL for a count outside 1-8, -ETIMEDOUT or -EIO (another verb) from the command. */
int bm_hw_acquire(struct bm_hw_portal *p, uint8_t bpid, uint64_t *addrs, uint32_t count);

#endif
