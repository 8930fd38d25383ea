/* SPDX-License-Identifier: Apache-2.0 */
/* DMA regions: the emulated device's view of memory. It reads and writes only through registered
 * regions and only with process_vm_readv/writev on its own process, which report a missing page (a
 * truncated file, an unmapped range) as a short transfer instead of raising SIGBUS or SIGSEGV. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "emu.h"

static int by_pfn(const void *a, const void *b)
{
	const struct emu_page *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static struct emu_region *free_slot(struct lsh_fm *fm)
{
	for (uint32_t i = 0; i < fm->region_slots; i++)
		if (fm->regions[i].id == 0)
			return &fm->regions[i];
	if (fm->region_slots == EMU_MAX_REGIONS)
		return NULL;
	uint32_t slots = fm->region_slots ? fm->region_slots * 2 : 16;
	struct emu_region *grown = realloc(fm->regions, slots * sizeof(*grown));

	if (!grown)
		return NULL;
	memset(grown + fm->region_slots, 0, (slots - fm->region_slots) * sizeof(*grown));
	fm->regions = grown;
	struct emu_region *slot = &fm->regions[fm->region_slots];

	fm->region_slots = slots;
	return slot;
}

int32_t lsh_dma_register(struct lsh_fm *fm, uint64_t vaddr, uint64_t length, const uint64_t *pfns, uint32_t *region,
			 uint64_t *bus_base)
{
	if (!fm || !region || !bus_base || length == 0 || (vaddr | length) & (fm->page_size - 1))
		return -EINVAL;
	if (fm->config.smmu ? pfns != NULL : pfns == NULL)
		return -EINVAL;
	uint64_t pages = length >> fm->page_shift;
	struct emu_page *index = NULL;

	if (!fm->config.smmu) {
		index = malloc(pages * sizeof(*index));
		if (!index)
			return -ENOMEM;
		for (uint64_t i = 0; i < pages; i++) {
			if (pfns[i] == 0 || ((pfns[i] + 1) << fm->page_shift) - 1 > LSH_ADDR_MASK) {
				free(index);
				return pfns[i] == 0 ? -EINVAL : -ERANGE; /* 0: pagemap without CAP_SYS_ADMIN */
			}
			index[i] = (struct emu_page){ .pfn = pfns[i], .index = i };
		}
		qsort(index, pages, sizeof(*index), by_pfn);
	}

	pthread_mutex_lock(&fm->lock);
	int rc = 0;
	struct emu_region *slot = free_slot(fm);

	if (!slot) {
		rc = -ENOSPC;
	} else if (fm->config.smmu && fm->next_iova + length - 1 > LSH_ADDR_MASK) {
		rc = -ENOSPC;
	} else {
		*slot = (struct emu_region){ .id = fm->next_region_id++, .vaddr = vaddr, .length = length,
					     .pages = pages, .by_pfn = index };
		if (fm->config.smmu) {
			slot->bus_base = fm->next_iova;
			fm->next_iova += length + fm->page_size; /* a guard page between regions */
		} else {
			slot->bus_base = pfns[0] << fm->page_shift;
		}
		*region = slot->id;
		*bus_base = slot->bus_base;
		index = NULL;
	}
	pthread_mutex_unlock(&fm->lock);
	free(index);
	return rc;
}

int32_t lsh_dma_unregister(struct lsh_fm *fm, uint32_t region)
{
	if (!fm || region == 0)
		return -EINVAL;
	pthread_mutex_lock(&fm->lock);
	int rc = -ENOENT;

	for (uint32_t i = 0; i < fm->region_slots; i++) {
		struct emu_region *r = &fm->regions[i];

		if (r->id == region) {
			free(r->by_pfn);
			memset(r, 0, sizeof(*r));
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&fm->lock);
	return rc;
}

void emu_dma_free(struct lsh_fm *fm)
{
	for (uint32_t i = 0; i < fm->region_slots; i++)
		free(fm->regions[i].by_pfn);
	free(fm->regions);
	fm->regions = NULL;
	fm->region_slots = 0;
}

/* The virtual address of a bus address, or 0 when no region maps it. */
static uint64_t translate(struct lsh_fm *fm, uint64_t bus)
{
	uint64_t pfn = bus >> fm->page_shift, in_page = bus & (fm->page_size - 1);

	for (uint32_t i = 0; i < fm->region_slots; i++) {
		const struct emu_region *r = &fm->regions[i];

		if (r->id == 0)
			continue;
		if (fm->config.smmu) {
			if (bus >= r->bus_base && bus - r->bus_base < r->length)
				return r->vaddr + (bus - r->bus_base);
			continue;
		}
		const struct emu_page key = { .pfn = pfn };
		const struct emu_page *hit = bsearch(&key, r->by_pfn, r->pages, sizeof(key), by_pfn);

		if (hit)
			return r->vaddr + (hit->index << fm->page_shift) + in_page;
	}
	return 0;
}

#define DMA_IOV_MAX 64

/* Reads or writes len bytes at bus address bus through the registered regions, with process_vm_readv or
 * process_vm_writev on this process; 0 or -EFAULT. */
static int dma_access(struct lsh_fm *fm, uint64_t bus, uint32_t len, uint8_t *local_bytes, int write)
{
	struct iovec remote[DMA_IOV_MAX];

	if (bus > LSH_ADDR_MASK || len > LSH_ADDR_MASK - bus + 1)
		return -EFAULT;
	while (len > 0) {
		int n = 0;
		uint32_t batch = 0;

		/* One iovec per page run, translated page by page: contiguous bus pages need not be
		 * contiguous in the process, and the other way round. */
		while (len > batch && n < DMA_IOV_MAX) {
			uint64_t at = bus + batch;
			uint64_t va = translate(fm, at);
			uint32_t chunk = (uint32_t)(fm->page_size - (at & (fm->page_size - 1)));

			if (va == 0)
				return -EFAULT;
			if (chunk > len - batch)
				chunk = len - batch;
			if (n > 0 && (uint64_t)remote[n - 1].iov_base + remote[n - 1].iov_len == va)
				remote[n - 1].iov_len += chunk;
			else
				remote[n++] = (struct iovec){ .iov_base = (void *)(uintptr_t)va, .iov_len = chunk };
			batch += chunk;
		}
		struct iovec local = { .iov_base = local_bytes, .iov_len = batch };
		ssize_t done = write ? process_vm_writev(fm->pid, &local, 1, remote, (unsigned long)n, 0)
				     : process_vm_readv(fm->pid, &local, 1, remote, (unsigned long)n, 0);

		if (done != (ssize_t)batch)
			return -EFAULT;
		local_bytes += batch;
		bus += batch;
		len -= batch;
	}
	return 0;
}

int emu_dma_read(struct lsh_fm *fm, uint64_t bus, uint32_t len, void *dst)
{
	return dma_access(fm, bus, len, dst, 0);
}

int emu_dma_write(struct lsh_fm *fm, uint64_t bus, uint32_t len, const void *src)
{
	/* process_vm_writev reads the local iovec only; the cast drops const for struct iovec's sake. */
	return dma_access(fm, bus, len, (uint8_t *)(uintptr_t)src, 1);
}
