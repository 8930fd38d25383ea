/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated QMan and FMan TX side of a portal. QMan reacts to the portal's doorbell: it takes
 * enqueue commands off the EQCR into their frame queues (or rejects them onto the MR) and dequeues
 * confirmation FQs onto the portal's DQRR. FMan is the portal's hardware thread: it transmits the TX
 * frame queues' frames in order and delivers confirmations to confirmation FQs. The portal driver
 * (portal_driver.c) is the software side of the same rings. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

static void *fman_main(void *arg);

struct emu_fq *emu_fq_find(struct lsh_fm *fm, uint32_t fqid)
{
	for (uint32_t i = 0; fqid && i < EMU_MAX_FQS; i++)
		if (fm->fqs[i].id == fqid)
			return &fm->fqs[i];
	return NULL;
}

struct emu_port *emu_port_find(struct lsh_fm *fm, uint32_t port)
{
	for (uint32_t i = 0; i < fm->config.port_count; i++)
		if (fm->ports[i].id == port)
			return &fm->ports[i];
	return NULL;
}

static int config_valid(const struct lsh_fm_config *c)
{
	return c->max_frame_size >= 64 && c->max_frame_size <= LSH_MAX_FRAME_JUMBO && c->ring_depth > 0 &&
	       c->ring_depth <= 4096 && c->dequeue_depth > 0 && c->dequeue_depth <= 4096 && c->a050385 <= 1 &&
	       c->smmu <= 1 && c->port_count > 0 && c->port_count <= LSH_FM_MAX_PORTS;
}

int32_t lsh_fm_open(const struct lsh_fm_config *config, struct lsh_fm **portal)
{
	if (!config || !portal || !config_valid(config))
		return -EINVAL;
	struct lsh_fm *fm = calloc(1, sizeof(*fm));

	if (!fm)
		return -ENOMEM;
	fm->config = *config;
	fm->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	fm->page_shift = (uint32_t)__builtin_ctzll(fm->page_size);
	fm->pid = getpid();
	fm->next_fqid = EMU_FIRST_FQID;
	fm->next_region_id = 1;
	fm->next_iova = EMU_IOVA_BASE;
	fm->frame = malloc(config->max_frame_size);
	fm->area = aligned_alloc(64, sizeof(*fm->area));
	if (fm->area) {
		qm_portal_area_reset(fm->area);
		fm->sw_eqcr = fm->hw_eqcr = qm_ring(fm->area, LSH_QM_CL_EQCR, LSH_QM_EQCR_SIZE);
		fm->sw_dqrr = fm->hw_dqrr = qm_ring(fm->area, LSH_QM_CL_DQRR, LSH_QM_DQRR_SIZE);
		fm->sw_mr = fm->hw_mr = qm_ring(fm->area, LSH_QM_CL_MR, LSH_QM_MR_SIZE);
	}
	for (uint32_t i = 0; i < config->port_count; i++)
		fm->ports[i] = (struct emu_port){ .id = config->ports[i], .pcap_fd = -1, .if_fd = -1 };
	fm->rx_wake = -1;
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = !fm->frame || !fm->area ? ENOMEM : pthread_mutex_init(&fm->lock, NULL);

	if (rc == 0 && (rc = pthread_cond_init(&fm->work, &attr)) != 0)
		pthread_mutex_destroy(&fm->lock);
	pthread_condattr_destroy(&attr);
	if (rc == 0 && (rc = pthread_create(&fm->fman, NULL, fman_main, fm)) != 0) {
		pthread_cond_destroy(&fm->work);
		pthread_mutex_destroy(&fm->lock);
	}
	if (rc != 0) {
		free(fm->frame);
		free(fm->area);
		free(fm);
		return -rc;
	}
	*portal = fm;
	return 0;
}

int32_t lsh_fm_close(struct lsh_fm *fm)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	__atomic_store_n(&fm->stop, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&fm->work);
	pthread_mutex_unlock(&fm->lock);
	pthread_join(fm->fman, NULL);
	emu_rx_stop(fm);
	for (uint32_t i = 0; i < EMU_MAX_FQS; i++) {
		if (fm->fqs[i].id)
			emu_notify_close(&fm->fqs[i]);
		free(fm->fqs[i].frames);
		free(fm->fqs[i].parked);
	}
	emu_dma_free(fm);
	emu_pools_free(fm);
	pthread_cond_destroy(&fm->work);
	pthread_mutex_destroy(&fm->lock);
	free(fm->area);
	free(fm->frame);
	free(fm);
	return 0;
}

const char *lsh_fm_backend(const struct lsh_fm *fm)
{
	(void)fm;
	return "emulated";
}

int32_t lsh_fm_fq_create(struct lsh_fm *fm, const struct lsh_fq_params *p, uint32_t *fqid)
{
	if (!fm || !p || !fqid || (p->kind != LSH_FQ_TX && p->kind != LSH_FQ_CONFIRM && p->kind != LSH_FQ_RX))
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	int rc = 0;
	struct emu_fq *fq = NULL;

	for (uint32_t i = 0; !fq && i < EMU_MAX_FQS; i++)
		if (fm->fqs[i].id == 0)
			fq = &fm->fqs[i];
	if (p->kind == LSH_FQ_TX && !emu_port_find(fm, p->port)) {
		rc = -ENODEV;
	} else if (p->kind == LSH_FQ_TX && p->confirm_fqid != 0 &&
		   (!emu_fq_find(fm, p->confirm_fqid) || emu_fq_find(fm, p->confirm_fqid)->kind != LSH_FQ_CONFIRM)) {
		rc = -ENOENT;
	} else if (p->cgr != 0 && (p->kind == LSH_FQ_RX || (p->cgr & ~0xFFu) != LSH_FQ_CGE)) {
		rc = -EINVAL;
	} else if (p->cgr != 0 && !fm->cgrs[p->cgr & 0xFFu].used) {
		rc = -ENOENT;
	} else if (!fq || fm->next_fqid > LSH_FD_CMD_CFQ_MASK) {
		rc = -ENOSPC;
	} else {
		uint32_t depth = p->kind == LSH_FQ_TX ? fm->config.ring_depth : fm->config.dequeue_depth;

		*fq = (struct emu_fq){ .kind = p->kind, .port = p->port, .confirm_fqid = p->confirm_fqid,
				       .capacity = depth, .notify_fd = -1 };
		/* qman_init_fq(QMAN_INITFQ_FLAG_SCHED): a TX FQ to the port's channel with the confirmation FQID
		 * as context_b, a confirmation or RX FQ to this portal's channel (0) with software's context_b. */
		if (p->kind == LSH_FQ_TX) {
			qm_fqd_init(&fq->fqd, (uint16_t)p->port, p->confirm_fqid, p->taildrop);
			qm_fqd_set_context_a(&fq->fqd, p->context_a);
		} else
			qm_fqd_init(&fq->fqd, 0, p->context_b, 0);
		if (p->cgr)
			qm_fqd_set_cgr(&fq->fqd, (uint8_t)p->cgr);
		fq->frames = calloc(depth, sizeof(*fq->frames));
		if (p->kind != LSH_FQ_TX)
			fq->parked = calloc(depth, sizeof(*fq->parked));
		if (!fq->frames || (p->kind != LSH_FQ_TX && !fq->parked)) {
			free(fq->frames);
			free(fq->parked);
			rc = -ENOMEM;
		} else {
			fq->id = fm->next_fqid++;
			fq->state = LSH_QM_FQ_STATE_SCHED;
			if (p->cgr)
				fm->cgrs[p->cgr & 0xFFu].fqs++;
			*fqid = fq->id;
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

static int fq_in_use(struct lsh_fm *fm, const struct emu_fq *fq)
{
	if (fq->count > 0 || fq->in_eqcr > 0 || fq->pending > 0 || (fq->kind == LSH_FQ_TX && fm->in_flight == fq->id))
		return 1;
	for (uint32_t i = 0; fq->kind == LSH_FQ_CONFIRM && i < EMU_MAX_FQS; i++)
		if (fm->fqs[i].id && fm->fqs[i].kind == LSH_FQ_TX && fm->fqs[i].confirm_fqid == fq->id)
			return 1;
	for (uint32_t i = 0; fq->kind == LSH_FQ_CONFIRM && i < fm->config.port_count; i++)
		if (fm->ports[i].error_fqid == fq->id)
			return 1;
	for (uint32_t i = 0; fq->kind == LSH_FQ_RX && i < fm->config.port_count; i++)
		if (fm->ports[i].rx.rx_fqid == fq->id)
			return 1;
	return 0;
}

int32_t lsh_fm_fq_destroy(struct lsh_fm *fm, uint32_t fqid)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_fq *fq = emu_fq_find(fm, fqid);
	int rc = !fq ? -ENOENT : fq_in_use(fm, fq) ? -EBUSY : 0;

	if (rc == 0) {
		/* qman_retire_fq() then qman_oos_fq(): an empty FQ retires at once and goes out of service. */
		fq->state = LSH_QM_FQ_STATE_RETIRED;
		if (qm_fqd_cgr(&fq->fqd) >= 0)
			fm->cgrs[qm_fqd_cgr(&fq->fqd)].fqs--;
		emu_notify_close(fq);
		free(fq->frames);
		free(fq->parked);
		memset(fq, 0, sizeof(*fq));
		fq->state = LSH_QM_FQ_STATE_OOS;
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_fm_port_bind(struct lsh_fm *fm, uint32_t port, const struct lsh_tx_target *target)
{
	if (!fm || !target || target->flags || memchr(target->interface, 0, sizeof(target->interface)) == NULL)
		return -EINVAL;
	int has_interface = target->interface[0] != 0, if_fd = -1;

	if (target->pcap_fd < 0 && !has_interface)
		return -EINVAL;
	if (target->pcap_fd >= 0) {
		int rc = emu_wire_pcap_start(target->pcap_fd);

		if (rc)
			return rc;
	}
	if (has_interface && (if_fd = emu_wire_open_interface(target->interface)) < 0)
		return if_fd;
	pthread_mutex_lock(&fm->lock);
	struct emu_port *p = emu_port_find(fm, port);

	if (p)
		emu_port_retarget(fm, p, target, if_fd);
	pthread_mutex_unlock(&fm->lock);
	if (!p && if_fd >= 0)
		close(if_fd);
	return p ? 0 : -ENODEV;
}

int32_t lsh_fm_port_enable(struct lsh_fm *fm, uint32_t port, int32_t enabled)
{
	if (!fm || (enabled != 0 && enabled != 1))
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_port *p = emu_port_find(fm, port);
	int rc = !p ? -ENODEV : !p->bound ? -ENOTCONN : 0;

	if (rc == 0) {
		p->enabled = enabled;
		pthread_cond_broadcast(&fm->work);
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_fm_port_error_queue(struct lsh_fm *fm, uint32_t port, uint32_t fqid)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_port *p = emu_port_find(fm, port);
	struct emu_fq *fq = emu_fq_find(fm, fqid);
	int rc = !p ? -ENODEV : fqid == 0 ? 0 : !fq ? -ENOENT : fq->kind != LSH_FQ_CONFIRM ? -EINVAL : 0;

	if (rc == 0)
		p->error_fqid = fqid;
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

/* Puts an enqueue rejection (ERN) on the MR; -EBUSY when the MR is full (QMan waits for room). */
static int reject(struct lsh_fm *fm, const struct lsh_qm_eqcr_entry *cmd, uint8_t rc)
{
	struct lsh_qm_mr_entry *e = qb_produce_start(&fm->hw_mr, qm_reg_in(fm->area, LSH_QM_REG_MR_CI));

	if (!e)
		return -EBUSY;
	e->rc = rc;
	e->fqid = cmd->fqid;
	e->tag = cmd->tag;
	e->fd = cmd->fd;
	qb_produce_commit(&fm->hw_mr, e, LSH_QM_MR_VERB_ERN);
	qm_reg_out(fm->area, LSH_QM_REG_MR_PI, fm->hw_mr.index);
	fm->counters.rejections++;
	if (rc == LSH_MR_RC_CGR_TAILDROP)
		fm->counters.cgr_rejections++;
	struct emu_fq *tx = emu_fq_find(fm, be32toh(cmd->fqid) & LSH_QM_FQID_MASK);
	struct emu_fq *conf = tx ? emu_fq_find(fm, tx->confirm_fqid) : NULL;

	if (conf && conf->kind == LSH_FQ_CONFIRM)
		emu_notify(conf, 1); /* the message ring interrupt (MRI) wakes the TX FQ's consumer */
	return 0;
}

#define ACCEPTED 0xFF

/* What QMan does with an enqueue command: ACCEPTED or the rejection code. QMan does not look inside the
 * descriptor: an FCO naming a queue that is not in service, or a BPID naming no pool, is a
 * misconfiguration it does not check at enqueue. The frame is sent; FMan's enqueue of its confirmation to
 * a queue out of service is rejected to FMan's own portal, not to software (the confirmation is lost), and
 * a release to a pool nobody created puts the buffer where nobody acquires it (here: nowhere). Either way
 * nothing is released: software that named them still owns the buffer. */
static uint8_t enqueue_verdict(const struct lsh_fm *fm, const struct emu_fq *fq)
{
	if (!fq || fq->kind != LSH_FQ_TX || fq->state != LSH_QM_FQ_STATE_SCHED)
		return LSH_MR_RC_ERROR;
	if (emu_cgr_taildrop(fm, fq))
		return LSH_MR_RC_CGR_TAILDROP;
	uint32_t taildrop = qm_fqd_taildrop(&fq->fqd);

	if (taildrop && fq->count >= taildrop)
		return LSH_MR_RC_FQ_TAILDROP;
	return ACCEPTED;
}

/* Takes one enqueue command off the EQCR into its FQ, or rejects it onto the MR; 0 when there is none
 * (or the MR is full, so the command waits). The portal driver's capacity check keeps a TX FQ within
 * its capacity (ring_depth). */
static int take_enqueue(struct lsh_fm *fm)
{
	const struct lsh_qm_eqcr_entry *e = qb_consume_current(&fm->hw_eqcr);

	if (!e)
		return 0;
	struct emu_fq *fq = emu_fq_find(fm, be32toh(e->fqid) & LSH_QM_FQID_MASK);
	uint8_t verdict = enqueue_verdict(fm, fq);

	if (verdict != ACCEPTED && reject(fm, e, verdict))
		return 0;
	if (fq && fq->kind == LSH_FQ_TX)
		fq->in_eqcr--;
	if (verdict == ACCEPTED) {
		fq->frames[(fq->head + fq->count++) % fq->capacity] = e->fd;
		emu_cgr_account(fm, fq, &e->fd, 1);
	}
	qb_consume_next(&fm->hw_eqcr);
	qm_reg_out(fm->area, LSH_QM_REG_EQCR_CI, fm->hw_eqcr.index);
	return 1;
}

uint32_t emu_dequeue_to_dqrr(struct lsh_fm *fm, struct emu_fq *conf, int now)
{
	uint32_t n = 0, ci = qm_reg_in(fm->area, LSH_QM_REG_DQRR_CI);
	struct lsh_qm_dqrr_entry *e;

	while (conf->count > 0 && (e = qb_produce_start(&fm->hw_dqrr, ci)) != NULL) {
		e->stat = (uint8_t)(LSH_QM_DQRR_STAT_FD_VALID | (conf->count == 1 ? LSH_QM_DQRR_STAT_FQ_EMPTY : 0));
		e->fqid = htobe32(conf->id);
		e->context_b = htobe32(qm_fqd_context_b(&conf->fqd));
		e->fd = conf->frames[conf->head];
		conf->head = (conf->head + 1) % conf->capacity;
		conf->count--;
		emu_cgr_account(fm, conf, &e->fd, -1); /* QMan's byte count drops as a frame leaves its FQ */
		qb_produce_commit(&fm->hw_dqrr, e, LSH_QM_DQRR_VERB_FRAME_DEQUEUE);
		n++;
	}
	if (n > 0) {
		qm_reg_out(fm->area, LSH_QM_REG_DQRR_PI, fm->hw_dqrr.index);
		emu_notify(conf, now);
	}
	return n;
}

/* Dequeues onto the DQRR from the next confirmation FQ that has frames, round-robin; 0 when none
 * could move. What waited for room is reported at once. */
static uint32_t dequeue_waiting(struct lsh_fm *fm)
{
	for (uint32_t k = 0; k < EMU_MAX_FQS; k++) {
		uint32_t i = (fm->next_dequeue_scan + k) % EMU_MAX_FQS;
		struct emu_fq *fq = &fm->fqs[i];

		if (fq->id && emu_fq_dequeued(fq) && fq->count > 0) {
			uint32_t n = emu_dequeue_to_dqrr(fm, fq, 1);

			fm->next_dequeue_scan = i + 1;
			if (n > 0)
				return n;
		}
	}
	return 0;
}

/* The next TX FQ with a frame for an enabled port, round-robin; NULL when there is none. */
static struct emu_fq *next_ready(struct lsh_fm *fm)
{
	for (uint32_t k = 0; k < EMU_MAX_FQS; k++) {
		uint32_t i = (fm->next_tx_scan + k) % EMU_MAX_FQS;
		struct emu_fq *fq = &fm->fqs[i];

		if (fq->id && fq->kind == LSH_FQ_TX && fq->state == LSH_QM_FQ_STATE_SCHED && fq->count > 0) {
			struct emu_port *p = emu_port_find(fm, fq->port);

			if (p && p->bound && p->enabled) {
				fm->next_tx_scan = i + 1;
				return fq;
			}
		}
	}
	return NULL;
}

void emu_doorbell(struct lsh_fm *fm)
{
	while (take_enqueue(fm) || dequeue_waiting(fm))
		;
	pthread_cond_broadcast(&fm->work); /* FMan has frames; drain and port rebinds see the change */
}

/* A confirmation FQ has frames and the DQRR has room for them. */
static int confirmations_waiting(struct lsh_fm *fm)
{
	if (qb_fill(&fm->hw_dqrr, fm->hw_dqrr.index, qm_reg_in(fm->area, LSH_QM_REG_DQRR_CI)) >= LSH_QM_DQRR_SIZE - 1)
		return 0;
	for (uint32_t i = 0; i < EMU_MAX_FQS; i++)
		if (fm->fqs[i].id && fm->fqs[i].kind == LSH_FQ_CONFIRM && fm->fqs[i].count > 0)
			return 1;
	return 0;
}

static struct timespec deadline_after(uint32_t timeout_ms)
{
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	return deadline;
}

int32_t lsh_fm_drain(struct lsh_fm *fm, uint32_t timeout_ms)
{
	if (!fm)
		return -EINVAL;
	struct timespec deadline = deadline_after(timeout_ms);

	pthread_mutex_lock(&fm->lock);
	int rc = 0;

	while (rc == 0 && (fm->in_flight || qb_consume_current(&fm->hw_eqcr) || next_ready(fm) || confirmations_waiting(fm)))
		rc = pthread_cond_timedwait(&fm->work, &fm->lock, &deadline);
	pthread_mutex_unlock(&fm->lock);
	return rc == 0 ? 0 : -ETIMEDOUT;
}

/* What became of a frame's confirmation (confirm). */
enum confirm_outcome {
	CONFIRM_DELIVERED, /* on the confirmation FQ (or already on the DQRR) */
	CONFIRM_DROPPED,   /* tail-dropped: the FQ's congestion group is congested with tail drop */
	CONFIRM_STOPPING,  /* the portal is closing */
};

/* Delivers a frame's confirmation to its confirmation FQ and on to the DQRR, waiting while the FQ is
 * full (the hardware stalls as QMan's does until software dequeues). FMan's enqueue of the
 * confirmation is QMan's like any other: while the FQ's congestion group is congested with tail drop
 * it is rejected (to FMan's own portal, which drops it: software never sees it). A confirmation counts
 * its frame's length in the FQ's group from its enqueue until it moves to the DQRR (at once when the
 * DQRR has room). tx_drained:
 * the frame's TX FQ has nothing more queued, so no further confirmation is on its way to join this one. */
static enum confirm_outcome confirm(struct lsh_fm *fm, uint32_t conf_fqid, const struct lsh_qm_fd *fd,
				    uint32_t status, int tx_drained)
{
	for (;;) {
		struct emu_fq *conf = emu_fq_find(fm, conf_fqid);

		if (!conf || conf->kind != LSH_FQ_CONFIRM)
			return CONFIRM_DELIVERED; /* destroyed meanwhile: nowhere to confirm to */
		if (emu_cgr_taildrop(fm, conf)) {
			fm->counters.cgr_rejections++;
			return CONFIRM_DROPPED;
		}
		if (conf->count < conf->capacity) {
			struct lsh_qm_fd *slot = &conf->frames[(conf->head + conf->count++) % conf->capacity];

			*slot = *fd;
			slot->cmd = htobe32(status);
			conf->pending++;
			fm->counters.confirmations++;
			emu_cgr_account(fm, conf, slot, 1);
			emu_dequeue_to_dqrr(fm, conf, tx_drained);
			/* With the DQRR full nothing moved, but the frames waiting in the FQ count towards the
			 * threshold (and the drained TX FQ) all the same: a threshold above the DQRR's 15 entries
			 * would otherwise never be reached. */
			emu_notify(conf, tx_drained);
			return CONFIRM_DELIVERED;
		}
		if (emu_dequeue_to_dqrr(fm, conf, 1) > 0)
			continue;
		if (fm->stop)
			return CONFIRM_STOPPING;
		pthread_cond_wait(&fm->work, &fm->lock);
	}
}

static void count_status(struct lsh_fm *fm, uint32_t status, uint32_t len)
{
	if (status & LSH_FD_STATUS_DMA)
		fm->counters.dma_errors++;
	else if (status & LSH_FD_STATUS_UNSUPPORTED_FORMAT)
		fm->counters.format_errors++;
	else if (status & LSH_FD_STATUS_LENGTH)
		fm->counters.length_errors++;
	else {
		fm->counters.frames++;
		fm->counters.bytes += len;
	}
}

/* Transmits the frame at the head of fq: gather, wire, then confirm, under the lock (the wire releases
 * it only while it waits for room on its socket). */
static void transmit_head(struct lsh_fm *fm, struct emu_fq *fq)
{
	struct lsh_qm_fd fd = fq->frames[fq->head];
	uint32_t fqid = fq->id, conf_fqid = fq->confirm_fqid, len;
	struct emu_port *port = emu_port_find(fm, fq->port);
	struct lsh_fd_fields f;

	fm->in_flight = fqid;
	uint32_t status = emu_tx_gather(fm, &fd, &len);

	if (len > 0) {
		port->busy = 1;
		if (emu_wire_transmit(port, fm->frame, len, &fm->stop, &fm->lock) != 0)
			fm->counters.wire_drops++; /* the MAC sent it as far as the confirmation tells: lost on the wire */
		port->busy = 0;
	}
	fq->head = (fq->head + 1) % fq->capacity;
	fq->count--;
	emu_cgr_account(fm, fq, &fd, -1);
	count_status(fm, status, len);
	lsh_fd_decode(&fd, &f);
	uint64_t context_a = qm_fqd_context_a(&fq->fqd);

	/* OVFQ: the queue's context_b names the confirmation queue, whatever the descriptor's FCO says. */
	if ((f.cmd & LSH_FD_CMD_FCO) && !(context_a & LSH_QM_CTXA_OVFQ))
		conf_fqid = f.cmd & LSH_FD_CMD_CFQ_MASK;
	uint32_t own_conf = conf_fqid;
	int errored = (status & LSH_FD_STATUS_TX_ERRORS) != 0;

	if (errored && port->error_fqid)
		conf_fqid = port->error_fqid; /* FMan sends what it could not transmit to the port's error queue */
	/* FMan deallocates a sent frame's pool buffers when context_a's A2 says EBD, confirmed or not, and when
	 * there is no confirmation queue (nobody else could); before the confirmation, so that whoever sees it
	 * finds the buffers back. An errored frame keeps its buffers: its owner frees them from the error queue. */
	int released = !errored && (((context_a & LSH_QM_CTXA_A2V) && (context_a & LSH_QM_CTXA_A2_EBD)) || !conf_fqid);

	if (released)
		emu_tx_release(fm, &fd);
	/* FMan discards a frame whose confirmation QMan rejected, releasing what it has not released yet
	 * (an errored frame's buffers too): nobody else will see the frame. */
	if (conf_fqid && confirm(fm, conf_fqid, &fd, status, fq->count == 0) == CONFIRM_DROPPED && !released)
		emu_tx_release(fm, &fd);
	if (own_conf && own_conf != conf_fqid) {
		/* Both queues are on the portal's channel, so one portal interrupt covers them: whoever waits on
		 * the frame's own confirmation queue learns of its error too (as of a rejection). */
		struct emu_fq *own = emu_fq_find(fm, own_conf);

		if (own && own->kind == LSH_FQ_CONFIRM)
			emu_notify(own, 1);
	}
	fm->in_flight = 0;
	pthread_cond_broadcast(&fm->work);
}

static void *fman_main(void *arg)
{
	struct lsh_fm *fm = arg;

	pthread_mutex_lock(&fm->lock);
	while (!fm->stop) {
		struct emu_fq *fq = next_ready(fm);

		if (fq)
			transmit_head(fm, fq);
		else
			pthread_cond_wait(&fm->work, &fm->lock);
	}
	pthread_mutex_unlock(&fm->lock);
	return NULL;
}

int32_t lsh_fm_counters(struct lsh_fm *fm, struct lsh_fm_counters *counters)
{
	if (!fm || !counters)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	*counters = fm->counters;
	pthread_mutex_unlock(&fm->lock);
	return 0;
}
