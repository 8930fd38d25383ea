/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated port on a real Linux interface: TX frames leave on it, frames arriving on it go through
 * the RX path (BMan buffer, parse results, FD on the RX FQ). Runs in a child process in a network
 * namespace of its own, whose loopback interface is the wire and carries nothing but the test's
 * frames; needs CAP_SYS_ADMIN and CAP_NET_RAW (root), else it says it skips. */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "layerstore/hal.h"

#define RX_PORT 7
#define BUFFERS 4
#define BUFFER_SIZE 2048
#define DATA_OFFSET 64

struct rx_rig {
	struct lsh_fm *fm;
	uint32_t rx_fq, tx_fq;
	int bpid;
	int peer; /* the other side of the wire: an AF_PACKET socket on the same loopback interface */
	uint8_t *mem;
	size_t mem_len;
	uint32_t region;
	uint64_t bus;
};

/* The Internet checksum (RFC 1071), folded, from sum. */
static uint16_t checksum(const uint8_t *data, size_t len, uint32_t sum)
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

static int loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };

	strcpy(ifr.ifr_name, "lo");
	int ok = s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0;

	ifr.ifr_flags |= IFF_UP;
	ok = ok && ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
	if (s >= 0)
		close(s);
	return ok;
}

static int peer_open(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)if_nametoindex("lo") };
	int one = 1;

	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	bind(fd, (const struct sockaddr *)&sll, sizeof(sll));
	return fd;
}

static void release_buffer(struct rx_rig *r, uint64_t addr)
{
	struct lsh_bm_fields f = { .addr = addr, .bpid = (uint8_t)r->bpid };
	struct lsh_bm_buffer b;

	lsh_bm_encode(&f, &b);
	CHECK_EQ(lsh_bm_release(r->fm, (uint32_t)r->bpid, &b, 1), 0);
}

static void rx_rig_open(struct rx_rig *r)
{
	struct lsh_fm_config c = { .max_frame_size = 1522, .ring_depth = 8, .dequeue_depth = 16, .smmu = 1,
				   .port_count = 1, .ports = { RX_PORT } };

	memset(r, 0, sizeof(*r));
	CHECK_EQ(lsh_fm_open(&c, &r->fm), 0);
	struct lsh_fq_params rp = { .kind = LSH_FQ_RX, .context_b = 0xFEED };

	CHECK_EQ(lsh_fm_fq_create(r->fm, &rp, &r->rx_fq), 0);
	struct lsh_fq_params tp = { .kind = LSH_FQ_TX, .port = RX_PORT };

	CHECK_EQ(lsh_fm_fq_create(r->fm, &tp, &r->tx_fq), 0);
	struct lsh_tx_target t = { .pcap_fd = -1, .interface = "lo" };

	CHECK_EQ(lsh_fm_port_bind(r->fm, RX_PORT, &t), 0);
	r->mem_len = 4 * (size_t)sysconf(_SC_PAGESIZE);
	r->mem = mmap(NULL, r->mem_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(r->mem, 0xAA, r->mem_len);
	CHECK_EQ(lsh_dma_register(r->fm, (uint64_t)(uintptr_t)r->mem, r->mem_len, NULL, &r->region, &r->bus), 0);
	r->bpid = lsh_bm_pool_create(r->fm, BUFFERS);
	CHECK(r->bpid >= 0);
	for (int i = 0; i < BUFFERS; i++)
		release_buffer(r, r->bus + (uint64_t)i * BUFFER_SIZE);
	r->peer = peer_open();
}

static void rx_rig_close(struct rx_rig *r)
{
	CHECK_EQ(lsh_fm_close(r->fm), 0);
	munmap(r->mem, r->mem_len);
	close(r->peer);
}

/* An Ethernet/IPv4/TCP frame with valid checksums and `payload` bytes of 0x5A; returns its length. */
static uint32_t tcp_frame(uint8_t *p, uint32_t payload)
{
	uint32_t total = 40 + payload;

	memset(p, 0, 54);
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	uint8_t *ip = p + 14, *tcp = ip + 20;

	ip[0] = 0x45;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	tcp[1] = 80;
	tcp[3] = 99;
	tcp[12] = 0x50;
	tcp[13] = 0x10;
	memset(tcp + 20, 0x5A, payload);
	uint16_t ipsum = checksum(ip, 20, 0);

	ip[10] = (uint8_t)(ipsum >> 8);
	ip[11] = (uint8_t)ipsum;
	uint32_t pseudo = 0;

	for (int i = 12; i < 20; i += 2)
		pseudo += (uint32_t)ip[i] << 8 | ip[i + 1];
	uint16_t sum = checksum(tcp, total - 20, pseudo + 6 + total - 20);

	tcp[16] = (uint8_t)(sum >> 8);
	tcp[17] = (uint8_t)sum;
	return 14 + total;
}

/* Waits up to 5 s for one received frame on the RX FQ. */
static int dequeue_one(struct rx_rig *r, struct lsh_qm_dqrr_entry *e)
{
	for (int i = 0; i < 500; i++) {
		int n = lsh_fm_dequeue(r->fm, r->rx_fq, e, 1);

		if (n != 0)
			return n;
		usleep(10000);
	}
	return 0;
}

static void test_frames_arrive_in_pool_buffers_with_parse_results(struct rx_rig *r)
{
	uint8_t frame[2048];
	uint32_t len = tcp_frame(frame, 100);
	struct lsh_rx_port rx = { .rx_fqid = r->rx_fq, .bpid = (uint32_t)r->bpid, .buffer_size = BUFFER_SIZE,
				  .data_offset = DATA_OFFSET };
	int notifier = lsh_fm_notifier(r->fm, r->rx_fq, 1);

	CHECK(notifier >= 0);
	CHECK_EQ(lsh_fm_port_rx(r->fm, RX_PORT, &rx), 0);
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	struct pollfd pfd = { .fd = notifier, .events = POLLIN };

	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	CHECK_EQ(lsh_fm_notify_ack(r->fm, r->rx_fq), 1);
	struct lsh_qm_dqrr_entry e;

	CHECK_EQ(dequeue_one(r, &e), 1);
	CHECK_EQ(be32toh(e.context_b), 0xFEED);
	struct lsh_fd_fields f;

	lsh_fd_decode(&e.fd, &f);
	CHECK_EQ(f.format, LSH_FD_FORMAT_CONTIG);
	CHECK_EQ(f.bpid, r->bpid);
	CHECK_EQ(f.offset, DATA_OFFSET);
	CHECK_EQ(f.length, len);
	CHECK_EQ(f.cmd, LSH_FD_STATUS_L4CV);
	CHECK_EQ(lsh_bm_pool_count(r->fm, (uint32_t)r->bpid), BUFFERS - 1);
	uint8_t *buffer = r->mem + (f.addr - r->bus);

	CHECK(memcmp(buffer + DATA_OFFSET, frame, len) == 0);
	const struct lsh_prs_result *prs = (const struct lsh_prs_result *)(buffer + LSH_RX_PARSE_RESULT_OFFSET);

	CHECK_EQ(be16toh(prs->l2r), LSH_PRS_L2_ETH);
	CHECK_EQ(be16toh(prs->l3r), LSH_PRS_L3_IPV4);
	CHECK_EQ(prs->l4r, LSH_PRS_L4_TCP);
	CHECK_EQ(prs->ip_off[0], 14);
	CHECK_EQ(prs->l4_off, 34);
	release_buffer(r, f.addr);

	/* A corrupted TCP checksum: validated (L4CV) and found wrong (l4r error bit). */
	frame[60] ^= 0xFF;
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK_EQ(dequeue_one(r, &e), 1);
	lsh_fd_decode(&e.fd, &f);
	prs = (const struct lsh_prs_result *)(r->mem + (f.addr - r->bus) + LSH_RX_PARSE_RESULT_OFFSET);
	CHECK_EQ(f.cmd, LSH_FD_STATUS_L4CV);
	CHECK_EQ(prs->l4r, LSH_PRS_L4_TCP | LSH_PRS_L4_ERROR);
	release_buffer(r, f.addr);

	/* Longer than the MAC maximum: cut, with the size error. */
	len = tcp_frame(frame, 1560);
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK_EQ(dequeue_one(r, &e), 1);
	lsh_fd_decode(&e.fd, &f);
	CHECK_EQ(f.length, 1522);
	CHECK(f.cmd & LSH_FD_STATUS_RX_SIZE);
	release_buffer(r, f.addr);

	/* A malformed IPv4 header (IHL 3): the parser's header error, the frame delivered with it. */
	len = tcp_frame(frame, 10);
	frame[14] = 0x43;
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK_EQ(dequeue_one(r, &e), 1);
	lsh_fd_decode(&e.fd, &f);
	CHECK_EQ(f.cmd, LSH_FD_STATUS_RX_PRS_HDR);
	CHECK_EQ(f.length, len);
	release_buffer(r, f.addr);

	/* Not IPv4 (an experimental EtherType): Ethernet parsed, no L3 result, no L4 validation. */
	frame[12] = 0x88;
	frame[13] = 0xb6; /* the other local experimental one: 0x88b5 marks the TX test's frame */
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK_EQ(dequeue_one(r, &e), 1);
	lsh_fd_decode(&e.fd, &f);
	prs = (const struct lsh_prs_result *)(r->mem + (f.addr - r->bus) + LSH_RX_PARSE_RESULT_OFFSET);
	CHECK_EQ(f.cmd, 0);
	CHECK_EQ(be16toh(prs->l2r), LSH_PRS_L2_ETH);
	CHECK_EQ(be16toh(prs->nxthdr), 0x88b6);
	CHECK_EQ(prs->l3r, 0);
	CHECK_EQ(prs->l4r, 0);
	release_buffer(r, f.addr);

	struct lsh_fm_counters c;

	CHECK_EQ(lsh_fm_counters(r->fm, &c), 0);
	CHECK_EQ(c.rx_frames, 3);
	CHECK_EQ(c.rx_errors, 2);
	CHECK_EQ(c.rx_bytes, 2 * tcp_frame(frame, 100) + tcp_frame(frame, 10));
}

/* Waits up to 5 s until the port has delivered `frames` frames in all (counted, not dequeued). */
static int delivered(struct rx_rig *r, uint64_t frames)
{
	struct lsh_fm_counters c;

	for (int i = 0; i < 500; i++) {
		if (lsh_fm_counters(r->fm, &c) == 0 && c.rx_frames >= frames)
			return 1;
		usleep(10000);
	}
	return 0;
}

static void dequeue_and_release(struct rx_rig *r, int expected)
{
	struct lsh_qm_dqrr_entry e;
	struct lsh_fd_fields f;

	CHECK_EQ(lsh_fm_dequeue(r->fm, r->rx_fq, &e, 1), expected);
	if (expected == 1) {
		lsh_fd_decode(&e.fd, &f);
		release_buffer(r, f.addr);
	}
}

/* The stack loop's order (FrameManagerLink.receive): ack the notifier, dequeue, and only when that found
 * nothing, sleep on the notifier. No interleaving of deliveries with it may leave a frame on the queue
 * and the notifier unreadable: a frame delivered between an empty dequeue and the sleep must wake it, and
 * one delivered after the notification was spent (disarmed) is found by the next ack-then-dequeue. */
static void test_no_delivery_between_ack_and_sleep_is_missed(struct rx_rig *r)
{
	uint8_t frame[200];
	uint32_t len = tcp_frame(frame, 20);
	int notifier = lsh_fm_notifier(r->fm, r->rx_fq, 1);
	struct pollfd pfd = { .fd = notifier, .events = POLLIN };
	struct lsh_fm_counters c;

	CHECK(notifier >= 0);
	CHECK_EQ(lsh_fm_counters(r->fm, &c), 0);
	uint64_t frames = c.rx_frames;

	lsh_fm_notify_ack(r->fm, r->rx_fq);
	dequeue_and_release(r, 0);
	/* A: after the empty dequeue, before the sleep. */
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	CHECK_EQ(lsh_fm_notify_ack(r->fm, r->rx_fq), 1);
	/* B: after the ack that re-armed, before the dequeue (A and B dequeued by it, or B left over). */
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK(delivered(r, frames + 2));
	dequeue_and_release(r, 1);
	/* C: the notification B raised is unread and the FQ disarmed; C raises none of its own. */
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK(delivered(r, frames + 3));
	dequeue_and_release(r, 1);
	CHECK_EQ(lsh_fm_notify_ack(r->fm, r->rx_fq), 1); /* B's notification: re-armed */
	dequeue_and_release(r, 1);                       /* C, found by the dequeue that follows the ack */
	dequeue_and_release(r, 0);
	CHECK_EQ(poll(&pfd, 1, 0), 0);
	/* D: after the empty dequeue again: the re-armed notifier wakes the sleep. */
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	CHECK_EQ(lsh_fm_notify_ack(r->fm, r->rx_fq), 1);
	dequeue_and_release(r, 1);
	CHECK_EQ(lsh_fm_notify_ack(r->fm, r->rx_fq), 0);
}

static void test_an_empty_pool_discards_and_counts(struct rx_rig *r)
{
	struct lsh_bm_buffer taken[BUFFERS];
	uint8_t frame[200];
	uint32_t len = tcp_frame(frame, 10);
	struct lsh_fm_counters c;

	CHECK_EQ(lsh_bm_acquire(r->fm, (uint32_t)r->bpid, taken, BUFFERS), BUFFERS);
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	for (int i = 0; i < 500; i++) {
		CHECK_EQ(lsh_fm_counters(r->fm, &c), 0);
		if (c.rx_no_buffer > 0)
			break;
		usleep(10000);
	}
	CHECK_EQ(c.rx_no_buffer, 1);
	CHECK_EQ(lsh_bm_release(r->fm, (uint32_t)r->bpid, taken, BUFFERS), 0);
}

static void test_tx_frames_leave_on_the_interface_padded(struct rx_rig *r)
{
	uint8_t *frame = r->mem + 3 * BUFFER_SIZE;
	struct lsh_fd_fields f = { .addr = r->bus + 3 * BUFFER_SIZE, .format = LSH_FD_FORMAT_CONTIG, .length = 42,
				   .bpid = LSH_BPID_NONE };
	struct lsh_qm_fd fd;
	uint8_t got[128];

	memset(frame, 0x11, 42);
	memcpy(frame + 12, "\x88\xb5", 2); /* local experimental ethertype */
	lsh_fd_encode(&f, &fd);
	CHECK_EQ(lsh_fm_enqueue(r->fm, r->tx_fq, &fd, 1), 1);
	CHECK_EQ(lsh_fm_drain(r->fm, 5000), 0);
	struct pollfd pfd = { .fd = r->peer, .events = POLLIN };
	ssize_t n = 0;

	/* The peer also hears its own earlier frames come back on loopback: skip to the port's. */
	while (poll(&pfd, 1, 5000) == 1 && (n = recv(r->peer, got, sizeof(got), MSG_TRUNC)) > 0 &&
	       (got[12] != 0x88 || got[13] != 0xb5))
		;
	CHECK_EQ(n, 60);
	CHECK(memcmp(got, frame, 42) == 0 && got[42] == 0 && got[59] == 0);
}

static void test_binding_bad_interfaces(struct rx_rig *r)
{
	struct lsh_tx_target t = { .pcap_fd = -1, .interface = "lswi-none" };
	struct lsh_rx_port rx = { .rx_fqid = r->tx_fq, .bpid = (uint32_t)r->bpid, .buffer_size = BUFFER_SIZE,
				  .data_offset = DATA_OFFSET };

	CHECK_EQ(lsh_fm_port_bind(r->fm, RX_PORT, &t), -ENODEV);
	CHECK_EQ(lsh_fm_port_rx(r->fm, RX_PORT, &rx), -EINVAL); /* a TX FQ */
	rx.rx_fqid = r->rx_fq;
	rx.data_offset = 32;
	CHECK_EQ(lsh_fm_port_rx(r->fm, RX_PORT, &rx), -EINVAL); /* over the parse results */
	rx.data_offset = DATA_OFFSET;
	rx.bpid = 63;
	CHECK_EQ(lsh_fm_port_rx(r->fm, RX_PORT, &rx), -ENOENT);
	CHECK_EQ(lsh_fm_fq_destroy(r->fm, r->rx_fq), -EBUSY); /* the port delivers to it */
}

/* Rebinding to an interface keeps the receive path (on the new socket); a target without one ends it. */
static void test_rebinding_keeps_or_ends_the_receive_path(struct rx_rig *r)
{
	struct lsh_tx_target lo = { .pcap_fd = -1, .interface = "lo" };
	struct lsh_rx_port rx = { .rx_fqid = r->rx_fq, .bpid = (uint32_t)r->bpid, .buffer_size = BUFFER_SIZE,
				  .data_offset = DATA_OFFSET };
	struct lsh_qm_dqrr_entry e;
	struct lsh_fd_fields f;
	uint8_t frame[200];
	uint32_t len = tcp_frame(frame, 20);

	CHECK_EQ(lsh_fm_port_rx(r->fm, RX_PORT, &rx), 0);
	CHECK_EQ(lsh_fm_port_bind(r->fm, RX_PORT, &lo), 0);
	CHECK_EQ(send(r->peer, frame, len, 0), len);
	/* Earlier tests may still have a frame on its way (the TX test's, looped back): skip it. */
	int found = 0;

	while (!found && dequeue_one(r, &e) == 1) {
		lsh_fd_decode(&e.fd, &f);
		found = f.length == len;
		release_buffer(r, f.addr);
	}
	CHECK(found);
	char path[] = "/tmp/lsh-rx-pcap-XXXXXX";
	int pcap = mkstemp(path);

	CHECK(pcap >= 0);
	unlink(path);
	struct lsh_tx_target plain = { .pcap_fd = pcap };

	CHECK_EQ(lsh_fm_port_bind(r->fm, RX_PORT, &plain), 0);
	while (lsh_fm_dequeue(r->fm, r->rx_fq, &e, 1) == 1) {
		lsh_fd_decode(&e.fd, &f);
		release_buffer(r, f.addr);
	}
	CHECK_EQ(lsh_fm_fq_destroy(r->fm, r->rx_fq), 0); /* no port delivers to it any more */
	CHECK_EQ(lsh_fm_port_rx(r->fm, RX_PORT, &rx), -ENOTCONN); /* receiving needs an interface */
	close(pcap);
}

static int run_in_namespace(void)
{
	if (unshare(CLONE_NEWNET) != 0 || !loopback_up())
		return 2;
	struct rx_rig r;

	rx_rig_open(&r);
	test_frames_arrive_in_pool_buffers_with_parse_results(&r);
	test_no_delivery_between_ack_and_sleep_is_missed(&r);
	test_an_empty_pool_discards_and_counts(&r);
	test_tx_frames_leave_on_the_interface_padded(&r);
	test_binding_bad_interfaces(&r);
	test_rebinding_keeps_or_ends_the_receive_path(&r);
	rx_rig_close(&r);
	return failures ? 1 : 0;
}

void test_rx_on_an_interface(void)
{
	fflush(stdout);
	fflush(stderr);
	pid_t child = fork();

	if (child == 0)
		_exit(run_in_namespace());
	int status = 0;

	checks++;
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) {
		fprintf(stderr, "test_rx: the namespace child did not finish\n");
		failures++;
	} else if (WEXITSTATUS(status) == 2) {
		printf("native: interface RX/TX tests skipped: no network namespace (needs root: CAP_SYS_ADMIN, CAP_NET_RAW)\n");
	} else if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "test_rx: checks failed in the namespace child\n");
		failures++;
	}
}
