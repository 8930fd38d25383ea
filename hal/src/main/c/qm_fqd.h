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
uint16_t qm_fqd_channel(const struct lsh_qm_fqd *fqd);
uint32_t qm_fqd_context_b(const struct lsh_qm_fqd *fqd);
/* The tail-drop threshold in frames, or 0 when tail drop is not enabled. */
uint32_t qm_fqd_taildrop(const struct lsh_qm_fqd *fqd);

#endif
