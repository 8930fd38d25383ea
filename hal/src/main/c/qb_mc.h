/* SPDX-License-Identifier: Apache-2.0 */
/* The management command protocol of a silicon-mapped QMan or BMan portal: one command register (CR)
 * and two response registers (RR0, RR1) in the cache-enabled region. Software writes the command, then
 * its verb with the valid bit; the portal answers in RR0 and RR1 alternately (the response's verb is
 * the command's, non-zero once written) and clears the other one, and the valid bit flips with each
 * command (Linux drivers/soc/fsl/qbman/qman.c and bman.c: qm_mc_init, qm_mc_start, qm_mc_commit,
 * qm_mc_result; DPDK drivers/bus/dpaa/base/qbman/qman.h likewise). */
#ifndef LAYERSTORE_QB_MC_H
#define LAYERSTORE_QB_MC_H

#include <stdint.h>

/* One portal's command interface. rr points at RR0; RR1 follows it at rr_stride bytes. */
struct qb_mc {
	uint8_t *cr;
	uint8_t *rr;
	uint32_t rr_stride;
	uint8_t rridx; /* the response register the next answer lands in */
	uint8_t vbit;  /* the valid bit of the next command */
	uint64_t timeout_ns; /* how long qb_mc_wait polls for an answer */
};

/* The command interface at cr/rr. Which RR answers next follows from what the portal left there
 * (qm_mc_init): RR0 holds the last answer, or both are clear, means RR1 is next with valid bit 1. */
void qb_mc_init(struct qb_mc *mc, uint8_t *cr, uint8_t *rr, uint32_t rr_stride, uint64_t timeout_ns);
/* The command register, zeroed but for its verb (qm_mc_start). */
void *qb_mc_start(struct qb_mc *mc);
/* Publishes the command: barrier, the verb with the valid bit, flush; and readies the response register
 * for the answer (qm_mc_commit). */
void qb_mc_commit(struct qb_mc *mc, uint8_t verb);
/* The answer, or NULL while the portal has not written it (qm_mc_result). */
const uint8_t *qb_mc_result(struct qb_mc *mc);
/* Polls for the answer up to mc->timeout_ns (qm_mc_result_timeout): the answer, or NULL on timeout. */
const uint8_t *qb_mc_wait(struct qb_mc *mc);
/* Commits the command with verb and waits for the answer, which must carry the same verb in the bits of
 * verb_mask. Returns 0 with *answer set, -ETIMEDOUT, or -EIO for an answer to another command. */
int qb_mc_call(struct qb_mc *mc, uint8_t verb, uint8_t verb_mask, const uint8_t **answer);

#endif
