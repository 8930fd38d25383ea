/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated port's wire: a Linux interface (AF_PACKET) that whole Ethernet frames leave on, and/or a
 * pcap file of them. Called by the hardware thread with the port marked busy, so its target cannot change
 * underneath. */
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

#define ETH_MIN_FRAME 60 /* without FCS: the MAC pads shorter frames */
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

/* Writes everything to a file (a pcap), which never makes the caller wait for a peer. */
static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
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
	return end == 0 ? write_all(fd, &h, sizeof(h)) : 0;
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

	if (write_all(fd, &r, sizeof(r)) == 0)
		write_all(fd, frame, len);
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

int emu_wire_transmit(struct emu_port *port, const uint8_t *frame, uint32_t len, const int *stop, pthread_mutex_t *lock)
{
	if (port->pcap_fd >= 0)
		pcap_write(port->pcap_fd, frame, len);
	return port->if_fd >= 0 ? interface_send(port->if_fd, frame, len, stop, lock) : 0;
}
