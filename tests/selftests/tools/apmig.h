/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VFIO migration v2 as QEMU drives it, for the test programs: the
 * device's migration features and state, and the two halves of a
 * stop-and-copy migration (the source saves the device's data into a
 * file, the destination loads it from there). Each helper returns 0 or
 * an errno and names the step that failed in *step. Include it after
 * aptools.h.
 */
#ifndef _APMIG_H
#define _APMIG_H

#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

/* The migration states by the names the tests use. */
static const char *const ap_mig_states[] = {
	[VFIO_DEVICE_STATE_ERROR] = "error",
	[VFIO_DEVICE_STATE_STOP] = "stop",
	[VFIO_DEVICE_STATE_RUNNING] = "running",
	[VFIO_DEVICE_STATE_STOP_COPY] = "stop_copy",
	[VFIO_DEVICE_STATE_RESUMING] = "resuming",
	[VFIO_DEVICE_STATE_RUNNING_P2P] = "running_p2p",
	[VFIO_DEVICE_STATE_PRE_COPY] = "pre_copy",
	[VFIO_DEVICE_STATE_PRE_COPY_P2P] = "pre_copy_p2p",
};

/* A state by name, or by number (any number, for the invalid ones). */
static inline int ap_mig_state_parse(const char *s)
{
	unsigned int i;

	if (s[0] >= '0' && s[0] <= '9')
		return atoi(s);
	for (i = 0; i < ARRAY_SIZE(ap_mig_states); i++)
		if (ap_mig_states[i] && !strcmp(s, ap_mig_states[i]))
			return i;
	return -1;
}

static inline const char *ap_mig_state_name(unsigned int state)
{
	if (state < ARRAY_SIZE(ap_mig_states) &&
	    ap_mig_states[state])
		return ap_mig_states[state];
	return "?";
}

/* VFIO_DEVICE_FEATURE with a payload of @len bytes. */
static inline int ap_mig_feature(int dev, uint32_t flags, void *data,
				 size_t len)
{
	struct {
		struct vfio_device_feature f;
		uint64_t data[4];
	} buf = { .f = { .argsz = sizeof(buf.f) + len, .flags = flags } };

	memcpy(buf.data, data, len);
	if (ioctl(dev, VFIO_DEVICE_FEATURE, &buf))
		return errno;
	memcpy(data, buf.data, len);
	return 0;
}

/* VFIO_DEVICE_FEATURE_MIGRATION: the migration flags the device has. */
static inline int ap_mig_flags(int dev, uint64_t *flags)
{
	struct vfio_device_feature_migration m = { 0 };
	int err = ap_mig_feature(dev, VFIO_DEVICE_FEATURE_GET |
				 VFIO_DEVICE_FEATURE_MIGRATION, &m, sizeof(m));

	*flags = m.flags;
	return err;
}

static inline int ap_mig_get(int dev, unsigned int *state)
{
	struct vfio_device_feature_mig_state m = { 0 };
	int err = ap_mig_feature(dev, VFIO_DEVICE_FEATURE_GET |
				 VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
				 &m, sizeof(m));

	*state = m.device_state;
	return err;
}

/* Set the state; *fd receives the data file, or -1. */
static inline int ap_mig_set(int dev, unsigned int state, int *fd)
{
	struct vfio_device_feature_mig_state m = { .device_state = state };
	int err = ap_mig_feature(dev, VFIO_DEVICE_FEATURE_SET |
				 VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
				 &m, sizeof(m));

	*fd = err ? -1 : m.data_fd;
	return err;
}

static inline int ap_mig_data_size(int dev, uint64_t *len)
{
	struct vfio_device_feature_mig_data_size m = { 0 };
	int err = ap_mig_feature(dev, VFIO_DEVICE_FEATURE_GET |
				 VFIO_DEVICE_FEATURE_MIG_DATA_SIZE,
				 &m, sizeof(m));

	*len = m.stop_copy_length;
	return err;
}

static inline uint64_t ap_mig_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/**
 * struct ap_mig_times - what each step of a migration took, in ns
 * @stop_copy: the arc to STOP_COPY (the device describes itself)
 * @io: reading the data file to its end, or writing it whole
 * @running: the arc to RUNNING on the destination
 * @bytes: the stream's length
 */
struct ap_mig_times {
	uint64_t stop_copy;
	uint64_t io;
	uint64_t running;
	size_t bytes;
};

/* Set a state with no data file, timed. */
static inline int ap_mig_arc(int dev, unsigned int state, uint64_t *ns)
{
	uint64_t t0 = ap_mig_now_ns();
	int fd, err = ap_mig_set(dev, state, &fd);

	if (ns)
		*ns = ap_mig_now_ns() - t0;
	if (!err && fd >= 0)
		close(fd);
	return err;
}

/*
 * The source: STOP, STOP_COPY, the data file read to its end into *buf
 * (malloc'ed, *len bytes). The device stays in STOP_COPY.
 */
static inline int ap_mig_save(int dev, void **buf, size_t *len,
			      struct ap_mig_times *t, const char **step)
{
	size_t size = 1 << 16, n = 0;
	uint64_t t0;
	char *b;
	ssize_t r;
	int fd, err;

	*step = "STOP";
	err = ap_mig_arc(dev, VFIO_DEVICE_STATE_STOP, NULL);
	if (err)
		return err;
	*step = "STOP_COPY";
	t0 = ap_mig_now_ns();
	err = ap_mig_set(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	t->stop_copy = ap_mig_now_ns() - t0;
	if (err)
		return err;
	*step = "read";
	b = malloc(size);
	t0 = ap_mig_now_ns();
	while (b && (r = read(fd, b + n, size - n)) > 0) {
		n += r;
		if (n == size)
			b = realloc(b, size *= 2);
	}
	t->io = ap_mig_now_ns() - t0;
	err = !b ? ENOMEM : r < 0 ? errno : 0;
	close(fd);
	if (err) {
		free(b);
		return err;
	}
	*buf = b;
	*len = t->bytes = n;
	return 0;
}

/*
 * The destination: STOP, RESUMING, @len bytes of @buf written (in
 * pieces of @chunk bytes, as a stream arrives), STOP, RUNNING.
 */
static inline int ap_mig_load(int dev, const void *buf, size_t len,
			      size_t chunk, struct ap_mig_times *t,
			      const char **step)
{
	size_t n = 0;
	ssize_t w = 0;
	uint64_t t0;
	int fd, err;

	*step = "STOP";
	err = ap_mig_arc(dev, VFIO_DEVICE_STATE_STOP, NULL);
	if (err)
		return err;
	*step = "RESUMING";
	err = ap_mig_set(dev, VFIO_DEVICE_STATE_RESUMING, &fd);
	if (err)
		return err;
	*step = "write";
	t0 = ap_mig_now_ns();
	while (n < len) {
		w = write(fd, (const char *)buf + n,
			  len - n < chunk ? len - n : chunk);
		if (w <= 0)
			break;
		n += w;
	}
	t->io = ap_mig_now_ns() - t0;
	t->bytes = n;
	err = n < len ? (w < 0 ? errno : EIO) : 0;
	close(fd);
	if (err)
		return err;
	*step = "STOP";
	err = ap_mig_arc(dev, VFIO_DEVICE_STATE_STOP, NULL);
	if (err)
		return err;
	*step = "RUNNING";
	return ap_mig_arc(dev, VFIO_DEVICE_STATE_RUNNING, &t->running);
}

#endif /* _APMIG_H */
