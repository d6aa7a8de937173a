// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl dispatch: the version query and the bpf(2) mirror.
 *
 * BPFDEV_IOC_BPF takes union bpf_attr exactly as bpf(2) does: a caller may
 * pass a larger attr than we know if the tail is zero (else E2BIG), and a
 * shorter one is zero-extended.  Unknown commands are EINVAL, as in bpf(2).
 */

#include <linux/kernel.h>
#include <linux/nospec.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/bpf.h>

#include <linux/bpfdev.h>

#include "action.h"
#include "btf.h"
#include "capture.h"
#include "dev.h"
#include "ioctl.h"
#include "map.h"
#include "objfd.h"
#include "pin.h"
#include "prog.h"
#include "trace.h"
#include "trace_event.h"
#include "version.h"

/* Who may issue a command, decided before it runs. */
enum bpfdev_cmd_perm {
	BPFDEV_PERM_OWN,	/* the command decides, after its attr (ids) */
	BPFDEV_PERM_CAP,	/* bpfdev_capable() */
	BPFDEV_PERM_UNPRIV,	/* bpfdev_unpriv_allowed() */
};

struct bpfdev_cmd {
	int (*fn)(struct bpfdev_file *bf, union bpf_attr *attr,
		  union bpf_attr __user *uattr, u32 size);
	enum bpfdev_cmd_perm perm;
};

#define CMD(f)		{ .fn = (f), .perm = BPFDEV_PERM_CAP }
#define CMD_UNPRIV(f)	{ .fn = (f), .perm = BPFDEV_PERM_UNPRIV }
#define CMD_OWN(f)	{ .fn = (f), .perm = BPFDEV_PERM_OWN }

/*
 * Indexed by enum bpf_cmd (6.1 ends at BPF_PROG_BIND_MAP); an empty slot
 * is a command bpfdev does not offer.  What 6.1 lets a caller without
 * CAP_BPF do when unprivileged BPF is enabled is CMD_UNPRIV: load a
 * socket filter (PROG_LOAD refuses other types itself), create the maps
 * it may create (bpfdev_unpriv_map_type()) and use maps and programs
 * through their fds; with unprivileged BPF disabled these need the
 * capability too, as every command did before (6.1 still runs the fd
 * commands then: bpfdev stays stricter).  MAP_FREEZE needs bpf_capable()
 * in 6.1 as well; pins (a module-wide registry, not a file system with
 * modes) and attaching to a device's hook stay privileged.  The id
 * commands ask for CAP_SYS_ADMIN after checking the attr, as the
 * kernel's do.
 */
static const struct bpfdev_cmd bpfdev_cmds[BPF_PROG_BIND_MAP + 1] = {
	[BPF_MAP_CREATE]		= CMD_UNPRIV(bpfdev_cmd_map_create),
	[BPF_MAP_LOOKUP_ELEM]		= CMD_UNPRIV(bpfdev_cmd_map_lookup),
	[BPF_MAP_UPDATE_ELEM]		= CMD_UNPRIV(bpfdev_cmd_map_update),
	[BPF_MAP_DELETE_ELEM]		= CMD_UNPRIV(bpfdev_cmd_map_delete),
	[BPF_MAP_GET_NEXT_KEY]		= CMD_UNPRIV(bpfdev_cmd_map_get_next_key),
	[BPF_PROG_LOAD]			= CMD_UNPRIV(bpfdev_cmd_prog_load),
	[BPF_OBJ_PIN]			= CMD(bpfdev_cmd_obj_pin),
	[BPF_OBJ_GET]			= CMD(bpfdev_cmd_obj_get),
	[BPF_PROG_ATTACH]		= CMD(bpfdev_cmd_prog_attach),
	[BPF_PROG_DETACH]		= CMD(bpfdev_cmd_prog_detach),
	[BPF_PROG_TEST_RUN]		= CMD_UNPRIV(bpfdev_cmd_prog_test_run),
	[BPF_PROG_GET_NEXT_ID]		= CMD_OWN(bpfdev_cmd_prog_get_next_id),
	[BPF_MAP_GET_NEXT_ID]		= CMD_OWN(bpfdev_cmd_map_get_next_id),
	[BPF_PROG_GET_FD_BY_ID]		= CMD_OWN(bpfdev_cmd_prog_get_fd_by_id),
	[BPF_MAP_GET_FD_BY_ID]		= CMD_OWN(bpfdev_cmd_map_get_fd_by_id),
	[BPF_OBJ_GET_INFO_BY_FD]	= CMD_UNPRIV(bpfdev_cmd_obj_get_info_by_fd),
	[BPF_RAW_TRACEPOINT_OPEN]	= CMD_OWN(bpfdev_cmd_raw_tp_open),
	[BPF_BTF_LOAD]			= CMD(bpfdev_cmd_btf_load),
	[BPF_BTF_GET_FD_BY_ID]		= CMD_OWN(bpfdev_cmd_btf_get_fd_by_id),
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = CMD_UNPRIV(bpfdev_cmd_map_lookup_and_delete),
	[BPF_MAP_FREEZE]		= CMD(bpfdev_cmd_map_freeze),
	[BPF_MAP_LOOKUP_BATCH]		= CMD_UNPRIV(bpfdev_cmd_map_lookup_batch),
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = CMD_UNPRIV(bpfdev_cmd_map_lookup_and_delete_batch),
	[BPF_MAP_UPDATE_BATCH]		= CMD_UNPRIV(bpfdev_cmd_map_update_batch),
	[BPF_MAP_DELETE_BATCH]		= CMD_UNPRIV(bpfdev_cmd_map_delete_batch),
	[BPF_BTF_GET_NEXT_ID]		= CMD_OWN(bpfdev_cmd_btf_get_next_id),
};

/*
 * Map types 6.1 lets a caller without CAP_BPF create: its LRU hash, LPM
 * trie and stack trace allocators refuse it (EPERM; so do queue, stack
 * and cpumap maps, which bpfdev does not offer).  The kernel asks at
 * allocation, after the attr's checks; bpfdev before them.
 */
static bool bpfdev_unpriv_map_type(u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
	case BPF_MAP_TYPE_STACK_TRACE:
		return false;
	default:
		return true;
	}
}

static int bpfdev_cmd_permitted(const struct bpfdev_cmd *cmd, u32 nr,
				const union bpf_attr *attr)
{
	switch (cmd->perm) {
	case BPFDEV_PERM_CAP:
		return bpfdev_capable() ? 0 : -EPERM;
	case BPFDEV_PERM_UNPRIV:
		if (!bpfdev_unpriv_allowed())
			return -EPERM;
		if (nr == BPF_MAP_CREATE && !bpfdev_unpriv_map_type(attr->map_type) &&
		    !bpfdev_capable())
			return -EPERM;
		return 0;
	default:
		return 0;
	}
}

static long bpfdev_ioctl_version(void __user *arg)
{
	struct bpfdev_version v = {
		.abi_major	= BPFDEV_ABI_MAJOR,
		.abi_minor	= BPFDEV_ABI_MINOR,
		.features	= BPFDEV_FEAT_BPF | BPFDEV_FEAT_CAPTURE |
				  BPFDEV_FEAT_TRACE,
	};

	strscpy(v.release, BPFDEV_VERSION, sizeof(v.release));
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long bpfdev_ioctl_bpf(struct bpfdev_file *bf, void __user *arg)
{
	const struct bpfdev_cmd *cmd;
	struct bpfdev_call call;
	union bpf_attr __user *uattr;
	union bpf_attr attr;
	u32 size;
	int err;

	if (copy_from_user(&call, arg, sizeof(call)))
		return -EFAULT;

	/*
	 * As 6.1's __sys_bpf() with unprivileged BPF disabled: MAP_CREATE
	 * and PROG_LOAD ask for the capability before the attr is read
	 * (EPERM before E2BIG), the other commands after (compat.h).
	 */
	if (BPFDEV_BPF_CAP_BEFORE_ATTR &&
	    (call.cmd == BPF_MAP_CREATE || call.cmd == BPF_PROG_LOAD) &&
	    !bpfdev_unpriv_allowed())
		return -EPERM;
	uattr = u64_to_user_ptr(call.attr);
	err = bpfdev_check_tail_zero(uattr, sizeof(attr), call.size);
	if (err)
		return err;
	size = min_t(u32, call.size, sizeof(attr));

	memset(&attr, 0, sizeof(attr));
	if (copy_from_user(&attr, uattr, size))
		return -EFAULT;

	if (call.cmd >= ARRAY_SIZE(bpfdev_cmds))
		return -EINVAL;
	/* No speculative read of the table past its end with a user index. */
	cmd = &bpfdev_cmds[array_index_nospec(call.cmd, ARRAY_SIZE(bpfdev_cmds))];
	if (!cmd->fn)
		return -EINVAL;
	err = bpfdev_cmd_permitted(cmd, call.cmd, &attr);
	if (err)
		return err;
	return cmd->fn(bf, &attr, uattr, size);
}

long bpfdev_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case BPFDEV_IOC_VERSION:
		return bpfdev_ioctl_version(arg);
	case BPFDEV_IOC_BPF:
		return bpfdev_ioctl_bpf(bf, arg);
	case BPFDEV_IOC_OBJ_UNPIN:
		if (!bpfdev_capable())
			return -EPERM;
		return bpfdev_ioctl_obj_unpin(arg);
	case BPFDEV_IOC_ACT_ATTACH:
	case BPFDEV_IOC_ACT_UPDATE:
	case BPFDEV_IOC_ACT_DETACH:
	case BPFDEV_IOC_ACT_QUERY:
		return bpfdev_act_ioctl(bf, cmd, arg);
	case BPFDEV_IOC_KPROBE_ATTACH:
	case BPFDEV_IOC_UPROBE_ATTACH:
	case BPFDEV_IOC_TP_ATTACH:
	case BPFDEV_IOC_PERF_ATTACH:
		return bpfdev_trace_ioctl(bf, cmd, arg);
	default:
		return bpfdev_capture_ioctl(bf, cmd, arg);
	}
}
