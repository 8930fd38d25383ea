/* SPDX-License-Identifier: Apache-2.0 */
/* C-side tests of the HAL library, run by `make check` in the Maven test phase: the format codec at
 * its edge values and every rule of the emulated frame manager, with real memory and files; the port's
 * wire is a pcap file the tests read back frame by frame. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "layerstore/hal.h"

int checks, failures;

#define PORT 5
#define MTU_FRAME 1522

/* ---- codec ---------------------------------------------------------------------------------------- */

static void test_fd_codec(void)
{
	static const uint32_t formats[] = { LSH_FD_FORMAT_CONTIG, LSH_FD_FORMAT_CONTIG_BIG, LSH_FD_FORMAT_SG,
					    LSH_FD_FORMAT_SG_BIG, LSH_FD_FORMAT_COMPOUND };

	for (unsigned i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		int big = formats[i] != LSH_FD_FORMAT_CONTIG && formats[i] != LSH_FD_FORMAT_SG;
		struct lsh_fd_fields in = { .addr = LSH_ADDR_MASK, .format = formats[i],
					    .offset = big ? 0 : LSH_FD_OFFSET_MAX,
					    .length = big ? LSH_FD_LENGTH_BIG_MASK : LSH_FD_LENGTH_MASK,
					    .cmd = LSH_FD_CMD_FCO | LSH_FD_CMD_DTC | 0xABCDEF, .dd = 3, .pid = 63,
					    .bpid = LSH_BPID_NONE, .eliodn = 15 },
				     out;
		struct lsh_qm_fd fd;

		CHECK_EQ(lsh_fd_encode(&in, &fd), 0);
		lsh_fd_decode(&fd, &out);
		CHECK(memcmp(&in, &out, sizeof(in)) == 0);
	}
	/* Byte positions as the hardware reads them. */
	struct lsh_fd_fields f = { .addr = 0x12345678ABull, .format = LSH_FD_FORMAT_SG, .offset = 0x40,
				   .length = 0x12345, .cmd = LSH_FD_STATUS_DMA, .pid = 1, .bpid = 7 };
	struct lsh_qm_fd fd;
	const uint8_t *b = (const uint8_t *)&fd;

	CHECK_EQ(lsh_fd_encode(&f, &fd), 0);
	CHECK_EQ(b[0], 0x01);
	CHECK_EQ(b[1], 7);
	CHECK_EQ(b[3], 0x12);
	CHECK_EQ(b[4], 0x34);
	CHECK_EQ(b[7], 0xAB);
	CHECK_EQ(b[8], 0x84); /* 100 format, offset 0x40 -> bits 28..20 */
	CHECK_EQ(b[9], 0x01);
	CHECK_EQ(b[10], 0x23);
	CHECK_EQ(b[11], 0x45);
	CHECK_EQ(b[12], 0x01);
	/* Values that do not fit their fields are refused. */
	struct lsh_fd_fields bad = f;

	bad.addr = LSH_ADDR_MASK + 1;
	CHECK_EQ(lsh_fd_encode(&bad, &fd), -EINVAL);
	bad = f;
	bad.offset = LSH_FD_OFFSET_MAX + 1;
	CHECK_EQ(lsh_fd_encode(&bad, &fd), -EINVAL);
	bad = f;
	bad.length = LSH_FD_LENGTH_MASK + 1;
	CHECK_EQ(lsh_fd_encode(&bad, &fd), -EINVAL);
	bad = f;
	bad.format = LSH_FD_FORMAT_SG_BIG;
	CHECK_EQ(lsh_fd_encode(&bad, &fd), -EINVAL); /* a big format has no offset */
}

static void test_sg_and_bm_codec(void)
{
	struct lsh_sg_fields in = { .addr = LSH_ADDR_MASK, .length = LSH_SG_LENGTH_MASK, .offset = LSH_SG_OFFSET_MASK,
				    .extension = 1, .final = 1, .bpid = 63 },
			     out;
	struct lsh_qm_sg_entry sg;
	const uint8_t *b = (const uint8_t *)&sg;

	CHECK_EQ(lsh_sg_encode(&in, &sg), 0);
	lsh_sg_decode(&sg, &out);
	CHECK(memcmp(&in, &out, sizeof(in)) == 0);
	CHECK_EQ(b[0] | b[1] | b[2], 0);
	CHECK_EQ(b[8], 0xFF); /* E, F and the top of the length */
	CHECK_EQ(b[13], 63);
	CHECK_EQ(b[14], 0x1F);
	in.length = LSH_SG_LENGTH_MASK + 1u;
	CHECK_EQ(lsh_sg_encode(&in, &sg), -EINVAL);

	struct lsh_bm_fields bin = { .addr = LSH_BM_ADDR_MASK, .bpid = 63 }, bout;
	struct lsh_bm_buffer bm;

	CHECK_EQ(lsh_bm_encode(&bin, &bm), 0);
	lsh_bm_decode(&bm, &bout);
	CHECK(memcmp(&bin, &bout, sizeof(bin)) == 0);
	CHECK_EQ(((const uint8_t *)&bm)[1], 63);
	bin.addr = LSH_BM_ADDR_MASK + 1;
	CHECK_EQ(lsh_bm_encode(&bin, &bm), -EINVAL);
}

/* ---- emulator fixtures ------------------------------------------------------------------------------ */

struct rig {
	struct lsh_fm *fm;
	uint32_t tx, conf;
	int pcap;     /* the port's wire: a pcap file of every frame sent */
	off_t read_at; /* where the next unread pcap record starts */
	uint8_t *mem;
	size_t mem_len;
	uint32_t region;
	uint64_t bus; /* bus address of mem[0] */
};

static void rig_open(struct rig *r, uint32_t ring_depth, int a050385)
{
	struct lsh_fm_config c = { .max_frame_size = MTU_FRAME, .ring_depth = ring_depth, .dequeue_depth = 64,
				   .a050385 = (uint32_t)a050385, .smmu = 1, .port_count = 1, .ports = { PORT } };

	memset(r, 0, sizeof(*r));
	CHECK_EQ(lsh_fm_open(&c, &r->fm), 0);
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM, .context_b = 0xC0FFEE };

	CHECK_EQ(lsh_fm_fq_create(r->fm, &cp, &r->conf), 0);
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r->conf };

	CHECK_EQ(lsh_fm_fq_create(r->fm, &tp, &r->tx), 0);
	char path[] = "/tmp/lsh-wire-XXXXXX";

	r->pcap = mkstemp(path);
	CHECK(r->pcap >= 0);
	unlink(path);
	r->read_at = 24; /* after the pcap file header */
	struct lsh_tx_target t = { .pcap_fd = r->pcap };

	CHECK_EQ(lsh_fm_port_bind(r->fm, PORT, &t), 0);
	r->mem_len = 16 * (size_t)sysconf(_SC_PAGESIZE);
	r->mem = mmap(NULL, r->mem_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(r->mem, 0, r->mem_len);
	CHECK_EQ(lsh_dma_register(r->fm, (uint64_t)(uintptr_t)r->mem, r->mem_len, NULL, &r->region, &r->bus), 0);
}

static void rig_close(struct rig *r)
{
	CHECK_EQ(lsh_fm_close(r->fm), 0);
	munmap(r->mem, r->mem_len);
	close(r->pcap);
}

/* Writes an Ethernet/IPv4/TCP frame with `payload` bytes of fill_byte at p, checksums zero (DTC fills
 * them). Returns the frame length. */
static uint32_t build_tcp(uint8_t *p, uint32_t seq, uint32_t payload, uint8_t fill_byte)
{
	uint32_t ip_total = 20 + 20 + payload;

	memset(p, 0, 54);
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	uint8_t *ip = p + 14, *tcp = p + 34;

	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_total >> 8);
	ip[3] = (uint8_t)ip_total;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	tcp[0] = 0x1F;
	tcp[1] = 0x90; /* 8080 */
	tcp[2] = 0xC0;
	tcp[3] = 0x00;
	tcp[4] = (uint8_t)(seq >> 24);
	tcp[5] = (uint8_t)(seq >> 16);
	tcp[6] = (uint8_t)(seq >> 8);
	tcp[7] = (uint8_t)seq;
	tcp[12] = 0x50;
	tcp[13] = 0x18; /* PSH ACK */
	tcp[14] = 0xFF;
	tcp[15] = 0xFF;
	memset(tcp + 20, fill_byte, payload);
	return 14 + ip_total;
}

/* Parse results for DTC in the headroom of the buffer at mem[buf]. */
static void put_prs(uint8_t *buf)
{
	struct lsh_prs_result *prs = (struct lsh_prs_result *)(buf + LSH_TX_PARSE_RESULT_OFFSET);

	memset(prs, 0, sizeof(*prs));
	prs->l3r = htobe16(LSH_PRS_L3_IPV4);
	prs->l4r = LSH_PRS_L4_TCP;
	prs->ip_off[0] = 14;
	prs->l4_off = 34;
}

static struct lsh_qm_fd fd_of(uint64_t addr, uint32_t format, uint32_t offset, uint32_t length, uint32_t cmd)
{
	struct lsh_fd_fields f = { .addr = addr, .format = format, .offset = offset, .length = length, .cmd = cmd,
				   .bpid = LSH_BPID_NONE };
	struct lsh_qm_fd fd;

	if (lsh_fd_encode(&f, &fd) != 0)
		memset(&fd, 0xEE, sizeof(fd));
	return fd;
}

static void put_sg(uint8_t *table, int i, uint64_t addr, uint32_t length, int final)
{
	struct lsh_sg_fields f = { .addr = addr, .length = length, .final = (uint8_t)final, .bpid = LSH_BPID_NONE };

	lsh_sg_encode(&f, (struct lsh_qm_sg_entry *)table + i);
}

/* Enqueues one descriptor and returns the status of its confirmation (0xDEAD on none within 5 s). */
static uint32_t send_one(struct rig *r, struct lsh_qm_fd fd)
{
	struct lsh_qm_dqrr_entry e;

	if (lsh_fm_enqueue(r->fm, r->tx, &fd, 1) != 1 || lsh_fm_drain(r->fm, 5000) != 0)
		return 0xDEAD;
	if (lsh_fm_dequeue(r->fm, r->conf, &e, 1) != 1)
		return 0xDEAD;
	CHECK_EQ(be32toh(e.fqid), r->conf);
	CHECK_EQ(be32toh(e.context_b), 0xC0FFEE);
	return be32toh(e.fd.cmd);
}

/* The next frame on the wire since the last call: its length (0: none), copied into `frame`. */
static uint32_t next_frame(struct rig *r, uint8_t *frame, uint32_t max)
{
	uint32_t record[4]; /* ts_sec, ts_usec, incl_len, orig_len */

	if (pread(r->pcap, record, sizeof(record), r->read_at) != (ssize_t)sizeof(record) || record[2] > max ||
	    pread(r->pcap, frame, record[2], r->read_at + (off_t)sizeof(record)) != (ssize_t)record[2])
		return 0;
	r->read_at += (off_t)sizeof(record) + record[2];
	return record[2];
}

/* The Internet checksum (RFC 1071) over data, from sum; 0 when data carries a correct checksum. The
 * test's own, so the emulator's DTC is judged by code other than its own. */
static uint16_t inet_checksum(const uint8_t *data, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The TCP pseudo-header sum (RFC 9293 section 3.1) of an IPv4 header for an L4 length. */
static uint32_t pseudo_header_sum(const uint8_t *ip, uint32_t l4_length)
{
	uint32_t sum = 6 + l4_length;

	for (int i = 12; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	return sum;
}

/* The TCP payload of the frames sent since the last call, as the receiving host would take it: every
 * frame must be IPv4/TCP with good checksums (else nothing is returned and a check fails). */
static size_t receive(struct rig *r, uint8_t *into, size_t max)
{
	uint8_t frame[MTU_FRAME];
	size_t total = 0;

	for (uint32_t len; (len = next_frame(r, frame, sizeof(frame))) > 0;) {
		const uint8_t *ip = frame + 14;
		uint32_t ihl = (ip[0] & 0x0F) * 4u, ip_total = (uint32_t)(ip[2] << 8 | ip[3]);
		uint32_t doff = (ip[ihl + 12] >> 4) * 4u, payload = ip_total - ihl - doff;

		CHECK(frame[12] == 0x08 && frame[13] == 0x00 && ip[9] == 6 && 14 + ip_total <= len);
		CHECK_EQ(inet_checksum(ip, ihl, 0), 0);
		CHECK_EQ(inet_checksum(ip + ihl, ip_total - ihl, pseudo_header_sum(ip, ip_total - ihl)), 0);
		if (total + payload > max)
			return total;
		memcpy(into + total, ip + ihl + doff, payload);
		total += payload;
	}
	return total;
}

/* ---- emulator rules ---------------------------------------------------------------------------------- */

static void test_contiguous_frame_with_dtc_leaves_with_its_checksums(void)
{
	struct rig r;
	uint8_t got[2048];

	rig_open(&r, 8, 0);
	put_prs(r.mem);
	uint32_t len = build_tcp(r.mem + LSH_TX_HEADROOM, 1000, 100, 'a');
	uint32_t status = send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len,
					     LSH_FD_CMD_RPD | LSH_FD_CMD_DTC));

	CHECK_EQ(status, 0);
	CHECK_EQ(receive(&r, got, sizeof(got)), 100);
	CHECK(got[0] == 'a' && got[99] == 'a');
	len = build_tcp(r.mem + LSH_TX_HEADROOM, 1100, 10, 'b');
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len, LSH_FD_CMD_RPD | LSH_FD_CMD_DTC)),
		 0);
	CHECK_EQ(receive(&r, got, sizeof(got)), 10);
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.frames, 2);
	CHECK_EQ(c.checksums, 2);
	CHECK_EQ(c.bytes, 2 * 54 + 110);
	CHECK_EQ(c.wire_drops, 0);
	CHECK_EQ(c.confirmations, 2);
	rig_close(&r);
}

/* Without DTC the frame leaves exactly as software built it (checksums zero); DTC without parse results
 * is reported (DCL4C) and the frame leaves unchanged too: the wire does not judge, a receiving host does. */
static void test_frames_without_dtc_leave_as_built(void)
{
	struct rig r;
	uint8_t frame[MTU_FRAME];

	rig_open(&r, 8, 0);
	uint32_t len = build_tcp(r.mem + LSH_TX_HEADROOM, 1, 20, 'x');

	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len, 0)), 0);
	CHECK_EQ(next_frame(&r, frame, sizeof(frame)), len);
	CHECK(memcmp(frame, r.mem + LSH_TX_HEADROOM, len) == 0);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len, LSH_FD_CMD_DTC)),
		 LSH_FD_STATUS_DCL4C);
	CHECK_EQ(next_frame(&r, frame, sizeof(frame)), len);
	CHECK(memcmp(frame, r.mem + LSH_TX_HEADROOM, len) == 0);
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.checksums, 0);
	rig_close(&r);
}

static void test_sg_frame_gathers_pieces_in_order(void)
{
	struct rig r;
	uint8_t got[4096];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	rig_open(&r, 8, 0);
	/* Buffer 0: headroom + S/G table; header in page 1, payload pieces in pages 3, 5 and 7. */
	uint8_t *table = r.mem + LSH_TX_HEADROOM;
	uint32_t hdr = build_tcp(r.mem + page, 5000, 300, 0) - 300;

	put_prs(r.mem);
	memset(r.mem + 3 * page + 100, 'A', 100);
	memset(r.mem + 5 * page, 'B', 100);
	memset(r.mem + 7 * page + page - 50, 'C', 100); /* crosses into page 8 */
	put_sg(table, 0, r.bus + page, hdr, 0);
	put_sg(table, 1, r.bus + 3 * page + 100, 100, 0);
	put_sg(table, 2, r.bus + 5 * page, 100, 0);
	put_sg(table, 3, r.bus + 8 * page - 50, 100, 1);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, hdr + 300, LSH_FD_CMD_RPD | LSH_FD_CMD_DTC)),
		 0);
	CHECK_EQ(receive(&r, got, sizeof(got)), 300);
	CHECK(got[0] == 'A' && got[99] == 'A' && got[100] == 'B' && got[199] == 'B' && got[200] == 'C' && got[299] == 'C');
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.sg_entries, 4);
	rig_close(&r);
}

static void test_format_rules_give_exact_status(void)
{
	struct rig r;
	uint8_t *table;

	rig_open(&r, 8, 0);
	table = r.mem + LSH_TX_HEADROOM;
	/* compound and the reserved codes are not TX formats */
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_COMPOUND, 0, 100, 0)), LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	/* length 0 and above the MAC maximum */
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, 0, 0, 0)), LSH_FD_STATUS_LENGTH);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG_BIG, 0, MTU_FRAME + 1, 0)), LSH_FD_STATUS_LENGTH);
	/* an extension entry */
	struct lsh_sg_fields ext = { .addr = r.bus + 1024, .length = 100, .extension = 1, .final = 1,
				     .bpid = LSH_BPID_NONE };

	lsh_sg_encode(&ext, (struct lsh_qm_sg_entry *)table);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 100, 0)), LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	/* 16 entries and no final bit */
	for (int i = 0; i < LSH_SG_MAX_ENTRIES; i++)
		put_sg(table, i, r.bus + 2048, 10, 0);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 160, 0)), LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	/* 16 entries with the final bit on the last is fine */
	put_sg(table, 15, r.bus + 2048, 10, 1);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 160, 0)), 0);
	/* an address above 40 bits (reserved byte set) */
	put_sg(table, 0, r.bus + 2048, 100, 1);
	table[2] = 0x01;
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 100, 0)), LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	/* entry lengths that do not add up to the descriptor's length */
	put_sg(table, 0, r.bus + 2048, 100, 0);
	put_sg(table, 1, r.bus + 4096, 100, 1);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 150, 0)), LSH_FD_STATUS_LENGTH);
	/* S/G-big with the table at the address itself */
	CHECK_EQ(send_one(&r, fd_of(r.bus + LSH_TX_HEADROOM, LSH_FD_FORMAT_SG_BIG, 0, 200, 0)), 0);
	/* a table outside every region, data outside every region */
	CHECK_EQ(send_one(&r, fd_of(r.bus + r.mem_len + 4096, LSH_FD_FORMAT_SG, 0, 100, 0)), LSH_FD_STATUS_DMA);
	put_sg(table, 0, 0x10, 100, 1);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 100, 0)), LSH_FD_STATUS_DMA);
	/* a contiguous frame running past the end of its region */
	CHECK_EQ(send_one(&r, fd_of(r.bus + r.mem_len - 100, LSH_FD_FORMAT_CONTIG, 0, 200, 0)), LSH_FD_STATUS_DMA);
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.format_errors, 4);
	CHECK_EQ(c.length_errors, 3);
	CHECK_EQ(c.dma_errors, 3);
	rig_close(&r);
}

static void test_a050385(void)
{
	struct rig r;
	uint8_t *table;

	rig_open(&r, 8, 1);
	table = r.mem + LSH_TX_HEADROOM;
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, 100, 0)),
		 LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	CHECK_EQ(send_one(&r, fd_of(r.bus + 256, LSH_FD_FORMAT_CONTIG, 0, 100, 0)), 0);
	put_sg(table, 0, r.bus + 1024, 100, 0); /* non-last length not a multiple of 256 */
	put_sg(table, 1, r.bus + 2048, 100, 1);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 200, 0)), LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	put_sg(table, 0, r.bus + 1024, 256, 0);
	put_sg(table, 1, r.bus + 2048 + 16, 100, 1); /* last entry's data not 256-aligned */
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 356, 0)), LSH_FD_STATUS_UNSUPPORTED_FORMAT);
	put_sg(table, 1, r.bus + 2048, 100, 1);
	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_SG, LSH_TX_HEADROOM, 356, 0)), 0);
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.a050385_errors, 3);
	rig_close(&r);
}

static void test_ring_full_is_busy_and_a_disabled_port_holds_frames(void)
{
	struct rig r;
	struct lsh_qm_fd fds[12];

	rig_open(&r, 8, 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	for (int i = 0; i < 12; i++)
		fds[i] = fd_of(r.bus + 4096, LSH_FD_FORMAT_CONTIG, 0, 60, 0);
	/* The EQCR takes 7 (one entry stays free); once QMan moved them to the FQ the burst refills it with one
	 * more, and then the FQ holds ring_depth frames (counting commands still in the EQCR): busy. */
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds, 12), 8);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds, 1), -EBUSY);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, r.tx), -EBUSY);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	struct lsh_qm_dqrr_entry e[16];

	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 16), 8);
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.ring_full, 1);
	CHECK_EQ(c.frames, 8);
	CHECK_EQ(lsh_fm_enqueue(r.fm, 0x7777, fds, 1), -ENOENT);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.conf, fds, 1), -EINVAL);
	rig_close(&r);
}

static void test_unregistered_region_with_frames_in_flight_is_a_dma_error(void)
{
	struct rig r;

	rig_open(&r, 8, 0);
	struct lsh_qm_fd fd = fd_of(r.bus + 4096, LSH_FD_FORMAT_CONTIG, 0, 60, 0);

	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &fd, 1), 1);
	CHECK_EQ(lsh_dma_unregister(r.fm, r.region), 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	struct lsh_qm_dqrr_entry e;

	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, &e, 1), 1);
	CHECK_EQ(be32toh(e.fd.cmd), LSH_FD_STATUS_DMA);
	CHECK_EQ(lsh_dma_unregister(r.fm, r.region), -ENOENT);
	rig_close(&r);
}

static void test_truncated_file_page_is_a_dma_error_not_sigbus(void)
{
	struct rig r;
	char path[] = "/tmp/lsh-test-XXXXXX";
	int fd = mkstemp(path);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	rig_open(&r, 8, 0);
	CHECK(fd >= 0);
	unlink(path);
	CHECK_EQ(ftruncate(fd, (off_t)(4 * page)), 0);
	uint8_t *file = mmap(NULL, 4 * page, PROT_READ, MAP_SHARED, fd, 0);
	uint32_t region;
	uint64_t bus;

	CHECK(file != MAP_FAILED);
	CHECK_EQ(lsh_dma_register(r.fm, (uint64_t)(uintptr_t)file, 4 * page, NULL, &region, &bus), 0);
	CHECK_EQ(send_one(&r, fd_of(bus + 3 * page, LSH_FD_FORMAT_CONTIG, 0, 100, 0)), 0);
	CHECK_EQ(ftruncate(fd, (off_t)page), 0); /* pages 1..3 are gone */
	CHECK_EQ(send_one(&r, fd_of(bus + 3 * page, LSH_FD_FORMAT_CONTIG, 0, 100, 0)), LSH_FD_STATUS_DMA);
	CHECK_EQ(send_one(&r, fd_of(bus + page - 50, LSH_FD_FORMAT_CONTIG, 0, 100, 0)), LSH_FD_STATUS_DMA);
	CHECK_EQ(send_one(&r, fd_of(bus, LSH_FD_FORMAT_CONTIG, 0, 100, 0)), 0);
	munmap(file, 4 * page);
	close(fd);
	rig_close(&r);
}

static void test_rejections_and_pools(void)
{
	struct rig r;
	struct lsh_bm_buffer bufs[9];
	struct lsh_qm_mr_entry rej[4];

	rig_open(&r, 8, 0);
	int bpid = lsh_bm_pool_create(r.fm, 16);

	CHECK(bpid >= 0 && bpid < LSH_BM_POOL_MAX);
	for (int i = 0; i < 9; i++) {
		struct lsh_bm_fields f = { .addr = r.bus + (uint64_t)i * 256, .bpid = (uint8_t)bpid };

		lsh_bm_encode(&f, &bufs[i]);
	}
	CHECK_EQ(lsh_bm_release(r.fm, (uint32_t)bpid, bufs, 9), -EINVAL);
	CHECK_EQ(lsh_bm_release(r.fm, (uint32_t)bpid, bufs, 8), 0);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 8);
	CHECK_EQ(lsh_bm_acquire(r.fm, (uint32_t)bpid, bufs, 8), 8);
	CHECK_EQ(lsh_bm_acquire(r.fm, (uint32_t)bpid, bufs, 1), -ENOMEM);
	CHECK_EQ(lsh_bm_acquire(r.fm, 63, bufs, 1), -ENOENT);

	/* A frame from a pool, without a confirmation queue, goes back to its pool once sent. */
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT };
	uint32_t plain;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &tp, &plain), 0);
	struct lsh_fd_fields f = { .addr = r.bus + 4096, .format = LSH_FD_FORMAT_CONTIG, .length = 60, .bpid = (uint8_t)bpid };
	struct lsh_qm_fd fd;

	lsh_fd_encode(&f, &fd);
	CHECK_EQ(lsh_fm_enqueue(r.fm, plain, &fd, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 1);
	CHECK_EQ(lsh_bm_acquire(r.fm, (uint32_t)bpid, bufs, 1), 1);
	struct lsh_bm_fields back;

	lsh_bm_decode(&bufs[0], &back);
	CHECK_EQ(back.addr, r.bus + 4096);

	/* QMan does not check a BPID naming no pool or an FCO naming no queue in service: both frames are
	 * sent, neither is rejected; the first, with no confirmation queue, is released to no pool, the
	 * second's confirmation is lost, and no pool gains a buffer. */
	struct lsh_fm_counters before, after;

	CHECK_EQ(lsh_fm_counters(r.fm, &before), 0);
	f.bpid = 40;
	lsh_fd_encode(&f, &fd);
	CHECK_EQ(lsh_fm_enqueue(r.fm, plain, &fd, 1), 1);
	f.bpid = (uint8_t)bpid;
	f.cmd = LSH_FD_CMD_FCO | 0x4242;
	lsh_fd_encode(&f, &fd);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &fd, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_rejections(r.fm, rej, 4), 0);
	CHECK_EQ(lsh_fm_counters(r.fm, &after), 0);
	CHECK_EQ(after.frames - before.frames, 2);
	CHECK_EQ(after.confirmations, before.confirmations);
	CHECK_EQ(after.buffers_released, before.buffers_released);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 0);
	f.bpid = LSH_BPID_NONE;
	/* FCO to an existing confirmation queue overrides the FQ's default one. */
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM, .context_b = 7 };
	uint32_t other;
	struct lsh_qm_dqrr_entry e;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &cp, &other), 0);
	f.cmd = LSH_FD_CMD_FCO | other;
	lsh_fd_encode(&f, &fd);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &fd, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, other, &e, 1), 1);
	CHECK_EQ(be32toh(e.context_b), 7);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, &e, 1), 0);
	rig_close(&r);
}

/* Whether fd becomes readable within timeout_ms. */
static int readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

/* Frames of 60 bytes for the rig's port with the pool bpid, each in its own 256 bytes of the rig's memory. */
static void pool_frames(const struct rig *r, int bpid, struct lsh_qm_fd *fds, int n)
{
	for (int i = 0; i < n; i++) {
		struct lsh_fd_fields f = { .addr = r->bus + 4096 + (uint64_t)i * 256, .format = LSH_FD_FORMAT_CONTIG,
					   .length = 60, .bpid = (uint8_t)bpid };

		lsh_fd_encode(&f, &fds[i]);
	}
}

/* Frame i of a burst: 60 + i bytes, so a confirmation or a rejection says which frame it is. */
static struct lsh_qm_fd burst_frame(const struct rig *r, uint32_t i)
{
	return fd_of(r->bus + 4096, LSH_FD_FORMAT_CONTIG, 0, 60 + i, 0);
}

/* Checks that the next `n` rejections are those of frames first..first+n-1, in order. */
static void check_rejected(struct rig *r, uint32_t first, int32_t n)
{
	struct lsh_qm_mr_entry rej[LSH_QM_MR_SIZE];

	CHECK_EQ(lsh_fm_rejections(r->fm, rej, LSH_QM_MR_SIZE), n);
	for (int32_t i = 0; i < n; i++) {
		CHECK_EQ(rej[i].rc, LSH_MR_RC_FQ_TAILDROP);
		CHECK_EQ(be32toh(rej[i].fd.cfg) & 0xFFFFF, 60 + first + (uint32_t)i);
	}
}

/* A burst is one call however long: the driver refills the 8-entry EQCR as QMan empties it (the index
 * wraps, its valid bit flips), stops where the FQ is full and takes the rest, in order, on the retry (and a
 * dequeue takes more than the DQRR's 15 entries in one call the same way); each frame keeps its own verdict: with the MR full of rejections the commands behind wait on the EQCR, the
 * burst stops there, and each rejected frame comes back once, in order. */
static void test_enqueue_burst_refills_the_eqcr_and_keeps_each_frames_verdict(void)
{
	struct rig r;
	struct lsh_qm_fd fds[40];
	struct lsh_qm_dqrr_entry e[64];
	struct lsh_fm_counters c;

	rig_open(&r, 30, 0);
	for (uint32_t i = 0; i < 40; i++)
		fds[i] = burst_frame(&r, i);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds, 20), 20); /* 7 + 7 + 6: two refills, past two wraps */
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds + 20, 20), 10); /* the FQ's 30: the rest is the caller's */
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds + 30, 10), -EBUSY);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	/* 15 confirmations on the DQRR, 15 behind them in the FQ: one dequeue takes all 30, acknowledging the ring
	 * for QMan to refill it as it goes. */
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 64), 30);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds + 30, 10), 10);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e + 30, 34), 10);
	for (int32_t i = 0; i < 40; i++)
		CHECK_EQ(be32toh(e[i].fd.cfg) & 0xFFFFF, 60 + (uint32_t)i);
	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.ring_full, 1);
	CHECK_EQ(c.frames, 40);

	/* Tail drop at 2 with the port stopped: frames 2 to 8 fill the MR (7 entries), frame 9 waits on the
	 * EQCR behind them, the burst fills the EQCR's free entries (to frame 15) and stops. Reading the MR lets
	 * QMan go on: 9 to 15 are rejected in turn, and the retry of 16 to 19 is rejected too. */
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf, .taildrop = 2 };
	uint32_t td;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &tp, &td), 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	CHECK_EQ(lsh_fm_enqueue(r.fm, td, fds, 20), 16);
	check_rejected(&r, 2, 7);
	check_rejected(&r, 9, 7);
	CHECK_EQ(lsh_fm_enqueue(r.fm, td, fds + 16, 4), 4);
	check_rejected(&r, 16, 4);
	check_rejected(&r, 20, 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 64), 2);
	CHECK_EQ(be32toh(e[0].fd.cfg) & 0xFFFFF, 60);
	CHECK_EQ(be32toh(e[1].fd.cfg) & 0xFFFFF, 61);
	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.rejections, 18);
	CHECK_EQ(c.frames, 42);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, td), 0);
	rig_close(&r);
}

/* Tail drop is what rejects: frames beyond a TX FQ's threshold come back on the message ring, untouched
 * and not released to their pool (the owner releases them, once); the frames taken are sent. */
static void test_taildrop_rejects_onto_the_message_ring(void)
{
	struct rig r;
	struct lsh_qm_mr_entry rej[8];
	struct lsh_qm_dqrr_entry e[8];

	rig_open(&r, 8, 0);
	int bpid = lsh_bm_pool_create(r.fm, 16);
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf, .taildrop = 2 };
	uint32_t tx;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &tp, &tx), 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	struct lsh_qm_fd fds[4];

	pool_frames(&r, bpid, fds, 4);
	CHECK_EQ(lsh_fm_enqueue(r.fm, tx, fds, 4), 4);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_rejections(r.fm, rej, 8), 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(rej[i].verb & LSH_QM_MR_VERB_TYPE_MASK, LSH_QM_MR_VERB_ERN);
		CHECK_EQ(rej[i].verb & LSH_QB_VERB_VBIT, LSH_QB_VERB_VBIT);
		CHECK_EQ(rej[i].rc, LSH_MR_RC_FQ_TAILDROP);
		CHECK_EQ(be32toh(rej[i].fqid), tx);
		CHECK(memcmp(&rej[i].fd, &fds[2 + i], sizeof(fds[0])) == 0);
	}
	CHECK_EQ(lsh_fm_rejections(r.fm, rej, 8), 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 2);
	CHECK_EQ(be32toh(e[0].fd.addr_lo), (uint32_t)(r.bus + 4096));
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 0);
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.rejections, 2);
	CHECK_EQ(c.frames, 2);
	rig_close(&r);
}

/* context_a decides who releases a sent frame's pool buffers: with A2V and EBD the FMan releases them to
 * their pools (the FD's and each S/G entry's) and still confirms the frame; without, a confirmed frame's
 * buffers stay software's. An errored frame keeps its buffer either way. OVFQ confirms to the queue's
 * context_b although the descriptor's FCO names another queue. */
static void test_context_a_says_who_releases_the_buffers(void)
{
	struct rig r;
	struct lsh_qm_dqrr_entry e[8];
	uint32_t ebd_tx, ovfq_tx, other;

	rig_open(&r, 8, 0);
	int bpid = lsh_bm_pool_create(r.fm, 16);
	int sg_bpid = lsh_bm_pool_create(r.fm, 16);
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM, .context_b = 9 };
	struct lsh_fq_params ebd = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf,
				     .context_a = LSH_QM_CTXA_A2V | LSH_QM_CTXA_A2_EBD };

	CHECK_EQ(lsh_fm_fq_create(r.fm, &cp, &other), 0);
	CHECK_EQ(lsh_fm_fq_create(r.fm, &ebd, &ebd_tx), 0);
	struct lsh_fq_params ovfq = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf,
				      .context_a = LSH_QM_CTXA_OVFQ };

	CHECK_EQ(lsh_fm_fq_create(r.fm, &ovfq, &ovfq_tx), 0);
	struct lsh_qm_fd fds[2];

	pool_frames(&r, bpid, fds, 2);
	/* An S/G frame: its table in a pool buffer, one entry's data from another pool. */
	uint8_t *table = r.mem + 8192;
	struct lsh_sg_fields entry = { .addr = r.bus + 12288, .length = 60, .final = 1, .bpid = (uint8_t)sg_bpid };
	struct lsh_fd_fields sg = { .addr = r.bus + 8192, .format = LSH_FD_FORMAT_SG, .length = 60, .bpid = (uint8_t)bpid };
	struct lsh_qm_fd sg_fd;

	lsh_sg_encode(&entry, (struct lsh_qm_sg_entry *)table);
	lsh_fd_encode(&sg, &sg_fd);
	CHECK_EQ(lsh_fm_enqueue(r.fm, ebd_tx, fds, 1), 1);
	CHECK_EQ(lsh_fm_enqueue(r.fm, ebd_tx, &sg_fd, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 2); /* confirmed all the same */
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 2);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)sg_bpid), 1);

	/* No EBD: the confirmed frame's buffer is software's. */
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &fds[1], 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 1);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 2);

	/* EBD and an error: nothing released. */
	struct lsh_fd_fields too_long = { .addr = r.bus + 4096, .format = LSH_FD_FORMAT_CONTIG, .length = MTU_FRAME + 1,
					  .bpid = (uint8_t)bpid };
	struct lsh_qm_fd bad;

	lsh_fd_encode(&too_long, &bad);
	CHECK_EQ(lsh_fm_enqueue(r.fm, ebd_tx, &bad, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 1);
	CHECK_EQ(be32toh(e[0].fd.cmd), LSH_FD_STATUS_LENGTH);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 2);

	/* OVFQ: FCO to `other` is overridden by the queue's own confirmation queue. */
	struct lsh_qm_fd fco = fd_of(r.bus + 4096, LSH_FD_FORMAT_CONTIG, 0, 60, LSH_FD_CMD_FCO | other);

	CHECK_EQ(lsh_fm_enqueue(r.fm, ovfq_tx, &fco, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, other, e, 8), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 1);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &fco, 1), 1); /* without OVFQ, FCO decides */
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, other, e, 8), 1);
	rig_close(&r);
}

/* A congestion group counts the bytes queued on its FQs: past its CS threshold it is congested, says so
 * once through CSCI (and the confirmation queue's notifier), and with tail drop QMan rejects what is
 * enqueued meanwhile onto the MR with QM_MR_RC_CGR_TAILDROP, untouched and released to no pool; when the
 * port drains the queue it says it left congestion. */
static void test_congestion_group_tail_drop_and_state_changes(void)
{
	struct rig r;
	struct lsh_qm_mr_entry rej[8];
	struct lsh_qm_dqrr_entry e[8];
	struct lsh_cgr_state st[4];
	uint32_t cgid, tx;

	rig_open(&r, 8, 0);
	int bpid = lsh_bm_pool_create(r.fm, 16);
	struct lsh_cgr_params bad = { .threshold = 0, .taildrop = 1 };
	struct lsh_cgr_params cp = { .threshold = 150, .taildrop = 1, .notify = 1 };

	CHECK_EQ(lsh_fm_cgr_create(r.fm, &bad, &cgid), -EINVAL);
	CHECK_EQ(lsh_fm_cgr_create(r.fm, &cp, &cgid), 0);
	struct lsh_fq_params no_group = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf,
					  .cgr = LSH_FQ_CGE | ((cgid + 1) & 0xFF) };
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf, .cgr = LSH_FQ_CGE | cgid };

	CHECK_EQ(lsh_fm_fq_create(r.fm, &no_group, &tx), -ENOENT);
	CHECK_EQ(lsh_fm_fq_create(r.fm, &tp, &tx), 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	int ready = lsh_fm_notifier(r.fm, r.conf, 8);

	CHECK(ready >= 0);
	CHECK_EQ(lsh_fm_congestion(r.fm, st, 4), 0);
	struct lsh_qm_fd fds[4];

	pool_frames(&r, bpid, fds, 4);
	/* 60, 120, 180 bytes: the third frame takes the group past 150; the fourth is dropped. */
	CHECK_EQ(lsh_fm_enqueue(r.fm, tx, fds, 4), 4);
	CHECK(readable(ready, 5000));
	CHECK_EQ(lsh_fm_congestion(r.fm, st, 4), 1);
	CHECK_EQ(st[0].cgid, cgid);
	CHECK_EQ(st[0].congested, 1);
	CHECK_EQ(st[0].bytes, 180);
	CHECK_EQ(lsh_fm_congestion(r.fm, st, 4), 0); /* reported once */
	CHECK_EQ(lsh_fm_cgr_query(r.fm, cgid, &st[1]), 0);
	CHECK_EQ(st[1].bytes, 180);
	CHECK_EQ(lsh_fm_rejections(r.fm, rej, 8), 1);
	CHECK_EQ(rej[0].rc, LSH_MR_RC_CGR_TAILDROP);
	CHECK_EQ(rej[0].verb & LSH_QM_MR_VERB_TYPE_MASK, LSH_QM_MR_VERB_ERN);
	CHECK_EQ(be32toh(rej[0].fqid), tx);
	CHECK(memcmp(&rej[0].fd, &fds[3], sizeof(fds[0])) == 0);
	CHECK_EQ(lsh_fm_cgr_destroy(r.fm, cgid), -EBUSY);

	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 3);
	CHECK_EQ(lsh_fm_congestion(r.fm, st, 4), 1);
	CHECK_EQ(st[0].congested, 0);
	CHECK_EQ(st[0].bytes, 0);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 0); /* confirmed or rejected: software's to release */
	struct lsh_fm_counters c;

	lsh_fm_counters(r.fm, &c);
	CHECK_EQ(c.rejections, 1);
	CHECK_EQ(c.cgr_rejections, 1);
	CHECK_EQ(c.cgr_changes, 2);
	CHECK_EQ(c.frames, 3);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, tx), 0);
	CHECK_EQ(lsh_fm_cgr_destroy(r.fm, cgid), 0);
	CHECK_EQ(lsh_fm_cgr_query(r.fm, cgid, &st[0]), -ENOENT);
	rig_close(&r);
}

/* A port's error queue gets the frames it could not send, with their status and their buffer: the
 * hardware releases nothing of them, the confirmation queue sees only what was sent. */
static void test_errored_frames_go_to_the_ports_error_queue(void)
{
	struct rig r;
	struct lsh_qm_dqrr_entry e[4];

	rig_open(&r, 8, 0);
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM, .context_b = 0xE44 };
	uint32_t errq;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &cp, &errq), 0);
	CHECK_EQ(lsh_fm_port_error_queue(r.fm, PORT + 1, errq), -ENODEV);
	CHECK_EQ(lsh_fm_port_error_queue(r.fm, PORT, r.tx), -EINVAL);
	CHECK_EQ(lsh_fm_port_error_queue(r.fm, PORT, 0x7777), -ENOENT);
	CHECK_EQ(lsh_fm_port_error_queue(r.fm, PORT, errq), 0);
	/* 64: never reached by these frames; the error wakes the frame's own confirmation queue at once. */
	int conf_ready = lsh_fm_notifier(r.fm, r.conf, 64);

	CHECK(conf_ready >= 0);
	int bpid = lsh_bm_pool_create(r.fm, 4);
	struct lsh_fd_fields bad = { .addr = r.bus + 4096, .format = LSH_FD_FORMAT_CONTIG, .length = MTU_FRAME + 1,
				     .bpid = (uint8_t)bpid };
	struct lsh_qm_fd fds[2];

	lsh_fd_encode(&bad, &fds[0]);
	fds[1] = fd_of(r.bus + 8192, LSH_FD_FORMAT_CONTIG, 0, 60, 0);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK(readable(conf_ready, 0));
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 0); /* nothing for it there: the error is on errq */
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds + 1, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, errq, e, 4), 1);
	CHECK_EQ(be32toh(e[0].fd.cmd), LSH_FD_STATUS_LENGTH);
	CHECK_EQ(be32toh(e[0].context_b), 0xE44);
	CHECK_EQ(e[0].fd.bpid, bpid);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 1);
	CHECK_EQ(be32toh(e[0].fd.cmd), 0);
	CHECK_EQ(lsh_bm_pool_count(r.fm, (uint32_t)bpid), 0); /* the hardware released nothing */
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, errq), -EBUSY);     /* the port's error queue */
	CHECK_EQ(lsh_fm_port_error_queue(r.fm, PORT, 0), 0);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, errq), 0);
	/* Without an error queue an errored frame is confirmed to its confirmation queue again. */
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, fds, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 1);
	CHECK_EQ(be32toh(e[0].fd.cmd), LSH_FD_STATUS_LENGTH);
	rig_close(&r);
}

/* Two confirmation FQs share the portal's DQRR: dequeuing one parks the other's responses in its
 * software ring, in order, with the DQRR fields as QMan writes them. */
static void test_confirmation_queues_share_the_dqrr(void)
{
	struct rig r;
	struct lsh_qm_dqrr_entry e[8];

	rig_open(&r, 8, 0);
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM, .context_b = 0xB0B };
	uint32_t conf_b, tx_b;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &cp, &conf_b), 0);
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = conf_b };

	CHECK_EQ(lsh_fm_fq_create(r.fm, &tp, &tx_b), 0);
	struct lsh_qm_fd empty = fd_of(r.bus + 4096, LSH_FD_FORMAT_CONTIG, 0, 0, 0);

	CHECK_EQ(lsh_fm_enqueue(r.fm, tx_b, &empty, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	struct lsh_qm_fd frame = fd_of(r.bus + 4096, LSH_FD_FORMAT_CONTIG, 0, 60, 0);

	CHECK_EQ(lsh_fm_enqueue(r.fm, tx_b, &frame, 1), 1);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &frame, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 8), 1);
	CHECK_EQ(e[0].verb & LSH_QM_DQRR_VERB_MASK, LSH_QM_DQRR_VERB_FRAME_DEQUEUE);
	CHECK(e[0].stat & LSH_QM_DQRR_STAT_FD_VALID);
	CHECK_EQ(be32toh(e[0].fqid), r.conf);
	CHECK_EQ(be32toh(e[0].context_b), 0xC0FFEE);
	CHECK_EQ(lsh_fm_dequeue(r.fm, conf_b, e, 8), 2);
	CHECK_EQ(be32toh(e[0].fd.cmd), LSH_FD_STATUS_LENGTH); /* the zero-length frame, first */
	CHECK_EQ(be32toh(e[1].fd.cmd), 0);
	CHECK_EQ(be32toh(e[1].context_b), 0xB0B);
	CHECK(e[1].stat & LSH_QM_DQRR_STAT_FQ_EMPTY);
	CHECK_EQ(lsh_fm_dequeue(r.fm, conf_b, e, 8), 0);
	rig_close(&r);
}

static void test_pcap_records_whole_frames(void)
{
	struct rig r;
	char path[] = "/tmp/lsh-pcap-XXXXXX";
	int pcap = mkstemp(path);
	uint8_t head[24 + 16];

	rig_open(&r, 8, 0);
	unlink(path);
	struct lsh_tx_target t = { .pcap_fd = pcap };

	CHECK_EQ(lsh_fm_port_bind(r.fm, PORT, &t), 0);
	put_prs(r.mem);
	uint32_t len = build_tcp(r.mem + LSH_TX_HEADROOM, 1, 30, 'p');

	CHECK_EQ(send_one(&r, fd_of(r.bus, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len, LSH_FD_CMD_RPD | LSH_FD_CMD_DTC)),
		 0);
	CHECK_EQ(lseek(pcap, 0, SEEK_END), 24 + 16 + len);
	CHECK_EQ(pread(pcap, head, sizeof(head), 0), sizeof(head));
	uint32_t magic, linktype, incl;

	memcpy(&magic, head, 4);
	memcpy(&linktype, head + 20, 4);
	memcpy(&incl, head + 24 + 8, 4);
	CHECK_EQ(magic, 0xA1B2C3D4u);
	CHECK_EQ(linktype, 1);
	CHECK_EQ(incl, len);
	close(pcap);
	rig_close(&r);
}

static void test_physical_mode_translates_page_frames(void)
{
	/* Frame numbers need not be real here: the emulator maps bus pages to the registered virtual
	 * pages, so two pages at "frames" 0x500 and 0x100 give bus addresses in that order. */
	struct lsh_fm_config c = { .max_frame_size = MTU_FRAME, .ring_depth = 8, .dequeue_depth = 8, .smmu = 0,
				   .port_count = 1, .ports = { PORT } };
	struct lsh_fm *fm;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t pfns[2] = { 0x500, 0x100 }, too_high[2] = { 0x500, LSH_ADDR_MASK }, bus;
	uint32_t region, conf, tx;
	char path[] = "/tmp/lsh-phys-XXXXXX";
	struct rig wire = { .pcap = mkstemp(path), .read_at = 24 };

	CHECK_EQ(lsh_fm_open(&c, &fm), 0);
	CHECK_EQ(lsh_dma_register(fm, (uint64_t)(uintptr_t)mem, 2 * page, NULL, &region, &bus), -EINVAL);
	CHECK_EQ(lsh_dma_register(fm, (uint64_t)(uintptr_t)mem, 2 * page, too_high, &region, &bus), -ERANGE);
	CHECK_EQ(lsh_dma_register(fm, (uint64_t)(uintptr_t)mem, 2 * page, pfns, &region, &bus), 0);
	CHECK_EQ(bus, 0x500ull * page);
	CHECK(wire.pcap >= 0);
	unlink(path);
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM };

	lsh_fm_fq_create(fm, &cp, &conf);
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = conf };

	lsh_fm_fq_create(fm, &tp, &tx);
	struct lsh_tx_target t = { .pcap_fd = wire.pcap };

	lsh_fm_port_bind(fm, PORT, &t);
	uint32_t len = build_tcp(mem + page, 9, 8, 'q');

	struct lsh_prs_result *prs = (struct lsh_prs_result *)(mem + page + 512 + LSH_TX_PARSE_RESULT_OFFSET);

	memmove(mem + page + 512 + LSH_TX_HEADROOM, mem + page, len);
	memset(prs, 0, sizeof(*prs));
	prs->l3r = htobe16(LSH_PRS_L3_IPV4);
	prs->l4r = LSH_PRS_L4_TCP;
	prs->ip_off[0] = 14;
	prs->l4_off = 34;
	struct lsh_qm_fd fd = fd_of(0x100ull * page + 512, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len,
				    LSH_FD_CMD_RPD | LSH_FD_CMD_DTC);
	struct lsh_qm_dqrr_entry e;
	uint8_t got[64];

	CHECK_EQ(lsh_fm_enqueue(fm, tx, &fd, 1), 1);
	CHECK_EQ(lsh_fm_drain(fm, 5000), 0);
	CHECK_EQ(lsh_fm_dequeue(fm, conf, &e, 1), 1);
	CHECK_EQ(be32toh(e.fd.cmd), 0);
	CHECK_EQ(receive(&wire, got, sizeof(got)), 8);
	CHECK_EQ(got[7], 'q');
	lsh_fm_close(fm);
	close(wire.pcap);
	munmap(mem, 2 * page);
}

/* A contiguous 100-byte TCP frame at mem + 4096 with sequence number seq. */
static struct lsh_qm_fd tcp_frame(struct rig *r, uint32_t seq)
{
	put_prs(r->mem + 4096);
	uint32_t len = build_tcp(r->mem + 4096 + LSH_TX_HEADROOM, seq, 100, 'n');

	return fd_of(r->bus + 4096, LSH_FD_FORMAT_CONTIG, LSH_TX_HEADROOM, len, LSH_FD_CMD_RPD | LSH_FD_CMD_DTC);
}

static void test_notifier_signals_confirmations_and_rejections(void)
{
	struct rig r;
	struct lsh_qm_dqrr_entry e[4];
	struct lsh_qm_mr_entry rej[2];
	uint64_t value;

	rig_open(&r, 8, 0);
	int fd = lsh_fm_notifier(r.fm, r.conf, 1);

	CHECK(fd >= 0);
	CHECK_EQ(lsh_fm_notifier(r.fm, r.conf, 1), fd);
	CHECK_EQ(lsh_fm_notifier(r.fm, r.tx, 1), -EINVAL);
	CHECK_EQ(lsh_fm_notifier(r.fm, 0x7777, 1), -ENOENT);
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.tx), -EINVAL);
	CHECK_EQ(lsh_fm_notifier(r.fm, r.conf, 0), -EINVAL);
	CHECK_EQ(lsh_fm_notifier(r.fm, r.conf, 65), -EINVAL); /* deeper than the queue */
	CHECK(!readable(fd, 0));
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 0);

	/* A confirmation makes it readable; the ack clears it. */
	struct lsh_qm_fd frame = tcp_frame(&r, 1);

	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &frame, 1), 1);
	CHECK(readable(fd, 5000));
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK(!readable(fd, 0));
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 1);
	CHECK_EQ(be32toh(e[0].fd.cmd), 0);

	/* Nothing happened: nothing to see, for 100 ms. */
	CHECK(!readable(fd, 100));

	/* One notification per arming: two confirmations write the eventfd once. */
	frame = tcp_frame(&r, 101);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &frame, 1), 1);
	frame = tcp_frame(&r, 201);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &frame, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(read(fd, &value, sizeof(value)), sizeof(value));
	CHECK_EQ(value, 1);
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 0); /* already read: nothing pending, re-armed */
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 2);

	/* An enqueue rejection wakes the TX FQ's confirmation queue too: tail drop at one frame, the port
	 * holding the first. */
	struct lsh_fq_params dropping = { .kind = LSH_FQ_TX, .port = PORT, .confirm_fqid = r.conf, .taildrop = 1 };
	uint32_t td_tx;
	struct lsh_qm_fd two[2] = { tcp_frame(&r, 301), tcp_frame(&r, 301) };

	CHECK_EQ(lsh_fm_fq_create(r.fm, &dropping, &td_tx), 0);
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	CHECK_EQ(lsh_fm_enqueue(r.fm, td_tx, two, 2), 2);
	CHECK(readable(fd, 5000)); /* QMan rejects the second when it takes the command off the EQCR */
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_rejections(r.fm, rej, 2), 1);
	CHECK_EQ(be32toh(rej[0].fqid), td_tx);
	CHECK_EQ(rej[0].rc, LSH_MR_RC_FQ_TAILDROP);
	CHECK(!readable(fd, 0));
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 1);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, td_tx), 0);

	/* Entries delivered before the notifier was asked for make it readable at once. */
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM };
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = PORT };
	uint32_t late_conf, late_tx;

	CHECK_EQ(lsh_fm_fq_create(r.fm, &cp, &late_conf), 0);
	tp.confirm_fqid = late_conf;
	CHECK_EQ(lsh_fm_fq_create(r.fm, &tp, &late_tx), 0);
	CHECK_EQ(lsh_fm_notify_ack(r.fm, late_conf), -EBADF);
	frame = tcp_frame(&r, 401);
	CHECK_EQ(lsh_fm_enqueue(r.fm, late_tx, &frame, 1), 1);
	CHECK_EQ(lsh_fm_drain(r.fm, 5000), 0);
	int late = lsh_fm_notifier(r.fm, late_conf, 1);

	CHECK(late >= 0 && late != fd);
	CHECK(readable(late, 0));
	CHECK(!readable(fd, 0));

	/* Destroying the FQ closes its notifier. */
	CHECK_EQ(lsh_fm_dequeue(r.fm, late_conf, e, 4), 1);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, late_tx), 0);
	CHECK_EQ(lsh_fm_fq_destroy(r.fm, late_conf), 0);
	CHECK(fcntl(late, F_GETFD) == -1 && errno == EBADF);

	/* Closing the portal closes the notifiers; a reopened portal's work like the first. */
	rig_close(&r);
	CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF);
	rig_open(&r, 8, 0);
	fd = lsh_fm_notifier(r.fm, r.conf, 1);
	CHECK(fd >= 0);
	CHECK(!readable(fd, 0));
	frame = tcp_frame(&r, 1);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, &frame, 1), 1);
	CHECK(readable(fd, 5000));
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 1);
	rig_close(&r);
}

/* Coalescing: below the threshold a confirmation waits for company while its TX FQ has more queued. */
/* A frame the port's DMA cannot read (confirmed at once with LSH_FD_STATUS_DMA), confirmed to conf. */
static struct lsh_qm_fd unreadable_to(uint32_t conf)
{
	return fd_of(0x1000, LSH_FD_FORMAT_CONTIG, 0, 60, LSH_FD_CMD_FCO | conf);
}

/* A confirmation FQ filled until the hardware stalls at the next frame confirmed to it, as FMan waits
 * for room in a full confirmation queue: the DQRR's 15 entries and the FQ's dequeue_depth. Returns its
 * FQID; blocked_fill() dequeues it again to let the hardware go on. */
static uint32_t blocked_queue(struct rig *r, uint32_t depth)
{
	struct lsh_fq_params cp = { .kind = LSH_FQ_CONFIRM, .context_b = 0xB10C };
	uint32_t blocked;
	struct lsh_qm_fd fd;

	CHECK_EQ(lsh_fm_fq_create(r->fm, &cp, &blocked), 0);
	fd = unreadable_to(blocked);
	for (uint32_t sent = 0; sent < LSH_QM_DQRR_SIZE - 1 + depth;) {
		int32_t n = lsh_fm_enqueue(r->fm, r->tx, &fd, 1);

		CHECK(n == 1 || n == -EBUSY);
		if (n == 1)
			sent++;
		else
			CHECK_EQ(lsh_fm_drain(r->fm, 5000), 0);
	}
	CHECK_EQ(lsh_fm_drain(r->fm, 5000), 0); /* all confirmed: the queue is full, nothing waits yet */
	return blocked;
}

/* Dequeues the blocked queue until it is empty, letting the stalled hardware go on. */
static void unblock(struct rig *r, uint32_t blocked)
{
	struct lsh_qm_dqrr_entry e[16];

	for (int round = 0; round < 1000 && (lsh_fm_dequeue(r->fm, blocked, e, 16) > 0 || lsh_fm_drain(r->fm, 100) != 0);
	     round++)
		;
}

static void test_notifier_coalesces_up_to_its_threshold(void)
{
	struct rig r;
	struct lsh_qm_dqrr_entry e[4];

	rig_open(&r, 8, 0);
	int fd = lsh_fm_notifier(r.fm, r.conf, 3);

	CHECK(fd >= 0);
	/* Two frames the DMA engine cannot read (confirmed at once with an error), then one the hardware
	 * cannot confirm yet (its confirmation queue is full), then a fourth behind it. */
	uint32_t blocked = blocked_queue(&r, 64);
	struct lsh_qm_fd frames[4] = { fd_of(0x1000, LSH_FD_FORMAT_CONTIG, 0, 60, 0),
				       fd_of(0x1000, LSH_FD_FORMAT_CONTIG, 0, 60, 0), unreadable_to(blocked),
				       tcp_frame(&r, 1) };

	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, frames, 4), 4);
	CHECK_EQ(lsh_fm_drain(r.fm, 300), -ETIMEDOUT); /* the third waits for room in its queue */
	CHECK(!readable(fd, 0)); /* two of three confirmations wait, and more frames are on their way */
	/* The blocked queue is read: the hardware goes on, the fourth confirmation reaches the threshold. */
	unblock(&r, blocked);
	CHECK(readable(fd, 5000));
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 3);
	CHECK_EQ(be32toh(e[0].fd.cmd), LSH_FD_STATUS_DMA);
	CHECK_EQ(be32toh(e[2].fd.cmd), 0);

	/* One frame alone: its TX FQ drains with it, so it is reported below the threshold. */
	frames[0] = tcp_frame(&r, 101);
	CHECK_EQ(lsh_fm_enqueue(r.fm, r.tx, frames, 1), 1);
	CHECK(readable(fd, 5000));
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	CHECK_EQ(lsh_fm_dequeue(r.fm, r.conf, e, 4), 1);
	rig_close(&r);
}

/* A threshold above the DQRR's 15 entries: the confirmations beyond them wait in the FQ and count all
 * the same, so the notifier fires at the threshold while the TX FQ still has a frame the hardware holds. */
static void test_notifier_threshold_beyond_the_dqrr(void)
{
	enum { BAD = 20 };
	struct rig r;
	struct lsh_qm_dqrr_entry e[BAD + 1];

	rig_open(&r, 32, 0);
	int fd = lsh_fm_notifier(r.fm, r.conf, BAD);

	CHECK(fd >= 0);
	uint32_t blocked = blocked_queue(&r, 64);
	struct lsh_qm_fd frames[BAD + 1];

	for (int i = 0; i < BAD; i++)
		frames[i] = fd_of(0x1000, LSH_FD_FORMAT_CONTIG, 0, 60, 0); /* unreadable: a DMA error at once */
	frames[BAD] = unreadable_to(blocked);                               /* held: its queue is full */
	/* The port holds the frames until all are queued, so the TX FQ never drains early. */
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 0), 0);
	for (uint32_t sent = 0; sent < BAD + 1;) {
		int32_t n = lsh_fm_enqueue(r.fm, r.tx, frames + sent, BAD + 1 - sent);

		CHECK(n > 0);
		if (n <= 0)
			break;
		sent += (uint32_t)n;
	}
	CHECK_EQ(lsh_fm_port_enable(r.fm, PORT, 1), 0);
	CHECK(readable(fd, 5000));
	CHECK_EQ(lsh_fm_drain(r.fm, 100), -ETIMEDOUT); /* the last frame is still held */
	CHECK_EQ(lsh_fm_notify_ack(r.fm, r.conf), 1);
	int32_t got = 0;

	/* Both queues share the DQRR: take from each until all of this one's arrived. */
	for (int round = 0; got < BAD && round < 1000; round++) {
		unblock(&r, blocked);
		got += lsh_fm_dequeue(r.fm, r.conf, e, BAD + 1);
	}
	CHECK_EQ(got, BAD);
	CHECK(lsh_fm_notify_ack(r.fm, r.conf) >= 0);
	CHECK(!readable(fd, 0));
	rig_close(&r);
}

static void test_layout_facts(void)
{
	const struct lsh_layout_fact *facts;
	int n = lsh_layout_facts(&facts);

	CHECK(n > 20);
	CHECK(strcmp(facts[0].name, "lsh_qm_fd.size") == 0 && facts[0].value == 16);
}

/* Whether the emulator's DMA works here: process_vm_readv of this process's own memory (not under
 * qemu-user, whose guest addresses are not the host's). */
static int dma_reads_work(void)
{
	char from[8] = "dpaa-be", to[8] = { 0 };
	struct iovec local = { to, sizeof(to) }, remote = { from, sizeof(from) };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)sizeof(to) &&
	       memcmp(from, to, sizeof(to)) == 0;
}

int main(void)
{
	CHECK_EQ(lsh_abi_version(), LSH_ABI_VERSION);
	test_fd_codec();
	test_sg_and_bm_codec();
	test_layout_facts();
	test_qbman_layouts();
	test_qbman_rings();
	test_portal_hw();
	test_usdpaa_open_path();
	if (!dma_reads_work()) {
		printf("native (%s-endian): emulator tests skipped: process_vm_readv cannot read this process (qemu-user?)\n",
		       __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? "big" : "little");
		printf("native: %d passed, %d failed\n", checks - failures, failures);
		return failures ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	test_contiguous_frame_with_dtc_leaves_with_its_checksums();
	test_frames_without_dtc_leave_as_built();
	test_sg_frame_gathers_pieces_in_order();
	test_format_rules_give_exact_status();
	test_a050385();
	test_ring_full_is_busy_and_a_disabled_port_holds_frames();
	test_enqueue_burst_refills_the_eqcr_and_keeps_each_frames_verdict();
	test_unregistered_region_with_frames_in_flight_is_a_dma_error();
	test_truncated_file_page_is_a_dma_error_not_sigbus();
	test_rejections_and_pools();
	test_taildrop_rejects_onto_the_message_ring();
	test_congestion_group_tail_drop_and_state_changes();
	test_context_a_says_who_releases_the_buffers();
	test_confirmation_queues_share_the_dqrr();
	test_errored_frames_go_to_the_ports_error_queue();
	test_pcap_records_whole_frames();
	test_physical_mode_translates_page_frames();
	test_notifier_signals_confirmations_and_rejections();
	test_notifier_coalesces_up_to_its_threshold();
	test_rx_on_an_interface();
	test_notifier_threshold_beyond_the_dqrr();

	printf("native: %d passed, %d failed\n", checks - failures, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
