/* SPDX-License-Identifier: Apache-2.0 */
/* The usdpaa backend's open path (usdpaa.h): each step one call through the ops table, every failure
 * its errno and its step, and one cleanup (usdpaa_close) for the failure path and the close alike. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "usdpaa.h"

/* The arm64 layouts of include/linux/fsl_usdpaa.h, so a cross-build for the board checks them too. */
_Static_assert(sizeof(struct usdpaa_id_alloc) == 20, "usdpaa_ioctl_id_alloc is 20 bytes");
_Static_assert(sizeof(struct usdpaa_id_release) == 12, "usdpaa_ioctl_id_release is 12 bytes");
_Static_assert(sizeof(struct usdpaa_raw_portal) == 48, "usdpaa_ioctl_raw_portal is 48 bytes");
_Static_assert(sizeof(struct usdpaa_irq_map) == 16, "usdpaa_ioctl_irq_map is 16 bytes");
_Static_assert(sizeof(struct usdpaa_dma_map) == 56, "usdpaa_ioctl_dma_map is 56 bytes");
_Static_assert(offsetof(struct usdpaa_dma_map, name) == 28, "usdpaa_ioctl_dma_map.name at 28");
_Static_assert(offsetof(struct usdpaa_dma_map, did_create) == 48, "usdpaa_ioctl_dma_map.did_create at 48");

static int sys_open(void *ctx, const char *path, int flags)
{
	(void)ctx;
	int fd = open(path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int sys_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd) < 0 ? -errno : 0;
}

static int sys_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
	(void)ctx;
	return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

static int sys_mmap(void *ctx, int fd, uint64_t offset, size_t length, int prot, void **addr)
{
	(void)ctx;
	void *p = mmap(NULL, length, prot, MAP_SHARED, fd, (off_t)offset);

	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

static int sys_munmap(void *ctx, void *addr, size_t length)
{
	(void)ctx;
	return munmap(addr, length) < 0 ? -errno : 0;
}

static int sys_poll(void *ctx, int fd, int timeout_ms, short *revents)
{
	(void)ctx;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	*revents = p.revents;
	return n;
}

static int sys_read(void *ctx, int fd, void *buf, size_t length)
{
	(void)ctx;
	ssize_t n = read(fd, buf, length);

	return n < 0 ? -errno : (int)n;
}

const struct usdpaa_ops usdpaa_system_ops = {
	.open = sys_open, .close = sys_close, .ioctl = sys_ioctl, .mmap = sys_mmap, .munmap = sys_munmap,
	.poll = sys_poll, .read = sys_read,
};

/* The portal's cache-inhibited registers are big-endian 32-bit words. */
static uint32_t reg_in(const struct usdpaa_portal *p, uint32_t reg)
{
	return be32toh(__atomic_load_n((const uint32_t *)(p->ci + reg), __ATOMIC_ACQUIRE));
}

static void reg_out(const struct usdpaa_portal *p, uint32_t reg, uint32_t value)
{
	__atomic_store_n((uint32_t *)(p->ci + reg), htobe32(value), __ATOMIC_RELEASE);
}

static int alloc_ids(struct usdpaa *u, uint32_t id_type, uint32_t num, uint32_t *base, uint32_t *count)
{
	struct usdpaa_id_alloc a = { .id_type = id_type, .num = num, .align = 0, .partial = 0 };
	int rc = u->ops->ioctl(u->ops->ctx, u->fd, USDPAA_IOCTL_ID_ALLOC, &a);

	if (rc == 0) {
		*base = a.base;
		*count = a.num;
	}
	return rc;
}

static void release_ids(struct usdpaa *u, uint32_t id_type, uint32_t base, uint32_t *count)
{
	if (*count == 0)
		return;
	struct usdpaa_id_release r = { .id_type = id_type, .base = base, .num = *count };

	u->ops->ioctl(u->ops->ctx, u->fd, USDPAA_IOCTL_ID_RELEASE, &r);
	*count = 0;
}

/* A raw portal (ALLOC_RAW_PORTAL, any free one, no stashing), then its two regions mapped at the
 * physical addresses the kernel gave, cache-enabled first. Fails with the step of the call that failed. */
static int get_portal(struct usdpaa *u, uint32_t type, struct usdpaa_portal *p, uint32_t first_step,
		      uint32_t *failed_step)
{
	struct usdpaa_raw_portal raw = { .type = type, .index = USDPAA_ANY_PORTAL };
	int rc = u->ops->ioctl(u->ops->ctx, u->fd, USDPAA_IOCTL_ALLOC_RAW_PORTAL, &raw);
	void *ce = NULL, *ci = NULL;

	if (rc < 0) {
		*failed_step = first_step;
		return rc;
	}
	*p = (struct usdpaa_portal){ .held = 1, .index = raw.index, .ce_phys = raw.cena, .ci_phys = raw.cinh };
	rc = u->ops->mmap(u->ops->ctx, u->fd, raw.cena, USDPAA_PORTAL_CE_SIZE, PROT_READ | PROT_WRITE, &ce);
	if (rc < 0) {
		*failed_step = first_step + 1;
		return rc;
	}
	p->ce = ce;
	rc = u->ops->mmap(u->ops->ctx, u->fd, raw.cinh, USDPAA_PORTAL_CI_SIZE, PROT_READ | PROT_WRITE, &ci);
	if (rc < 0) {
		*failed_step = first_step + 2;
		return rc;
	}
	p->ci = ci;
	return 0;
}

static void put_portal(struct usdpaa *u, uint32_t type, struct usdpaa_portal *p)
{
	if (p->ci)
		u->ops->munmap(u->ops->ctx, p->ci, USDPAA_PORTAL_CI_SIZE);
	if (p->ce)
		u->ops->munmap(u->ops->ctx, p->ce, USDPAA_PORTAL_CE_SIZE);
	if (p->held) {
		struct usdpaa_raw_portal raw = { .type = type, .index = p->index, .cinh = p->ci_phys,
						 .cena = p->ce_phys };

		u->ops->ioctl(u->ops->ctx, u->fd, USDPAA_IOCTL_FREE_RAW_PORTAL, &raw);
	}
	*p = (struct usdpaa_portal){ 0 };
}

/* The portal interrupt: a /dev/fsl-usdpaa-irq descriptor bound to the QMan portal (by its mapped
 * cache-inhibited region), which a poller waits on for the portal's interrupt. */
static int map_irq(struct usdpaa *u, uint32_t *failed_step)
{
	int fd = u->ops->open(u->ops->ctx, USDPAA_IRQ_DEVICE, O_RDONLY);

	if (fd < 0) {
		*failed_step = LSH_USDPAA_STEP_OPEN_IRQ;
		return fd;
	}
	u->irq_fd = fd;
	struct usdpaa_irq_map m = { .type = USDPAA_PORTAL_QMAN, .fd = u->fd, .portal_cinh = u->qman.ci };
	int rc = u->ops->ioctl(u->ops->ctx, u->irq_fd, USDPAA_IOCTL_PORTAL_IRQ_MAP, &m);

	if (rc < 0) {
		*failed_step = LSH_USDPAA_STEP_IRQ_MAP;
		return rc;
	}
	/* The sources the portal interrupts for; whatever a previous user left raised is stale. */
	reg_out(&u->qman, QM_HW_REG_ISR, reg_in(&u->qman, QM_HW_REG_ISR));
	reg_out(&u->qman, QM_HW_REG_IER, USDPAA_QM_PIRQ_SOURCES);
	return 0;
}

/* The length rule of USDPAA_IOCTL_DMA_MAP: a power-of-4 multiple of the page size. */
static int dma_size_valid(uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), pages = size / page;

	return size % page == 0 && pages != 0 && (pages & (pages - 1)) == 0 && __builtin_ctzll(pages) % 2 == 0;
}

/* A private DMA region: the kernel finds physically contiguous memory in its reservation and maps it
 * here in the same call. */
static int map_dma(struct usdpaa *u, uint64_t size, uint32_t *failed_step)
{
	struct usdpaa_dma_map m = { .len = size, .flags = 0 };
	int rc = dma_size_valid(size) ? u->ops->ioctl(u->ops->ctx, u->fd, USDPAA_IOCTL_DMA_MAP, &m) : -EINVAL;

	if (rc < 0) {
		*failed_step = LSH_USDPAA_STEP_DMA_MAP;
		return rc;
	}
	u->dma = (struct usdpaa_dma){ .virt = m.ptr, .phys = m.phys_addr, .size = size };
	return 0;
}

static int open_steps(struct usdpaa *u, const struct usdpaa_request *request, uint32_t *failed_step)
{
	int fd = u->ops->open(u->ops->ctx, USDPAA_DEVICE, O_RDWR);
	int rc;

	if (fd < 0) {
		*failed_step = LSH_USDPAA_STEP_OPEN_DEVICE;
		return fd;
	}
	u->fd = fd;
	rc = alloc_ids(u, USDPAA_ID_FQID, request->fqids, &u->fqid_base, &u->fqid_count);
	if (rc < 0) {
		*failed_step = LSH_USDPAA_STEP_ALLOC_FQIDS;
		return rc;
	}
	rc = alloc_ids(u, USDPAA_ID_BPID, request->bpids, &u->bpid_base, &u->bpid_count);
	if (rc < 0) {
		*failed_step = LSH_USDPAA_STEP_ALLOC_BPIDS;
		return rc;
	}
	rc = get_portal(u, USDPAA_PORTAL_QMAN, &u->qman, LSH_USDPAA_STEP_QMAN_PORTAL, failed_step);
	if (rc < 0)
		return rc;
	rc = get_portal(u, USDPAA_PORTAL_BMAN, &u->bman, LSH_USDPAA_STEP_BMAN_PORTAL, failed_step);
	if (rc < 0)
		return rc;
	/* The driver takes both portals over (interrupts off) before map_irq enables the sources waited for. */
	qm_hw_portal_init(&u->qm, u->qman.ce, u->qman.ci, QM_MCR_TIMEOUT_NS);
	bm_hw_portal_init(&u->bm, u->bman.ce, u->bman.ci, BM_MCR_TIMEOUT_NS);
	rc = map_irq(u, failed_step);
	if (rc < 0)
		return rc;
	return map_dma(u, request->dma_size, failed_step);
}

int usdpaa_open(struct usdpaa *u, const struct usdpaa_ops *ops, const struct usdpaa_request *request,
		uint32_t *failed_step)
{
	*u = (struct usdpaa){ .ops = ops, .fd = -1, .irq_fd = -1 };
	*failed_step = LSH_USDPAA_STEP_NONE;
	int rc = open_steps(u, request, failed_step);

	if (rc < 0) {
		usdpaa_close(u);
		return rc;
	}
	return 0;
}

void usdpaa_close(struct usdpaa *u)
{
	if (u->dma.virt)
		u->ops->ioctl(u->ops->ctx, u->fd, USDPAA_IOCTL_DMA_UNMAP, u->dma.virt);
	u->dma = (struct usdpaa_dma){ 0 };
	if (u->irq_fd >= 0 && u->qman.ci)
		reg_out(&u->qman, QM_HW_REG_IER, 0);
	if (u->irq_fd >= 0)
		u->ops->close(u->ops->ctx, u->irq_fd);
	u->irq_fd = -1;
	put_portal(u, USDPAA_PORTAL_BMAN, &u->bman);
	put_portal(u, USDPAA_PORTAL_QMAN, &u->qman);
	if (u->fd >= 0) {
		release_ids(u, USDPAA_ID_BPID, u->bpid_base, &u->bpid_count);
		release_ids(u, USDPAA_ID_FQID, u->fqid_base, &u->fqid_count);
		u->ops->close(u->ops->ctx, u->fd);
	}
	u->fd = -1;
	u->qm = (struct qm_hw_portal){ 0 };
	u->bm = (struct bm_hw_portal){ 0 };
}

int32_t lsh_usdpaa_probe(struct lsh_usdpaa_probe *out)
{
	if (!out)
		return -EINVAL;
	struct usdpaa u;
	const struct usdpaa_request request = { .fqids = 1, .bpids = 1, .dma_size = USDPAA_PROBE_DMA_SIZE };
	uint32_t step;
	int rc = usdpaa_open(&u, &usdpaa_system_ops, &request, &step);

	*out = (struct lsh_usdpaa_probe){ .error = rc, .step = step };
	if (rc == 0) {
		out->qman_portal = u.qman.index;
		out->bman_portal = u.bman.index;
		out->fqid_base = u.fqid_base;
		out->bpid_base = u.bpid_base;
		out->dma_size = u.dma.size;
		out->dma_phys = u.dma.phys;
		usdpaa_close(&u);
	}
	return rc;
}

const char *lsh_usdpaa_step_name(uint32_t step)
{
	static const char *const names[] = {
		[LSH_USDPAA_STEP_NONE] = "none",
		[LSH_USDPAA_STEP_OPEN_DEVICE] = "open " USDPAA_DEVICE,
		[LSH_USDPAA_STEP_ALLOC_FQIDS] = "USDPAA_IOCTL_ID_ALLOC (frame-queue ids)",
		[LSH_USDPAA_STEP_ALLOC_BPIDS] = "USDPAA_IOCTL_ID_ALLOC (buffer-pool ids)",
		[LSH_USDPAA_STEP_QMAN_PORTAL] = "USDPAA_IOCTL_ALLOC_RAW_PORTAL (QMan)",
		[LSH_USDPAA_STEP_QMAN_MAP_CE] = "mmap of the QMan portal's cache-enabled region",
		[LSH_USDPAA_STEP_QMAN_MAP_CI] = "mmap of the QMan portal's cache-inhibited region",
		[LSH_USDPAA_STEP_BMAN_PORTAL] = "USDPAA_IOCTL_ALLOC_RAW_PORTAL (BMan)",
		[LSH_USDPAA_STEP_BMAN_MAP_CE] = "mmap of the BMan portal's cache-enabled region",
		[LSH_USDPAA_STEP_BMAN_MAP_CI] = "mmap of the BMan portal's cache-inhibited region",
		[LSH_USDPAA_STEP_OPEN_IRQ] = "open " USDPAA_IRQ_DEVICE,
		[LSH_USDPAA_STEP_IRQ_MAP] = "USDPAA_IOCTL_PORTAL_IRQ_MAP (QMan portal interrupt)",
		[LSH_USDPAA_STEP_DMA_MAP] = "USDPAA_IOCTL_DMA_MAP (DMA region)",
	};

	return step < sizeof(names) / sizeof(names[0]) ? names[step] : "unknown step";
}

int usdpaa_dma_region(const struct usdpaa *u, struct usdpaa_dma *out)
{
	if (!u->dma.virt)
		return -ENXIO;
	*out = u->dma;
	return 0;
}

int usdpaa_dma_phys(const struct usdpaa *u, const void *p, uint64_t length, uint64_t *phys)
{
	uintptr_t start = (uintptr_t)u->dma.virt, at = (uintptr_t)p;

	if (!u->dma.virt || at < start || at - start > u->dma.size || length > u->dma.size - (at - start))
		return -ERANGE;
	*phys = u->dma.phys + (at - start);
	return 0;
}

/* Clears the sources the portal raised (write 1 to clear) and returns them. */
static uint32_t take_sources(const struct usdpaa *u)
{
	uint32_t raised = reg_in(&u->qman, QM_HW_REG_ISR) & USDPAA_QM_PIRQ_SOURCES;

	if (raised)
		reg_out(&u->qman, QM_HW_REG_ISR, raised);
	return raised;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int usdpaa_wait_portal_work(struct usdpaa *u, int timeout_ms, uint32_t *sources)
{
	*sources = take_sources(u);
	if (*sources)
		return 0;
	reg_out(&u->qman, QM_HW_REG_IIR, 0);
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	short revents = 0;
	int rc;

	for (;;) {
		int left = deadline < 0 ? -1 : (int)(deadline > now_ms() ? deadline - now_ms() : 0);

		rc = u->ops->poll(u->ops->ctx, u->irq_fd, left, &revents);
		if (rc != -EINTR)
			break;
	}
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ETIMEDOUT;
	if (revents & POLLNVAL)
		return -EBADF;
	usdpaa_irq_count count;

	rc = u->ops->read(u->ops->ctx, u->irq_fd, &count, sizeof(count));
	if (rc < 0)
		return rc;
	if (rc != (int)sizeof(count))
		return -EPROTO;
	u->irq_count = count;
	*sources = take_sources(u);
	return 0;
}
