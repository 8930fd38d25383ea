/* SPDX-License-Identifier: Apache-2.0 */
/* A fake QMan and BMan for the portal driver's tests (test_portal_hw.c): the hardware side of one
 * software portal each, on the silicon's memory layout (the ARM register offsets of qm_portal_hw.h and
 * bm_portal_hw.h), in ordinary memory. It takes EQCR and RCR entries by their valid bit and moves the
 * consumer index (register and cache-enabled copy), produces DQRR and MR entries flipping the valid bit
 * on each wrap, and answers management commands in RR0 and RR1 alternately with QMan's verbs and result
 * codes; an FQ scheduled to an FMan channel is a TX port's, whose frames it confirms. It runs as a thread, as the silicon runs beside the CPU, or one step at a time. */
#ifndef LAYERSTORE_TEST_FAKE_SILICON_H
#define LAYERSTORE_TEST_FAKE_SILICON_H

#include <pthread.h>
#include <stdint.h>

#include "layerstore/qbman.h"
#include "qb_ring.h"

#define FAKE_FQID_BASE 0x100u /* the FQIDs this QMan has: FAKE_FQID_BASE .. + FAKE_FQS - 1 */
#define FAKE_FQS 8
#define FAKE_FQ_FRAMES 64
#define FAKE_LOG 256
#define FAKE_POOL_BUFS 64
#define FAKE_POOLS 8
/* An FQ scheduled to one of these channels feeds an FMan TX port (QMan rev 3: FMan's channels from
 * 0x800): the fake FMan takes its frames and confirms each to the FQ its context_b names. */
#define FAKE_FMAN_CHANNEL 0x800u
#define FAKE_FMAN_CHANNELS 16u

struct fake_fq {
	uint32_t state; /* LSH_QM_FQ_STATE_* */
	struct lsh_qm_fqd fqd;
	struct lsh_qm_fd frames[FAKE_FQ_FRAMES];
	uint32_t head, count;
	uint32_t bytes;
};

struct fake_qman {
	_Alignas(64) uint8_t ce[LSH_QM_CE_SIZE];
	_Alignas(64) uint8_t ci[0x4000];
	uint16_t channel; /* the portal's dedicated channel */
	struct qb_ring eqcr, dqrr, mr; /* this side's view: EQCR consumed, DQRR and MR produced */
	uint8_t cr_vbit;
	struct fake_fq fqs[FAKE_FQS];
	uint8_t cgr_thres[LSH_QM_CGR_COUNT][2], cgr_cstd[LSH_QM_CGR_COUNT], cgr_cscn[LSH_QM_CGR_COUNT];
	struct lsh_qm_mr_entry pending_mr[FAKE_LOG]; /* messages waiting for room on the MR */
	uint32_t pending_mr_count;
	struct lsh_qm_eqcr_entry eq_log[FAKE_LOG]; /* every enqueue command taken, in order */
	uint32_t eq_count;
	uint8_t last_command[LSH_QB_ENTRY_SIZE]; /* the last management command as it read it */
	uint8_t rr_used[FAKE_LOG];               /* which RR answered each command */
	uint32_t commands;
	uint8_t force_result; /* non-zero: the next command is answered with this result code */
	int eqcr_paused;      /* leave the EQCR alone (the ring fills) */
	uint32_t transmitted; /* frames the fake FMan took off TX FQs */
};

struct fake_bman {
	_Alignas(64) uint8_t ce[0x4000];
	_Alignas(64) uint8_t ci[0x4000];
	struct qb_ring rcr;
	uint8_t cr_vbit;
	uint64_t pools[FAKE_POOLS][FAKE_POOL_BUFS]; /* a stack per BPID */
	uint32_t pool_count[FAKE_POOLS];
	uint32_t releases; /* RCR entries taken */
	int rcr_paused;
};

/* A fake's steps run on a thread, as the silicon runs beside the CPU. */
struct fake_runner {
	void (*step)(void *fake);
	void *fake;
	int stop;
	pthread_t thread;
};

/* Out of reset, or, with start > 0, as a previous user left it: every ring index at `start` entries
 * past reset, the rings empty. */
void fake_qman_reset(struct fake_qman *q, uint16_t channel, uint32_t start);
void fake_qman_step(struct fake_qman *q);
void fake_bman_reset(struct fake_bman *b, uint32_t start);
void fake_bman_step(struct fake_bman *b);
/* Runs the fake's steps on a thread until fake_stop. */
void fake_qman_start(struct fake_runner *r, struct fake_qman *q);
void fake_bman_start(struct fake_runner *r, struct fake_bman *b);
void fake_stop(struct fake_runner *r);

#endif
