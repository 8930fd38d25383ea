/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated FMan TX port: checks a frame descriptor against every format rule, gathers the frame's
 * bytes through DMA, and fills checksums when the descriptor asks for DTC. Called with the lock held.
 *
 * Rules, in the order they are checked, and the status each breach produces:
 *   format is not contig, contig-big, S/G or S/G-big (compound, reserved codes) -> UNSUPPORTED_FORMAT
 *   frame length 0 or above the MAC maximum frame size                       -> LENGTH
 *   A050385 (when configured): data start not 256-aligned                    -> UNSUPPORTED_FORMAT
 *   S/G table not readable through a DMA region                              -> DMA
 *   S/G entry with the extension bit, address bits above 39, or 16 entries without the final bit
 *                                                                            -> UNSUPPORTED_FORMAT
 *   A050385: S/G entry data not 256-aligned, or a non-last entry length not a multiple of 256
 *                                                                            -> UNSUPPORTED_FORMAT
 *   sum of S/G entry lengths differs from the descriptor's length, or exceeds the maximum
 *                                                                            -> LENGTH
 *   frame data (or the parse results DTC needs) not readable through a DMA region -> DMA
 *   DTC without RPD, or parse results that do not describe IPv4 + TCP/UDP inside the frame
 *                                                                            -> DCL4C (frame sent as is)
 */
#include <endian.h>
#include <string.h>

#include "emu.h"

#define ETH_HEADER 14

static int a050385_aligned(const struct lsh_fm *fm, uint64_t data)
{
	return !fm->config.a050385 || data % LSH_A050385_ALIGN == 0;
}

static uint32_t gather_sg(struct lsh_fm *fm, uint64_t table, uint32_t length, uint32_t *sg_entries)
{
	struct lsh_qm_sg_entry raw[LSH_SG_MAX_ENTRIES];
	struct lsh_sg_fields e[LSH_SG_MAX_ENTRIES];
	uint32_t n = 0, total = 0;

	/* The table is read entry by entry, up to the final one, as the hardware's DMA does. */
	for (;;) {
		if (n == LSH_SG_MAX_ENTRIES)
			return LSH_FD_STATUS_UNSUPPORTED_FORMAT; /* no final bit within 16 entries */
		if (emu_dma_read(fm, table + n * sizeof(raw[0]), sizeof(raw[0]), &raw[n]))
			return LSH_FD_STATUS_DMA;
		lsh_sg_decode(&raw[n], &e[n]);
		if (e[n].extension || raw[n].reserved1[0] || raw[n].reserved1[1] || raw[n].reserved1[2])
			return LSH_FD_STATUS_UNSUPPORTED_FORMAT;
		if (e[n++].final)
			break;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (!a050385_aligned(fm, e[i].addr + e[i].offset) ||
		    (fm->config.a050385 && i + 1 < n && e[i].length % LSH_A050385_ALIGN)) {
			fm->counters.a050385_errors++;
			return LSH_FD_STATUS_UNSUPPORTED_FORMAT;
		}
		if (e[i].length > fm->config.max_frame_size - total)
			return LSH_FD_STATUS_LENGTH;
		total += e[i].length;
	}
	if (total != length)
		return LSH_FD_STATUS_LENGTH;
	total = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (emu_dma_read(fm, e[i].addr + e[i].offset, e[i].length, fm->frame + total))
			return LSH_FD_STATUS_DMA;
		total += e[i].length;
	}
	*sg_entries = n;
	return 0;
}

/* DTC: fill the IPv4 header checksum and the TCP/UDP checksum where the parse results say. */
static uint32_t checksum_offload(struct lsh_fm *fm, const struct lsh_fd_fields *fd, uint32_t len)
{
	struct lsh_prs_result prs;

	if (!(fd->cmd & LSH_FD_CMD_RPD))
		return LSH_FD_STATUS_DCL4C;
	if (emu_dma_read(fm, fd->addr + LSH_TX_PARSE_RESULT_OFFSET, sizeof(prs), &prs))
		return LSH_FD_STATUS_DMA;
	uint32_t ip = prs.ip_off[0], l4 = prs.l4_off;

	if (!(be16toh(prs.l3r) & LSH_PRS_L3_IPV4) || ip + 20 > len)
		return LSH_FD_STATUS_DCL4C;
	uint8_t *iph = fm->frame + ip;
	uint32_t ihl = (iph[0] & 0x0F) * 4u, total = (uint32_t)iph[2] << 8 | iph[3];

	if ((iph[0] >> 4) != 4 || ihl < 20 || total < ihl || ip + total > len)
		return LSH_FD_STATUS_DCL4C;
	iph[10] = iph[11] = 0;
	uint16_t ipsum = emu_checksum(iph, ihl, 0);

	iph[10] = (uint8_t)(ipsum >> 8);
	iph[11] = (uint8_t)ipsum;
	int tcp = prs.l4r & LSH_PRS_L4_TCP, udp = prs.l4r & LSH_PRS_L4_UDP;
	uint32_t field = tcp ? 16 : 6;

	if ((!tcp && !udp) || l4 != ip + ihl || l4 + field + 2 > ip + total)
		return LSH_FD_STATUS_DCL4C;
	uint8_t *l4h = fm->frame + l4;
	uint16_t l4len = (uint16_t)(total - ihl);

	l4h[field] = l4h[field + 1] = 0;
	uint16_t sum = emu_checksum(l4h, l4len, emu_pseudo_header_sum(iph, l4len, tcp ? 6 : 17));

	if (udp && sum == 0)
		sum = 0xFFFF; /* UDP sends a computed zero as all ones */
	l4h[field] = (uint8_t)(sum >> 8);
	l4h[field + 1] = (uint8_t)sum;
	fm->counters.checksums++;
	return 0;
}

uint32_t emu_tx_gather(struct lsh_fm *fm, const struct lsh_qm_fd *raw, uint32_t *len)
{
	struct lsh_fd_fields fd;
	uint32_t status, sg_entries = 0;
	uint64_t data;

	*len = 0;
	lsh_fd_decode(raw, &fd);
	switch (fd.format) {
	case LSH_FD_FORMAT_CONTIG:
	case LSH_FD_FORMAT_CONTIG_BIG:
	case LSH_FD_FORMAT_SG:
	case LSH_FD_FORMAT_SG_BIG:
		break;
	default:
		return LSH_FD_STATUS_UNSUPPORTED_FORMAT;
	}
	if (fd.length == 0 || fd.length > fm->config.max_frame_size)
		return LSH_FD_STATUS_LENGTH;
	data = fd.addr + fd.offset;
	if (fd.format == LSH_FD_FORMAT_CONTIG || fd.format == LSH_FD_FORMAT_CONTIG_BIG) {
		if (!a050385_aligned(fm, data)) {
			fm->counters.a050385_errors++;
			return LSH_FD_STATUS_UNSUPPORTED_FORMAT;
		}
		if (emu_dma_read(fm, data, fd.length, fm->frame))
			return LSH_FD_STATUS_DMA;
	} else {
		status = gather_sg(fm, data, fd.length, &sg_entries);
		if (status)
			return status;
	}
	status = 0;
	if (fd.cmd & LSH_FD_CMD_DTC) {
		status = checksum_offload(fm, &fd, fd.length);
		if (status & LSH_FD_STATUS_TX_ERRORS)
			return status;
	}
	fm->counters.sg_entries += sg_entries;
	*len = fd.length;
	return status;
}

void emu_tx_release(struct lsh_fm *fm, const struct lsh_qm_fd *raw)
{
	struct lsh_fd_fields fd;

	lsh_fd_decode(raw, &fd);
	if (fd.format == LSH_FD_FORMAT_SG || fd.format == LSH_FD_FORMAT_SG_BIG) {
		/* Each entry's buffer goes back to its own pool; the table's buffer to the FD's pool. */
		for (uint32_t i = 0; i < LSH_SG_MAX_ENTRIES; i++) {
			struct lsh_qm_sg_entry raw_entry;
			struct lsh_sg_fields e;

			if (emu_dma_read(fm, fd.addr + fd.offset + i * sizeof(raw_entry), sizeof(raw_entry), &raw_entry))
				break;
			lsh_sg_decode(&raw_entry, &e);
			if (e.bpid != LSH_BPID_NONE && emu_pool_put(fm, e.bpid, e.addr) == 0)
				fm->counters.buffers_released++;
			if (e.final)
				break;
		}
	}
	if (fd.bpid != LSH_BPID_NONE && emu_pool_put(fm, fd.bpid, fd.addr) == 0)
		fm->counters.buffers_released++;
}

uint32_t emu_pseudo_header_sum(const uint8_t *ip, uint16_t l4_length, uint8_t protocol)
{
	uint32_t sum = 0;

	for (int i = 12; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	return sum + protocol + l4_length;
}

uint16_t emu_checksum(const uint8_t *data, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (i < len)
		sum += (uint32_t)data[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}
