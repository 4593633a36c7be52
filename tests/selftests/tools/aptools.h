/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the user-space test programs: one-write sysfs
 * access with the errno as result, opening an mdev's VFIO device the way
 * current QEMU (cdev and iommufd) or QEMU 7.2 (group and container) does,
 * a guest's instructions in the simulated machine, the masks
 * as the kernel prints them, and a small reproducible random generator.
 */
#ifndef _APTOOLS_H
#define _APTOOLS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Write @len bytes of @buf to @path in one write(2): 0 or the errno. */
static inline int ap_write_n(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

/* Write @text and a newline, as echo does: 0 or the errno. */
static inline int ap_write(const char *path, const char *text)
{
	char buf[1024];
	size_t len = strlen(text);

	if (len + 1 >= sizeof(buf))
		return E2BIG;
	memcpy(buf, text, len);
	buf[len++] = '\n';
	return ap_write_n(path, buf, len);
}

/* Read @path into @buf (NUL-terminated): 0 or the errno. */
static inline int ap_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	while (got + 1 < size && (n = read(fd, buf + got, size - got - 1)) > 0)
		got += n;
	buf[got] = '\0';
	n = n < 0 ? errno : 0;
	close(fd);
	return n;
}

/*
 * The machine's number of the guest context of mdev @uuid's running guest,
 * from vfio_ap's debugfs ("context N"), or -1 if no guest runs.
 */
static inline int ap_guest_context(const char *uuid)
{
	char path[256], buf[128];
	unsigned int id;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vfio_ap/%s/guest",
		 uuid);
	if (ap_read(path, buf, sizeof(buf)) ||
	    sscanf(buf, "context %u", &id) != 1)
		return -1;
	return id;
}

/*
 * One request of the simulated machine's instr file ("GUEST INSTR ...");
 * @answer receives its answer line, without the newline. 0 or the errno.
 */
static inline int ap_sim_instr(const char *req, char *answer, size_t size)
{
	ssize_t n = 0;
	int fd, err = 0;

	answer[0] = '\0';
	fd = open("/sys/kernel/debug/ap_sim/instr", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		err = errno ? errno : EIO;
	else
		n = pread(fd, answer, size - 1, 0);
	if (!err && n < 0)
		err = errno;
	close(fd);
	if (err)
		return err;
	answer[n] = '\0';
	answer[strcspn(answer, "\n")] = '\0';
	return 0;
}

/*
 * A mask as the kernel prints it, "0x" and 64 hex digits in MSB0 order
 * (digit i holds ids 4i to 4i + 3), into @bits[256]. 0, or -1 if
 * malformed.
 */
static inline int ap_mask_bits(const char *text, bool *bits)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i, b, v;
	const char *d;

	if (strncmp(text, "0x", 2) || strlen(text) != 2 + 64)
		return -1;
	for (i = 0; i < 64; i++) {
		d = strchr(digits, text[2 + i]);
		if (!d || !*d)
			return -1;
		v = d - digits;
		for (b = 0; b < 4; b++)
			bits[4 * i + b] = v & (8 >> b);
	}
	return 0;
}

/*
 * The guest's RAM: QEMU maps all of it for DMA, at IOVA 0, through the
 * IOAS (cdev flow) or the container (group flow); an anonymous mapping
 * of this size stands for it. The guest's notification bytes live there.
 */
#define AP_VFIO_RAM_SIZE	(4UL << 20)

/**
 * struct ap_vfio - an mdev's VFIO device, opened as QEMU opens it
 * @dev: the device's file descriptor
 * @iommufd: the iommufd the device's cdev is bound to (cdev flow), or -1
 * @group: the VFIO group, /dev/vfio/N (group flow), or -1
 * @container: the VFIO container, /dev/vfio/vfio (group flow), or -1
 * @attached: the group is set to the container (group flow)
 * @ioas: the IOAS the device is attached to (cdev flow)
 * @ram: the guest's RAM, mapped for DMA at IOVA 0 if @mapped
 * @mapped: @ram is mapped through the IOAS or the container
 * @step: after a failed open, the step that failed
 *
 * ap_vfio_open() opens it as current QEMU does (the device's cdev and an
 * iommufd), ap_vfio_open_group() as QEMU 7.2 does (the VFIO group and a
 * container); ap_vfio_close() undoes either.
 */
struct ap_vfio {
	int dev;
	int iommufd;
	int group;
	int container;
	bool attached;
	uint32_t ioas;
	void *ram;
	bool mapped;
	const char *step;
};

/* The path of the mdev's VFIO cdev, /dev/vfio/devices/vfioN. */
static inline int ap_vfio_cdev_path(const char *uuid, char *path, size_t size)
{
	struct dirent *d;
	DIR *dir;
	int rc = -1;

	snprintf(path, size, "/sys/bus/mdev/devices/%s/vfio-dev", uuid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, "vfio", 4))
			continue;
		snprintf(path, size, "/dev/vfio/devices/%s", d->d_name);
		rc = 0;
		break;
	}
	closedir(dir);
	return rc;
}

static inline void ap_vfio_init(struct ap_vfio *v)
{
	*v = (struct ap_vfio){ .dev = -1, .iommufd = -1, .group = -1,
			       .container = -1, .ram = MAP_FAILED };
}

/*
 * Unmap the guest's RAM for DMA (as QEMU does when a memory region goes
 * away), through the IOAS or the container. Return: 0 or an errno.
 */
static inline int ap_vfio_unmap(struct ap_vfio *v)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.size = AP_VFIO_RAM_SIZE,
	};
	struct iommu_ioas_unmap ioas_unmap = {
		.size = sizeof(ioas_unmap),
		.ioas_id = v->ioas,
		.length = AP_VFIO_RAM_SIZE,
	};
	int rc;

	if (v->iommufd >= 0)
		rc = ioctl(v->iommufd, IOMMU_IOAS_UNMAP, &ioas_unmap);
	else
		rc = ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
	if (rc)
		return errno;
	v->mapped = false;
	return 0;
}

/*
 * Undo what ap_vfio_open() or ap_vfio_open_group() did, in QEMU's order:
 * close the device; then unmap the guest's RAM; in the group flow unset
 * the group's container, close the container and the group.
 */
static inline void ap_vfio_close(struct ap_vfio *v)
{
	if (v->dev >= 0)
		close(v->dev);
	if (v->mapped)
		ap_vfio_unmap(v);
	if (v->iommufd >= 0)
		close(v->iommufd);
	if (v->attached)
		ioctl(v->group, VFIO_GROUP_UNSET_CONTAINER, &v->container);
	if (v->container >= 0)
		close(v->container);
	if (v->group >= 0)
		close(v->group);
	if (v->ram != MAP_FAILED)
		munmap(v->ram, AP_VFIO_RAM_SIZE);
	ap_vfio_init(v);
}

/*
 * Record that @step failed with @err (an errno), undo the steps before it
 * and return @err.
 */
static inline int ap_vfio_fail(struct ap_vfio *v, const char *step, int err)
{
	ap_vfio_close(v);
	v->step = step;
	return err;
}

/*
 * Open the device as current QEMU does: the device's cdev, bound to a new
 * iommufd and attached to an IOAS, the guest's RAM mapped into the IOAS;
 * the guest starts using the mdev.
 * Return: 0 or an errno, with the failed step in @v->step.
 */
static inline int ap_vfio_open(const char *uuid, struct ap_vfio *v)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.length = AP_VFIO_RAM_SIZE,
	};
	char path[512];

	ap_vfio_init(v);
	v->iommufd = open("/dev/iommu", O_RDWR);
	if (v->iommufd < 0)
		return ap_vfio_fail(v, "open /dev/iommu", errno);
	if (ap_vfio_cdev_path(uuid, path, sizeof(path)))
		return ap_vfio_fail(v, "find the device's cdev", ENOENT);
	v->dev = open(path, O_RDWR);
	if (v->dev < 0)
		return ap_vfio_fail(v, "open the device's cdev", errno);
	bind.iommufd = v->iommufd;
	if (ioctl(v->dev, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return ap_vfio_fail(v, "VFIO_DEVICE_BIND_IOMMUFD", errno);
	if (ioctl(v->iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return ap_vfio_fail(v, "IOMMU_IOAS_ALLOC", errno);
	attach.pt_id = alloc.out_ioas_id;
	v->ioas = alloc.out_ioas_id;
	if (ioctl(v->dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		return ap_vfio_fail(v, "VFIO_DEVICE_ATTACH_IOMMUFD_PT", errno);
	v->ram = mmap(NULL, AP_VFIO_RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED)
		return ap_vfio_fail(v, "mmap the guest's RAM", errno);
	map.ioas_id = v->ioas;
	map.user_va = (uintptr_t)v->ram;
	if (ioctl(v->iommufd, IOMMU_IOAS_MAP, &map))
		return ap_vfio_fail(v, "IOMMU_IOAS_MAP", errno);
	v->mapped = true;
	return 0;
}

/* The path of the mdev's VFIO group, /dev/vfio/N from its iommu_group. */
static inline int ap_vfio_group_path(const char *uuid, char *path,
				     size_t size)
{
	char link[256], target[256];
	const char *name;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return errno;
	target[n] = '\0';
	name = strrchr(target, '/');
	snprintf(path, size, "/dev/vfio/%s", name ? name + 1 : target);
	return 0;
}

/*
 * Open the device as QEMU 7.2 does (hw/vfio/ap.c, hw/vfio/common.c): the
 * mdev's VFIO group (it must be viable), a new container with the first
 * IOMMU type it offers of type1v2 and type1, the guest's RAM mapped for
 * DMA, and then the device from the group; the guest starts using the
 * mdev. Return: 0 or an errno, with the failed step in @v->step.
 */
static inline int ap_vfio_open_group(const char *uuid, struct ap_vfio *v)
{
	static const unsigned long types[] = {
		VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU,
	};
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.size = AP_VFIO_RAM_SIZE,
	};
	union {
		struct vfio_iommu_type1_info info;
		char caps[4096];
	} u = { .info.argsz = sizeof(u.info) };
	unsigned int i;
	char path[300];
	int err, rc;

	ap_vfio_init(v);
	err = ap_vfio_group_path(uuid, path, sizeof(path));
	if (err)
		return ap_vfio_fail(v, "read the mdev's iommu_group link", err);
	v->group = open(path, O_RDWR);
	if (v->group < 0)
		return ap_vfio_fail(v, "open /dev/vfio/GROUP", errno);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &status))
		return ap_vfio_fail(v, "VFIO_GROUP_GET_STATUS", errno);
	/* QEMU gives up on a group that is not viable; it has no errno. */
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return ap_vfio_fail(v, "VFIO_GROUP_GET_STATUS: not viable",
				    EINVAL);
	v->container = open("/dev/vfio/vfio", O_RDWR);
	if (v->container < 0)
		return ap_vfio_fail(v, "open /dev/vfio/vfio", errno);
	rc = ioctl(v->container, VFIO_GET_API_VERSION);
	if (rc != VFIO_API_VERSION)
		return ap_vfio_fail(v, "VFIO_GET_API_VERSION",
				    rc < 0 ? errno : EINVAL);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (ioctl(v->container, VFIO_CHECK_EXTENSION, types[i]) > 0)
			break;
	if (i == ARRAY_SIZE(types))
		return ap_vfio_fail(v, "VFIO_CHECK_EXTENSION", EINVAL);
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		return ap_vfio_fail(v, "VFIO_GROUP_SET_CONTAINER", errno);
	v->attached = true;
	if (ioctl(v->container, VFIO_SET_IOMMU, types[i]))
		return ap_vfio_fail(v, "VFIO_SET_IOMMU", errno);
	/* Asked again with the size it answers, as QEMU does, for the caps. */
	if (ioctl(v->container, VFIO_IOMMU_GET_INFO, &u.info) ||
	    (u.info.argsz > sizeof(u.info) && u.info.argsz <= sizeof(u) &&
	     ioctl(v->container, VFIO_IOMMU_GET_INFO, &u.info)))
		return ap_vfio_fail(v, "VFIO_IOMMU_GET_INFO", errno);
	v->ram = mmap(NULL, AP_VFIO_RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED)
		return ap_vfio_fail(v, "mmap the guest's RAM", errno);
	map.vaddr = (uintptr_t)v->ram;
	if (ioctl(v->container, VFIO_IOMMU_MAP_DMA, &map))
		return ap_vfio_fail(v, "VFIO_IOMMU_MAP_DMA", errno);
	v->mapped = true;
	v->dev = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (v->dev < 0)
		return ap_vfio_fail(v, "VFIO_GROUP_GET_DEVICE_FD", errno);
	return 0;
}

/**
 * struct ap_vm - a VM: a process of its own that holds an mdev's device
 * @pid: the process
 * @cmd: where its commands go (closing it stops the VM)
 * @ans: where its answers come from
 *
 * A VM uses one mdev (vfio_ap refuses a second one in the same VM with
 * EPERM, and with the simulated machine a VM is a process, as a QEMU
 * process is one); a test that runs several guests at once runs each as
 * a VM. ap_vm_start() opens the device in a new process and returns the
 * open's errno; ap_vm_reset() has the VM reset it, ap_vm_irq() enable or
 * disable a queue's interrupts (its guest's AQIC); ap_vm_stop() has it
 * close the device and waits until it is gone.
 */
struct ap_vm {
	pid_t pid;
	int cmd;
	int ans;
};

/*
 * The guest's PQAP(AQIC) on queue @apqn, enabling (ISC 3, notification
 * byte at 0x1000 + the queue's number in its RAM) or disabling its
 * interrupts. Return: 0 or the errno of the machine's instr file.
 */
static inline int ap_vm_aqic(const char *uuid, unsigned int apqn, bool on)
{
	char req[96], answer[64];
	int ctx = ap_guest_context(uuid);

	/* Without a context (-1) the machine refuses the request. */
	if (on)
		snprintf(req, sizeof(req), "%d aqic %02x.%04x on 3 %u", ctx,
			 apqn >> 8, apqn & 0xff, 0x1000 + (apqn & 0xffff));
	else
		snprintf(req, sizeof(req), "%d aqic %02x.%04x off", ctx,
			 apqn >> 8, apqn & 0xff);
	return ap_sim_instr(req, answer, sizeof(answer));
}

/*
 * The VM's side: open, answer, then serve commands until told to stop:
 * "r" resets the device, "i" and three bytes (APQN high, low, on) issue
 * the guest's AQIC; each is answered with an errno.
 */
static inline void ap_vm_serve(const char *uuid, bool group, int cmd, int ans)
{
	unsigned char c[4];
	struct ap_vfio v;
	int err;

	err = group ? ap_vfio_open_group(uuid, &v) : ap_vfio_open(uuid, &v);
	if (write(ans, &err, sizeof(err)) != sizeof(err) || err)
		_exit(0);
	while (read(cmd, c, 1) == 1) {
		if (c[0] == 'i' && read(cmd, c + 1, 3) == 3)
			err = ap_vm_aqic(uuid, c[1] << 8 | c[2], c[3]);
		else
			err = ioctl(v.dev, VFIO_DEVICE_RESET) ? errno : 0;
		if (write(ans, &err, sizeof(err)) != sizeof(err))
			break;
	}
	ap_vfio_close(&v);
	_exit(0);
}

static inline int ap_vm_start(const char *uuid, bool group, struct ap_vm *vm)
{
	int to[2], from[2], err = EIO, fd;

	if (pipe(to))
		return errno;
	if (pipe(from)) {
		err = errno;
		close(to[0]);
		close(to[1]);
		return err;
	}

	vm->pid = fork();
	if (vm->pid == 0) {
		/* Nothing of the other VMs: their pipes must see their end. */
		for (fd = 3; fd < 1024; fd++)
			if (fd != to[0] && fd != from[1])
				close(fd);
		ap_vm_serve(uuid, group, to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	vm->cmd = to[1];
	vm->ans = from[0];
	if (vm->pid < 0 || read(vm->ans, &err, sizeof(err)) != sizeof(err))
		err = vm->pid < 0 ? errno : EIO;
	if (err) {
		close(vm->cmd);
		close(vm->ans);
		if (vm->pid > 0)
			waitpid(vm->pid, NULL, 0);
		vm->pid = -1;
	}
	return err;
}

static inline int ap_vm_reset(struct ap_vm *vm)
{
	int err;

	if (write(vm->cmd, "r", 1) != 1 ||
	    read(vm->ans, &err, sizeof(err)) != sizeof(err))
		err = EPIPE;
	return err;
}

static inline int ap_vm_irq(struct ap_vm *vm, unsigned int apqn, bool on)
{
	unsigned char c[4] = { 'i', apqn >> 8, apqn & 0xff, on };
	int err;

	if (write(vm->cmd, c, sizeof(c)) != sizeof(c) ||
	    read(vm->ans, &err, sizeof(err)) != sizeof(err))
		err = EPIPE;
	return err;
}

static inline void ap_vm_stop(struct ap_vm *vm)
{
	if (vm->pid <= 0)
		return;
	close(vm->cmd);
	waitpid(vm->pid, NULL, 0);
	close(vm->ans);
	vm->pid = -1;
}

/* xorshift64*: reproducible for a seed, good enough for test inputs. */
static inline uint64_t ap_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A random number below @n. */
static inline unsigned int ap_rand_below(uint64_t *state, unsigned int n)
{
	return n ? (unsigned int)(ap_rand(state) >> 33) % n : 0;
}

#endif /* _APTOOLS_H */
