// SPDX-License-Identifier: GPL-2.0
/*
 * The capture path's profile (capture_prof.h): per-CPU time and packet
 * counts per stage, summed and printed by reading the module parameter
 * capture_profile.  A debug knob for finding where bpfdev's own cycles
 * go per packet: the clock reads cost more than some stages they time,
 * so the figures are for comparing stages, not for the packet rate.
 */

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "capture_prof.h"

DEFINE_STATIC_KEY_FALSE(bpfdev_prof_on);
DEFINE_PER_CPU(struct bpfdev_prof_pcpu, bpfdev_prof);

static const char * const bpfdev_prof_names[BPFDEV_PROF_NR] = {
	[BPFDEV_PROF_HOOK]	= "hook",
	[BPFDEV_PROF_CLOCK]	= "clock",
	[BPFDEV_PROF_VIEW]	= "view",
	[BPFDEV_PROF_FILTER]	= "filter",
	[BPFDEV_PROF_RESERVE]	= "reserve",
	[BPFDEV_PROF_FILL]	= "fill",
	[BPFDEV_PROF_COMMIT]	= "commit",
};

static int bpfdev_prof_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int cpu, err = kstrtobool(val, &on);

	if (err)
		return err;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* The key is patched once the module's jump labels are: after load. */
	if (THIS_MODULE->state != MODULE_STATE_LIVE)
		return -EBUSY;
	if (!on) {
		static_branch_disable(&bpfdev_prof_on);
		return 0;
	}
	/* Stopped first: no packet path adds while the counters clear. */
	static_branch_disable(&bpfdev_prof_on);
	synchronize_net();
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&bpfdev_prof, cpu), 0, sizeof(struct bpfdev_prof_pcpu));
	static_branch_enable(&bpfdev_prof_on);
	return 0;
}

static int bpfdev_prof_get(char *buf, const struct kernel_param *kp)
{
	int cpu, s, len;

	len = sysfs_emit(buf, "%s\n%-8s %12s %14s %8s\n",
			 static_key_enabled(&bpfdev_prof_on) ? "on" : "off",
			 "stage", "packets", "ns", "ns/pkt");
	for (s = 0; s < BPFDEV_PROF_NR; s++) {
		u64 ns = 0, n = 0;

		for_each_possible_cpu(cpu) {
			const struct bpfdev_prof_pcpu *p = per_cpu_ptr(&bpfdev_prof, cpu);

			ns += READ_ONCE(p->ns[s]);
			n += READ_ONCE(p->n[s]);
		}
		len += sysfs_emit_at(buf, len, "%-8s %12llu %14llu %8llu\n",
				     bpfdev_prof_names[s], n, ns, n ? div64_u64(ns, n) : 0);
	}
	return len;
}

static const struct kernel_param_ops bpfdev_prof_ops = {
	.set = bpfdev_prof_set,
	.get = bpfdev_prof_get,
};

module_param_cb(capture_profile, &bpfdev_prof_ops, NULL, 0644);
MODULE_PARM_DESC(capture_profile,
		 "time per capture stage: write 1 to clear and start, 0 to stop, read the table (debug; off)");
