#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-table.py RESULTS: print the benchmark results as tables.

RESULTS holds lines "CONFIG N OPERATION MEDIAN_US P99_US RATIO" from
apbench and "CONFIG - KEY VALUE ..." from the bus measurements. For each
host configuration: one row per operation, one column per number of
mdevs (median us, p99 us, ratio to the floor of the same run), and the
goals: every mutating operation at most 3x the floor with one mdev, and
at most 1.5x its own one-mdev time with the most mdevs.

Lines "CONFIG N OPERATION kernel MEDIAN_US P99_US" give the time each
operation took inside the kernel (its trace event) and "CONFIG N
reference xa_load_ns X bitmap_pass_ns Y" the reference costs of the same
run. Their table: the in-kernel median per number of mdevs, its growth
from the fewest to the most mdevs, and its multiple of one xarray lookup
plus one pass over a 256-bit bitmap, with the goal for each operation
that moves no queue: at most 1.1x its one-mdev time with the most (or
no more than one step of the kernel's clock above it)."""

import collections
import sys

# Operations that move no queue: the in-kernel goal applies to them.
NO_MOVE = ['assign_adapter', 'unassign_adapter', 'assign_domain',
           'unassign_domain', 'assign_control_domain',
           'unassign_control_domain', 'ap_config', 'ap_config_back',
           'apmask_norebind', 'apmask_norebind_back', 'mdev_create',
           'mdev_remove', 'guest_open', 'guest_close']

MUTATING = ['assign_adapter', 'unassign_adapter', 'assign_domain',
            'unassign_domain', 'assign_control_domain',
            'unassign_control_domain', 'ap_config', 'ap_config_back',
            'apmask_norebind', 'apmask_norebind_back', 'mdev_create',
            'mdev_remove']


def main():
    rows = collections.OrderedDict()
    bus = collections.OrderedDict()
    kern = collections.OrderedDict()
    ref = {}
    for line in open(sys.argv[1]):
        f = line.split()
        if len(f) >= 3 and f[1] == '-':
            bus.setdefault(f[0], []).append(' '.join(f[2:]))
        elif len(f) == 6 and f[3] == 'kernel':
            kern.setdefault(f[0], collections.OrderedDict()).setdefault(
                f[2], {})[int(f[1])] = float(f[4])
        elif len(f) >= 7 and f[2] == 'reference':
            step = float(f[8]) / 1000 if len(f) >= 9 else 0
            ref[(f[0], int(f[1]))] = ((float(f[4]) + float(f[6])) / 1000,
                                      step)
        elif len(f) == 6:
            cfg, n, op, med, p99, ratio = f
            rows.setdefault(cfg, collections.OrderedDict()).setdefault(
                op, {})[int(n)] = (float(med), float(p99), float(ratio))
    missed = 0
    for cfg in list(bus) + [c for c in rows if c not in bus]:
        print(f'== host configuration {cfg}')
        for item in bus.get(cfg, []):
            print(f'   {item}')
        ops = rows.get(cfg, {})
        ns = sorted({n for op in ops.values() for n in op})
        if not ns:
            continue
        head = ''.join(f'{str(n) + " mdev" + ("s" if n > 1 else ""):>24}'
                       for n in ns)
        print(f'   {"operation":<26}{head}')
        print(f'   {"":<26}' + ''.join(f'{"med   p99   x floor":>24}'
                                       for _ in ns))
        for op, by_n in ops.items():
            cells = ''
            for n in ns:
                med, p99, ratio = by_n.get(n, (0, 0, 0))
                cells += f'{med:>9.1f} {p99:>7.1f} {ratio:>5.2f}x'
            note = ''
            if op in MUTATING and ns:
                first, last = by_n.get(ns[0]), by_n.get(ns[-1])
                scale = last[0] / first[0] if first and last and first[0] else 0
                ok = first and first[2] <= 3.0 and scale <= 1.5
                note = (f'  {"ok" if ok else "MISSED"} '
                        f'({scale:.2f}x at {ns[-1]})')
                missed += not ok
            print(f'   {op:<26}{cells}{note}')
        missed_k = kernel_table(cfg, kern.get(cfg, {}), ref)
        missed += missed_k
    print(f'goals missed: {missed}')
    return 0


def kernel_table(cfg, ops, ref):
    """The in-kernel table of one configuration; returns goals missed."""
    ns = sorted({n for op in ops.values() for n in op})
    if not ns:
        return 0
    missed = 0
    head = ''.join(f'{str(n) + " mdev" + ("s" if n > 1 else ""):>12}'
                   for n in ns)
    print(f'   in the kernel, median us{head}   growth  x (xa_load + bitmap pass)')
    for n in ns:
        if (cfg, n) in ref:
            print(f'   reference at {n}: one xa_load + one 256-bit pass = '
                  f'{ref[(cfg, n)][0] * 1000:.0f} ns, clock step '
                  f'{ref[(cfg, n)][1] * 1000:.0f} ns')
    for op, by_n in ops.items():
        cells = ''.join(f'{by_n.get(n, 0):>12.2f}' for n in ns)
        first, last = by_n.get(ns[0], 0), by_n.get(ns[-1], 0)
        scale = last / first if first else 0
        r, step = ref.get((cfg, ns[-1]), (0, 0))
        mult = f'{last / r:8.0f}x' if r else '        '
        note = ''
        if op in NO_MOVE:
            # One step of the kernel's clock is below what it can tell.
            ok = scale <= 1.1 or last - first <= 1.5 * step
            note = f'  {"ok" if ok else "MISSED"}'
            missed += not ok
        print(f'   {op:<24}{cells}  {scale:5.2f}x {mult}{note}')
    return missed


if __name__ == '__main__':
    sys.exit(main())
