/* SPDX-License-Identifier: Apache-2.0 */
/* The fake QMan and BMan (fake_silicon.h). The memory is coherent, so it needs no cache maintenance;
 * it reads a command's verb with acquire ordering and writes its answers' verbs last with release. */
#include <endian.h>
#include <sched.h>
#include <string.h>

#include "bm_portal_hw.h"
#include "fake_silicon.h"
#include "qm_fqd.h"
#include "qm_portal_hw.h"

static void reg_out(uint8_t *region, uint32_t offset, uint32_t value)
{
	__atomic_store_n((uint32_t *)(region + offset), htobe32(value), __ATOMIC_RELEASE);
}

static uint32_t reg_in(const uint8_t *region, uint32_t offset)
{
	return be32toh(__atomic_load_n((const uint32_t *)(region + offset), __ATOMIC_ACQUIRE));
}

/* A command ring consumed up to index: in valid-bit mode the PI register follows the entries taken,
 * and the CI goes to its register and its cache-enabled copy. */
static void publish_ci(uint8_t *ci, uint32_t pi_reg, uint32_t ci_reg, uint8_t *cena_ci, uint32_t index)
{
	reg_out(ci, pi_reg, index);
	reg_out(ci, ci_reg, index);
	reg_out(cena_ci, 0, index);
}

/* The consumer's full index (with its pass bit) from the position it wrote to ci_reg: the producer's
 * index less the entries still between them. */
static uint32_t consumer_index(const struct qb_ring *producer, const uint8_t *ci, uint32_t ci_reg)
{
	uint32_t size = producer->size, pos = reg_in(ci, ci_reg) & (size - 1);
	uint32_t fill = (producer->index - pos) & (size - 1);

	return (producer->index - fill) & (2 * size - 1);
}

/* A ring `start` entries past reset as an empty ring is left: the entries before the index were written
 * this pass (its valid bit), those from the index on the pass before, so none looks fresh to a consumer
 * now or after the next wrap before its producer writes it. */
static void settle(struct qb_ring *ring, uint32_t start)
{
	ring->index = (ring->size + start) & (2 * ring->size - 1);
	uint8_t pass = (ring->index & ring->size) ? LSH_QB_VERB_VBIT : 0;

	for (uint32_t i = 0; i < ring->size; i++)
		ring->base[i * LSH_QB_ENTRY_SIZE] = i < (ring->index & (ring->size - 1)) ? pass : pass ^ LSH_QB_VERB_VBIT;
}

void fake_qman_reset(struct fake_qman *q, uint16_t channel, uint32_t start)
{
	memset(q, 0, sizeof(*q));
	q->channel = channel;
	q->eqcr = qb_ring_at(q->ce + LSH_QM_CL_EQCR, LSH_QM_EQCR_SIZE);
	q->dqrr = qb_ring_at(q->ce + LSH_QM_CL_DQRR, LSH_QM_DQRR_SIZE);
	q->mr = qb_ring_at(q->ce + LSH_QM_CL_MR, LSH_QM_MR_SIZE);
	settle(&q->eqcr, start);
	settle(&q->dqrr, start);
	settle(&q->mr, start);
	publish_ci(q->ci, QM_HW_REG_EQCR_PI, QM_HW_REG_EQCR_CI, q->ce + QM_HW_CL_EQCR_CI, q->eqcr.index);
	reg_out(q->ci, QM_HW_REG_DQRR_PI, q->dqrr.index);
	reg_out(q->ci, QM_HW_REG_DQRR_CI, q->dqrr.index & (LSH_QM_DQRR_SIZE - 1));
	reg_out(q->ci, QM_HW_REG_MR_PI, q->mr.index);
	reg_out(q->ci, QM_HW_REG_MR_CI, q->mr.index & (LSH_QM_MR_SIZE - 1));
	/* whatever a previous user left: the driver must set every mode and stop every dequeue command */
	reg_out(q->ci, QM_HW_REG_CFG, 0xFFFFFFFFu);
	reg_out(q->ci, QM_HW_REG_DQRR_SDQCR, 0xFFFFFFFFu);
	reg_out(q->ci, QM_HW_REG_DQRR_VDQCR, 0xFFFFFFFFu);
	reg_out(q->ci, QM_HW_REG_DQRR_PDQCR, 0xFFFFFFFFu);
	reg_out(q->ci, QM_HW_REG_IER, 0xFFFFFFFFu);
	q->cr_vbit = LSH_QB_VERB_VBIT; /* both RRs clear: the first answer goes to RR1 (qm_mc_init) */
}

static struct fake_fq *fq_of(struct fake_qman *q, uint32_t fqid)
{
	return fqid >= FAKE_FQID_BASE && fqid < FAKE_FQID_BASE + FAKE_FQS ? &q->fqs[fqid - FAKE_FQID_BASE] : NULL;
}

static void post_mr(struct fake_qman *q, const struct lsh_qm_mr_entry *m)
{
	if (q->pending_mr_count < FAKE_LOG)
		q->pending_mr[q->pending_mr_count++] = *m;
}

/* An enqueue: to a parked or scheduled FQ it queues the frame; to any other it is rejected (ERN, rc
 * ERROR), the descriptor untouched, as QMan does. */
static void take_enqueue(struct fake_qman *q, const struct lsh_qm_eqcr_entry *e)
{
	uint32_t fqid = be32toh(e->fqid) & LSH_QM_FQID_MASK;
	struct fake_fq *fq = fq_of(q, fqid);

	if (q->eq_count < FAKE_LOG)
		q->eq_log[q->eq_count++] = *e;
	if (fq && (fq->state == LSH_QM_FQ_STATE_PARKED || fq->state == LSH_QM_FQ_STATE_SCHED) &&
	    fq->count < FAKE_FQ_FRAMES) {
		fq->frames[(fq->head + fq->count++) % FAKE_FQ_FRAMES] = e->fd;
		fq->bytes += be32toh(e->fd.cfg) & 0xFFFFFu;
		return;
	}
	struct lsh_qm_mr_entry m = { .verb = LSH_QM_MR_VERB_ERN, .rc = LSH_MR_RC_ERROR, .fqid = e->fqid,
				     .tag = e->tag, .fd = e->fd };

	post_mr(q, &m);
}

static void step_eqcr(struct fake_qman *q)
{
	const struct lsh_qm_eqcr_entry *e;
	int moved = 0;

	while (!q->eqcr_paused && (e = qb_consume_current(&q->eqcr)) != NULL) {
		take_enqueue(q, e);
		qb_consume_next(&q->eqcr);
		moved = 1;
	}
	if (moved)
		publish_ci(q->ci, QM_HW_REG_EQCR_PI, QM_HW_REG_EQCR_CI, q->ce + QM_HW_CL_EQCR_CI, q->eqcr.index);
}

/* The channels the SDQCR dequeues from: the dedicated one and the pools whose bits are set. */
static int dequeues_from(const struct fake_qman *q, uint16_t channel)
{
	uint32_t sdqcr = reg_in(q->ci, QM_HW_REG_DQRR_SDQCR);

	if (channel == q->channel)
		return (sdqcr & QM_SDQCR_CHANNELS_DEDICATED) != 0;
	if (channel < QM_HW_CHANNEL_POOL1 || channel >= QM_HW_CHANNEL_POOL1 + 15)
		return 0;
	return (sdqcr & QM_SDQCR_POOL_CHANNEL(channel)) != 0;
}

static struct lsh_qm_fd take_frame(struct fake_fq *fq)
{
	struct lsh_qm_fd fd = fq->frames[fq->head];

	fq->bytes -= be32toh(fd.cfg) & 0xFFFFFu;
	fq->head = (fq->head + 1) % FAKE_FQ_FRAMES;
	fq->count--;
	return fd;
}

/* The FMan TX port: each frame of a scheduled TX FQ goes out and comes back on the confirmation FQ its
 * context_b names (context_a B0V), the command word replaced by a status of 0 (sent). */
static void step_fman(struct fake_qman *q)
{
	for (uint32_t i = 0; i < FAKE_FQS; i++) {
		struct fake_fq *fq = &q->fqs[i];
		uint16_t channel = qm_fqd_channel(&fq->fqd);

		if (fq->state != LSH_QM_FQ_STATE_SCHED || channel < FAKE_FMAN_CHANNEL ||
		    channel >= FAKE_FMAN_CHANNEL + FAKE_FMAN_CHANNELS)
			continue;
		while (fq->count > 0) {
			struct fake_fq *conf = fq_of(q, qm_fqd_context_b(&fq->fqd));
			struct lsh_qm_fd fd = take_frame(fq);

			q->transmitted++;
			if (!conf || conf->count == FAKE_FQ_FRAMES)
				continue;
			fd.cmd = 0;
			conf->frames[(conf->head + conf->count++) % FAKE_FQ_FRAMES] = fd;
			conf->bytes += be32toh(fd.cfg) & 0xFFFFFu;
		}
	}
}

static void step_dqrr(struct fake_qman *q)
{
	int moved = 0;

	for (uint32_t i = 0; i < FAKE_FQS; i++) {
		struct fake_fq *fq = &q->fqs[i];

		while (fq->state == LSH_QM_FQ_STATE_SCHED && fq->count > 0 && dequeues_from(q, qm_fqd_channel(&fq->fqd))) {
			struct lsh_qm_dqrr_entry *d =
				qb_produce_start(&q->dqrr, consumer_index(&q->dqrr, q->ci, QM_HW_REG_DQRR_CI));

			if (!d)
				break;
			d->fqid = htobe32(FAKE_FQID_BASE + i);
			d->context_b = htobe32(qm_fqd_context_b(&fq->fqd));
			d->fd = take_frame(fq);
			d->tok = QM_SDQCR_TOKEN;
			d->stat = (uint8_t)(LSH_QM_DQRR_STAT_FD_VALID | (fq->count == 0 ? LSH_QM_DQRR_STAT_FQ_EMPTY : 0));
			qb_produce_commit(&q->dqrr, d, LSH_QM_DQRR_VERB_FRAME_DEQUEUE);
			moved = 1;
		}
	}
	if (moved)
		reg_out(q->ci, QM_HW_REG_DQRR_PI, q->dqrr.index);
}

static void step_mr(struct fake_qman *q)
{
	uint32_t n = 0;

	while (n < q->pending_mr_count) {
		struct lsh_qm_mr_entry *m = qb_produce_start(&q->mr, consumer_index(&q->mr, q->ci, QM_HW_REG_MR_CI));

		if (!m)
			break;
		memcpy((uint8_t *)m + 1, (const uint8_t *)&q->pending_mr[n] + 1, LSH_QB_ENTRY_SIZE - 1);
		qb_produce_commit(&q->mr, m, q->pending_mr[n++].verb);
	}
	if (n > 0) {
		memmove(q->pending_mr, q->pending_mr + n, (q->pending_mr_count - n) * sizeof(q->pending_mr[0]));
		q->pending_mr_count -= n;
		reg_out(q->ci, QM_HW_REG_MR_PI, q->mr.index);
	}
}

/* INITFQ writes the descriptor's fields its write-enable mask names. */
static uint8_t init_fq(struct fake_fq *fq, const struct qm_hw_mcc_initfq *c, int schedule)
{
	uint16_t we = be16toh(c->we_mask);
	uint8_t *d = (uint8_t *)&fq->fqd;
	const uint8_t *s = (const uint8_t *)&c->fqd;
	static const struct {
		uint16_t bit;
		uint8_t offset, length;
	} fields[] = { { QM_INITFQ_WE_ORPC, 0, 1 },    { QM_INITFQ_WE_CGID, 1, 1 },     { QM_INITFQ_WE_FQCTRL, 2, 2 },
		       { QM_INITFQ_WE_DESTWQ, 4, 2 },  { QM_INITFQ_WE_ICSCRED, 6, 2 },  { QM_INITFQ_WE_TDTHRESH, 8, 2 },
		       { QM_INITFQ_WE_CONTEXTB, 10, 4 }, { QM_INITFQ_WE_CONTEXTA, 14, 8 }, { QM_INITFQ_WE_OAC, 22, 2 } };

	if (fq->state != LSH_QM_FQ_STATE_OOS && fq->state != LSH_QM_FQ_STATE_PARKED)
		return QM_MCR_RESULT_ERR_FQSTATE;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (we & fields[i].bit)
			memcpy(d + fields[i].offset, s + fields[i].offset, fields[i].length);
	fq->state = schedule ? LSH_QM_FQ_STATE_SCHED : LSH_QM_FQ_STATE_PARKED;
	return QM_MCR_RESULT_OK;
}

static uint8_t np_state(const struct fake_fq *fq)
{
	switch (fq->state) {
	case LSH_QM_FQ_STATE_PARKED:
		return QM_MCR_NP_STATE_PARKED;
	case LSH_QM_FQ_STATE_SCHED:
		return fq->count ? QM_MCR_NP_STATE_TRU_SCHED : QM_MCR_NP_STATE_TEN_SCHED;
	case LSH_QM_FQ_STATE_RETIRED:
		return QM_MCR_NP_STATE_RETIRED;
	default:
		return QM_MCR_NP_STATE_OOS;
	}
}

/* ALTER_RETIRE: an empty FQ retires at once; one holding frames retires pending, and the FQRN on the MR
 * says when (here: at once, its frames stay until taken out of service fails on them). */
static uint8_t retire(struct fake_qman *q, struct fake_fq *fq, uint32_t fqid, struct qm_hw_mcr *r)
{
	if (fq->state != LSH_QM_FQ_STATE_PARKED && fq->state != LSH_QM_FQ_STATE_SCHED)
		return QM_MCR_RESULT_ERR_FQSTATE;
	fq->state = LSH_QM_FQ_STATE_RETIRED;
	if (fq->count == 0)
		return QM_MCR_RESULT_OK;
	r->fqs = QM_MCR_FQS_NOTEMPTY;
	struct lsh_qm_mr_entry m = { .verb = LSH_QM_MR_VERB_FQRN };
	struct qm_hw_mr_fq *f = (struct qm_hw_mr_fq *)&m;

	f->fqs = QM_MCR_FQS_NOTEMPTY;
	f->fqid = htobe32(fqid);
	f->context_b = htobe32(qm_fqd_context_b(&fq->fqd));
	post_mr(q, &m);
	return QM_MCR_RESULT_PENDING;
}

static uint8_t answer(struct fake_qman *q, const uint8_t *cmd, struct qm_hw_mcr *r)
{
	uint8_t verb = cmd[0] & QM_MCC_VERB_MASK;
	uint32_t fqid = be32toh(((const struct qm_hw_mcc_fq *)cmd)->fqid) & LSH_QM_FQID_MASK;
	struct fake_fq *fq = fq_of(q, fqid);

	if (verb == QM_MCC_VERB_INITCGR || verb == QM_MCC_VERB_MODIFYCGR) {
		const struct qm_hw_mcc_initcgr *c = (const struct qm_hw_mcc_initcgr *)cmd;

		memcpy(q->cgr_thres[c->cgid], c->cs_thres, 2);
		q->cgr_cstd[c->cgid] = c->cstd_en;
		q->cgr_cscn[c->cgid] = c->cscn_en;
		return QM_MCR_RESULT_OK;
	}
	if (verb != QM_MCC_VERB_INITFQ_PARKED && verb != QM_MCC_VERB_INITFQ_SCHED && verb != QM_MCC_VERB_ALTER_RETIRE &&
	    verb != QM_MCC_VERB_ALTER_OOS && verb != QM_MCC_VERB_QUERYFQ_NP)
		return QM_MCR_RESULT_ERR_BADCOMMAND;
	if (!fq)
		return QM_MCR_RESULT_ERR_FQID;
	switch (verb) {
	case QM_MCC_VERB_INITFQ_PARKED:
	case QM_MCC_VERB_INITFQ_SCHED:
		return init_fq(fq, (const struct qm_hw_mcc_initfq *)cmd, verb == QM_MCC_VERB_INITFQ_SCHED);
	case QM_MCC_VERB_ALTER_RETIRE:
		return retire(q, fq, fqid, r);
	case QM_MCC_VERB_ALTER_OOS:
		if (fq->state != LSH_QM_FQ_STATE_RETIRED)
			return QM_MCR_RESULT_ERR_FQSTATE;
		if (fq->count > 0)
			return QM_MCR_RESULT_ERR_NOTEMPTY;
		fq->state = LSH_QM_FQ_STATE_OOS;
		return QM_MCR_RESULT_OK;
	default:
		r->state = np_state(fq);
		r->frm_cnt = htobe32(fq->count);
		r->byte_cnt = htobe32(fq->bytes);
		return QM_MCR_RESULT_OK;
	}
}

/* A command is there when the CR's valid bit is the one this side expects next. The answer goes to RR1
 * for valid bit 1 and RR0 for 0; the other RR is cleared so the next command's poll finds no answer. */
static void step_cr(uint8_t *cr, uint8_t *rr0, uint8_t *expected_vbit, uint8_t *rr_index,
		    void (*respond)(void *ctx, const uint8_t *cmd, uint8_t *answer), void *ctx)
{
	uint8_t verb = __atomic_load_n(cr, __ATOMIC_ACQUIRE);

	if ((verb & LSH_QB_VERB_VBIT) != *expected_vbit || (verb & ~LSH_QB_VERB_VBIT) == 0)
		return;
	uint8_t idx = *expected_vbit ? 1 : 0;
	uint8_t *rr = rr0 + idx * 0x40, *other = rr0 + (idx ^ 1) * 0x40;
	uint8_t out[LSH_QB_ENTRY_SIZE] = { 0 };

	respond(ctx, cr, out);
	__atomic_store_n(other, 0, __ATOMIC_RELAXED);
	__atomic_store_n(rr, 0, __ATOMIC_RELAXED);
	memcpy(rr + 1, out + 1, LSH_QB_ENTRY_SIZE - 1);
	__atomic_store_n(rr, out[0], __ATOMIC_RELEASE);
	*rr_index = idx;
	*expected_vbit ^= LSH_QB_VERB_VBIT;
}

static void qman_respond(void *ctx, const uint8_t *cmd, uint8_t *out)
{
	struct fake_qman *q = ctx;
	struct qm_hw_mcr *r = (struct qm_hw_mcr *)out;

	memcpy(q->last_command, cmd, LSH_QB_ENTRY_SIZE);
	uint8_t forced = __atomic_exchange_n(&q->force_result, 0, __ATOMIC_RELAXED);

	r->result = forced ? forced : answer(q, cmd, r);
	r->verb = cmd[0]; /* the command's verb; bit 7 (RRID) the response register's */
}

void fake_qman_step(struct fake_qman *q)
{
	uint8_t rr_index = 0xFF;

	step_eqcr(q);
	step_cr(q->ce + QM_HW_CL_CR, q->ce + QM_HW_CL_RR0, &q->cr_vbit, &rr_index, qman_respond, q);
	if (rr_index != 0xFF && q->commands < FAKE_LOG)
		q->rr_used[q->commands++] = rr_index;
	step_fman(q);
	step_dqrr(q);
	step_mr(q);
}

void fake_bman_reset(struct fake_bman *b, uint32_t start)
{
	memset(b, 0, sizeof(*b));
	b->rcr = qb_ring_at(b->ce + BM_HW_CL_RCR, LSH_BM_RCR_SIZE);
	settle(&b->rcr, start);
	publish_ci(b->ci, BM_HW_REG_RCR_PI, BM_HW_REG_RCR_CI, b->ce + BM_HW_CL_RCR_CI, b->rcr.index);
	b->cr_vbit = LSH_QB_VERB_VBIT;
}

static uint64_t buffer_addr(const struct lsh_bm_buffer *buf)
{
	return (uint64_t)be16toh(buf->addr_hi) << 32 | be32toh(buf->addr_lo);
}

static void bman_respond(void *ctx, const uint8_t *cmd, uint8_t *out)
{
	struct fake_bman *b = ctx;
	const struct lsh_bm_mc_command *c = (const struct lsh_bm_mc_command *)cmd;
	struct lsh_bm_mc_result *r = (struct lsh_bm_mc_result *)out;
	uint32_t want = c->verb & LSH_BM_MCC_VERB_ACQUIRE_BUFCOUNT, got = 0, pool = c->bpid % FAKE_POOLS;

	while (got < want && b->pool_count[pool] > 0) {
		uint64_t a = b->pools[pool][--b->pool_count[pool]];

		r->bufs[got].addr_hi = htobe16((uint16_t)(a >> 32));
		r->bufs[got++].addr_lo = htobe32((uint32_t)a);
	}
	r->verb = (uint8_t)((c->verb & (LSH_QB_VERB_VBIT | LSH_BM_MCC_VERB_CMD_MASK)) | got);
	r->bpid = c->bpid;
}

void fake_bman_step(struct fake_bman *b)
{
	const struct lsh_bm_rcr_entry *e;
	uint8_t rr_index;
	int moved = 0;

	while (!b->rcr_paused && (e = qb_consume_current(&b->rcr)) != NULL) {
		uint32_t n = e->verb & LSH_BM_RCR_VERB_BUFCOUNT_MASK, pool = e->bpid % FAKE_POOLS;

		for (uint32_t i = 0; i < n && b->pool_count[pool] < FAKE_POOL_BUFS; i++)
			b->pools[pool][b->pool_count[pool]++] = buffer_addr(&e->bufs[i]);
		b->releases++;
		qb_consume_next(&b->rcr);
		moved = 1;
	}
	if (moved)
		publish_ci(b->ci, BM_HW_REG_RCR_PI, BM_HW_REG_RCR_CI, b->ce + BM_HW_CL_RCR_CI, b->rcr.index);
	step_cr(b->ce + BM_HW_CL_CR, b->ce + BM_HW_CL_RR0, &b->cr_vbit, &rr_index, bman_respond, b);
}

static void *run(void *arg)
{
	struct fake_runner *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		r->step(r->fake);
		sched_yield();
	}
	return NULL;
}

static void step_qman(void *fake)
{
	fake_qman_step(fake);
}

static void step_bman(void *fake)
{
	fake_bman_step(fake);
}

static void start(struct fake_runner *r, void (*step)(void *), void *fake)
{
	*r = (struct fake_runner){ .step = step, .fake = fake };
	pthread_create(&r->thread, NULL, run, r);
}

void fake_qman_start(struct fake_runner *r, struct fake_qman *q)
{
	start(r, step_qman, q);
}

void fake_bman_start(struct fake_runner *r, struct fake_bman *b)
{
	start(r, step_bman, b);
}

void fake_stop(struct fake_runner *r)
{
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	pthread_join(r->thread, NULL);
}
