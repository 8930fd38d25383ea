/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DPAA1 in-memory formats as QMan, BMan and FMan read them: every multi-byte field is big-endian.
 *
 * The structs hold raw fields (bytes and big-endian words, as the hardware sees them); the masks and
 * shifts below say where each value lives in them, and dpaa_codec.c (lsh_fd_decode/encode and
 * friends) is the one C place that applies them. Layouts follow Linux include/soc/fsl/qman.h
 * (struct qm_fd, struct qm_sg_entry), include/soc/fsl/bman.h (struct bm_buffer) and the FMan
 * driver (FM_FD_CMD_*, FM_FD_ERR_*, struct fman_prs_result).
 */
#ifndef LAYERSTORE_DPAA_H
#define LAYERSTORE_DPAA_H

#include <stdint.h>

/* ---- Frame descriptor (qm_fd), 16 bytes ----------------------------------------------------------
 *  byte  0      1      2        3          4..7          8..11                 12..15
 *       DD|PID  BPID   ELIODN   addr[39:32] addr[31:0]   format|offset|length  cmd (TX) / status
 */
struct lsh_qm_fd {
	uint8_t dd_pid;   /* DD[7:6] debug, PID[5:0] partition (LIODN offset index) */
	uint8_t bpid;     /* buffer pool to release the buffer to; LSH_BPID_NONE: not from a pool */
	uint8_t eliodn;   /* ELIODN offset [7:4] */
	uint8_t addr_hi;  /* address bits 39..32 */
	uint32_t addr_lo; /* address bits 31..0, big-endian */
	uint32_t cfg;     /* format, offset, length; big-endian */
	uint32_t cmd;     /* TX command on enqueue, status on confirmation; big-endian */
};

#define LSH_FD_DD_MASK 0xC0u
#define LSH_FD_DD_SHIFT 6
#define LSH_FD_PID_MASK 0x3Fu
#define LSH_FD_ELIODN_MASK 0xF0u
#define LSH_FD_ELIODN_SHIFT 4
#define LSH_BPID_NONE 0xFFu /* the buffer is not from a pool: hardware must never release it */
#define LSH_ADDR_BITS 40
#define LSH_ADDR_MASK 0xFFFFFFFFFFull

/* cfg word: format[31:29]; offset[28:20] and length[19:0] (contig, S/G) or length[28:0] (big) */
#define LSH_FD_FORMAT_MASK 0xE0000000u
#define LSH_FD_FORMAT_CONTIG 0x00000000u
#define LSH_FD_FORMAT_CONTIG_BIG 0x40000000u
#define LSH_FD_FORMAT_SG 0x80000000u
#define LSH_FD_FORMAT_SG_BIG 0xC0000000u
#define LSH_FD_FORMAT_COMPOUND 0x20000000u
#define LSH_FD_OFFSET_MASK 0x1FF00000u
#define LSH_FD_OFFSET_SHIFT 20
#define LSH_FD_OFFSET_MAX 0x1FFu
#define LSH_FD_LENGTH_MASK 0x000FFFFFu
#define LSH_FD_LENGTH_BIG_MASK 0x1FFFFFFFu

/* TX cmd word (FM_FD_CMD_*) */
#define LSH_FD_CMD_FCO 0x80000000u /* frame queue context override: confirm to the FQID in [23:0] */
#define LSH_FD_CMD_RPD 0x40000000u /* read prepended data (the parse results in the headroom) */
#define LSH_FD_CMD_UPD 0x20000000u /* update prepended data */
#define LSH_FD_CMD_DTC 0x10000000u /* do L3/L4 checksum */
#define LSH_FD_CMD_CFQ_MASK 0x00FFFFFFu

/* TX confirmation status word (FM_FD_ERR_* for TX ports) */
#define LSH_FD_STATUS_UNSUPPORTED_FORMAT 0x04000000u
#define LSH_FD_STATUS_LENGTH 0x02000000u
#define LSH_FD_STATUS_DMA 0x01000000u
/* FM_FD_CMD_DCL4C: the same bit as DTC, in a confirmation it says the L4 checksum was not calculated */
#define LSH_FD_STATUS_DCL4C 0x10000000u
#define LSH_FD_STATUS_TX_ERRORS \
	(LSH_FD_STATUS_UNSUPPORTED_FORMAT | LSH_FD_STATUS_LENGTH | LSH_FD_STATUS_DMA)

/* RX status word (FM_FD_ERR_* and FM_FD_STAT_L4CV as an FMan RX port writes them) */
#define LSH_FD_STATUS_RX_PHYSICAL 0x00080000u /* MAC error: FIFO overflow, FCS, code error */
#define LSH_FD_STATUS_RX_SIZE 0x00040000u     /* frame too long for the buffer or the MAC maximum (cut) */
#define LSH_FD_STATUS_RX_PRS_HDR 0x00000020u  /* the parser found a malformed header */
#define LSH_FD_STATUS_L4CV 0x00000004u        /* the parser validated the L4 checksum: l4r says the verdict */
#define LSH_FD_STATUS_RX_ERRORS \
	(LSH_FD_STATUS_DMA | LSH_FD_STATUS_RX_PHYSICAL | LSH_FD_STATUS_RX_SIZE | LSH_FD_STATUS_RX_PRS_HDR)

/* ---- Scatter/gather entry (qm_sg_entry), 16 bytes --------------------------------------------------
 *  byte  0..2      3           4..7         8..11                  12     13     14..15
 *       reserved   addr[39:32] addr[31:0]   E|F|length[29:0]       rsvd   BPID   offset[12:0]
 */
struct lsh_qm_sg_entry {
	uint8_t reserved1[3]; /* must be zero: an address has 40 bits */
	uint8_t addr_hi;      /* address bits 39..32 */
	uint32_t addr_lo;     /* address bits 31..0, big-endian */
	uint32_t cfg;         /* E, F, length; big-endian */
	uint8_t reserved2;
	uint8_t bpid;
	uint16_t offset; /* offset[12:0], big-endian */
};

#define LSH_SG_EXT 0x80000000u /* extension: the entry points at another S/G table */
#define LSH_SG_FIN 0x40000000u /* final entry of the table */
#define LSH_SG_LENGTH_MASK 0x3FFFFFFFu
#define LSH_SG_OFFSET_MASK 0x1FFFu
#define LSH_SG_MAX_ENTRIES 16 /* entries per frame the drivers use (DPAA_SGT_MAX_ENTRIES) */

/* ---- BMan buffer (bm_buffer), 8 bytes ---------------------------------------------------------------
 *  byte  0..1                 2..3          4..7
 *       reserved[15:8]|BPID   addr[47:32]   addr[31:0]
 */
struct lsh_bm_buffer {
	uint16_t bpid;    /* bits 7..0: pool; bits 15..8 reserved; big-endian */
	uint16_t addr_hi; /* address bits 47..32, big-endian */
	uint32_t addr_lo; /* address bits 31..0, big-endian */
};

#define LSH_BM_BPID_MASK 0x00FFu
#define LSH_BM_ADDR_BITS 48
#define LSH_BM_ADDR_MASK 0xFFFFFFFFFFFFull
#define LSH_BM_POOL_MAX 64     /* BM_POOL_MAX */
#define LSH_BM_BURST_MAX 8     /* buffers per acquire or release command */

/* ---- FMan parse results (fman_prs_result), 32 bytes, read from the TX headroom -------------------
 * With DTC (and RPD) FMan takes the L3/L4 types and header offsets from here to fill the checksums;
 * an RX port's parser writes them into every receive buffer's prefix (LSH_RX_PARSE_RESULT_OFFSET).
 */
struct lsh_prs_result {
	uint8_t lpid;
	uint8_t shimr;
	uint16_t l2r;
	uint16_t l3r; /* big-endian: LSH_PRS_L3_IPV4 / LSH_PRS_L3_IPV6 */
	uint8_t l4r;  /* LSH_PRS_L4_TCP / LSH_PRS_L4_UDP */
	uint8_t cplan;
	uint16_t nxthdr;
	uint16_t cksum;
	uint16_t flags_frag_off;
	uint8_t route_type;
	uint8_t rhp_ip_valid;
	uint8_t shim_off[2];
	uint8_t ip_pid_off;
	uint8_t eth_off;
	uint8_t llc_snap_off;
	uint8_t vlan_off[2];
	uint8_t etype_off;
	uint8_t pppoe_off;
	uint8_t mpls_off[2];
	uint8_t ip_off[2]; /* ip_off[0]: offset of the (first) IP header in the frame */
	uint8_t gre_off;
	uint8_t l4_off; /* offset of the L4 header in the frame */
	uint8_t nxthdr_off;
};

#define LSH_PRS_L2_ETH 0x8000u      /* l2r: Ethernet header present */
#define LSH_PRS_L3_IPV4 0x8000u
#define LSH_PRS_L3_IPV6 0x4000u
#define LSH_PRS_L3_ERROR 0x0200u    /* l3r: IPv4 header checksum (or header) error */
#define LSH_PRS_L3_FRAGMENT 0x0040u /* l3r: the first IP header is a fragment */
#define LSH_PRS_L4_UDP 0x40u
#define LSH_PRS_L4_TCP 0x20u
#define LSH_PRS_L4_ERROR 0x10u      /* l4r: L4 checksum (or header) error (FM_L4_PARSE_ERROR) */

/* TX buffer layout: [private 16][parse results 32][timestamp 8][hash 8] then data or the S/G table */
#define LSH_TX_PRIV_DATA_SIZE 16
#define LSH_TX_PARSE_RESULT_OFFSET LSH_TX_PRIV_DATA_SIZE
#define LSH_TX_HEADROOM 64
/* RX buffer layout, the same prefix: the parse results at 16, the frame at the port's data offset */
#define LSH_RX_PARSE_RESULT_OFFSET LSH_TX_PARSE_RESULT_OFFSET
#define LSH_RX_MIN_DATA_OFFSET 64

/* LS1043A erratum A050385: data starts 256-byte aligned, non-last fragments are multiples of 256 */
#define LSH_A050385_ALIGN 256

/* Default and jumbo MAC maximum frame length */
#define LSH_MAX_FRAME_DEFAULT 1522
#define LSH_MAX_FRAME_JUMBO 9600

/* ---- Host-order views, the one C codec of the raw fields ------------------------------------------ */

/* A frame descriptor's fields in host order. */
struct lsh_fd_fields {
	uint64_t addr;   /* 40 bits */
	uint32_t format; /* LSH_FD_FORMAT_* (the word value, bits 31..29) */
	uint32_t offset; /* 9 bits; 0 for the big formats */
	uint32_t length; /* 20 bits, or 29 for the big formats and compound */
	uint32_t cmd;    /* cmd or status word */
	uint8_t dd;
	uint8_t pid;
	uint8_t bpid;
	uint8_t eliodn;
	uint8_t reserved[4];
};

/* An S/G entry's fields in host order. */
struct lsh_sg_fields {
	uint64_t addr;     /* 40 bits */
	uint32_t length;   /* 30 bits */
	uint16_t offset;   /* 13 bits */
	uint8_t extension; /* 0 or 1 */
	uint8_t final;     /* 0 or 1 */
	uint8_t bpid;
	uint8_t reserved[7];
};

/* A BMan buffer's fields in host order. */
struct lsh_bm_fields {
	uint64_t addr; /* 48 bits */
	uint8_t bpid;
	uint8_t reserved[7];
};

#endif
