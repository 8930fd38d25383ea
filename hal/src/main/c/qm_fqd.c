/* SPDX-License-Identifier: Apache-2.0 */
/* Frame queue descriptor fields (qm_fqd.h). */
#include "qm_fqd.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

void qm_fqd_init(struct lsh_qm_fqd *fqd, uint16_t channel, uint32_t context_b, uint32_t taildrop)
{
	*fqd = (struct lsh_qm_fqd){ 0 };
	put16(fqd->dest_wq, (uint16_t)(channel << LSH_QM_FQD_CHAN_SHIFT));
	put32(fqd->context_b, context_b);
	if (taildrop > 0) {
		put16(fqd->td, qm_thres_encode(taildrop));
		put16(fqd->fq_ctrl, LSH_QM_FQCTRL_TDE);
	}
}

uint16_t qm_thres_encode(uint32_t value)
{
	uint32_t mant = value, exp = 0;

	while (mant > LSH_QM_FQD_TD_MANT_MAX) {
		mant = (mant >> 1) + (mant & 1);
		exp++;
	}
	return (uint16_t)(mant << LSH_QM_FQD_TD_MANT_SHIFT | exp);
}

uint64_t qm_thres_decode(uint16_t word)
{
	return (uint64_t)(word >> LSH_QM_FQD_TD_MANT_SHIFT & LSH_QM_FQD_TD_MANT_MAX) << (word & LSH_QM_FQD_TD_EXP_MASK);
}

void qm_fqd_set_cgr(struct lsh_qm_fqd *fqd, uint8_t cgid)
{
	fqd->cgid = cgid;
	put16(fqd->fq_ctrl, (uint16_t)(get16(fqd->fq_ctrl) | LSH_QM_FQCTRL_CGE));
}

int qm_fqd_cgr(const struct lsh_qm_fqd *fqd)
{
	return get16(fqd->fq_ctrl) & LSH_QM_FQCTRL_CGE ? fqd->cgid : -1;
}

void qm_fqd_set_context_a(struct lsh_qm_fqd *fqd, uint64_t context_a)
{
	put32(fqd->context_a, (uint32_t)(context_a >> 32));
	put32(fqd->context_a + 4, (uint32_t)context_a);
}

uint64_t qm_fqd_context_a(const struct lsh_qm_fqd *fqd)
{
	return (uint64_t)get32(fqd->context_a) << 32 | get32(fqd->context_a + 4);
}

uint16_t qm_fqd_channel(const struct lsh_qm_fqd *fqd)
{
	return (uint16_t)(get16(fqd->dest_wq) >> LSH_QM_FQD_CHAN_SHIFT);
}

uint32_t qm_fqd_context_b(const struct lsh_qm_fqd *fqd)
{
	return get32(fqd->context_b);
}

uint32_t qm_fqd_taildrop(const struct lsh_qm_fqd *fqd)
{
	if (!(get16(fqd->fq_ctrl) & LSH_QM_FQCTRL_TDE))
		return 0;
	return (uint32_t)qm_thres_decode(get16(fqd->td));
}
