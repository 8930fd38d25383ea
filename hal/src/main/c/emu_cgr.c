/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated QMan's congestion groups (CGRs): the byte count of the frames queued on their FQs (TX
 * queues and confirmation queues alike, as QMan lets any FQ be in a group), the
 * congestion state against the CS threshold, tail drop while congested and the state change notification
 * (the portal's CSCI interrupt), as Linux qman_create_cgr and dpaa_eth's egress CGR use them. */
#include <errno.h>

#include "emu.h"

static struct emu_cgr *cgr_find(struct lsh_fm *fm, uint32_t cgid)
{
	return cgid < LSH_QM_CGR_COUNT && fm->cgrs[cgid].used ? &fm->cgrs[cgid] : NULL;
}

int32_t lsh_fm_cgr_create(struct lsh_fm *fm, const struct lsh_cgr_params *p, uint32_t *cgid)
{
	if (!fm || !p || !cgid || p->threshold == 0 || p->taildrop > 1 || p->notify > 1 || p->reserved)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	int rc = -ENOSPC;

	for (uint32_t i = 0; rc == -ENOSPC && i < LSH_QM_CGR_COUNT; i++) {
		if (!fm->cgrs[i].used) {
			fm->cgrs[i] = (struct emu_cgr){ .used = 1, .cs_thres = qm_thres_encode(p->threshold),
							.taildrop = (int)p->taildrop, .notify = (int)p->notify };
			fm->reported[i] = 0;
			*cgid = i;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_fm_cgr_destroy(struct lsh_fm *fm, uint32_t cgid)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_cgr *cgr = cgr_find(fm, cgid);
	int rc = !cgr ? -ENOENT : cgr->fqs ? -EBUSY : 0;

	if (rc == 0)
		*cgr = (struct emu_cgr){ 0 };
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_fm_cgr_query(struct lsh_fm *fm, uint32_t cgid, struct lsh_cgr_state *state)
{
	if (!fm || !state)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_cgr *cgr = cgr_find(fm, cgid);

	if (cgr)
		*state = (struct lsh_cgr_state){ .cgid = cgid, .congested = (uint32_t)cgr->congested, .bytes = cgr->bytes };
	pthread_mutex_unlock(&fm->lock);
	return cgr ? 0 : -ENOENT;
}

/* The group's state change interrupt: CSCI in the ISR, and the consumers of its FQs woken (a TX FQ's
 * through its confirmation queue; a confirmation queue in the group itself). */
static void state_changed(struct lsh_fm *fm, uint32_t cgid)
{
	fm->counters.cgr_changes++;
	qm_reg_out(fm->area, LSH_QM_REG_ISR, qm_reg_in(fm->area, LSH_QM_REG_ISR) | LSH_QM_PIRQ_CSCI);
	for (uint32_t i = 0; i < EMU_MAX_FQS; i++) {
		struct emu_fq *fq = &fm->fqs[i];

		if (!fq->id || qm_fqd_cgr(&fq->fqd) != (int)cgid)
			continue;
		struct emu_fq *conf = fq->kind == LSH_FQ_TX ? emu_fq_find(fm, fq->confirm_fqid) : fq;

		if (conf && conf->kind == LSH_FQ_CONFIRM)
			emu_notify(conf, 1);
	}
}

void emu_cgr_account(struct lsh_fm *fm, const struct emu_fq *fq, const struct lsh_qm_fd *fd, int sign)
{
	int cgid = qm_fqd_cgr(&fq->fqd);
	struct emu_cgr *cgr = cgid < 0 ? NULL : cgr_find(fm, (uint32_t)cgid);

	if (!cgr)
		return;
	struct lsh_fd_fields f;

	lsh_fd_decode(fd, &f);
	cgr->bytes = sign > 0 ? cgr->bytes + f.length : cgr->bytes - f.length;
	int congested = cgr->bytes > qm_thres_decode(cgr->cs_thres);

	if (congested != cgr->congested) {
		cgr->congested = congested;
		if (cgr->notify)
			state_changed(fm, (uint32_t)cgid);
	}
}

int emu_cgr_taildrop(const struct lsh_fm *fm, const struct emu_fq *fq)
{
	int cgid = qm_fqd_cgr(&fq->fqd);

	return cgid >= 0 && fm->cgrs[cgid].used && fm->cgrs[cgid].taildrop && fm->cgrs[cgid].congested;
}
