/* SPDX-License-Identifier: Apache-2.0 */
/* The QMan portal driver: the software side of the portal's rings, as a USDPAA or DPDK driver works
 * them on silicon. Enqueue writes an EQCR entry (FQID, tag, descriptor), then its verb with the valid
 * bit, and rings the doorbell; dequeue consumes DQRR entries and acknowledges them through DQRR_CI;
 * rejections are MR entries acknowledged through MR_CI. The FQ bookkeeping it shares with the emulated
 * QMan (the congestion count, the software rings) is under the portal's mutex. */
#include <endian.h>
#include <errno.h>

#include "emu.h"

/* The emulated FQ's capacity: its frames plus this portal's commands for it still in the EQCR against
 * ring_depth. Counting its own uncommitted commands keeps the count exact, so QMan never drops a frame for
 * want of room. (What stops a sender on a byte budget is the FQ's congestion group, emu_cgr.c.) */
static int queue_full(const struct lsh_fm *fm, const struct emu_fq *fq)
{
	return fq->count + fq->in_eqcr >= fm->config.ring_depth;
}

/* Writes commands for fds[0..count-1] into the EQCR back to back, as far as the ring (its consumer index
 * `ci`) and the FQ have room; returns how many. Each entry is published by its own verb (valid bit). */
static uint32_t write_commands(struct lsh_fm *fm, struct emu_fq *fq, const struct lsh_qm_fd *fds, uint32_t count,
			       uint32_t ci)
{
	uint32_t n = 0;
	struct lsh_qm_eqcr_entry *e;

	while (n < count && !queue_full(fm, fq) && (e = qb_produce_start(&fm->sw_eqcr, ci)) != NULL) {
		e->fqid = htobe32(fq->id & LSH_QM_FQID_MASK);
		e->tag = htobe32(fq->id);
		e->fd = fds[n++];
		qb_produce_commit(&fm->sw_eqcr, e, LSH_QM_EQCR_VERB_CMD_ENQUEUE);
		fq->in_eqcr++;
	}
	return n;
}

/* A burst, as DPDK's qman_enqueue_multi: the commands go into the EQCR back to back and EQCR_PI is written
 * once for all of them (one doorbell). The EQCR holds 7 commands, so a longer burst refills it: the driver
 * re-reads EQCR_CI for what QMan took meanwhile (qm_eqcr_cce_update) and goes on, one PI write per refill.
 * It stops where the FQ is full or QMan took nothing (its MR full of rejections to read): the caller retries
 * the rest, in order. QMan's verdict stays per frame: a command it rejects goes to the MR by itself and the
 * ones behind it are still queued. */
int32_t lsh_fm_enqueue(struct lsh_fm *fm, uint32_t fqid, const struct lsh_qm_fd *fds, uint32_t count)
{
	if (!fm || !fds || count == 0)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_fq *fq = emu_fq_find(fm, fqid);
	int32_t taken = 0;

	if (!fq || fq->kind != LSH_FQ_TX) {
		taken = fq ? -EINVAL : -ENOENT;
	} else {
		uint32_t n;

		while ((uint32_t)taken < count &&
		       (n = write_commands(fm, fq, fds + taken, count - (uint32_t)taken,
					   qm_reg_in(fm->area, LSH_QM_REG_EQCR_CI))) > 0) {
			taken += (int32_t)n;
			qm_reg_out(fm->area, LSH_QM_REG_EQCR_PI, fm->sw_eqcr.index);
			emu_doorbell(fm);
		}
		if (taken == 0) {
			fm->counters.ring_full++;
			taken = -EBUSY;
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return taken;
}

static void park(struct emu_fq *fq, const struct lsh_qm_dqrr_entry *e)
{
	fq->parked[(fq->parked_head + fq->parked_count++) % fq->capacity] = *e;
}

/* Consumes DQRR entries: those of `want` go to out (up to max), others to their FQ's software ring.
 * Stops at an entry whose FQ's software ring is full (it stays on the DQRR). Returns how many went to
 * out; *consumed counts the entries taken off the DQRR. */
static uint32_t poll_dqrr(struct lsh_fm *fm, const struct emu_fq *want, struct lsh_qm_dqrr_entry *out, uint32_t max,
			  uint32_t *consumed)
{
	uint32_t n = 0;
	const struct lsh_qm_dqrr_entry *e;

	while (n < max && (e = qb_consume_current(&fm->sw_dqrr)) != NULL) {
		uint32_t fqid = be32toh(e->fqid) & LSH_QM_FQID_MASK;

		if (fqid == want->id) {
			out[n++] = *e;
		} else {
			struct emu_fq *other = emu_fq_find(fm, fqid);

			if (other && other->parked_count == other->capacity)
				break;
			if (other) {
				park(other, e);
				emu_notify(other, 1); /* its owner may have found the DQRR blocked by this entry */
			}
		}
		qb_consume_next(&fm->sw_dqrr);
		(*consumed)++;
	}
	return n;
}

int32_t lsh_fm_dequeue(struct lsh_fm *fm, uint32_t fqid, struct lsh_qm_dqrr_entry *entries, uint32_t max)
{
	if (!fm || !entries)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_fq *fq = emu_fq_find(fm, fqid);
	int32_t rc = 0;

	if (!fq || !emu_fq_dequeued(fq)) {
		rc = fq ? -EINVAL : -ENOENT;
	} else {
		uint32_t n = 0, consumed = 0;

		while (n < max && fq->parked_count > 0) {
			entries[n++] = fq->parked[fq->parked_head];
			fq->parked_head = (fq->parked_head + 1) % fq->capacity;
			fq->parked_count--;
		}
		/* The DQRR holds 15 entries: a call for more acknowledges what it consumed (DQRR_CI), which lets QMan
		 * put the FQ's next frames on the ring, and polls again, until it has max or QMan put nothing more
		 * (as qman_p_poll_dqrr is called with a budget above the ring's size). One pass per ring, not one
		 * call: a receive of 64 frames was 15. */
		uint32_t before;

		do {
			before = consumed;
			n += poll_dqrr(fm, fq, entries + n, max - n, &consumed);
			if (consumed > before) {
				qm_reg_out(fm->area, LSH_QM_REG_DQRR_CI, fm->sw_dqrr.index);
				emu_doorbell(fm); /* room on the DQRR for a stalled QMan */
			}
		} while (n < max && consumed > before);
		fq->pending -= n;
		rc = (int32_t)n;
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_fm_rejections(struct lsh_fm *fm, struct lsh_qm_mr_entry *entries, uint32_t max)
{
	if (!fm || !entries)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	uint32_t n = 0;
	const struct lsh_qm_mr_entry *e;

	while (n < max && (e = qb_consume_current(&fm->sw_mr)) != NULL) {
		entries[n++] = *e;
		qb_consume_next(&fm->sw_mr);
	}
	if (n > 0) {
		qm_reg_out(fm->area, LSH_QM_REG_MR_CI, fm->sw_mr.index);
		emu_doorbell(fm);
	}
	pthread_mutex_unlock(&fm->lock);
	return (int32_t)n;
}

int32_t lsh_fm_congestion(struct lsh_fm *fm, struct lsh_cgr_state *changes, uint32_t max)
{
	if (!fm || !changes)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	uint32_t n = 0;

	if (qm_reg_in(fm->area, LSH_QM_REG_ISR) & LSH_QM_PIRQ_CSCI) {
		/* qm_congestion_task: clear CSCI first (write 1 to clear), then query, so a change after the
		 * query raises it again. */
		qm_reg_out(fm->area, LSH_QM_REG_ISR, qm_reg_in(fm->area, LSH_QM_REG_ISR) & ~LSH_QM_PIRQ_CSCI);
		for (uint32_t cgid = 0; cgid < LSH_QM_CGR_COUNT; cgid++) {
			const struct emu_cgr *cgr = &fm->cgrs[cgid];

			if (!cgr->used || !cgr->notify || fm->reported[cgid] == cgr->congested)
				continue;
			if (n == max) {
				/* Room for no more: leave CSCI raised so the next call reports the rest. */
				qm_reg_out(fm->area, LSH_QM_REG_ISR, qm_reg_in(fm->area, LSH_QM_REG_ISR) | LSH_QM_PIRQ_CSCI);
				break;
			}
			fm->reported[cgid] = (uint8_t)cgr->congested;
			changes[n++] = (struct lsh_cgr_state){ .cgid = cgid, .congested = (uint32_t)cgr->congested,
							       .bytes = cgr->bytes };
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return (int32_t)n;
}
