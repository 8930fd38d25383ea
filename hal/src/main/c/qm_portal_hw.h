/* SPDX-License-Identifier: Apache-2.0 */
/* The QMan portal driver on a silicon-mapped software portal (the usdpaa backend's QMan portal): the
 * software side of the EQCR, DQRR, MR and management command interface, as Linux
 * drivers/soc/fsl/qbman/qman.c and DPDK drivers/bus/dpaa/base/qbman/qman.[ch] drive them on an ARM part
 * (LS1043A, LS1046A). Not thread-safe: one portal per thread, as Linux has one per CPU and DPDK one
 * per lcore.
 *
 * Registers: the cache-inhibited region's at the ARM offsets (QM_HW_REG_*, Linux qman.c under
 * CONFIG_ARM64: QM_REG_*_CINH from 0x3000 up), big-endian 32-bit words. qbman.h's LSH_QM_REG_* are the
 * PowerPC layout (0x0000 up), which the emulated portal (qb_ring.h, emu_fm.c) keeps; the rings' offsets
 * in the cache-enabled region (LSH_QM_CL_EQCR, _DQRR, _MR) are the same on both.
 *
 * Modes (QCSP_CFG): EQCR in valid-bit mode, DQRR pushed by the static dequeue command and consumed by
 * CI writes, MR consumed by CI writes; no stashing (the raw portal is allocated without it), so the
 * EQCR's consumer index is read from its cache-enabled copy and that line invalidated after each read
 * (qm_eqcr_cce_update). Polling: the portal's interrupts are left disabled here. */
#ifndef LAYERSTORE_QM_PORTAL_HW_H
#define LAYERSTORE_QM_PORTAL_HW_H

#include <stdint.h>

#include "layerstore/qbman.h"
#include "qb_mc.h"
#include "qb_ring.h"
#include "qb_vb_ring.h"

/* Cache-inhibited registers, ARM/arm64 layout (Linux qman.c QM_REG_*) */
#define QM_HW_REG_EQCR_PI 0x3000u
#define QM_HW_REG_EQCR_CI 0x3040u
#define QM_HW_REG_EQCR_ITR 0x3080u
#define QM_HW_REG_DQRR_PI 0x3100u
#define QM_HW_REG_DQRR_CI 0x3140u
#define QM_HW_REG_DQRR_ITR 0x3180u
#define QM_HW_REG_DQRR_DCAP 0x31C0u
#define QM_HW_REG_DQRR_SDQCR 0x3200u
#define QM_HW_REG_DQRR_VDQCR 0x3240u
#define QM_HW_REG_DQRR_PDQCR 0x3280u
#define QM_HW_REG_MR_PI 0x3300u
#define QM_HW_REG_MR_CI 0x3340u
#define QM_HW_REG_MR_ITR 0x3380u
#define QM_HW_REG_CFG 0x3500u
#define QM_HW_REG_ISR 0x3600u
#define QM_HW_REG_IER 0x3640u
#define QM_HW_REG_ISDR 0x3680u
#define QM_HW_REG_IIR 0x36C0u
/* Cache-enabled region, ARM layout (QM_CL_*): the index copies and the command interface */
#define QM_HW_CL_EQCR_PI 0x3000u
#define QM_HW_CL_EQCR_CI 0x3040u
#define QM_HW_CL_DQRR_PI 0x3100u
#define QM_HW_CL_DQRR_CI 0x3140u
#define QM_HW_CL_MR_PI 0x3300u
#define QM_HW_CL_MR_CI 0x3340u
#define QM_HW_CL_CR 0x3800u
#define QM_HW_CL_RR0 0x3900u
#define QM_HW_CL_RR1 0x3940u

/* QCSP_CFG fields (qm_eqcr_init, qm_dqrr_init, qm_mr_init) */
#define QM_HW_CFG_EPM_SHIFT 24 /* EQCR production mode: 2 = valid bit */
#define QM_HW_CFG_EPM_PVB 2u
#define QM_HW_CFG_DQRR_MF_SHIFT 20 /* DQRR maximum fill */
#define QM_HW_CFG_DP_SHIFT 18      /* DQRR dequeue mode: 0 = push (SDQCR/VDQCR) */
#define QM_HW_CFG_DCM_SHIFT 16     /* DQRR consumption mode: 0 = CI writes */
#define QM_HW_CFG_RE_SE 0xA0u      /* dequeue responses: enable RE and SE */
#define QM_HW_CFG_MM_SHIFT 8       /* MR consumption mode: 0 = CI writes */
#define QM_HW_DQRR_MAXFILL 15

/* Static dequeue command (QM_SDQCR_*): which channels the portal dequeues from, and how */
#define QM_SDQCR_SOURCE_CHANNELS 0x0u
#define QM_SDQCR_COUNT_UPTO3 0x20000000u
#define QM_SDQCR_DEDICATED_PRECEDENCE 0x10000000u
#define QM_SDQCR_TYPE_PRIO_QOS 0x01000000u
#define QM_SDQCR_TOKEN_SHIFT 16
#define QM_SDQCR_CHANNELS_DEDICATED 0x00008000u
#define QM_SDQCR_POOL(n) (0x00008000u >> (n)) /* pool channel n, 1..15 */
#define QM_SDQCR_POOLS_MASK 0x00007FFFu
/* Pool channel n is channel QM_HW_CHANNEL_POOL1 + n - 1 (QMan rev 3, LS1043A and LS1046A: Linux
 * qman_ccsr.c QMAN_CHANNEL_POOL1_REV3); its SDQCR bit is QM_SDQCR_POOL(n). */
#define QM_HW_CHANNEL_POOL1 0x401u
#define QM_SDQCR_POOL_CHANNEL(channel) QM_SDQCR_POOL((channel) + 1u - QM_HW_CHANNEL_POOL1)
#define QM_SDQCR_TOKEN 0xABu /* the token Linux qman.c puts in every dequeue response (QM_SDQCR_TOKEN_SET(0xab)) */

/* Management command verbs (QM_MCC_VERB_*) and result codes (QM_MCR_RESULT_*) */
#define QM_MCC_VERB_MASK 0x7Fu
#define QM_MCC_VERB_INITFQ_PARKED 0x40u
#define QM_MCC_VERB_INITFQ_SCHED 0x41u
#define QM_MCC_VERB_QUERYFQ_NP 0x45u
#define QM_MCC_VERB_ALTER_RETIRE 0x4Au
#define QM_MCC_VERB_ALTER_OOS 0x4Bu
#define QM_MCC_VERB_INITCGR 0x50u
#define QM_MCC_VERB_MODIFYCGR 0x51u
#define QM_MCR_RESULT_NULL 0x00u
#define QM_MCR_RESULT_OK 0xF0u
#define QM_MCR_RESULT_ERR_FQID 0xF1u
#define QM_MCR_RESULT_ERR_FQSTATE 0xF2u
#define QM_MCR_RESULT_ERR_NOTEMPTY 0xF3u
#define QM_MCR_RESULT_ERR_BADCHANNEL 0xF4u
#define QM_MCR_RESULT_PENDING 0xF8u
#define QM_MCR_RESULT_ERR_BADCOMMAND 0xFFu
#define QM_MCR_FQS_NOTEMPTY 0x01u
#define QM_MCR_FQS_ORLPRESENT 0x02u
#define QM_MCR_TIMEOUT_NS 10000000u /* QM_MCR_TIMEOUT: 10 ms */
/* QUERYFQ_NP state (QM_MCR_NP_STATE_*) */
#define QM_MCR_NP_STATE_MASK 0x07u
#define QM_MCR_NP_STATE_OOS 0x00u
#define QM_MCR_NP_STATE_RETIRED 0x01u
#define QM_MCR_NP_STATE_TEN_SCHED 0x02u
#define QM_MCR_NP_STATE_TRU_SCHED 0x03u
#define QM_MCR_NP_STATE_PARKED 0x04u
#define QM_MCR_NP_STATE_ACTIVE 0x05u

/* Initialise FQ write-enable mask (QM_INITFQ_WE_*) */
#define QM_INITFQ_WE_OAC 0x0100u
#define QM_INITFQ_WE_ORPC 0x0080u
#define QM_INITFQ_WE_CGID 0x0040u
#define QM_INITFQ_WE_FQCTRL 0x0020u
#define QM_INITFQ_WE_DESTWQ 0x0010u
#define QM_INITFQ_WE_ICSCRED 0x0008u
#define QM_INITFQ_WE_TDTHRESH 0x0004u
#define QM_INITFQ_WE_CONTEXTB 0x0002u
#define QM_INITFQ_WE_CONTEXTA 0x0001u
/* Initialise/modify CGR write-enable mask (QM_CGR_WE_*) */
#define QM_CGR_WE_CSCN_EN 0x0010u
#define QM_CGR_WE_CSTD_EN 0x0004u
#define QM_CGR_WE_CS_THRES 0x0002u
#define QM_CGR_WE_MODE 0x0001u
#define QM_CGR_EN 0x01u

/* Initialise FQ (qm_mcc_initfq): the descriptor at byte 10 */
struct qm_hw_mcc_initfq {
	uint8_t verb;
	uint8_t reserved1;
	uint16_t we_mask; /* big-endian, QM_INITFQ_WE_* */
	uint32_t fqid;    /* 24 bits, big-endian */
	uint16_t count;   /* initialises count + 1 FQDs, big-endian */
	struct lsh_qm_fqd fqd;
	uint8_t reserved2[30];
};

/* Alter FQ state and query FQ (qm_mcc_alterfq, qm_mcc_queryfq) */
struct qm_hw_mcc_fq {
	uint8_t verb;
	uint8_t reserved1[3];
	uint32_t fqid; /* 24 bits, big-endian */
	uint8_t reserved2;
	uint8_t count;
	uint8_t reserved3[10];
	uint32_t context_b;
	uint8_t reserved4[40];
};

/* Initialise/modify CGR (qm_mcc_initcgr with struct __qm_mc_cgr at byte 4) */
struct qm_hw_mcc_initcgr {
	uint8_t verb;
	uint8_t reserved1;
	uint16_t we_mask; /* big-endian, QM_CGR_WE_* */
	uint8_t wr_parm_g[4], wr_parm_y[4], wr_parm_r[4];
	uint8_t wr_en_g, wr_en_y, wr_en_r;
	uint8_t cscn_en;      /* QM_CGR_EN: state change notifications */
	uint8_t cscn_targ[4];
	uint8_t cstd_en;      /* QM_CGR_EN: tail drop at the threshold */
	uint8_t cs;
	uint8_t cs_thres[2];  /* qm_thres_encode (qm_cgr_cs_thres_set64), big-endian */
	uint8_t mode;         /* 0: byte counting */
	uint8_t reserved2[2];
	uint8_t cgid;
	uint8_t reserved3[32];
};

/* Management command result: verb (the command's), result code, then per command */
struct qm_hw_mcr {
	uint8_t verb;
	uint8_t result;
	uint8_t fqs; /* ALTER_RETIRE: QM_MCR_FQS_* */
	uint8_t state; /* QUERYFQ_NP: QM_MCR_NP_STATE_* */
	uint8_t reserved1[36];
	uint32_t byte_cnt; /* QUERYFQ_NP, big-endian */
	uint32_t frm_cnt;  /* QUERYFQ_NP, 24 bits, big-endian */
	uint8_t reserved2[16];
};

/* An FQ state change message on the MR (union qm_mr_entry's fq form: FQRN, FQRNI, FQRL, FQPN) */
struct qm_hw_mr_fq {
	uint8_t verb;
	uint8_t fqs; /* QM_MR_FQS_* */
	uint8_t reserved1[6];
	uint32_t fqid;      /* 24 bits, big-endian */
	uint32_t context_b; /* big-endian */
	uint8_t reserved2[48];
};

/* What QUERYFQ_NP answers that the driver reports */
struct qm_hw_fq_np {
	uint8_t state; /* QM_MCR_NP_STATE_* (the low three bits) */
	uint32_t frames;
	uint32_t bytes;
};

/* A silicon-mapped QMan portal as the driver keeps it. */
struct qm_hw_portal {
	uint8_t *ce; /* cache-enabled region (16 KiB) */
	uint8_t *ci; /* cache-inhibited region (16 KiB) */
	struct qb_vb_ring eqcr; /* producer */
	struct qb_ring dqrr; /* consumer */
	struct qb_ring mr;   /* consumer */
	struct qb_mc mc;
	uint32_t sdqcr;
};

uint32_t qm_hw_in(const struct qm_hw_portal *p, uint32_t offset);
void qm_hw_out(struct qm_hw_portal *p, uint32_t offset, uint32_t value);

/* Takes over the portal at ce/ci where its registers say the rings are (a portal another process used
 * is not at reset), sets QCSP_CFG's modes and leaves its interrupts disabled (qman_create_portal's
 * qm_eqcr_init, qm_dqrr_init, qm_mr_init, qm_mc_init). No dequeue until qm_hw_static_dequeue. */
void qm_hw_portal_init(struct qm_hw_portal *p, uint8_t *ce, uint8_t *ci, uint64_t mc_timeout_ns);
/* The static dequeue command: the portal's dedicated channel plus pool channels (QM_SDQCR_POOL bits),
 * up to three frames per dequeue, dedicated channel first (qman_static_dequeue_add). */
void qm_hw_static_dequeue(struct qm_hw_portal *p, uint32_t pools);

/* Enqueues up to count frames to fqid, each with tag (returned in a rejection). Returns how many went
 * into the EQCR (1..count), or -EBUSY when it had no free entry. */
int32_t qm_hw_enqueue(struct qm_hw_portal *p, uint32_t fqid, uint32_t tag, const struct lsh_qm_fd *fds, uint32_t count);
/* Takes up to max dequeue responses off the DQRR into out and acknowledges them with one CI write.
 * Returns how many. */
uint32_t qm_hw_dequeue(struct qm_hw_portal *p, struct lsh_qm_dqrr_entry *out, uint32_t max);
/* Takes up to max message ring entries (rejections, FQ state changes) likewise. */
uint32_t qm_hw_messages(struct qm_hw_portal *p, struct lsh_qm_mr_entry *out, uint32_t max);

/* Management commands. Each returns 0 or a negative errno: ETIMEDOUT when the portal did not answer
 * within the timeout, EIO when it answered another verb, else the result code's (qm_hw_result_errno). */
/* Initialise FQ: parked, or scheduled to its descriptor's channel; only the fields in we_mask are
 * written (qman_init_fq). */
int qm_hw_init_fq(struct qm_hw_portal *p, uint32_t fqid, int schedule, const struct lsh_qm_fqd *fqd, uint16_t we_mask);
/* Retire: 0 when retired at once, 1 when retirement is pending (an FQRN follows on the MR); *fqs the
 * FQ status (QM_MCR_FQS_*) (qman_retire_fq). */
int qm_hw_retire_fq(struct qm_hw_portal *p, uint32_t fqid, uint8_t *fqs);
/* Take a retired FQ out of service (qman_oos_fq). */
int qm_hw_oos_fq(struct qm_hw_portal *p, uint32_t fqid);
/* Query the non-programmable fields: state and frame and byte counts (qman_query_fq_np). */
int qm_hw_query_fq_np(struct qm_hw_portal *p, uint32_t fqid, struct qm_hw_fq_np *out);
/* Initialise (or modify) congestion group cgid: a byte threshold, tail drop at it or not, state change
 * notifications or not (qman_create_cgr / qm_modify_cgr, as dpaa_eth_cgr_init sets them). */
int qm_hw_init_cgr(struct qm_hw_portal *p, uint8_t cgid, int modify, uint32_t threshold_bytes, int taildrop, int notify);
/* A result code's errno: OK 0, PENDING 1, ERR_FQID -ERANGE (qman_query_fq_np), ERR_NOTEMPTY -ENOTEMPTY,
 * ERR_FQSTATE -EBUSY, ERR_BADCHANNEL -ENXIO, any other -EIO (what Linux answers for them all). */
int qm_hw_result_errno(uint8_t result);

#endif
