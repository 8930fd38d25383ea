/* SPDX-License-Identifier: Apache-2.0 */
/* Readiness notification of confirmation queues: an eventfd per FQ, written by the "hardware" when it
 * delivers a confirmation (or the portal a rejection) while the FQ is armed, as a QMan portal raises its
 * interrupt once until software re-enables it. A consumer sleeps in poll/epoll on the descriptor.
 * Confirmations are coalesced like the portal's DQRR interrupt threshold (ITHRESH): the signal waits
 * until `threshold` entries are queued, or until the TX FQ they come from has drained (the emulator's
 * stand-in for the portal's interrupt timeout, which reports entries below the threshold). */
#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "emu.h"

/* The confirmation or RX FQ fqid names, or NULL (with *rc the errno) when there is none. Under the lock. */
static struct emu_fq *confirm_fq(struct lsh_fm *fm, uint32_t fqid, int32_t *rc)
{
	struct emu_fq *fq = emu_fq_find(fm, fqid);

	*rc = !fq ? -ENOENT : !emu_fq_dequeued(fq) ? -EINVAL : 0;
	return *rc ? NULL : fq;
}

void emu_notify(struct emu_fq *conf, int now)
{
	if (conf->notify_fd < 0 || !conf->notify_armed || (!now && conf->pending < conf->notify_threshold))
		return;
	uint64_t one = 1;

	/* An eventfd write of 1 fails only when the counter would overflow, which a consumer that acks
	 * (reads) never lets happen; the descriptor is readable either way. */
	if (write(conf->notify_fd, &one, sizeof(one)) == (ssize_t)sizeof(one))
		conf->notify_armed = 0;
}

void emu_notify_close(struct emu_fq *fq)
{
	if (emu_fq_dequeued(fq) && fq->notify_fd >= 0) {
		close(fq->notify_fd);
		fq->notify_fd = -1;
	}
}

int32_t lsh_fm_notifier(struct lsh_fm *fm, uint32_t fqid, uint32_t threshold)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	int32_t rc;
	struct emu_fq *fq = confirm_fq(fm, fqid, &rc);

	if (fq && (threshold == 0 || threshold > fq->capacity)) {
		rc = -EINVAL;
		fq = NULL;
	}
	if (fq)
		fq->notify_threshold = threshold;
	if (fq && fq->notify_fd < 0) {
		int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

		if (fd < 0) {
			rc = -errno;
		} else {
			fq->notify_fd = fd;
			fq->notify_armed = 1;
			if (fq->pending > 0) /* entries delivered before anyone asked are news too */
				emu_notify(fq, 1);
		}
	}
	if (fq && rc == 0)
		rc = fq->notify_fd;
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_fm_notify_ack(struct lsh_fm *fm, uint32_t fqid)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	int32_t rc;
	struct emu_fq *fq = confirm_fq(fm, fqid, &rc);

	if (fq && fq->notify_fd < 0) {
		rc = -EBADF; /* no notifier was asked for */
	} else if (fq) {
		uint64_t value;

		rc = read(fq->notify_fd, &value, sizeof(value)) == (ssize_t)sizeof(value) ? 1 : 0;
		fq->notify_armed = 1;
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}
