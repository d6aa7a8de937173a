/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the verifier's clang-built test programs need: section names,
 * helper declarations by kernel id, legacy map definitions.
 */
#ifndef VT_BPF_H
#define VT_BPF_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#define SEC(name)	__attribute__((section(name), used))
#define __noinline	__attribute__((noinline))

/* Legacy map definitions in the "maps" section, as libbpf once took them. */
struct vt_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value,
				   unsigned long long flags) = (void *)2;
static long (*bpf_skb_load_bytes)(const void *skb, unsigned int offset, void *to,
				  unsigned int len) = (void *)26;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, unsigned long long size,
				    unsigned long long flags) = (void *)131;
static void (*bpf_ringbuf_submit)(void *data, unsigned long long flags) = (void *)132;

#define bpf_htons(x)	__builtin_bswap16(x)

#endif
