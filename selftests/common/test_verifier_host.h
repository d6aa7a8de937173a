/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test host of the verifier's tests: small maps behind map
 * descriptors, the helpers a checked run calls, the regions helper
 * results open, and the test packet.
 */
#ifndef BPFDEV_TEST_VERIFIER_HOST_H
#define BPFDEV_TEST_VERIFIER_HOST_H

#include <string.h>
#include "interp.h"
#include "skb.h"
#include "verifier.h"
#include "test_verifier_harness.h"

/* ---- maps and helpers of the test host ---- */

#define VT_MAP_MAX_ENTRIES	8
#define VT_MAP_MAX_VALUE	64

struct vt_map {
	struct bpfdev_map_desc	desc;
	u32			nr;
	u8			keys[VT_MAP_MAX_ENTRIES][16];
	u8			values[VT_MAP_MAX_ENTRIES][VT_MAP_MAX_VALUE] __attribute__((aligned(8)));
	bool			used[VT_MAP_MAX_ENTRIES];
};

/* the table's maps, then those of an ELF object */
#define VT_ALL_MAPS	(VT_NR_MAPS + 8)
static struct vt_map vt_maps[VT_ALL_MAPS];
static u8 vt_ringbuf[4096];
static u32 vt_ringbuf_used;

static __maybe_unused void vt_map_init(int i, u32 type, u32 key_size, u32 value_size, u32 max, u32 flags)
{
	struct vt_map *m = &vt_maps[i];

	memset(m, 0, sizeof(*m));
	m->desc = (struct bpfdev_map_desc) {
		.type = type, .key_size = key_size, .value_size = value_size,
		.max_entries = max, .flags = flags, .host = m,
	};
	if (type == BPF_MAP_TYPE_ARRAY && max == 1)
		m->desc.value_base = m->values[0];
}

static __maybe_unused bool vt_is_array(const struct vt_map *m)
{
	return m->desc.type == BPF_MAP_TYPE_ARRAY ||
	       m->desc.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       m->desc.type == BPF_MAP_TYPE_PROG_ARRAY;
}

static __maybe_unused void vt_maps_reset(void)
{
	memset(vt_maps, 0, sizeof(vt_maps));
	vt_map_init(VT_MAP_HASH_8B, BPF_MAP_TYPE_HASH, 8, 8, VT_MAP_MAX_ENTRIES, 0);
	vt_map_init(VT_MAP_HASH_48B, BPF_MAP_TYPE_HASH, 8, 48, VT_MAP_MAX_ENTRIES, 0);
	vt_map_init(VT_MAP_ARRAY_48B, BPF_MAP_TYPE_ARRAY, 4, 48, 4, 0);
	vt_map_init(VT_MAP_RINGBUF, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	vt_map_init(VT_MAP_PROG_ARRAY, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	vt_map_init(VT_MAP_PROG_ARRAY_2, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	vt_map_init(VT_MAP_ARRAY_1, BPF_MAP_TYPE_ARRAY, 4, 16, 1, 0);
	vt_map_init(VT_MAP_PERCPU_ARRAY, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, 0);
	vt_map_init(VT_MAP_LRU_HASH, BPF_MAP_TYPE_LRU_HASH, 4, 16, VT_MAP_MAX_ENTRIES, 0);
	vt_map_init(VT_MAP_LPM, BPF_MAP_TYPE_LPM_TRIE, 8, 8, VT_MAP_MAX_ENTRIES, BPF_F_NO_PREALLOC);
	vt_map_init(VT_MAP_ARRAY_RDONLY, BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY_PROG);
	vt_map_init(VT_MAP_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_HASH, 4, 8, VT_MAP_MAX_ENTRIES, 0);
	vt_map_init(VT_MAP_LRU_PERCPU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8,
		    VT_MAP_MAX_ENTRIES, 0);
	vt_ringbuf_used = 0;
}

static __maybe_unused int vt_map_resolve(void *priv, u32 src_reg, s32 fd,
			  const struct bpfdev_map_desc **desc)
{
	if (fd < 0 || fd >= VT_ALL_MAPS || !vt_maps[fd].desc.host)
		return -EBADF;
	*desc = &vt_maps[fd].desc;
	return 0;
}

static __maybe_unused int vt_map_find(struct vt_map *m, const void *key)
{
	u32 i;

	if (vt_is_array(m)) {
		u32 idx;

		memcpy(&idx, key, 4);
		return idx < m->desc.max_entries ? (int)idx : -1;
	}
	for (i = 0; i < VT_MAP_MAX_ENTRIES; i++)
		if (m->used[i] && !memcmp(m->keys[i], key, m->desc.key_size))
			return i;
	return -1;
}

static __maybe_unused u64 vt_lookup(u64 map, u64 key, u64 a3, u64 a4, u64 a5)
{
	struct vt_map *m = (struct vt_map *)(uintptr_t)map;
	int i = vt_map_find(m, (const void *)(uintptr_t)key);

	return i < 0 ? 0 : (u64)(uintptr_t)m->values[i];
}

static __maybe_unused u64 vt_update(u64 map, u64 key, u64 value, u64 flags, u64 a5)
{
	struct vt_map *m = (struct vt_map *)(uintptr_t)map;
	int i = vt_map_find(m, (const void *)(uintptr_t)key);

	if (i < 0 && !vt_is_array(m)) {
		for (i = 0; i < VT_MAP_MAX_ENTRIES && m->used[i]; i++)
			;
		if (i == VT_MAP_MAX_ENTRIES)
			return (u64)-E2BIG;
		m->used[i] = true;
		memcpy(m->keys[i], (const void *)(uintptr_t)key, m->desc.key_size);
	}
	if (i < 0)
		return (u64)-E2BIG;
	memcpy(m->values[i], (const void *)(uintptr_t)value, m->desc.value_size);
	return 0;
}

static __maybe_unused u64 vt_delete(u64 map, u64 key, u64 a3, u64 a4, u64 a5)
{
	struct vt_map *m = (struct vt_map *)(uintptr_t)map;
	int i = vt_map_find(m, (const void *)(uintptr_t)key);

	if (i < 0 || vt_is_array(m))
		return (u64)-ENOENT;
	m->used[i] = false;
	return 0;
}

static __maybe_unused u64 vt_const(u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	return 42;
}

static __maybe_unused u64 vt_zero(u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	return 0;
}

static __maybe_unused u64 vt_skb_load_bytes(u64 ctx, u64 off, u64 to, u64 len, u64 a5)
{
	const struct bpfdev_skb *skb = (const void *)(uintptr_t)ctx;

	return (u64)(s64)bpfdev_skb_load_bytes(skb, (u32)off, (void *)(uintptr_t)to, (u32)len);
}

static __maybe_unused u64 vt_skb_pay_offset(u64 ctx, u64 a2, u64 a3, u64 a4, u64 a5)
{
	return bpfdev_skb_pay_offset((const void *)(uintptr_t)ctx);
}

static __maybe_unused u64 vt_ringbuf_reserve(u64 map, u64 size, u64 flags, u64 a4, u64 a5)
{
	u64 p;

	if (size > sizeof(vt_ringbuf) - vt_ringbuf_used)
		return 0;
	p = (u64)(uintptr_t)&vt_ringbuf[vt_ringbuf_used];
	vt_ringbuf_used += (size + 7) & ~7ULL;
	return p;
}

static __maybe_unused u64 vt_ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 a5)
{
	u64 p = vt_ringbuf_reserve(map, size, 0, 0, 0);

	if (!p)
		return (u64)-EAGAIN;
	memcpy((void *)(uintptr_t)p, (const void *)(uintptr_t)data, size);
	return 0;
}

static const struct bpfdev_env vt_env = {
	.helpers = {
		[BPF_FUNC_map_lookup_elem] = vt_lookup,
		[BPF_FUNC_map_update_elem] = vt_update,
		[BPF_FUNC_map_delete_elem] = vt_delete,
		[BPF_FUNC_ktime_get_ns] = vt_const,
		[BPF_FUNC_trace_printk] = vt_zero,
		[BPF_FUNC_get_prandom_u32] = vt_const,
		[BPF_FUNC_get_smp_processor_id] = vt_zero,
		[BPF_FUNC_tail_call] = vt_zero,
		[BPF_FUNC_skb_load_bytes] = vt_skb_load_bytes,
		[BPF_FUNC_ktime_get_boot_ns] = vt_const,
		[BPF_FUNC_ringbuf_output] = vt_ringbuf_output,
		[BPF_FUNC_ringbuf_reserve] = vt_ringbuf_reserve,
		[BPF_FUNC_ringbuf_submit] = vt_zero,
		[BPF_FUNC_ringbuf_discard] = vt_zero,
		[BPF_FUNC_ringbuf_query] = vt_zero,
		[BPFDEV_FUNC_skb_pay_offset] = vt_skb_pay_offset,
	},
};

/* Helper results the program may then access: map values, ringbuf space. */
static __maybe_unused bool vt_helper_region(void *priv, u32 func_id, u64 ret, struct bpfdev_region *r)
{
	u32 i;

	if (func_id == BPF_FUNC_ringbuf_reserve) {
		*r = (struct bpfdev_region) {
			.addr = ret, .len = (uintptr_t)vt_ringbuf + sizeof(vt_ringbuf) - ret,
			.flags = BPFDEV_REGION_RW, .name = "ringbuf",
		};
		return true;
	}
	if (func_id != BPF_FUNC_map_lookup_elem)
		return false;
	for (i = 0; i < VT_ALL_MAPS; i++) {
		struct vt_map *m = &vt_maps[i];
		u64 lo = (uintptr_t)m->values;

		if (ret >= lo && ret < lo + sizeof(m->values)) {
			*r = (struct bpfdev_region) {
				.addr = ret, .len = m->desc.value_size,
				.flags = (m->desc.flags & BPF_F_RDONLY_PROG) ?
					 BPFDEV_REGION_READ : BPFDEV_REGION_RW,
				.name = "map value",
			};
			return true;
		}
	}
	return false;
}

/* Ethernet + IPv4 + TCP 1234 -> 80, then bytes counting up. */
static __maybe_unused void vt_make_packet(u8 *pkt, u32 len)
{
	static const u8 hdr[] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x32, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0x00, 0x50,
	};
	u32 i;

	for (i = 0; i < len; i++)
		pkt[i] = i < sizeof(hdr) ? hdr[i] : (u8)i;
}


#endif /* BPFDEV_TEST_VERIFIER_HOST_H */
