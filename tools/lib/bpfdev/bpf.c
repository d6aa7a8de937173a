// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpf() command wrappers, one per command as libbpf's bpf.c, over the
 * process-wide /dev/bpf fd.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

static int bpfdev_dev_fd = -1;

int bpfdev_device_fd(void)
{
	const char *path;
	int fd, old;

	fd = __atomic_load_n(&bpfdev_dev_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	path = getenv("BPFDEV_DEVICE");
	if (!path || !*path)
		path = BPFDEV_DEFAULT_DEVICE;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Two threads racing here: one fd wins, the other is closed. */
	old = -1;
	if (!__atomic_compare_exchange_n(&bpfdev_dev_fd, &old, fd, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		close(fd);
		fd = old;
	}
	return fd;
}

int bpfdev_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	struct bpfdev_call call = {
		.cmd = cmd,
		.size = size,
		.attr = ptr_to_u64(attr),
	};
	int fd = bpfdev_device_fd();
	int ret;

	if (fd < 0)
		return bpfdev_err(fd);
	ret = ioctl(fd, BPFDEV_IOC_BPF, &call);
	return ret < 0 ? -errno : ret;
}

int bpfdev_get_version(struct bpfdev_version *ver)
{
	int fd = bpfdev_device_fd();

	if (fd < 0)
		return bpfdev_err(fd);
	if (ioctl(fd, BPFDEV_IOC_VERSION, ver) < 0)
		return -errno;
	return 0;
}

bool bpfdev_opts_valid(const void *opts, size_t opts_sz, size_t known_sz,
		       const char *type_name)
{
	const char *p = opts;
	size_t i;

	if (opts_sz < sizeof(size_t)) {
		pr_warn("%s size (%zu) is too small\n", type_name, opts_sz);
		return false;
	}
	for (i = known_sz; i < opts_sz; i++) {
		if (p[i]) {
			pr_warn("%s has non-zero extra bytes\n", type_name);
			return false;
		}
	}
	return true;
}

/* Copies name into a bpf_attr name field, which the module checks. */
static void copy_obj_name(char *dst, size_t size, const char *name)
{
	if (name)
		snprintf(dst, size, "%s", name);
}

#define ATTR_SIZE(field)	offsetofend(union bpf_attr, field)

int bpfdev_map_create(enum bpf_map_type map_type, const char *map_name,
		      __u32 key_size, __u32 value_size, __u32 max_entries,
		      const struct bpfdev_map_create_opts *opts)
{
	union bpf_attr attr;

	if (!OPTS_VALID(opts, bpfdev_map_create_opts))
		return bpfdev_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	copy_obj_name(attr.map_name, sizeof(attr.map_name), map_name);
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = OPTS_GET(opts, map_flags, 0);
	attr.inner_map_fd = OPTS_GET(opts, inner_map_fd, 0);
	attr.numa_node = OPTS_GET(opts, numa_node, 0);
	attr.map_ifindex = OPTS_GET(opts, map_ifindex, 0);
	attr.map_extra = OPTS_GET(opts, map_extra, 0);
	return bpfdev_err(bpfdev_sys_bpf(BPF_MAP_CREATE, &attr, ATTR_SIZE(map_extra)));
}

static int map_elem_cmd(int cmd, int fd, const void *key, void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	return bpfdev_err(bpfdev_sys_bpf(cmd, &attr, ATTR_SIZE(flags)));
}

int bpfdev_map_update_elem(int fd, const void *key, const void *value, __u64 flags)
{
	return map_elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

int bpfdev_map_lookup_elem(int fd, const void *key, void *value)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpfdev_map_lookup_elem_flags(int fd, const void *key, void *value, __u64 flags)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int bpfdev_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

int bpfdev_map_delete_elem(int fd, const void *key)
{
	return map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpfdev_map_get_next_key(int fd, const void *key, void *next_key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = ptr_to_u64(key);
	attr.next_key = ptr_to_u64(next_key);
	return bpfdev_err(bpfdev_sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr,
					 ATTR_SIZE(next_key)));
}

int bpfdev_map_freeze(int fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	return bpfdev_err(bpfdev_sys_bpf(BPF_MAP_FREEZE, &attr, ATTR_SIZE(map_fd)));
}

static int map_batch_cmd(int cmd, int fd, void *in_batch, void *out_batch,
			 void *keys, void *values, __u32 *count,
			 const struct bpfdev_map_batch_opts *opts)
{
	union bpf_attr attr;
	int ret;

	if (!OPTS_VALID(opts, bpfdev_map_batch_opts))
		return bpfdev_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.in_batch = ptr_to_u64(in_batch);
	attr.batch.out_batch = ptr_to_u64(out_batch);
	attr.batch.keys = ptr_to_u64(keys);
	attr.batch.values = ptr_to_u64(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = OPTS_GET(opts, elem_flags, 0);
	attr.batch.flags = OPTS_GET(opts, flags, 0);
	ret = bpfdev_sys_bpf(cmd, &attr, ATTR_SIZE(batch));
	/* The count is meaningful on error too (-ENOENT: the end). */
	*count = attr.batch.count;
	return bpfdev_err(ret);
}

int bpfdev_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys,
			    void *values, __u32 *count,
			    const struct bpfdev_map_batch_opts *opts)
{
	return map_batch_cmd(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys,
			     values, count, opts);
}

int bpfdev_map_lookup_and_delete_batch(int fd, void *in_batch, void *out_batch,
				       void *keys, void *values, __u32 *count,
				       const struct bpfdev_map_batch_opts *opts)
{
	return map_batch_cmd(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch,
			     out_batch, keys, values, count, opts);
}

int bpfdev_map_update_batch(int fd, const void *keys, const void *values,
			    __u32 *count, const struct bpfdev_map_batch_opts *opts)
{
	return map_batch_cmd(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, (void *)keys,
			     (void *)values, count, opts);
}

int bpfdev_map_delete_batch(int fd, const void *keys, __u32 *count,
			    const struct bpfdev_map_batch_opts *opts)
{
	return map_batch_cmd(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, (void *)keys,
			     NULL, count, opts);
}

int bpfdev_prog_load(enum bpf_prog_type prog_type, const char *prog_name,
		     const char *license, const struct bpf_insn *insns,
		     size_t insn_cnt, struct bpfdev_prog_load_opts *opts)
{
	union bpf_attr attr;
	char *log_buf;
	__u32 log_size;
	int ret;

	if (!OPTS_VALID(opts, bpfdev_prog_load_opts))
		return bpfdev_err(-EINVAL);
	if (!insns || !insn_cnt || insn_cnt > UINT32_MAX)
		return bpfdev_err(-EINVAL);
	log_buf = OPTS_GET(opts, log_buf, NULL);
	log_size = OPTS_GET(opts, log_size, 0);
	if (!!log_buf != !!log_size)
		return bpfdev_err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = prog_type;
	attr.insns = ptr_to_u64(insns);
	attr.insn_cnt = insn_cnt;
	attr.license = ptr_to_u64(license ? license : "");
	attr.kern_version = OPTS_GET(opts, kern_version, 0);
	attr.prog_flags = OPTS_GET(opts, prog_flags, 0);
	attr.expected_attach_type = OPTS_GET(opts, expected_attach_type, 0);
	copy_obj_name(attr.prog_name, sizeof(attr.prog_name), prog_name);
	if (log_buf) {
		attr.log_buf = ptr_to_u64(log_buf);
		attr.log_size = log_size;
		attr.log_level = OPTS_GET(opts, log_level, 0) ?: 1;
		log_buf[0] = '\0';
	} else {
		attr.log_level = OPTS_GET(opts, log_level, 0);
	}
	ret = bpfdev_sys_bpf(BPF_PROG_LOAD, &attr, ATTR_SIZE(core_relo_rec_size));
	OPTS_SET(opts, log_true_size, 0);
	return bpfdev_err(ret);
}

int bpfdev_prog_test_run_opts(int prog_fd, struct bpfdev_test_run_opts *opts)
{
	union bpf_attr attr;
	int ret;

	if (!opts || !OPTS_VALID(opts, bpfdev_test_run_opts))
		return bpfdev_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	attr.test.data_in = ptr_to_u64(OPTS_GET(opts, data_in, NULL));
	attr.test.data_out = ptr_to_u64(OPTS_GET(opts, data_out, NULL));
	attr.test.data_size_in = OPTS_GET(opts, data_size_in, 0);
	attr.test.data_size_out = OPTS_GET(opts, data_size_out, 0);
	attr.test.ctx_in = ptr_to_u64(OPTS_GET(opts, ctx_in, NULL));
	attr.test.ctx_out = ptr_to_u64(OPTS_GET(opts, ctx_out, NULL));
	attr.test.ctx_size_in = OPTS_GET(opts, ctx_size_in, 0);
	attr.test.ctx_size_out = OPTS_GET(opts, ctx_size_out, 0);
	attr.test.repeat = OPTS_GET(opts, repeat, 0);
	attr.test.flags = OPTS_GET(opts, flags, 0);
	attr.test.cpu = OPTS_GET(opts, cpu, 0);
	ret = bpfdev_sys_bpf(BPF_PROG_TEST_RUN, &attr, ATTR_SIZE(test));
	OPTS_SET(opts, data_size_out, attr.test.data_size_out);
	OPTS_SET(opts, ctx_size_out, attr.test.ctx_size_out);
	OPTS_SET(opts, duration, attr.test.duration);
	OPTS_SET(opts, retval, attr.test.retval);
	return bpfdev_err(ret);
}

int bpfdev_prog_attach(int prog_fd, int attachable_fd, enum bpf_attach_type type,
		       unsigned int flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = attachable_fd;
	attr.attach_bpf_fd = prog_fd;
	attr.attach_type = type;
	attr.attach_flags = flags;
	return bpfdev_err(bpfdev_sys_bpf(BPF_PROG_ATTACH, &attr,
					 ATTR_SIZE(replace_bpf_fd)));
}

int bpfdev_prog_detach2(int prog_fd, int attachable_fd, enum bpf_attach_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = attachable_fd;
	attr.attach_bpf_fd = prog_fd;
	attr.attach_type = type;
	return bpfdev_err(bpfdev_sys_bpf(BPF_PROG_DETACH, &attr,
					 ATTR_SIZE(attach_type)));
}

int bpfdev_prog_detach(int attachable_fd, enum bpf_attach_type type)
{
	return bpfdev_prog_detach2(0, attachable_fd, type);
}

int bpfdev_obj_pin(int fd, const char *pathname)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = ptr_to_u64(pathname);
	attr.bpf_fd = fd;
	return bpfdev_err(bpfdev_sys_bpf(BPF_OBJ_PIN, &attr, ATTR_SIZE(file_flags)));
}

int bpfdev_obj_get(const char *pathname)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = ptr_to_u64(pathname);
	return bpfdev_err(bpfdev_sys_bpf(BPF_OBJ_GET, &attr, ATTR_SIZE(file_flags)));
}

int bpfdev_obj_unpin(const char *pathname)
{
	struct bpfdev_obj_unpin u = { .pathname = ptr_to_u64(pathname) };
	int fd = bpfdev_device_fd();

	if (fd < 0)
		return bpfdev_err(fd);
	if (ioctl(fd, BPFDEV_IOC_OBJ_UNPIN, &u) < 0)
		return -errno;
	return 0;
}

int bpfdev_obj_get_info_by_fd(int fd, void *info, __u32 *info_len)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = *info_len;
	attr.info.info = ptr_to_u64(info);
	ret = bpfdev_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, ATTR_SIZE(info));
	if (!ret)
		*info_len = attr.info.info_len;
	return bpfdev_err(ret);
}

int bpfdev_prog_get_info_by_fd(int fd, struct bpf_prog_info *info, __u32 *info_len)
{
	return bpfdev_obj_get_info_by_fd(fd, info, info_len);
}

int bpfdev_map_get_info_by_fd(int fd, struct bpf_map_info *info, __u32 *info_len)
{
	return bpfdev_obj_get_info_by_fd(fd, info, info_len);
}

static int get_next_id(int cmd, __u32 start_id, __u32 *next_id)
{
	union bpf_attr attr;
	int ret;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	ret = bpfdev_sys_bpf(cmd, &attr, ATTR_SIZE(open_flags));
	if (!ret)
		*next_id = attr.next_id;
	return bpfdev_err(ret);
}

int bpfdev_prog_get_next_id(__u32 start_id, __u32 *next_id)
{
	return get_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int bpfdev_map_get_next_id(__u32 start_id, __u32 *next_id)
{
	return get_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

static int get_fd_by_id(int cmd, __u32 id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	return bpfdev_err(bpfdev_sys_bpf(cmd, &attr, ATTR_SIZE(open_flags)));
}

int bpfdev_prog_get_fd_by_id(__u32 id)
{
	return get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id);
}

int bpfdev_map_get_fd_by_id(__u32 id)
{
	return get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id);
}
