/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated port's wire: a Linux interface (AF_PACKET) that whole Ethernet frames leave on, a pcap
 * file of them, and/or a TCP peer that checks each frame's Ethernet, IPv4 and TCP headers as a
 * receiving host would and writes the in-sequence payload to the bound socket. Called by the hardware
 * thread with the port marked busy, so its target and sequence state cannot change underneath. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define ETH_HEADER 14
#define ETH_MIN_FRAME 60 /* without FCS: the MAC pads shorter frames */
#define ETHERTYPE_IPV4 0x0800
#define IPPROTO_TCP_ 6
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define PCAP_LINKTYPE_ETHERNET 1

struct pcap_file_header {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_record_header {
	uint32_t ts_sec, ts_usec, incl_len, orig_len;
};

#define WIRE_STALL_LIMIT_MS 30000
#define WIRE_POLL_MS 100
#define WIRE_RECEIVE_BUFFER (4 << 20) /* bytes asked for the interface socket; the kernel doubles it */

/* Writes everything, waiting for room on a non-blocking socket (Netty's are) like a link paused by
 * flow control: up to WIRE_STALL_LIMIT_MS without progress, and never past the portal closing. Called
 * with `lock` held (a socket; NULL for a file, which never makes it wait), released only while it waits
 * for room. */
static int write_all(int fd, const void *data, size_t len, const int *stop, pthread_mutex_t *lock)
{
	const uint8_t *p = data;
	int stalled_ms = 0;

	while (len > 0) {
		/* A socket is written without blocking whatever its mode, as the lock must not be held while
		 * waiting (its reader may need the portal). */
		ssize_t n = lock ? send(fd, p, len, MSG_DONTWAIT) : write(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			stalled_ms = 0;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (stop && __atomic_load_n(stop, __ATOMIC_ACQUIRE))
				return -ECANCELED;
			if (lock)
				pthread_mutex_unlock(lock);
			int ready = poll(&pfd, 1, WIRE_POLL_MS);

			if (lock)
				pthread_mutex_lock(lock);
			if (ready == 0 && (stalled_ms += WIRE_POLL_MS) >= WIRE_STALL_LIMIT_MS)
				return -ETIMEDOUT;
		} else if (n < 0 && errno != EINTR) {
			return -errno;
		}
	}
	return 0;
}

int emu_wire_pcap_start(int fd)
{
	struct pcap_file_header h = { .magic = 0xA1B2C3D4u, .version_major = 2, .version_minor = 4,
				      .snaplen = 65535, .linktype = PCAP_LINKTYPE_ETHERNET };
	off_t end = lseek(fd, 0, SEEK_END);

	if (end < 0)
		return -errno;
	return end == 0 ? write_all(fd, &h, sizeof(h), NULL, NULL) : 0;
}

static void pcap_write(int fd, const uint8_t *frame, uint32_t len)
{
	uint8_t padded[ETH_MIN_FRAME] = { 0 };
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (len < ETH_MIN_FRAME) {
		memcpy(padded, frame, len);
		frame = padded;
		len = ETH_MIN_FRAME;
	}
	struct pcap_record_header r = { .ts_sec = (uint32_t)now.tv_sec, .ts_usec = (uint32_t)(now.tv_nsec / 1000),
					.incl_len = len, .orig_len = len };

	if (write_all(fd, &r, sizeof(r), NULL, NULL) == 0)
		write_all(fd, frame, len, NULL, NULL);
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks a frame as the receiving TCP peer would; returns LSH_WIRE_REASONS when it is accepted and
 * sets *payload / *payload_len, otherwise the drop reason. */
static int tcp_peer_check(struct emu_port *port, const uint8_t *frame, uint32_t len, const uint8_t **payload,
			  uint32_t *payload_len)
{
	if (len < ETH_HEADER + 20 + 20 || be16_at(frame + 12) != ETHERTYPE_IPV4)
		return LSH_WIRE_NOT_TCP;
	const uint8_t *ip = frame + ETH_HEADER;
	uint32_t ihl = (ip[0] & 0x0F) * 4u, total = be16_at(ip + 2);

	if ((ip[0] >> 4) != 4 || ip[9] != IPPROTO_TCP_ || (be16_at(ip + 6) & 0x3FFF) != 0)
		return LSH_WIRE_NOT_TCP; /* fragments (MF or an offset) are not reassembled here */
	if (ihl < 20 || total < ihl + 20 || ETH_HEADER + total > len)
		return LSH_WIRE_BAD_LENGTH;
	if (emu_checksum(ip, ihl, 0) != 0)
		return LSH_WIRE_BAD_IP_CHECKSUM;
	const uint8_t *tcp = ip + ihl;
	uint32_t doff = (tcp[12] >> 4) * 4u, l4len = total - ihl;

	if (doff < 20 || doff > l4len)
		return LSH_WIRE_BAD_LENGTH;
	if (emu_checksum(tcp, l4len, emu_pseudo_header_sum(ip, (uint16_t)l4len, IPPROTO_TCP_)) != 0)
		return LSH_WIRE_BAD_TCP_CHECKSUM;
	uint32_t seq = be32_at(tcp + 4), data = l4len - doff;
	uint8_t flags = tcp[13];

	if (!port->have_seq) {
		port->have_seq = 1;
		port->next_seq = seq + ((flags & TCP_SYN) ? 1 : 0);
		if (flags & TCP_SYN)
			seq++;
	}
	if (seq != port->next_seq)
		return LSH_WIRE_OUT_OF_SEQUENCE;
	port->next_seq = seq + data + ((flags & TCP_FIN) ? 1 : 0);
	*payload = tcp + doff;
	*payload_len = data;
	return LSH_WIRE_REASONS;
}

int emu_wire_open_interface(const char *name)
{
	unsigned int ifindex = if_nametoindex(name);

	if (ifindex == 0)
		return -ENODEV;
	/* Non-blocking: the RX thread reads it after poll() and must never sleep holding the lock. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));

	if (fd < 0)
		return -errno; /* EPERM without CAP_NET_RAW */
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)ifindex };
	/* The port's own frames must not come back to its receive path (a MAC does not hear itself). */
	int one = 1;

	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) != 0 ||
	    bind(fd, (const struct sockaddr *)&sll, sizeof(sll)) != 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	/* The socket buffer stands in for the MAC's FIFO and the FMan's writes into BMan buffers, which keep
	 * up with the wire: at the default size (about 90 full frames) a burst that comes while the RX thread
	 * is not running is dropped here (uploads measured thousands of such drops), where silicon drops only
	 * for want of a pool buffer (rx_no_buffer). Best effort: the forced size needs CAP_NET_ADMIN, the plain
	 * one is capped by net.core.rmem_max. */
	int rcvbuf = WIRE_RECEIVE_BUFFER;

	(void)(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) == 0 ||
	       setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) == 0);
	return fd;
}

/* Sends one whole frame on the interface, padded to the Ethernet minimum as the MAC pads it. A full
 * socket buffer is waited for (without the lock) like a paused link, up to WIRE_STALL_LIMIT_MS. */
static int interface_send(int fd, const uint8_t *frame, uint32_t len, const int *stop, pthread_mutex_t *lock)
{
	uint8_t padded[ETH_MIN_FRAME] = { 0 };
	int stalled_ms = 0;

	if (len < ETH_MIN_FRAME) {
		memcpy(padded, frame, len);
		frame = padded;
		len = ETH_MIN_FRAME;
	}
	for (;;) {
		ssize_t n = send(fd, frame, len, MSG_DONTWAIT);

		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			return -EMSGSIZE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != ENOBUFS)
			return -errno;
		if (__atomic_load_n(stop, __ATOMIC_ACQUIRE))
			return -ECANCELED;
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };

		pthread_mutex_unlock(lock);
		int ready = poll(&pfd, 1, WIRE_POLL_MS);

		pthread_mutex_lock(lock);
		if (ready == 0 && (stalled_ms += WIRE_POLL_MS) >= WIRE_STALL_LIMIT_MS)
			return -ETIMEDOUT;
	}
}

int emu_wire_transmit(struct emu_port *port, const uint8_t *frame, uint32_t len, uint32_t *payload_written,
		      const int *stop, pthread_mutex_t *lock)
{
	*payload_written = 0;
	if (port->pcap_fd >= 0)
		pcap_write(port->pcap_fd, frame, len);
	if (port->if_fd >= 0 && interface_send(port->if_fd, frame, len, stop, lock) != 0)
		return LSH_WIRE_WRITE_FAILED;
	if (port->socket_fd < 0)
		return LSH_WIRE_REASONS;
	const uint8_t *payload = NULL;
	uint32_t payload_len = 0;
	int verdict = tcp_peer_check(port, frame, len, &payload, &payload_len);

	if (verdict != LSH_WIRE_REASONS)
		return verdict;
	if (payload_len > 0 && write_all(port->socket_fd, payload, payload_len, stop, lock) != 0)
		return LSH_WIRE_WRITE_FAILED;
	*payload_written = payload_len;
	return LSH_WIRE_REASONS;
}
