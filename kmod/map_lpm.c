// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_LPM_TRIE: longest-prefix match over struct
 * bpf_lpm_trie_key (u32 prefixlen, then the data bytes, network order),
 * the kernel's trie (kernel/bpf/lpm_trie.c): each node holds a prefix;
 * intermediate nodes (no value) join two subtrees whose prefixes diverge.
 *
 * Lookups walk the trie under RCU; writers take the map's lock and
 * allocate nodes with GFP_NOWAIT (programs may update from softirq);
 * replaced nodes are freed after a grace period.  As in the kernel,
 * BPF_F_NO_PREALLOC is required.
 */

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "map.h"

#define LPM_DATA_SIZE_MAX	256
#define LPM_NODE_IM		BIT(0)
#define LPM_KEY_SIZE(n)		(sizeof(struct bpf_lpm_trie_key) + (n))
#define BPFDEV_LPM_FLAGS	(BPF_F_NO_PREALLOC | BPF_F_RDONLY | \
				 BPF_F_WRONLY | BPF_F_RDONLY_PROG | \
				 BPF_F_WRONLY_PROG | BPF_F_NUMA_NODE)

struct lpm_node {
	struct rcu_head		rcu;
	struct lpm_node __rcu	*child[2];
	u32			prefixlen;
	u32			flags;
	u8			data[];	/* data_size bytes, then the value */
};

struct bpfdev_lpm {
	struct bpfdev_map	map;
	struct lpm_node __rcu	*root;
	u32			n_entries;
	u32			data_size;
	u32			max_prefixlen;
	spinlock_t		lock;		/* writers */
};

static struct bpfdev_lpm *to_lpm(struct bpfdev_map *map)
{
	return container_of(map, struct bpfdev_lpm, map);
}

static u32 lpm_extract_bit(const u8 *data, u32 index)
{
	return !!(data[index / 8] & (1 << (7 - (index % 8))));
}

/* How many leading bits node and key share, at most both prefix lengths. */
static u32 lpm_match(const struct bpfdev_lpm *trie, const struct lpm_node *node,
		     const struct bpf_lpm_trie_key *key)
{
	u32 limit = min(node->prefixlen, key->prefixlen);
	u32 prefixlen = 0, i, b;

	for (i = 0; i < trie->data_size; i++) {
		b = 8 - fls(node->data[i] ^ key->data[i]);
		prefixlen += b;
		if (prefixlen >= limit)
			return limit;
		if (b < 8)
			break;
	}
	return prefixlen;
}

static int bpfdev_lpm_check(const union bpf_attr *attr)
{
	u32 data_size = attr->key_size - sizeof(struct bpf_lpm_trie_key);
	u64 node = sizeof(struct lpm_node) + LPM_DATA_SIZE_MAX;

	if (!attr->max_entries || !(attr->map_flags & BPF_F_NO_PREALLOC) ||
	    (attr->map_flags & ~BPFDEV_LPM_FLAGS))
		return -EINVAL;
	if (attr->key_size < LPM_KEY_SIZE(1) ||
	    attr->key_size > LPM_KEY_SIZE(LPM_DATA_SIZE_MAX) ||
	    !attr->value_size ||
	    attr->value_size > KMALLOC_MAX_SIZE - node)
		return -EINVAL;
	/* Each entry may bring one intermediate node. */
	return bpfdev_map_check_size(2ULL * attr->max_entries *
				     (sizeof(struct lpm_node) + data_size +
				      attr->value_size));
}

static struct bpfdev_map *bpfdev_lpm_alloc(const union bpf_attr *attr)
{
	struct bpfdev_lpm *trie;

	trie = kzalloc(sizeof(*trie), GFP_KERNEL_ACCOUNT);
	if (!trie)
		return ERR_PTR(-ENOMEM);
	trie->data_size = attr->key_size - sizeof(struct bpf_lpm_trie_key);
	trie->max_prefixlen = trie->data_size * 8;
	spin_lock_init(&trie->lock);
	return &trie->map;
}

void *bpfdev_lpm_lookup(struct bpfdev_map *map, const void *_key)
{
	struct bpfdev_lpm *trie = to_lpm(map);
	const struct bpf_lpm_trie_key *key = _key;
	struct lpm_node *node, *found = NULL;
	u32 matchlen, next_bit;

	if (key->prefixlen > trie->max_prefixlen)
		return NULL;
	for (node = rcu_dereference(trie->root); node;) {
		matchlen = lpm_match(trie, node, key);
		if (matchlen == trie->max_prefixlen) {
			found = node;
			break;
		}
		if (matchlen < node->prefixlen)
			break;
		if (!(node->flags & LPM_NODE_IM))
			found = node;
		next_bit = lpm_extract_bit(key->data, node->prefixlen);
		node = rcu_dereference(node->child[next_bit]);
	}
	return found ? found->data + trie->data_size : NULL;
}

static struct lpm_node *lpm_node_alloc(struct bpfdev_lpm *trie, const void *value)
{
	struct lpm_node *node;
	size_t size = sizeof(*node) + trie->data_size;

	if (value)
		size += trie->map.value_size;
	node = kmalloc(size, GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!node)
		return NULL;
	node->flags = 0;
	RCU_INIT_POINTER(node->child[0], NULL);
	RCU_INIT_POINTER(node->child[1], NULL);
	if (value)
		memcpy(node->data + trie->data_size, value, trie->map.value_size);
	return node;
}

#define lpm_deref(trie, p)	rcu_dereference_protected(p, lockdep_is_held(&(trie)->lock))

static long bpfdev_lpm_update(struct bpfdev_map *map, const void *_key,
			      const void *value, u64 flags)
{
	struct bpfdev_lpm *trie = to_lpm(map);
	const struct bpf_lpm_trie_key *key = _key;
	struct lpm_node *node, *im, *new = NULL;
	struct lpm_node __rcu **slot;
	unsigned long irqflags;
	u32 matchlen = 0;
	bool exists;
	int err = 0;

	if (unlikely(flags > BPF_EXIST))
		return -EINVAL;
	if (key->prefixlen > trie->max_prefixlen)
		return -EINVAL;

	spin_lock_irqsave(&trie->lock, irqflags);
	slot = &trie->root;
	while ((node = lpm_deref(trie, *slot))) {
		matchlen = lpm_match(trie, node, key);
		if (node->prefixlen != matchlen ||
		    node->prefixlen == key->prefixlen ||
		    node->prefixlen == trie->max_prefixlen)
			break;
		slot = &node->child[lpm_extract_bit(key->data, node->prefixlen)];
	}
	exists = node && node->prefixlen == key->prefixlen &&
		 matchlen == key->prefixlen && !(node->flags & LPM_NODE_IM);
	if (exists && flags == BPF_NOEXIST) {
		err = -EEXIST;
		goto out;
	}
	if (!exists && flags == BPF_EXIST) {
		err = -ENOENT;
		goto out;
	}
	if (!exists && trie->n_entries == map->max_entries) {
		err = -ENOSPC;
		goto out;
	}
	new = lpm_node_alloc(trie, value);
	if (!new) {
		err = -ENOMEM;
		goto out;
	}
	new->prefixlen = key->prefixlen;
	memcpy(new->data, key->data, trie->data_size);
	if (!exists)
		trie->n_entries++;

	if (!node) {
		rcu_assign_pointer(*slot, new);
		goto out;
	}
	if (node->prefixlen == matchlen && node->prefixlen == key->prefixlen) {
		/* The same prefix: the new node takes the old one's place. */
		RCU_INIT_POINTER(new->child[0], lpm_deref(trie, node->child[0]));
		RCU_INIT_POINTER(new->child[1], lpm_deref(trie, node->child[1]));
		rcu_assign_pointer(*slot, new);
		kfree_rcu(node, rcu);
		goto out;
	}
	if (matchlen == key->prefixlen) {
		/* The new prefix covers node: it becomes node's parent. */
		RCU_INIT_POINTER(new->child[lpm_extract_bit(node->data, matchlen)],
				 node);
		rcu_assign_pointer(*slot, new);
		goto out;
	}
	im = lpm_node_alloc(trie, NULL);
	if (!im) {
		trie->n_entries--;
		kfree(new);
		err = -ENOMEM;
		goto out;
	}
	im->prefixlen = matchlen;
	im->flags = LPM_NODE_IM;
	memcpy(im->data, node->data, trie->data_size);
	if (lpm_extract_bit(key->data, matchlen)) {
		RCU_INIT_POINTER(im->child[0], node);
		RCU_INIT_POINTER(im->child[1], new);
	} else {
		RCU_INIT_POINTER(im->child[0], new);
		RCU_INIT_POINTER(im->child[1], node);
	}
	rcu_assign_pointer(*slot, im);
out:
	spin_unlock_irqrestore(&trie->lock, irqflags);
	return err;
}

static long bpfdev_lpm_delete(struct bpfdev_map *map, const void *_key)
{
	struct bpfdev_lpm *trie = to_lpm(map);
	const struct bpf_lpm_trie_key *key = _key;
	struct lpm_node __rcu **trim, **trim2;
	struct lpm_node *node, *parent = NULL, *c0, *c1;
	unsigned long irqflags;
	u32 matchlen = 0;
	int err = 0;

	if (key->prefixlen > trie->max_prefixlen)
		return -EINVAL;
	spin_lock_irqsave(&trie->lock, irqflags);
	trim = &trie->root;
	trim2 = trim;
	while ((node = lpm_deref(trie, *trim))) {
		matchlen = lpm_match(trie, node, key);
		if (node->prefixlen != matchlen ||
		    node->prefixlen == key->prefixlen)
			break;
		parent = node;
		trim2 = trim;
		trim = &node->child[lpm_extract_bit(key->data, node->prefixlen)];
	}
	if (!node || node->prefixlen != key->prefixlen ||
	    node->prefixlen != matchlen || (node->flags & LPM_NODE_IM)) {
		err = -ENOENT;
		goto out;
	}
	trie->n_entries--;
	c0 = lpm_deref(trie, node->child[0]);
	c1 = lpm_deref(trie, node->child[1]);
	if (c0 && c1) {
		/* Still joins two subtrees: keep it, without a value. */
		node->flags |= LPM_NODE_IM;
		goto out;
	}
	if (parent && (parent->flags & LPM_NODE_IM) && !c0 && !c1) {
		/* The parent joined node and a sibling: the sibling replaces it. */
		if (node == lpm_deref(trie, parent->child[0]))
			rcu_assign_pointer(*trim2, lpm_deref(trie, parent->child[1]));
		else
			rcu_assign_pointer(*trim2, lpm_deref(trie, parent->child[0]));
		kfree_rcu(parent, rcu);
		kfree_rcu(node, rcu);
		goto out;
	}
	rcu_assign_pointer(*trim, c0 ?: c1);
	kfree_rcu(node, rcu);
out:
	spin_unlock_irqrestore(&trie->lock, irqflags);
	return err;
}

/*
 * Post-order walk (children before parents, as the kernel's
 * trie_get_next_key()): the entry after key, or the first entry when key
 * is NULL or absent.
 */
static int bpfdev_lpm_get_next_key(struct bpfdev_map *map, const void *_key,
				   void *_next)
{
	struct bpfdev_lpm *trie = to_lpm(map);
	const struct bpf_lpm_trie_key *key = _key;
	struct bpf_lpm_trie_key *next = _next;
	struct lpm_node **stack, *node, *peek, *last = NULL, *first = NULL;
	struct lpm_node *result = NULL;
	bool found = false;
	unsigned long irqflags;
	u32 sp = 0;

	stack = kmalloc_array(trie->max_prefixlen + 2, sizeof(*stack),
			      GFP_KERNEL | __GFP_NOWARN);
	if (!stack)
		return -ENOMEM;
	spin_lock_irqsave(&trie->lock, irqflags);
	node = lpm_deref(trie, trie->root);
	while (sp || node) {
		if (node) {
			stack[sp++] = node;
			node = lpm_deref(trie, node->child[0]);
			continue;
		}
		peek = stack[sp - 1];
		node = lpm_deref(trie, peek->child[1]);
		if (node && node != last)
			continue;
		node = NULL;
		last = peek;
		sp--;
		if (peek->flags & LPM_NODE_IM)
			continue;
		if (!first)
			first = peek;
		if (found) {
			result = peek;
			break;
		}
		if (key && peek->prefixlen == key->prefixlen &&
		    lpm_match(trie, peek, key) == key->prefixlen)
			found = true;
	}
	if (!found)
		result = first;
	if (result) {
		next->prefixlen = result->prefixlen;
		memcpy(next->data, result->data, trie->data_size);
	}
	spin_unlock_irqrestore(&trie->lock, irqflags);
	kfree(stack);
	return result ? 0 : -ENOENT;
}

static void bpfdev_lpm_free(struct bpfdev_map *map)
{
	struct bpfdev_lpm *trie = to_lpm(map);
	struct lpm_node *node, *child;
	struct lpm_node __rcu **slot;

	/* No reader is left: unlink and free leaves until the root goes. */
	while ((node = rcu_dereference_protected(trie->root, 1))) {
		slot = &trie->root;
		for (;;) {
			child = rcu_dereference_protected(node->child[0], 1);
			if (child) {
				slot = &node->child[0];
				node = child;
				continue;
			}
			child = rcu_dereference_protected(node->child[1], 1);
			if (child) {
				slot = &node->child[1];
				node = child;
				continue;
			}
			break;
		}
		RCU_INIT_POINTER(*slot, NULL);
		kfree(node);
		cond_resched();
	}
	kfree(trie);
}

const struct bpfdev_map_ops bpfdev_lpm_ops = {
	.check		= bpfdev_lpm_check,
	.alloc		= bpfdev_lpm_alloc,
	.free		= bpfdev_lpm_free,
	.lookup		= bpfdev_lpm_lookup,
	.update		= bpfdev_lpm_update,
	.delete		= bpfdev_lpm_delete,
	.get_next_key	= bpfdev_lpm_get_next_key,
};
