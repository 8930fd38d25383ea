/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QMan and BMan software portals at the memory level, as the silicon defines them: the rings of 64-byte
 * entries a portal driver produces and consumes, the valid bit that marks a fresh entry, and the
 * cache-inhibited registers that carry the producer and consumer indices. Multi-byte fields are
 * big-endian in memory, like every DPAA structure.
 *
 * Layouts and values follow Linux include/soc/fsl/qman.h (struct qm_dqrr_entry, union qm_mr_entry,
 * struct qm_fqd), drivers/soc/fsl/qbman/qman.c (struct qm_eqcr_entry, QM_REG_*, QM_CL_*, ring sizes)
 * and drivers/soc/fsl/qbman/bman.c (struct bm_rcr_entry, struct bm_mc_command, union bm_mc_result,
 * BM_REG_* for arm/arm64).
 */
#ifndef LAYERSTORE_QBMAN_H
#define LAYERSTORE_QBMAN_H

#include <stdint.h>

#include "layerstore/dpaa.h"

/* ---- Ring geometry ---------------------------------------------------------------------------------- */
#define LSH_QM_EQCR_SIZE 8  /* enqueue command ring entries */
#define LSH_QM_DQRR_SIZE 16 /* dequeue response ring entries */
#define LSH_QM_MR_SIZE 8    /* message ring entries */
#define LSH_BM_RCR_SIZE 8   /* BMan release command ring entries */
#define LSH_QB_ENTRY_SIZE 64
/* Every ring entry's first byte is its verb; bit 7 is the valid bit. The producer writes the rest of
 * the entry, then the verb with the valid bit of the current pass; the bit flips each time the ring
 * wraps, so a consumer tells a fresh entry from last pass's by that bit alone. */
#define LSH_QB_VERB_VBIT 0x80u

#define LSH_QM_FQID_MASK 0x00FFFFFFu /* every FQID field holds 24 bits */

/* ---- Enqueue command (qm_eqcr_entry), 64 bytes: software -> QMan ------------------------------------
 *  byte  0     1    2..3     4..7   8..11   12..15   16..31   32..63
 *       verb   dca  seqnum   orp    fqid    tag      fd       reserved
 */
struct lsh_qm_eqcr_entry {
	uint8_t verb;    /* LSH_QM_EQCR_VERB_CMD_ENQUEUE | valid bit */
	uint8_t dca;     /* discrete consumption acknowledgment (unused: 0) */
	uint16_t seqnum; /* order restoration sequence number, big-endian (unused: 0) */
	uint32_t orp;    /* order restoration point, 24 bits, big-endian (unused: 0) */
	uint32_t fqid;   /* 24 bits, big-endian: the frame queue to enqueue to */
	uint32_t tag;    /* big-endian: software's, returned unchanged in a rejection (ERN) */
	struct lsh_qm_fd fd;
	uint8_t reserved[32];
};

#define LSH_QM_EQCR_VERB_CMD_MASK 0x61u
#define LSH_QM_EQCR_VERB_CMD_ENQUEUE 0x01u

/* ---- Frame dequeue response (qm_dqrr_entry), 64 bytes: QMan -> software -----------------------------
 *  byte  0     1     2..3     4    5..7       8..11   12..15      16..31   32..63
 *       verb   stat  seqnum   tok  reserved   fqid    context_b   fd       reserved
 */
struct lsh_qm_dqrr_entry {
	uint8_t verb;    /* LSH_QM_DQRR_VERB_FRAME_DEQUEUE | valid bit */
	uint8_t stat;    /* LSH_QM_DQRR_STAT_* */
	uint16_t seqnum; /* 15 bits, big-endian */
	uint8_t tok;
	uint8_t reserved2[3];
	uint32_t fqid;      /* 24 bits, big-endian: the frame queue it was dequeued from */
	uint32_t context_b; /* big-endian: that frame queue's context_b (32 bits on QMan) */
	struct lsh_qm_fd fd;
	uint8_t reserved4[32];
};

#define LSH_QM_DQRR_VERB_MASK 0x7Fu
#define LSH_QM_DQRR_VERB_FRAME_DEQUEUE 0x60u
#define LSH_QM_DQRR_STAT_FQ_EMPTY 0x80u /* the frame queue is empty after this dequeue */
#define LSH_QM_DQRR_STAT_FD_VALID 0x10u /* the entry carries a frame descriptor */

/* ---- Message ring entry (qm_mr_entry), 64 bytes: QMan -> software -----------------------------------
 * The enqueue rejection form (ERN) is laid out here:
 *  byte  0     1    2..3     4    5..7       8..11   12..15   16..31   32..63
 *       verb   dca  seqnum   rc   reserved   fqid    tag      fd       reserved
 * (FQ state change messages, FQRN/FQRNI/FQRL/FQPN, share verb and fqid and carry context_b at 12.)
 */
struct lsh_qm_mr_entry {
	uint8_t verb; /* type (LSH_QM_MR_VERB_TYPE_MASK) | valid bit; an ERN of a software enqueue is type 0 */
	uint8_t dca;
	uint16_t seqnum;
	uint8_t rc; /* LSH_MR_RC_* in bits 7..4 */
	uint8_t reserved[3];
	uint32_t fqid; /* 24 bits, big-endian: the frame queue the frame was enqueued to */
	uint32_t tag;  /* big-endian: the enqueue command's tag */
	struct lsh_qm_fd fd; /* the rejected descriptor, untouched */
	uint8_t reserved1[32];
};

#define LSH_QM_MR_VERB_TYPE_MASK 0x27u
#define LSH_QM_MR_VERB_ERN 0x00u    /* rejection of an enqueue made through a software portal */
#define LSH_QM_MR_VERB_DC_ERN 0x20u /* rejection of an enqueue made by a direct-connect portal (FMan) */
#define LSH_QM_MR_VERB_FQRN 0x21u   /* FQ retirement notification */
#define LSH_QM_MR_VERB_FQRNI 0x22u
#define LSH_QM_MR_VERB_FQRL 0x23u
#define LSH_QM_MR_VERB_FQPN 0x24u
/* Rejection codes (QM_MR_RC_*): what rejects an enqueue on QMan */
#define LSH_MR_RC_MASK 0xF0u
#define LSH_MR_RC_CGR_TAILDROP 0x00 /* the frame queue's congestion group is at its tail-drop threshold */
#define LSH_MR_RC_ERROR 0x20        /* the enqueue could not be processed (the FQ is not in service, ...) */
#define LSH_MR_RC_FQ_TAILDROP 0x50  /* the frame queue is at its own tail-drop threshold */

/* ---- Frame queue descriptor (qm_fqd), 24 bytes, as the Initialise FQ command writes it --------------
 *  byte  0      1      2..3      4..5      6..7       8..9   10..13      14..21      22..23
 *       orpc   cgid   fq_ctrl   dest_wq   ics_cred   td     context_b   context_a   oac
 * Linux packs it: context_b starts at byte 10, so the words are kept as bytes here (big-endian).
 */
struct lsh_qm_fqd {
	uint8_t orpc;
	uint8_t cgid;          /* congestion group (with LSH_QM_FQCTRL_CGE) */
	uint8_t fq_ctrl[2];    /* LSH_QM_FQCTRL_* */
	uint8_t dest_wq[2];    /* channel[15:3], work queue[2:0] */
	uint8_t ics_cred[2];
	uint8_t td[2];         /* tail-drop threshold: mantissa[12:5] << exponent[4:0] frames (with TDE) */
	uint8_t context_b[4];  /* returned in every dequeue response; on a TX FQ FMan's confirmation FQID */
	uint8_t context_a[8];  /* on a TX FQ: FMan's per-queue options */
	uint8_t oac_query[2];
};

#define LSH_QM_FQCTRL_CGE 0x0400u /* congestion group enable */
#define LSH_QM_CGR_COUNT 256      /* congestion group ids are 8 bits (qm_fqd.cgid) */
#define LSH_QM_FQCTRL_TDE 0x0200u /* tail-drop enable */
#define LSH_QM_FQD_CHAN_SHIFT 3
#define LSH_QM_FQD_WQ_MASK 0x7u
#define LSH_QM_FQD_TD_MANT_SHIFT 5
#define LSH_QM_FQD_TD_MANT_MAX 0xFFu
#define LSH_QM_FQD_TD_EXP_MASK 0x1Fu

/* context_a of a TX FQ as the FMan TX port reads it (64 bits, big-endian at qm_fqd bytes 14..21). Linux
 * dpaa_eth writes OVOM | A2V | A0V | B0V with EBD in A2 (0x1e00000080000000) on a TX FQ that has its own
 * confirmation FQ; DPDK's dpaa PMD writes OVFQ | A2V with EBD and no context_b for TX without confirmation. */
#define LSH_QM_CTXA_OVFQ (1ull << 63) /* override FQ: confirm to the FQ's context_b, whatever the FD's FCO */
#define LSH_QM_CTXA_A2V (1ull << 60)  /* the A2 field is valid */
#define LSH_QM_CTXA_A0V (1ull << 59)  /* the A0 field is valid */
#define LSH_QM_CTXA_B0V (1ull << 58)  /* the B0 field (ASPID) is valid */
#define LSH_QM_CTXA_OVOM (1ull << 57) /* override the operation mode: use A2 instead of the port's ICAD */
#define LSH_QM_CTXA_A2_EBD (1ull << 31) /* A2 EBD: FMan deallocates the transmitted frame's buffers that name a
					 * pool (FD and S/G BPIDs) to BMan, confirmed or not */

/* Frame queue states (the QMan FQ state machine; Linux enum qman_fq_state) */
#define LSH_QM_FQ_STATE_OOS 0     /* out of service: enqueues are rejected */
#define LSH_QM_FQ_STATE_PARKED 1  /* initialised, not scheduled */
#define LSH_QM_FQ_STATE_SCHED 2   /* scheduled: its frames go to its destination channel */
#define LSH_QM_FQ_STATE_RETIRED 3 /* retiring: no new frames, the queued ones drain */

/* ---- Cache-inhibited portal registers (QM_REG_*), 32-bit words ---------------------------------------
 * The PowerPC layout of Linux qman.c (0x0000 up), which the emulated portal keeps. An ARM part (LS1043A,
 * LS1046A) has them from 0x3000 up: the portal driver for silicon-mapped portals uses those
 * (hal/src/main/c/qm_portal_hw.h, QM_HW_REG_*). The producer and consumer indices count entries modulo
 * twice the ring size: the low bits are the position, the next bit the pass (a set pass bit is a valid
 * bit of 1). */
#define LSH_QM_REG_EQCR_PI 0x0000
#define LSH_QM_REG_EQCR_CI 0x0004
#define LSH_QM_REG_EQCR_ITR 0x0008
#define LSH_QM_REG_DQRR_PI 0x0040
#define LSH_QM_REG_DQRR_CI 0x0044
#define LSH_QM_REG_DQRR_ITR 0x0048
#define LSH_QM_REG_MR_PI 0x0080
#define LSH_QM_REG_MR_CI 0x0084
#define LSH_QM_REG_MR_ITR 0x0088
#define LSH_QM_REG_CFG 0x0100
#define LSH_QM_REG_ISR 0x0E00 /* interrupt status: a set bit is cleared by writing it (write 1 to clear) */
#define LSH_QM_REG_IER 0x0E04
#define LSH_QM_PIRQ_CSCI 0x00100000u /* ISR: a congestion group's state changed (QM_PIRQ_CSCI) */
#define LSH_QM_CI_SIZE 0x1000
/* Cache-enabled area: where the rings start (QM_CL_*) */
#define LSH_QM_CL_EQCR 0x0000
#define LSH_QM_CL_DQRR 0x1000
#define LSH_QM_CL_MR 0x2000
#define LSH_QM_CE_SIZE 0x4000

/* ---- BMan release command (bm_rcr_entry), 64 bytes: software -> BMan ---------------------------------
 * Up to 8 buffers; the verb and (for a single-pool release) the BPID overlay the first buffer's
 * reserved byte and BPID byte. */
struct lsh_bm_rcr_entry {
	union {
		struct {
			uint8_t verb; /* LSH_BM_RCR_VERB_CMD_* | count (1-8) | valid bit */
			uint8_t bpid; /* with LSH_BM_RCR_VERB_CMD_BPID_SINGLE */
			uint8_t reserved1[62];
		};
		struct lsh_bm_buffer bufs[LSH_BM_BURST_MAX];
	};
};

#define LSH_BM_RCR_VERB_CMD_MASK 0x70u
#define LSH_BM_RCR_VERB_CMD_BPID_SINGLE 0x20u
#define LSH_BM_RCR_VERB_CMD_BPID_MULTI 0x30u
#define LSH_BM_RCR_VERB_BUFCOUNT_MASK 0x0Fu

/* ---- BMan management command and result (bm_mc_command, bm_mc_result), 64 bytes each -------------- */
struct lsh_bm_mc_command {
	uint8_t verb; /* LSH_BM_MCC_VERB_CMD_ACQUIRE | count (1-8) | valid bit */
	uint8_t bpid;
	uint8_t reserved[62];
};

struct lsh_bm_mc_result {
	union {
		struct {
			uint8_t verb; /* the command's verb; the count is how many buffers were acquired (0-8) */
			uint8_t bpid;
			uint8_t reserved[62];
		};
		struct lsh_bm_buffer bufs[LSH_BM_BURST_MAX];
	};
};

#define LSH_BM_MCC_VERB_CMD_MASK 0x70u
#define LSH_BM_MCC_VERB_CMD_ACQUIRE 0x10u
#define LSH_BM_MCC_VERB_CMD_QUERY 0x40u
#define LSH_BM_MCC_VERB_ACQUIRE_BUFCOUNT 0x0Fu

/* BMan cache-inhibited registers on arm/arm64 (BM_REG_*) and the cache-enabled area (BM_CL_*) */
#define LSH_BM_REG_RCR_PI 0x3000
#define LSH_BM_REG_RCR_CI 0x3100
#define LSH_BM_CL_CR 0x0000
#define LSH_BM_CL_RR0 0x0100
#define LSH_BM_CL_RCR 0x1000

#endif
