/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the user-space test programs: one-write sysfs
 * access with the errno as result, opening an mdev's VFIO device the way
 * QEMU does, a guest's instructions in the simulated machine, the masks
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

/**
 * struct ap_vfio - an mdev's VFIO device, opened as QEMU opens it
 * @dev: the device's cdev
 * @iommufd: the iommufd it is bound to
 */
struct ap_vfio {
	int dev;
	int iommufd;
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

/* Open the cdev of the mdev's VFIO device. */
static inline int ap_vfio_cdev(const char *uuid)
{
	char path[512];

	if (ap_vfio_cdev_path(uuid, path, sizeof(path)))
		return -1;
	return open(path, O_RDWR);
}

/*
 * Open the device, bind it to a new iommufd and attach it to an IOAS:
 * the guest starts using the mdev. Return: 0 or an errno.
 */
static inline int ap_vfio_open(const char *uuid, struct ap_vfio *v)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	int err = 0;

	v->dev = -1;
	v->iommufd = open("/dev/iommu", O_RDWR);
	if (v->iommufd < 0)
		return errno;
	v->dev = ap_vfio_cdev(uuid);
	if (v->dev < 0) {
		err = ENOENT;
		goto err_iommufd;
	}
	bind.iommufd = v->iommufd;
	if (ioctl(v->dev, VFIO_DEVICE_BIND_IOMMUFD, &bind) ||
	    ioctl(v->iommufd, IOMMU_IOAS_ALLOC, &alloc)) {
		err = errno;
		goto err_dev;
	}
	attach.pt_id = alloc.out_ioas_id;
	if (ioctl(v->dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) {
		err = errno;
		goto err_dev;
	}
	return 0;

err_dev:
	close(v->dev);
err_iommufd:
	close(v->iommufd);
	return err;
}

/* Close the device: the guest stops using the mdev. */
static inline void ap_vfio_close(struct ap_vfio *v)
{
	close(v->dev);
	close(v->iommufd);
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
