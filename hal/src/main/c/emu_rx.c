/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated FMan RX port: frames arriving on a port's interface (its AF_PACKET socket) are written
 * ("DMA") into a buffer acquired from the port's BMan pool, with the parser's results in the buffer's
 * prefix, and a contiguous FD goes to the port's RX frame queue, scheduled to the portal's DQRR like a
 * confirmation FQ. The RX thread is FMan's receive side: it sleeps in poll() on the ports' sockets
 * without the lock and handles what arrived with it. */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emu.h"

#define RX_FRAME_MAX 65536 /* the largest frame an AF_PACKET socket hands over (a cut one is flagged) */
#define RX_BURST 64        /* frames read from one port before the others get their turn */
#define ETH_HEADER 14
#define ETHERTYPE_IPV4 0x0800
#define IP_TCP 6
#define IP_UDP 17

static void *rx_main(void *arg);

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Keeps the RX thread out of poll() on the ports' sockets until rx_resume; under the lock. */
static void rx_hold(struct lsh_fm *fm)
{
	uint64_t one = 1;

	fm->rx_hold++;
	while (fm->rx_polling) {
		if (write(fm->rx_wake, &one, sizeof(one)) != (ssize_t)sizeof(one) && errno != EAGAIN)
			break;
		pthread_cond_wait(&fm->work, &fm->lock);
	}
}

static void rx_resume(struct lsh_fm *fm)
{
	fm->rx_hold--;
	pthread_cond_broadcast(&fm->work);
}

void emu_port_retarget(struct lsh_fm *fm, struct emu_port *p, const struct lsh_tx_target *target, int if_fd)
{
	while (p->busy)
		pthread_cond_wait(&fm->work, &fm->lock);
	rx_hold(fm);
	if (p->if_fd >= 0)
		close(p->if_fd);
	struct lsh_rx_port rx = if_fd >= 0 ? p->rx : (struct lsh_rx_port){ 0 };

	*p = (struct emu_port){ .id = p->id, .bound = 1, .enabled = 1, .pcap_fd = target->pcap_fd, .if_fd = if_fd, .rx = rx, .error_fqid = p->error_fqid };
	rx_resume(fm);
}

/* Starts the RX thread at the first receive configuration; 0 or -errno. Under the lock. */
static int rx_start(struct lsh_fm *fm)
{
	if (fm->rx_started)
		return 0;
	fm->rx_frame = malloc(RX_FRAME_MAX);
	fm->rx_wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int rc = !fm->rx_frame ? -ENOMEM : fm->rx_wake < 0 ? -errno : -pthread_create(&fm->rx_thread, NULL, rx_main, fm);

	if (rc != 0) {
		free(fm->rx_frame);
		fm->rx_frame = NULL;
		if (fm->rx_wake >= 0)
			close(fm->rx_wake);
		fm->rx_wake = -1;
		return rc;
	}
	fm->rx_started = 1;
	return 0;
}

int32_t lsh_fm_port_rx(struct lsh_fm *fm, uint32_t port, const struct lsh_rx_port *rx)
{
	if (!fm || !rx)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_port *p = emu_port_find(fm, port);
	struct emu_fq *fq = emu_fq_find(fm, rx->rx_fqid);
	int rc = 0;

	if (!p)
		rc = -ENODEV;
	else if (rx->rx_fqid != 0 && p->if_fd < 0)
		rc = -ENOTCONN;
	else if (rx->rx_fqid != 0 && (!fq || !emu_pool_exists(fm, rx->bpid)))
		rc = -ENOENT;
	else if (rx->rx_fqid != 0 && (fq->kind != LSH_FQ_RX || rx->data_offset < LSH_RX_MIN_DATA_OFFSET ||
				      rx->data_offset > LSH_FD_OFFSET_MAX || rx->buffer_size <= rx->data_offset))
		rc = -EINVAL;
	if (rc == 0 && rx->rx_fqid != 0)
		rc = rx_start(fm);
	if (rc == 0) {
		if (fm->rx_started)
			rx_hold(fm);
		p->rx = *rx;
		if (fm->rx_started)
			rx_resume(fm);
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

void emu_rx_stop(struct lsh_fm *fm)
{
	if (fm->rx_started) {
		uint64_t one = 1;

		/* stop is set: the thread leaves its loop at the next wake-up. An eventfd write fails only when
		 * the counter is full, and then the thread is woken already. */
		ssize_t written = write(fm->rx_wake, &one, sizeof(one));

		(void)written;
		pthread_join(fm->rx_thread, NULL);
		close(fm->rx_wake);
		free(fm->rx_frame);
	}
	for (uint32_t i = 0; i < fm->config.port_count; i++)
		if (fm->ports[i].if_fd >= 0)
			close(fm->ports[i].if_fd);
}

/* The L4 checksum check of the FMan parser (TCP, UDP with a non-zero checksum); 1 when it holds. */
static int l4_checksum_ok(const uint8_t *ip, uint32_t ihl, uint32_t total, uint8_t protocol)
{
	const uint8_t *l4 = ip + ihl;
	uint32_t l4len = total - ihl;

	if (protocol == IP_UDP && be16_at(l4 + 6) == 0)
		return 1; /* UDP over IPv4 without a checksum */
	return emu_checksum(l4, l4len, emu_pseudo_header_sum(ip, (uint16_t)l4len, protocol)) == 0;
}

/* The FMan hard parser's view of an Ethernet frame: the parse results for the buffer prefix and the
 * status bits (LSH_FD_STATUS_L4CV, LSH_FD_STATUS_RX_PRS_HDR) for the FD. */
static uint32_t parse(const uint8_t *frame, uint32_t len, struct lsh_prs_result *prs)
{
	memset(prs, 0, sizeof(*prs));
	if (len < ETH_HEADER)
		return LSH_FD_STATUS_RX_PRS_HDR;
	prs->l2r = htobe16(LSH_PRS_L2_ETH);
	prs->etype_off = 12;
	prs->nxthdr = htobe16(be16_at(frame + 12));
	if (be16_at(frame + 12) != ETHERTYPE_IPV4)
		return 0;
	const uint8_t *ip = frame + ETH_HEADER;
	uint32_t room = len - ETH_HEADER, ihl = room >= 20 ? (ip[0] & 0x0Fu) * 4u : 0;
	uint32_t total = room >= 20 ? be16_at(ip + 2) : 0;

	if (room < 20 || (ip[0] >> 4) != 4 || ihl < 20 || total < ihl || total > room)
		return LSH_FD_STATUS_RX_PRS_HDR;
	uint16_t l3r = LSH_PRS_L3_IPV4;

	prs->ip_off[0] = ETH_HEADER;
	if (emu_checksum(ip, ihl, 0) != 0)
		l3r |= LSH_PRS_L3_ERROR;
	int fragment = (be16_at(ip + 6) & 0x3FFF) != 0;

	if (fragment)
		l3r |= LSH_PRS_L3_FRAGMENT;
	prs->l3r = htobe16(l3r);
	uint8_t protocol = ip[9];

	if (fragment || (protocol != IP_TCP && protocol != IP_UDP))
		return 0;
	uint32_t header = protocol == IP_TCP ? 20 : 8;

	if (total - ihl < header || (protocol == IP_TCP && (ip[ihl + 12] >> 4) * 4u < 20))
		return LSH_FD_STATUS_RX_PRS_HDR;
	prs->l4_off = (uint8_t)(ETH_HEADER + ihl);
	prs->l4r = protocol == IP_TCP ? LSH_PRS_L4_TCP : LSH_PRS_L4_UDP;
	if (!l4_checksum_ok(ip, ihl, total, protocol))
		prs->l4r |= LSH_PRS_L4_ERROR;
	return LSH_FD_STATUS_L4CV;
}

/* Delivers one received frame of `port` to its RX FQ; under the lock. now: nothing more follows at
 * once (the end of a burst), so the FQ's notifier need not wait for its threshold. */
static void deliver(struct lsh_fm *fm, struct emu_port *port, const uint8_t *frame, uint32_t len, int now)
{
	struct emu_fq *fq = emu_fq_find(fm, port->rx.rx_fqid);
	uint64_t buffer;

	if (!fq || fq->kind != LSH_FQ_RX || fq->count == fq->capacity) {
		fm->counters.rx_queue_full++;
		return;
	}
	if (emu_pool_take(fm, port->rx.bpid, &buffer) != 0) {
		fm->counters.rx_no_buffer++; /* FMan's "no buffer" discard (BMan pool depleted) */
		return;
	}
	uint32_t status = 0, room = port->rx.buffer_size - port->rx.data_offset;

	if (room > fm->config.max_frame_size)
		room = fm->config.max_frame_size;
	if (len > room) {
		status |= LSH_FD_STATUS_RX_SIZE;
		len = room;
	}
	struct lsh_prs_result prs;

	status |= parse(frame, len, &prs);
	if (emu_dma_write(fm, buffer + LSH_RX_PARSE_RESULT_OFFSET, sizeof(prs), &prs) != 0 ||
	    emu_dma_write(fm, buffer + port->rx.data_offset, len, frame) != 0)
		status |= LSH_FD_STATUS_DMA;
	struct lsh_fd_fields f = { .addr = buffer, .format = LSH_FD_FORMAT_CONTIG, .offset = port->rx.data_offset,
				   .length = len, .cmd = status, .bpid = (uint8_t)port->rx.bpid };
	struct lsh_qm_fd *slot = &fq->frames[(fq->head + fq->count++) % fq->capacity];

	lsh_fd_encode(&f, slot);
	fq->pending++;
	if (status & LSH_FD_STATUS_RX_ERRORS) {
		fm->counters.rx_errors++;
	} else {
		fm->counters.rx_frames++;
		fm->counters.rx_bytes += len;
	}
	emu_dequeue_to_dqrr(fm, fq, now);
}

/* Reads up to RX_BURST frames from a port's socket and delivers them; under the lock (the socket is
 * non-blocking). */
static void receive_burst(struct lsh_fm *fm, struct emu_port *port)
{
	for (int i = 0; i < RX_BURST; i++) {
		ssize_t n = recv(port->if_fd, fm->rx_frame, RX_FRAME_MAX, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0)
			return; /* EAGAIN: nothing more; any other error leaves the socket to the next poll */
		/* MSG_TRUNC returns the real length; whatever exceeds the buffer room (always below
		 * RX_FRAME_MAX) is cut and flagged by deliver. */
		deliver(fm, port, fm->rx_frame, n > RX_FRAME_MAX ? RX_FRAME_MAX : (uint32_t)n, 0);
	}
}

static void *rx_main(void *arg)
{
	struct lsh_fm *fm = arg;
	struct pollfd fds[LSH_FM_MAX_PORTS + 1];
	struct emu_port *polled[LSH_FM_MAX_PORTS];

	pthread_mutex_lock(&fm->lock);
	while (!fm->stop) {
		if (fm->rx_hold) {
			pthread_cond_wait(&fm->work, &fm->lock);
			continue;
		}
		nfds_t n = 0;

		for (uint32_t i = 0; i < fm->config.port_count; i++) {
			struct emu_port *p = &fm->ports[i];

			if (p->if_fd >= 0 && p->rx.rx_fqid != 0) {
				polled[n] = p;
				fds[n++] = (struct pollfd){ .fd = p->if_fd, .events = POLLIN };
			}
		}
		fds[n] = (struct pollfd){ .fd = fm->rx_wake, .events = POLLIN };
		fm->rx_polling = 1;
		pthread_mutex_unlock(&fm->lock);
		int ready = poll(fds, n + 1, -1);

		pthread_mutex_lock(&fm->lock);
		fm->rx_polling = 0;
		pthread_cond_broadcast(&fm->work);
		if (fds[n].revents & POLLIN) {
			uint64_t value;

			if (read(fm->rx_wake, &value, sizeof(value)) < 0 && errno != EAGAIN)
				break;
		}
		if (ready <= 0 || fm->rx_hold)
			continue; /* a rebind is waiting: its socket may be the one that became readable */
		for (nfds_t i = 0; i < n; i++) {
			if (fds[i].revents & POLLIN) {
				receive_burst(fm, polled[i]);
				struct emu_fq *fq = emu_fq_find(fm, polled[i]->rx.rx_fqid);

				if (fq && fq->pending > 0)
					emu_notify(fq, 1); /* the burst is over: the interrupt timeout */
			}
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return NULL;
}
