/* SPDX-License-Identifier: Apache-2.0 */
/* The frame queue descriptor (struct lsh_qm_fqd): the one place that encodes and decodes its packed
 * big-endian fields, as the Initialise FQ command writes them and QMan reads them. */
#ifndef LAYERSTORE_QM_FQD_H
#define LAYERSTORE_QM_FQD_H

#include <stdint.h>

#include "layerstore/qbman.h"

/* Writes a descriptor scheduled to `channel` (work queue 0) with its context_b (context_a stays 0); taildrop > 0 enables
 * tail drop at that many frames, rounded up to what mantissa << exponent can say (qm_fqd_set_taildrop
 * with roundup). */
void qm_fqd_init(struct lsh_qm_fqd *fqd, uint16_t channel, uint32_t context_b, uint32_t taildrop);
/* Puts the FQ in congestion group cgid (cgid with QM_FQCTRL_CGE). */
void qm_fqd_set_cgr(struct lsh_qm_fqd *fqd, uint8_t cgid);
/* The FQ's congestion group, or -1 when CGE is not set. */
int qm_fqd_cgr(const struct lsh_qm_fqd *fqd);
void qm_fqd_set_context_a(struct lsh_qm_fqd *fqd, uint64_t context_a);
uint64_t qm_fqd_context_a(const struct lsh_qm_fqd *fqd);
/* A threshold as QMan's 13-bit words hold it (the FQ tail drop td and the CGR cs_thres): mantissa[12:5]
 * << exponent[4:0], rounded up to the next value it can say (qm_cgr_cs_thres_set64 with roundup). */
uint16_t qm_thres_encode(uint32_t value);
uint64_t qm_thres_decode(uint16_t word);
uint16_t qm_fqd_channel(const struct lsh_qm_fqd *fqd);
uint32_t qm_fqd_context_b(const struct lsh_qm_fqd *fqd);
/* The tail-drop threshold in frames, or 0 when tail drop is not enabled. */
uint32_t qm_fqd_taildrop(const struct lsh_qm_fqd *fqd);

#endif
