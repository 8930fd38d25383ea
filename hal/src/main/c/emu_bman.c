/* SPDX-License-Identifier: Apache-2.0 */
/* Emulated BMan: 64 buffer pools of 48-bit buffer addresses, acquired and released 1-8 at a time.
 * Acquire is all-or-nothing, as the hardware's acquire command is. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>

#include "emu.h"

static struct emu_pool *pool(struct lsh_fm *fm, uint32_t bpid)
{
	return bpid < LSH_BM_POOL_MAX && fm->pools[bpid].used ? &fm->pools[bpid] : NULL;
}

int32_t lsh_bm_pool_create(struct lsh_fm *fm, uint32_t capacity)
{
	if (!fm || capacity == 0)
		return -EINVAL;
	uint64_t *addrs = malloc(capacity * sizeof(*addrs));

	if (!addrs)
		return -ENOMEM;
	pthread_mutex_lock(&fm->lock);
	int32_t bpid = -ENOSPC;

	for (uint32_t i = 0; i < LSH_BM_POOL_MAX; i++) {
		if (!fm->pools[i].used) {
			fm->pools[i] = (struct emu_pool){ .used = 1, .capacity = capacity, .addrs = addrs };
			bpid = (int32_t)i;
			addrs = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&fm->lock);
	free(addrs);
	return bpid;
}

int32_t lsh_bm_pool_destroy(struct lsh_fm *fm, uint32_t bpid)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_pool *p = pool(fm, bpid);
	int rc = p ? 0 : -ENOENT;

	if (p) {
		free(p->addrs);
		*p = (struct emu_pool){ 0 };
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_bm_release(struct lsh_fm *fm, uint32_t bpid, const struct lsh_bm_buffer *buffers, uint32_t count)
{
	if (!fm || !buffers || count == 0 || count > LSH_BM_BURST_MAX)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_pool *p = pool(fm, bpid);
	int rc = 0;

	if (!p) {
		rc = -ENOENT;
	} else if (p->capacity - p->count < count) {
		rc = -ENOSPC;
	} else {
		for (uint32_t i = 0; i < count; i++) {
			struct lsh_bm_fields f;

			lsh_bm_decode(&buffers[i], &f);
			p->addrs[p->count++] = f.addr;
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_bm_acquire(struct lsh_fm *fm, uint32_t bpid, struct lsh_bm_buffer *buffers, uint32_t count)
{
	if (!fm || !buffers || count == 0 || count > LSH_BM_BURST_MAX)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_pool *p = pool(fm, bpid);
	int rc = (int)count;

	if (!p) {
		rc = -ENOENT;
	} else if (p->count < count) {
		rc = -ENOMEM;
	} else {
		for (uint32_t i = 0; i < count; i++) {
			struct lsh_bm_fields f = { .addr = p->addrs[--p->count], .bpid = (uint8_t)bpid };

			lsh_bm_encode(&f, &buffers[i]);
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int32_t lsh_bm_pool_count(struct lsh_fm *fm, uint32_t bpid)
{
	if (!fm)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	struct emu_pool *p = pool(fm, bpid);
	int rc = p ? (int)p->count : -ENOENT;

	pthread_mutex_unlock(&fm->lock);
	return rc;
}

int emu_pool_put(struct lsh_fm *fm, uint32_t bpid, uint64_t addr)
{
	struct emu_pool *p = pool(fm, bpid);

	if (!p)
		return -ENOENT;
	if (p->count == p->capacity)
		return -ENOSPC;
	p->addrs[p->count++] = addr & LSH_BM_ADDR_MASK;
	return 0;
}

void emu_pools_free(struct lsh_fm *fm)
{
	for (uint32_t i = 0; i < LSH_BM_POOL_MAX; i++)
		free(fm->pools[i].addrs);
}
