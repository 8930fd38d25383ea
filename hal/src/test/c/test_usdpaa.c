/* SPDX-License-Identifier: Apache-2.0 */
/* The usdpaa backend's open path against a fake kernel at the ioctl boundary (usdpaa_ops): the ids and
 * portals it asks for, the regions it maps, the rings it hands to the portal driver and the DMA region,
 * each failing step with its errno and nothing left held; the wait for portal work on an interrupt
 * descriptor the test makes readable (a pipe carrying the kernel's interrupt counts); and the ioctl
 * structs and numbers against include/linux/fsl_usdpaa.h as an arm64 process sees it. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "fake_silicon.h"
#include "layerstore/usdpaa_fm.h"
#include "qm_fqd.h"
#include "usdpaa.h"
#include "usdpaa_abi.h"

enum { QMAN_CE, QMAN_CI, BMAN_CE, BMAN_CI, REGIONS };

#define DMA_SIZE 0x10000u /* 16 pages of 4 KiB: a power of 4 */
#define DMA_PHYS 0x880000000ull

/* The fake kernel: /dev/fsl-usdpaa and /dev/fsl-usdpaa-irq, its id allocators, two portals and a DMA
 * region whose "device memory" is ordinary memory here. The interrupt descriptor is a pipe's read end:
 * the test plays the interrupt handler by writing a count to irq_writer. It counts what the open path
 * holds, and fails one call. */
struct fake_kernel {
	int calls;      /* open-path ops calls so far */
	int fail_call;  /* the call (1-based) that fails, 0 for none */
	int fail_errno;
	int usdpaa_fd, irq_fd, irq_writer, open_fds;
	int ids_held, portals_held, mappings, dma_held;
	uint32_t fqids_asked, bpids_asked;
	struct usdpaa_irq_map irq;
	struct usdpaa_dma_map dma_asked;
	int polls, eintr_polls; /* poll calls, and how many of the next ones are interrupted by a signal */
	uint32_t fqid_base;      /* what ID_ALLOC gives for frame-queue ids */
	uint8_t *region[REGIONS]; /* what mmap of each portal region gives: mem, or a fake silicon's */
	_Alignas(64) uint8_t mem[REGIONS][USDPAA_PORTAL_CE_SIZE];
	_Alignas(4096) uint8_t dma[DMA_SIZE];
};

static const uint64_t region_phys[REGIONS] = { 0x500000000ull, 0x504000000ull, 0x500010000ull, 0x504010000ull };
static const size_t region_size[REGIONS] = { USDPAA_PORTAL_CE_SIZE, USDPAA_PORTAL_CI_SIZE,
					     USDPAA_PORTAL_CE_SIZE, USDPAA_PORTAL_CI_SIZE };
#define FQID_BASE 0x200u
#define BPID_BASE 0x20u
#define QMAN_INDEX 3u
#define BMAN_INDEX 5u

static int injected(struct fake_kernel *k)
{
	return ++k->calls == k->fail_call ? -k->fail_errno : 0;
}

static int fake_open(void *ctx, const char *path, int flags)
{
	struct fake_kernel *k = ctx;
	int rc = injected(k);

	if (rc < 0)
		return rc;
	if (strcmp(path, USDPAA_DEVICE) == 0 && flags == O_RDWR) {
		k->open_fds++;
		return k->usdpaa_fd = 40;
	}
	if (strcmp(path, USDPAA_IRQ_DEVICE) == 0 && flags == O_RDONLY) {
		int p[2];

		if (pipe2(p, O_CLOEXEC) < 0)
			return -errno;
		k->open_fds++;
		k->irq_writer = p[1];
		return k->irq_fd = p[0];
	}
	return -ENOENT;
}

static int fake_close(void *ctx, int fd)
{
	struct fake_kernel *k = ctx;

	if (fd != k->usdpaa_fd && fd != k->irq_fd)
		return -EBADF;
	if (fd == k->irq_fd) {
		close(k->irq_fd); /* EBADF when a test closed it behind the backend's back */
		close(k->irq_writer);
	}
	k->open_fds--;
	return 0;
}

static int dma_ioctl(struct fake_kernel *k, unsigned long request, void *arg)
{
	if (request == USDPAA_IOCTL_DMA_MAP) {
		struct usdpaa_dma_map *m = arg;

		k->dma_asked = *m;
		if (m->len > DMA_SIZE)
			return -ENOMEM;
		m->ptr = k->dma;
		m->phys_addr = DMA_PHYS;
		k->dma_held++;
		return 0;
	}
	if (arg != k->dma) /* DMA_UNMAP names the region by its address in the process */
		return -EFAULT;
	k->dma_held--;
	return 0;
}

static int id_ioctl(struct fake_kernel *k, unsigned long request, void *arg)
{
	if (request == USDPAA_IOCTL_ID_ALLOC) {
		struct usdpaa_id_alloc *a = arg;

		if (a->id_type > USDPAA_ID_BPID || a->num == 0 || a->partial != 0)
			return -EINVAL;
		*(a->id_type == USDPAA_ID_FQID ? &k->fqids_asked : &k->bpids_asked) = a->num;
		a->base = a->id_type == USDPAA_ID_FQID ? k->fqid_base : BPID_BASE;
		k->ids_held++;
		return 0;
	}
	const struct usdpaa_id_release *r = arg;

	if (r->base != (r->id_type == USDPAA_ID_FQID ? k->fqid_base : BPID_BASE))
		return -EINVAL;
	k->ids_held--;
	return 0;
}

static int portal_ioctl(struct fake_kernel *k, unsigned long request, void *arg)
{
	struct usdpaa_raw_portal *p = arg;
	int qman = p->type == USDPAA_PORTAL_QMAN;

	if (request == USDPAA_IOCTL_FREE_RAW_PORTAL) {
		if (p->index != (qman ? QMAN_INDEX : BMAN_INDEX))
			return -EINVAL;
		k->portals_held--;
		return 0;
	}
	if (p->index != USDPAA_ANY_PORTAL || p->enable_stash)
		return -EINVAL;
	p->index = qman ? QMAN_INDEX : BMAN_INDEX;
	p->cena = region_phys[qman ? QMAN_CE : BMAN_CE];
	p->cinh = region_phys[qman ? QMAN_CI : BMAN_CI];
	k->portals_held++;
	return 0;
}

static int fake_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
	struct fake_kernel *k = ctx;
	int rc = injected(k);

	if (rc < 0)
		return rc;
	if (request == USDPAA_IOCTL_PORTAL_IRQ_MAP) {
		if (fd != k->irq_fd)
			return -EBADF;
		k->irq = *(const struct usdpaa_irq_map *)arg;
		return 0;
	}
	if (fd != k->usdpaa_fd)
		return -EBADF;
	if (request == USDPAA_IOCTL_ID_ALLOC || request == USDPAA_IOCTL_ID_RELEASE)
		return id_ioctl(k, request, arg);
	if (request == USDPAA_IOCTL_ALLOC_RAW_PORTAL || request == USDPAA_IOCTL_FREE_RAW_PORTAL)
		return portal_ioctl(k, request, arg);
	if (request == USDPAA_IOCTL_DMA_MAP || request == USDPAA_IOCTL_DMA_UNMAP)
		return dma_ioctl(k, request, arg);
	return -ENOTTY;
}

/* usdpaa_mmap: the offset must be one of the process's portal regions and the length its size. */
static int fake_mmap(void *ctx, int fd, uint64_t offset, size_t length, int prot, void **addr)
{
	struct fake_kernel *k = ctx;
	int rc = injected(k);

	if (rc < 0)
		return rc;
	if (fd != k->usdpaa_fd || prot != (PROT_READ | PROT_WRITE))
		return -EINVAL;
	for (int r = 0; r < REGIONS; r++) {
		if (region_phys[r] == offset) {
			if (length != region_size[r])
				return -EINVAL;
			k->mappings++;
			*addr = k->region[r];
			return 0;
		}
	}
	return -EINVAL;
}

static int fake_munmap(void *ctx, void *addr, size_t length)
{
	struct fake_kernel *k = ctx;

	for (int r = 0; r < REGIONS; r++) {
		if (addr == k->region[r] && length == region_size[r]) {
			k->mappings--;
			return 0;
		}
	}
	return -EINVAL;
}

/* The real poll and read on the pipe, with signals the test injects. */
static int fake_poll(void *ctx, int fd, int timeout_ms, short *revents)
{
	struct fake_kernel *k = ctx;

	k->polls++;
	if (k->eintr_polls > 0) {
		k->eintr_polls--;
		return -EINTR;
	}
	return usdpaa_system_ops.poll(NULL, fd, timeout_ms, revents);
}

static int fake_read(void *ctx, int fd, void *buf, size_t length)
{
	(void)ctx;
	return usdpaa_system_ops.read(NULL, fd, buf, length);
}

/* The registers as the portal's hardware sees them: big-endian words, written from the test's
 * interrupt thread too. */
static void set_reg(uint8_t *ci, uint32_t offset, uint32_t value)
{
	__atomic_store_n((uint32_t *)(ci + offset), htobe32(value), __ATOMIC_RELEASE);
}

static uint32_t get_reg(const uint8_t *ci, uint32_t offset)
{
	return be32toh(__atomic_load_n((const uint32_t *)(ci + offset), __ATOMIC_ACQUIRE));
}

static struct usdpaa_ops fake_ops(struct fake_kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->usdpaa_fd = k->irq_fd = k->irq_writer = -1;
	k->fqid_base = FQID_BASE;
	for (int r = 0; r < REGIONS; r++)
		k->region[r] = k->mem[r];
	/* the indices a previous user left, the rings empty: EQCR, DQRR and RCR part-way through their second
	 * pass (pass bit clear), the MR through its first */
	static const struct {
		int region;
		uint32_t pi, ci, index;
	} left[] = { { QMAN_CI, QM_HW_REG_EQCR_PI, QM_HW_REG_EQCR_CI, 3 },
		     { QMAN_CI, QM_HW_REG_DQRR_PI, QM_HW_REG_DQRR_CI, 5 },
		     { QMAN_CI, QM_HW_REG_MR_PI, QM_HW_REG_MR_CI, LSH_QM_MR_SIZE | 1 },
		     { BMAN_CI, BM_HW_REG_RCR_PI, BM_HW_REG_RCR_CI, 7 } };

	for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		set_reg(k->mem[left[i].region], left[i].pi, left[i].index);
		set_reg(k->mem[left[i].region], left[i].ci, left[i].index);
	}
	return (struct usdpaa_ops){ .open = fake_open, .close = fake_close, .ioctl = fake_ioctl,
				    .mmap = fake_mmap, .munmap = fake_munmap, .poll = fake_poll, .read = fake_read,
				    .ctx = k };
}

static void check_kernel_holds_nothing(const struct fake_kernel *k)
{
	CHECK_EQ(k->open_fds, 0);
	CHECK_EQ(k->ids_held, 0);
	CHECK_EQ(k->portals_held, 0);
	CHECK_EQ(k->mappings, 0);
	CHECK_EQ(k->dma_held, 0);
}

static void check_nothing_held(const struct fake_kernel *k, const struct usdpaa *u)
{
	check_kernel_holds_nothing(k);
	CHECK_EQ(u->fd, -1);
	CHECK_EQ(u->irq_fd, -1);
}

static const struct usdpaa_request request = { .fqids = 8, .bpids = 2, .dma_size = DMA_SIZE };

static void test_the_ioctl_structs_are_those_of_fsl_usdpaa_h(void)
{
	CHECK_EQ(sizeof(struct usdpaa_id_alloc), 20);
	CHECK_EQ(offsetof(struct usdpaa_id_alloc, id_type), 4);
	CHECK_EQ(offsetof(struct usdpaa_id_alloc, num), 8);
	CHECK_EQ(offsetof(struct usdpaa_id_alloc, align), 12);
	CHECK_EQ(offsetof(struct usdpaa_id_alloc, partial), 16);
	CHECK_EQ(sizeof(struct usdpaa_id_release), 12);
	CHECK_EQ(offsetof(struct usdpaa_id_release, base), 4);
	CHECK_EQ(offsetof(struct usdpaa_id_release, num), 8);
	/* type, enable_stash (padded), cpu, cache, window, sdest (padded), index, 4 bytes of padding, cinh, cena */
	CHECK_EQ(sizeof(struct usdpaa_raw_portal), 48);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, enable_stash), 4);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, cpu), 8);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, cache), 12);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, window), 16);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, sdest), 20);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, index), 24);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, cinh), 32);
	CHECK_EQ(offsetof(struct usdpaa_raw_portal, cena), 40);
	CHECK_EQ(sizeof(struct usdpaa_irq_map), 16);
	CHECK_EQ(offsetof(struct usdpaa_irq_map, fd), 4);
	CHECK_EQ(offsetof(struct usdpaa_irq_map, portal_cinh), 8);
	/* ptr, phys_addr, len, flags, name[16], has_locking, did_create, 4 bytes of padding */
	CHECK_EQ(sizeof(struct usdpaa_dma_map), 56);
	CHECK_EQ(offsetof(struct usdpaa_dma_map, phys_addr), 8);
	CHECK_EQ(offsetof(struct usdpaa_dma_map, len), 16);
	CHECK_EQ(offsetof(struct usdpaa_dma_map, flags), 24);
	CHECK_EQ(offsetof(struct usdpaa_dma_map, name), 28);
	CHECK_EQ(offsetof(struct usdpaa_dma_map, has_locking), 44);
	CHECK_EQ(offsetof(struct usdpaa_dma_map, did_create), 48);
	CHECK_EQ(sizeof(usdpaa_irq_count), 4);
	/* asm-generic/ioctl.h, which arm64 uses: dir (write 1, read 2) << 30 | size << 16 | 'u' << 8 | nr */
	CHECK_EQ(USDPAA_IOCTL_ID_ALLOC, 0xC0147501u);
	CHECK_EQ(USDPAA_IOCTL_ID_RELEASE, 0x400C7502u);
	CHECK_EQ(USDPAA_IOCTL_DMA_MAP, 0xC0387503u);
	CHECK_EQ(USDPAA_IOCTL_DMA_UNMAP, 0x40017504u);
	CHECK_EQ(USDPAA_IOCTL_PORTAL_IRQ_MAP, 0x40107509u);
	CHECK_EQ(USDPAA_IOCTL_ALLOC_RAW_PORTAL, 0xC030750Cu);
	CHECK_EQ(USDPAA_IOCTL_FREE_RAW_PORTAL, 0x8030750Du);
}

static void test_open_maps_both_portals_and_hands_their_rings_to_the_driver(void)
{
	static struct fake_kernel k;
	struct usdpaa_ops ops = fake_ops(&k);
	struct usdpaa u;
	uint32_t step = 99;

	CHECK_EQ(usdpaa_open(&u, &ops, &request, &step), 0);
	CHECK_EQ(step, LSH_USDPAA_STEP_NONE);
	CHECK_EQ(k.fqids_asked, 8);
	CHECK_EQ(k.bpids_asked, 2);
	CHECK_EQ(u.fqid_base, FQID_BASE);
	CHECK_EQ(u.fqid_count, 8);
	CHECK_EQ(u.bpid_base, BPID_BASE);
	CHECK_EQ(u.qman.index, QMAN_INDEX);
	CHECK_EQ(u.bman.index, BMAN_INDEX);
	CHECK(u.qman.ce == k.mem[QMAN_CE] && u.qman.ci == k.mem[QMAN_CI]);
	CHECK(u.bman.ce == k.mem[BMAN_CE] && u.bman.ci == k.mem[BMAN_CI]);
	CHECK_EQ(k.mappings, 4);
	/* the interrupt descriptor names the QMan portal by its mapped cache-inhibited region */
	CHECK_EQ(k.irq.type, USDPAA_PORTAL_QMAN);
	CHECK_EQ(k.irq.fd, k.usdpaa_fd);
	CHECK(k.irq.portal_cinh == k.mem[QMAN_CI]);
	CHECK_EQ(u.irq_fd, k.irq_fd);
	CHECK_EQ(get_reg(k.mem[QMAN_CI], QM_HW_REG_IER), USDPAA_QM_PIRQ_SOURCES);
	/* the driver drives the mapped portals: rings at the silicon's offsets of the mapped regions, each
	 * starting where the portal's registers say, not at reset */
	CHECK(u.qm.eqcr.ring.base == k.mem[QMAN_CE] + LSH_QM_CL_EQCR);
	CHECK(u.qm.dqrr.base == k.mem[QMAN_CE] + LSH_QM_CL_DQRR);
	CHECK(u.qm.mr.base == k.mem[QMAN_CE] + LSH_QM_CL_MR);
	CHECK(u.bm.rcr.ring.base == k.mem[BMAN_CE] + LSH_BM_CL_RCR);
	CHECK_EQ(u.qm.eqcr.ring.index, 3);
	CHECK_EQ(u.qm.eqcr.available, LSH_QM_EQCR_SIZE - 1);
	CHECK_EQ(u.qm.dqrr.index, 5);
	CHECK_EQ(u.qm.mr.index, LSH_QM_MR_SIZE | 1);
	CHECK_EQ(u.bm.rcr.ring.index, 7);
	/* its modes are set in the portal's configuration register, no dequeue asked for yet */
	CHECK_EQ(get_reg(k.mem[QMAN_CI], QM_HW_REG_CFG) >> QM_HW_CFG_EPM_SHIFT, QM_HW_CFG_EPM_PVB);
	CHECK_EQ(get_reg(k.mem[QMAN_CI], QM_HW_REG_DQRR_SDQCR), 0);

	/* an enqueue lands in the portal's memory at position 3 with the valid bit of the second pass (0) */
	uint8_t *slot = k.mem[QMAN_CE] + LSH_QM_CL_EQCR + 3 * LSH_QB_ENTRY_SIZE;
	struct lsh_qm_fd fd = { .addr_lo = htobe32(0x1000) };

	slot[0] = LSH_QB_VERB_VBIT; /* what the first pass left there */
	CHECK_EQ(qm_hw_enqueue(&u.qm, FQID_BASE, 0, &fd, 1), 1);
	CHECK_EQ(slot[0], LSH_QM_EQCR_VERB_CMD_ENQUEUE);
	CHECK_EQ(be32toh(((const struct lsh_qm_eqcr_entry *)slot)->fqid), FQID_BASE);
	CHECK_EQ(u.qm.eqcr.ring.index, 4);

	usdpaa_close(&u);
	check_nothing_held(&k, &u);
	CHECK(u.qm.eqcr.ring.base == NULL);
	CHECK_EQ(get_reg(k.mem[QMAN_CI], QM_HW_REG_IER), 0);
}

static void test_the_dma_region_is_mapped_by_the_kernel_and_translates_to_its_physical_address(void)
{
	static struct fake_kernel k;
	struct usdpaa_ops ops = fake_ops(&k);
	struct usdpaa u;
	struct usdpaa_dma dma;
	uint64_t phys = 0;
	uint32_t step;

	CHECK_EQ(usdpaa_open(&u, &ops, &request, &step), 0);
	/* a private region of the size asked for */
	CHECK_EQ(k.dma_asked.len, DMA_SIZE);
	CHECK_EQ(k.dma_asked.flags, 0);
	CHECK_EQ(usdpaa_dma_region(&u, &dma), 0);
	CHECK(dma.virt == k.dma);
	CHECK_EQ(dma.phys, DMA_PHYS);
	CHECK_EQ(dma.size, DMA_SIZE);
	/* what a BMan buffer or an FD holds: the physical address of a byte of the region */
	CHECK_EQ(usdpaa_dma_phys(&u, k.dma + 0x1234, 2048, &phys), 0);
	CHECK_EQ(phys, DMA_PHYS + 0x1234);
	CHECK_EQ(usdpaa_dma_phys(&u, k.dma + DMA_SIZE - 64, 64, &phys), 0);
	CHECK_EQ(phys, DMA_PHYS + DMA_SIZE - 64);
	CHECK_EQ(usdpaa_dma_phys(&u, k.dma + DMA_SIZE - 64, 65, &phys), -ERANGE);
	CHECK_EQ(usdpaa_dma_phys(&u, k.dma - 1, 1, &phys), -ERANGE);
	CHECK_EQ(usdpaa_dma_phys(&u, k.mem[QMAN_CE], 1, &phys), -ERANGE);
	usdpaa_close(&u);
	check_nothing_held(&k, &u);
	CHECK_EQ(usdpaa_dma_region(&u, &dma), -ENXIO);

	/* a length the ABI does not allow (8 pages: not a power of 4) is refused before the kernel sees it */
	struct usdpaa_request odd = request;

	odd.dma_size = 8 * 4096;
	ops = fake_ops(&k);
	CHECK_EQ(usdpaa_open(&u, &ops, &odd, &step), -EINVAL);
	CHECK_EQ(step, LSH_USDPAA_STEP_DMA_MAP);
	CHECK_EQ(k.dma_asked.len, 0);
	check_nothing_held(&k, &u);
}

static void write_count(const struct fake_kernel *k, usdpaa_irq_count count)
{
	CHECK_EQ(write(k->irq_writer, &count, sizeof(count)), sizeof(count));
}

/* The portal raising a source during the wait: the interrupt handler's count comes after the ISR bit. */
static void *interrupt_later(void *arg)
{
	struct fake_kernel *k = arg;

	usleep(20000);
	set_reg(k->mem[QMAN_CI], QM_HW_REG_ISR, USDPAA_QM_PIRQ_CSCI);
	set_reg(k->mem[QMAN_CI], QM_HW_REG_IIR, 1);
	write_count(k, 3);
	return NULL;
}

static void test_the_wait_for_portal_work_sleeps_on_the_interrupt_descriptor(void)
{
	static struct fake_kernel k;
	struct usdpaa_ops ops = fake_ops(&k);
	struct usdpaa u;
	uint32_t step, sources = 99;

	CHECK_EQ(usdpaa_open(&u, &ops, &request, &step), 0);
	/* an interrupt counted while the kernel's handler inhibited the portal: the wait re-arms it and
	 * wakes, retrying the poll a signal interrupted */
	set_reg(k.mem[QMAN_CI], QM_HW_REG_IIR, 1);
	write_count(&k, 1);
	k.eintr_polls = 2;
	CHECK_EQ(usdpaa_wait_portal_work(&u, 10000, &sources), 0);
	CHECK_EQ(k.polls, 3);
	CHECK_EQ(u.irq_count, 1);
	CHECK_EQ(sources, 0);
	CHECK_EQ(get_reg(k.mem[QMAN_CI], QM_HW_REG_IIR), 0);

	/* sources already raised: returned at once without sleeping, and exactly those written back
	 * (write 1 to clear; a source the backend did not enable is left alone) */
	set_reg(k.mem[QMAN_CI], QM_HW_REG_ISR, USDPAA_QM_PIRQ_DQRI | USDPAA_QM_PIRQ_MRI | 0x00080000u);
	CHECK_EQ(usdpaa_wait_portal_work(&u, 10000, &sources), 0);
	CHECK_EQ(sources, USDPAA_QM_PIRQ_DQRI | USDPAA_QM_PIRQ_MRI);
	CHECK_EQ(k.polls, 3);
	CHECK_EQ(get_reg(k.mem[QMAN_CI], QM_HW_REG_ISR), USDPAA_QM_PIRQ_DQRI | USDPAA_QM_PIRQ_MRI);
	set_reg(k.mem[QMAN_CI], QM_HW_REG_ISR, 0);

	/* nothing raised, nothing counted: the timeout */
	CHECK_EQ(usdpaa_wait_portal_work(&u, 10, &sources), -ETIMEDOUT);

	/* two interrupts, two wake-ups, each with its count */
	write_count(&k, 2);
	CHECK_EQ(usdpaa_wait_portal_work(&u, 10000, &sources), 0);
	CHECK_EQ(u.irq_count, 2);
	pthread_t t;

	CHECK_EQ(pthread_create(&t, NULL, interrupt_later, &k), 0);
	CHECK_EQ(usdpaa_wait_portal_work(&u, -1, &sources), 0);
	pthread_join(t, NULL);
	CHECK_EQ(u.irq_count, 3);
	CHECK_EQ(sources, USDPAA_QM_PIRQ_CSCI);
	CHECK_EQ(k.polls, 6);
	set_reg(k.mem[QMAN_CI], QM_HW_REG_ISR, 0); /* what the write-1-to-clear did on silicon */

	/* a read shorter than the count is not the irq device's answer */
	CHECK_EQ(write(k.irq_writer, "\1\0", 2), 2);
	CHECK_EQ(usdpaa_wait_portal_work(&u, 10000, &sources), -EPROTO);

	/* a descriptor that is not open is reported, not waited on */
	close(k.irq_fd);
	CHECK_EQ(usdpaa_wait_portal_work(&u, 10000, &sources), -EBADF);
	usdpaa_close(&u);
	check_nothing_held(&k, &u);
}

static void test_each_failing_step_reports_its_errno_and_leaves_nothing_held(void)
{
	/* call k of the open path is step k; the errno each would plausibly fail with on a real kernel */
	static const int errnos[] = { 0, ENOENT, ENOSPC, ENOSPC, ENODEV, EINVAL, EINVAL, ENODEV, EINVAL, EINVAL,
				      ENOENT, ENODEV, ENOMEM };
	static struct fake_kernel k;
	struct usdpaa_ops ops = fake_ops(&k);
	struct usdpaa u;
	uint32_t step;

	CHECK_EQ(usdpaa_open(&u, &ops, &request, &step), 0);
	int calls = k.calls;

	usdpaa_close(&u);
	CHECK_EQ(calls, LSH_USDPAA_STEP_DMA_MAP);
	for (int call = 1; call <= calls; call++) {
		ops = fake_ops(&k);
		k.fail_call = call;
		k.fail_errno = errnos[call];
		CHECK_EQ(usdpaa_open(&u, &ops, &request, &step), -errnos[call]);
		CHECK_EQ(step, (uint32_t)call);
		check_nothing_held(&k, &u);
	}
}

static void test_the_probe_here_says_which_step_failed(void)
{
	struct lsh_usdpaa_probe probe;

	CHECK_EQ(lsh_usdpaa_probe(NULL), -EINVAL);
	if (access(USDPAA_DEVICE, F_OK) == 0) {
		printf("native: %s exists: the probe's no-device answer is not checked here\n", USDPAA_DEVICE);
		return;
	}
	CHECK_EQ(lsh_usdpaa_probe(&probe), -ENOENT);
	CHECK_EQ(probe.error, -ENOENT);
	CHECK_EQ(probe.step, LSH_USDPAA_STEP_OPEN_DEVICE);
	CHECK(strcmp(lsh_usdpaa_step_name(LSH_USDPAA_STEP_OPEN_DEVICE), "open /dev/fsl-usdpaa") == 0);
	CHECK(strcmp(lsh_usdpaa_step_name(LSH_USDPAA_STEP_DMA_MAP + 1), "unknown step") == 0);
}

/* The frame manager on the driven portals: the fake kernel's mmap gives a fake QMan's and BMan's memory,
 * whose threads answer the portal driver as the silicon would, the FQIDs it hands out the fake QMan's. */
struct fm_rig {
	struct fake_kernel k;
	struct fake_qman q;
	struct fake_bman b;
	struct fake_runner qr, br;
	struct usdpaa_ops ops;
};

#define FM_TIMEOUT_NS 5000000000ull /* the fake silicon's thread shares 2 cores with a loaded build */
#define FM_BUFFERS 16u
#define FM_BUFFER_SIZE 2048u
#define TX_FQID (FAKE_FQID_BASE + 6)
#define TX_CHANNEL (FAKE_FMAN_CHANNEL + 2)
#define OOS_FQID (FAKE_FQID_BASE + 5)
#define FM_POOL (BPID_BASE % FAKE_POOLS)

static const struct lsh_usdpaa_fm_config fm_config = { .confirm_queues = 4, .pool_buffers = FM_BUFFERS,
						       .buffer_size = FM_BUFFER_SIZE, .dma_size = DMA_SIZE };

static void fm_rig_start(struct fm_rig *r)
{
	r->ops = fake_ops(&r->k);
	r->k.fqid_base = FAKE_FQID_BASE;
	fake_qman_reset(&r->q, QMAN_INDEX, 3);
	fake_bman_reset(&r->b, 7);
	r->k.region[QMAN_CE] = r->q.ce;
	r->k.region[QMAN_CI] = r->q.ci;
	r->k.region[BMAN_CE] = r->b.ce;
	r->k.region[BMAN_CI] = r->b.ci;
	fake_qman_start(&r->qr, &r->q);
	fake_bman_start(&r->br, &r->b);
}

static void fm_rig_stop(struct fm_rig *r)
{
	fake_stop(&r->qr);
	fake_stop(&r->br);
}

static uint32_t pool_count(struct fm_rig *r)
{
	return __atomic_load_n(&r->b.pool_count[FM_POOL], __ATOMIC_ACQUIRE);
}

/* Polls the DQRR (or the MR) until n entries came or the time is up. */
static int32_t await_dequeue(struct lsh_usdpaa_fm *fm, struct lsh_qm_dqrr_entry *out, int32_t n)
{
	int32_t got = 0;

	for (int i = 0; i < 50000 && got < n; i++) {
		got += lsh_usdpaa_fm_dequeue(fm, out + got, (uint32_t)(n - got));
		if (got < n)
			usleep(100);
	}
	return got;
}

static int32_t await_messages(struct lsh_usdpaa_fm *fm, struct lsh_qm_mr_entry *out, int32_t n)
{
	int32_t got = 0;

	for (int i = 0; i < 50000 && got < n; i++) {
		int32_t rc = lsh_usdpaa_fm_messages(fm, out + got, (uint32_t)(n - got));

		CHECK(rc >= 0);
		got += rc > 0 ? rc : 0;
		if (got < n)
			usleep(100);
	}
	return got;
}

static struct lsh_qm_fd frame_in(const struct lsh_bm_buffer *b, uint32_t length)
{
	return (struct lsh_qm_fd){ .bpid = (uint8_t)be16toh(b->bpid), .addr_hi = (uint8_t)be16toh(b->addr_hi),
				   .addr_lo = b->addr_lo, .cfg = htobe32(length), .cmd = htobe32(0x10000000u) };
}

static void test_fm_open_seeds_the_pool_with_buffers_of_the_dma_region(void)
{
	static struct fm_rig r;
	struct lsh_usdpaa_fm *fm = NULL;
	uint32_t step = 99;

	fm_rig_start(&r);
	CHECK_EQ(usdpaa_fm_open_ops(&r.ops, FM_TIMEOUT_NS, &fm_config, &fm, &step), 0);
	CHECK_EQ(step, LSH_USDPAA_STEP_NONE);
	CHECK_EQ(r.k.fqids_asked, 4);
	CHECK_EQ(r.k.bpids_asked, 1);
	CHECK_EQ(lsh_usdpaa_fm_pool(fm), BPID_BASE);
	/* BMan takes each release when it comes; wait for the last */
	for (int i = 0; i < 50000 && pool_count(&r) < FM_BUFFERS; i++)
		usleep(100);
	CHECK_EQ(pool_count(&r), FM_BUFFERS);
	/* physical addresses, each a distinct buffer inside the region */
	uint64_t seen = 0;

	for (uint32_t i = 0; i < FM_BUFFERS; i++) {
		uint64_t a = r.b.pools[FM_POOL][i];

		CHECK(a >= DMA_PHYS && a + FM_BUFFER_SIZE <= DMA_PHYS + DMA_SIZE);
		CHECK_EQ((a - DMA_PHYS) % FM_BUFFER_SIZE, 0);
		seen |= 1ull << ((a - DMA_PHYS) / FM_BUFFER_SIZE);
	}
	CHECK_EQ(seen, (1ull << FM_BUFFERS) - 1);
	lsh_usdpaa_fm_close(fm);
	fm_rig_stop(&r);
	CHECK_EQ(r.b.pool_count[FM_POOL], 0);
	check_kernel_holds_nothing(&r.k);

	/* buffers that do not fit the region: refused, nothing left held */
	struct lsh_usdpaa_fm_config big = fm_config;

	big.pool_buffers = DMA_SIZE / FM_BUFFER_SIZE + 1;
	fm_rig_start(&r);
	CHECK_EQ(usdpaa_fm_open_ops(&r.ops, FM_TIMEOUT_NS, &big, &fm, &step), -EINVAL);
	CHECK_EQ(step, LSH_USDPAA_STEP_NONE);
	fm_rig_stop(&r);
	check_kernel_holds_nothing(&r.k);
}

static void test_fm_tx_frame_comes_back_on_its_confirmation_queue(void)
{
	static struct fm_rig r;
	struct lsh_usdpaa_fm *fm = NULL;
	uint32_t step;

	fm_rig_start(&r);
	CHECK_EQ(usdpaa_fm_open_ops(&r.ops, FM_TIMEOUT_NS, &fm_config, &fm, &step), 0);
	int32_t conf = lsh_usdpaa_fm_create_confirm_queue(fm, 0xC0FFEE01u);

	/* the confirmation queue: the range's first id, scheduled to the portal's dedicated channel, which
	 * the static dequeue now includes */
	CHECK_EQ(conf, FAKE_FQID_BASE);
	const struct fake_fq *cfq = &r.q.fqs[0];

	CHECK_EQ(cfq->state, LSH_QM_FQ_STATE_SCHED);
	CHECK_EQ(qm_fqd_channel(&cfq->fqd), QMAN_INDEX);
	CHECK_EQ(qm_fqd_context_b(&cfq->fqd), 0xC0FFEE01u);
	CHECK(get_reg(r.q.ci, QM_HW_REG_DQRR_SDQCR) & QM_SDQCR_CHANNELS_DEDICATED);

	/* the TX queue: the port's FQID and channel, context_b the confirmation queue, context_a dpaa_eth's */
	CHECK_EQ(lsh_usdpaa_fm_create_tx_queue(fm, TX_FQID, TX_CHANNEL, (uint32_t)conf, 0), 0);
	const struct fake_fq *tfq = &r.q.fqs[TX_FQID - FAKE_FQID_BASE];
	const struct qm_hw_mcc_initfq *cmd = (const struct qm_hw_mcc_initfq *)r.q.last_command;

	CHECK_EQ(cmd->verb & QM_MCC_VERB_MASK, QM_MCC_VERB_INITFQ_SCHED);
	CHECK_EQ(be16toh(cmd->we_mask),
		 QM_INITFQ_WE_DESTWQ | QM_INITFQ_WE_CONTEXTA | QM_INITFQ_WE_CONTEXTB | QM_INITFQ_WE_FQCTRL);
	CHECK_EQ(tfq->state, LSH_QM_FQ_STATE_SCHED);
	CHECK_EQ(qm_fqd_channel(&tfq->fqd), TX_CHANNEL);
	CHECK_EQ(qm_fqd_context_b(&tfq->fqd), (uint32_t)conf);
	CHECK_EQ(qm_fqd_context_a(&tfq->fqd), 0x1e00000080000000ull);
	CHECK_EQ(qm_fqd_taildrop(&tfq->fqd), 0);
	/* in service already: the command's FQSTATE error */
	CHECK_EQ(lsh_usdpaa_fm_create_tx_queue(fm, TX_FQID, TX_CHANNEL, (uint32_t)conf, 0), -EBUSY);

	/* a frame in a pool buffer goes out and comes back, with the confirmation queue's context_b */
	struct lsh_bm_buffer b;
	struct lsh_qm_dqrr_entry dq[2];

	CHECK_EQ(lsh_usdpaa_fm_acquire(fm, BPID_BASE, &b, 1), 0);
	struct lsh_qm_fd fd = frame_in(&b, 60);

	CHECK_EQ(lsh_usdpaa_fm_enqueue(fm, TX_FQID, &fd, 1), 1);
	CHECK_EQ(await_dequeue(fm, dq, 1), 1);
	CHECK_EQ(be32toh(dq[0].fqid) & LSH_QM_FQID_MASK, (uint32_t)conf);
	CHECK_EQ(be32toh(dq[0].context_b), 0xC0FFEE01u);
	CHECK_EQ(be32toh(dq[0].fd.addr_lo), be32toh(b.addr_lo));
	CHECK_EQ(dq[0].fd.bpid, BPID_BASE);
	CHECK_EQ(be32toh(dq[0].fd.cmd), 0);
	CHECK_EQ(r.q.transmitted, 1);
	CHECK_EQ(lsh_usdpaa_fm_release(fm, BPID_BASE, &b, 1), 0);

	/* close retires every FQ it made, and takes them out of service */
	lsh_usdpaa_fm_close(fm);
	fm_rig_stop(&r);
	CHECK_EQ(cfq->state, LSH_QM_FQ_STATE_OOS);
	CHECK_EQ(tfq->state, LSH_QM_FQ_STATE_OOS);
	CHECK_EQ(r.q.last_command[0] & QM_MCC_VERB_MASK, QM_MCC_VERB_ALTER_OOS);
	CHECK_EQ(be32toh(((const struct qm_hw_mcc_fq *)r.q.last_command)->fqid), (uint32_t)conf);
	CHECK_EQ(get_reg(r.q.ci, QM_HW_REG_DQRR_SDQCR), 0);
	CHECK_EQ(r.b.pool_count[FM_POOL], 0);
	check_kernel_holds_nothing(&r.k);
}

static void test_fm_rejection_releases_the_frames_buffer_once(void)
{
	static struct fm_rig r;
	struct lsh_usdpaa_fm *fm = NULL;
	struct lsh_qm_mr_entry mr[2];
	struct lsh_bm_buffer b[FM_BUFFERS];
	uint32_t step;

	fm_rig_start(&r);
	CHECK_EQ(usdpaa_fm_open_ops(&r.ops, FM_TIMEOUT_NS, &fm_config, &fm, &step), 0);
	for (uint32_t i = 0; i < FM_BUFFERS; i += 8)
		CHECK_EQ(lsh_usdpaa_fm_acquire(fm, BPID_BASE, b + i, 8), 0);
	/* all or none: an empty pool gives nothing */
	CHECK_EQ(lsh_usdpaa_fm_acquire(fm, BPID_BASE, b, 1), -ENOMEM);
	CHECK_EQ(pool_count(&r), 0);
	uint32_t releases = r.b.releases;
	struct lsh_qm_fd fd = frame_in(&b[3], 100);

	/* an FQ out of service rejects: the ERN carries the descriptor, whose buffer goes back to its pool */
	CHECK_EQ(lsh_usdpaa_fm_enqueue(fm, OOS_FQID, &fd, 1), 1);
	CHECK_EQ(await_messages(fm, mr, 1), 1);
	CHECK_EQ(mr[0].verb & LSH_QM_MR_VERB_TYPE_MASK, LSH_QM_MR_VERB_ERN);
	CHECK_EQ(mr[0].rc & LSH_MR_RC_MASK, LSH_MR_RC_ERROR);
	CHECK_EQ(be32toh(mr[0].fqid) & LSH_QM_FQID_MASK, OOS_FQID);
	for (int i = 0; i < 50000 && pool_count(&r) < 1; i++)
		usleep(100);
	CHECK_EQ(pool_count(&r), 1);
	CHECK_EQ(r.b.pools[FM_POOL][0], (uint64_t)be16toh(b[3].addr_hi) << 32 | be32toh(b[3].addr_lo));
	/* once: the message is gone, nothing more is released */
	CHECK_EQ(await_messages(fm, mr, 1), 0);
	CHECK_EQ(r.b.releases, releases + 1);
	CHECK_EQ(pool_count(&r), 1);
	lsh_usdpaa_fm_close(fm);
	fm_rig_stop(&r);
	check_kernel_holds_nothing(&r.k);
}

void test_usdpaa_open_path(void)
{
	test_the_ioctl_structs_are_those_of_fsl_usdpaa_h();
	test_open_maps_both_portals_and_hands_their_rings_to_the_driver();
	test_the_dma_region_is_mapped_by_the_kernel_and_translates_to_its_physical_address();
	test_the_wait_for_portal_work_sleeps_on_the_interrupt_descriptor();
	test_each_failing_step_reports_its_errno_and_leaves_nothing_held();
	test_the_probe_here_says_which_step_failed();
	test_fm_open_seeds_the_pool_with_buffers_of_the_dma_region();
	test_fm_tx_frame_comes_back_on_its_confirmation_queue();
	test_fm_rejection_releases_the_frames_buffer_once();
}
