/* SPDX-License-Identifier: Apache-2.0 */
/* The usdpaa backend's open path (usdpaa.h): each step one call through the ops table, every failure
 * its errno and its step, and one cleanup (usdpaa_close) for the failure path and the close alike. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "usdpaa.h"
#include "usdpaa_abi.h"

/* The arm64 layouts of include/linux/fsl_usdpaa.h, so a cross-build for the board checks them too. */
_Static_assert(sizeof(struct usdpaa_id_alloc) == 20, "usdpaa_ioctl_id_alloc is 20 bytes");
_Static_assert(sizeof(struct usdpaa_id_release) == 12, "usdpaa_ioctl_id_release is 12 bytes");
_Static_assert(sizeof(struct usdpaa_raw_portal) == 48, "usdpaa_ioctl_raw_portal is 48 bytes");
_Static_assert(sizeof(struct usdpaa_irq_map) == 16, "usdpaa_ioctl_irq_map is 16 bytes");

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

const struct usdpaa_ops usdpaa_system_ops = {
	.open = sys_open, .close = sys_close, .ioctl = sys_ioctl, .mmap = sys_mmap, .munmap = sys_munmap,
};

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

	if (rc < 0)
		*failed_step = LSH_USDPAA_STEP_IRQ_MAP;
	return rc;
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
	return map_irq(u, failed_step);
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
	qm_hw_portal_init(&u->qm, u->qman.ce, u->qman.ci, QM_MCR_TIMEOUT_NS);
	bm_hw_portal_init(&u->bm, u->bman.ce, u->bman.ci, BM_MCR_TIMEOUT_NS);
	return 0;
}

void usdpaa_close(struct usdpaa *u)
{
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
	const struct usdpaa_request request = { .fqids = 1, .bpids = 1 };
	uint32_t step;
	int rc = usdpaa_open(&u, &usdpaa_system_ops, &request, &step);

	*out = (struct lsh_usdpaa_probe){ .error = rc, .step = step };
	if (rc == 0) {
		out->qman_portal = u.qman.index;
		out->bman_portal = u.bman.index;
		out->fqid_base = u.fqid_base;
		out->bpid_base = u.bpid_base;
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
	};

	return step < sizeof(names) / sizeof(names[0]) ? names[step] : "unknown step";
}
