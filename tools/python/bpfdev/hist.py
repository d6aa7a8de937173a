# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Histograms printed as bcc 0.26 prints them (the same columns, the same
star bar, '+' when a value exceeds the scale), so scripts that parse bcc's
output parse ours."""

LOG2_SLOTS = 65
LINEAR_SLOTS = 1025
STARS = 40


def star_bar(val, val_max, width):
    """width * val / val_max stars (at most width), the last one '+' when
    val is beyond val_max."""
    n = 0
    while n <= width * val / val_max - 1 and n <= width - 1:
        n += 1
    bar = "*" * n
    if val > val_max:
        bar = bar[:-1] + "+"
    return bar


def _scan(vals):
    last, top = -1, 0
    for i, v in enumerate(vals):
        if v > 0:
            last = i
        top = max(top, v)
    return last, top


def format_log2(vals, val_type="value", strip_leading_zero=None):
    """The lines of a log2 histogram: vals[i] counts [2^(i-1), 2^i - 1]."""
    last, top = _scan(vals)
    if last <= 32:
        head, row, width = "     %-19s : count     distribution", \
            "%10d -> %-10d : %-8d |%-*s|", STARS
    else:
        head, row, width = "               %-29s : count     distribution", \
            "%20d -> %-20d : %-8d |%-*s|", STARS // 2
    lines = []
    if last > 0:
        lines.append(head % val_type)
    skipping = bool(strip_leading_zero)
    for i in range(1, last + 1):
        low, high = (1 << i) >> 1, (1 << i) - 1
        if low == high:
            low -= 1
        if skipping and not vals[i]:
            continue
        skipping = False
        lines.append(row % (low, high, vals[i], width, star_bar(vals[i], top, width)))
    return lines


def format_linear(vals, val_type="value", strip_leading_zero=None):
    last, top = _scan(vals)
    lines = []
    if last >= 0:
        lines.append("     %-13s : count     distribution" % val_type)
    skipping = bool(strip_leading_zero)
    for i in range(0, last + 1):
        if skipping and not vals[i]:
            continue
        skipping = False
        lines.append("        %-10d : %-8d |%-*s|" % (i, vals[i], STARS,
                                                       star_bar(vals[i], top, STARS)))
    return lines


def _sections(items, bucket_fn, bucket_sort_fn, slots):
    """Struct keys: {bucket (first member): slots (second member)}, in the
    order the buckets first appear (bcc's section order)."""
    tabs = {}
    for k, v in items:
        names = [f[0] for f in k._fields_]
        first, second = names[0], names[1]
        # A padding member after the bucket: the slot is the next one.
        if second.startswith("__pad_") and len(names) == 3:
            second = names[2]
        bucket = getattr(k, first)
        if bucket_fn:
            bucket = bucket_fn(bucket)
        vals = tabs.setdefault(bucket, [0] * slots)
        vals[getattr(k, second)] = v.value
    order = list(tabs)
    if bucket_sort_fn:
        order = bucket_sort_fn(order)
    return [(b, tabs[b]) for b in order]


def json_log2(vals, val_type="value", section=None, now=None):
    """bcc's -j record of a log2 histogram: a dict, printed as Python
    prints it (bcc prints the dict, not JSON), with slots 1 up to the last
    nonzero one as intervals [0, 1], [2, 3], [4, 7], ... (slot 0, the
    zeros, is left out, as bcc leaves it), stamped with the local time;
    section is (header, bucket) for a table keyed by a struct."""
    import time
    last = _scan(vals)[0]
    data = [{"interval-start": 0 if i == 1 else 1 << (i - 1),
             "interval-end": (1 << i) - 1,
             "count": int(vals[i])} for i in range(1, last + 1)]
    rec = {"ts": time.strftime("%Y-%m-%d %H:%M:%S", now or time.localtime()),
           "val_type": val_type, "data": data}
    if section:
        rec[section[0]] = section[1]
    return rec


def _table_slots(table, slots, name, bucket_fn, bucket_sort_fn):
    """[(bucket, vals)] of a table keyed by a struct (a histogram per
    bucket: LOG2_SLOTS each, linear ones too, as bcc's decode_c_struct), or
    [(None, vals)] of one keyed by the slot."""
    import ctypes as ct
    items = list(table.items())
    if issubclass(table.Key, ct.Structure):
        return _sections(items, bucket_fn, bucket_sort_fn, LOG2_SLOTS)
    vals = [0] * slots
    for k, v in items:
        idx = k.value if hasattr(k, "value") else int(k)
        if idx >= len(vals):
            raise IndexError("Index in %s() of %d exceeds max of %d." % (name, idx, len(vals)))
        vals[idx] = v.value
    return [(None, vals)]


def _section_name(section_print_fn, bucket):
    return section_print_fn(bucket) if section_print_fn else bucket


def print_table_hist(table, fmt, val_type, section_header, section_print_fn,
                     bucket_fn, strip_leading_zero, bucket_sort_fn, out):
    """A table's histogram(s): one per bucket when its key is a struct."""
    linear = fmt is format_linear
    for bucket, vals in _table_slots(table, LINEAR_SLOTS if linear else LOG2_SLOTS,
                                     "print_linear_hist" if linear else "print_log2_hist",
                                     bucket_fn, bucket_sort_fn):
        if bucket is not None:
            name = _section_name(section_print_fn, bucket)
            out("\n%s = %s" % (section_header, name if section_print_fn else repr(name)))
        for line in fmt(vals, val_type, strip_leading_zero):
            out(line)


def print_table_json(table, val_type, section_header, section_print_fn,
                     bucket_fn, bucket_sort_fn, out):
    """bcc's print_json_hist(): a record per bucket, or one."""
    for bucket, vals in _table_slots(table, LOG2_SLOTS, "print_json_hist",
                                     bucket_fn, bucket_sort_fn):
        section = None
        if bucket is not None:
            section = (section_header, _section_name(section_print_fn, bucket))
        out(str(json_log2(vals, val_type, section)))
