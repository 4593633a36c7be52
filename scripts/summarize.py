#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a test run of the UML (or qemu-s390x) test kernel.

Reads the KTAP results of every KUnit suite (RUN/kunit/*.ktap or a raw
console log with --console), the TAP output of the selftests
(RUN/selftests/*.tap) and the kernel log (RUN/dmesg.log, RUN/console.log).
Prints one line per suite, every failure, every debug report found in
the kernel log, and ends with

    kunit: N passed, M failed

where a failed case, a suite that produced no results, a crash, a time-out
or a KASAN/lockdep/UBSAN/kmemleak report, WARNING or BUG each count as
one failure. Exits non-zero if anything failed.
"""

import argparse
import os
import re
import sys

RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:- )?([^#]*?)\s*(?:#\s*(.*))?$')

# Kernel log lines that mean a debug check fired.
REPORTS = [
    r'BUG: ', r'WARNING: ', r'KASAN', r'UBSAN', r'kmemleak: \d+ new suspected',
    r'unreferenced object', r'possible circular locking',
    r'possible recursive locking', r'inconsistent lock state',
    r'suspicious RCU usage', r'INFO: task .* blocked',
    r'Kernel panic', r'Oops', r'general protection fault',
    r'stack-protector', r'list_add corruption', r'list_del corruption',
    r'refcount_t: ', r'DEBUG_LOCKS_WARN_ON', r'held lock freed',
    r'sleeping function called from invalid context', r'Call Trace:',
    r'ptrace set .* failed',
]
REPORT_RE = re.compile('|'.join(REPORTS))


def parse_ktap(lines):
    """Yield (name, status, directive) for each leaf result."""
    children = {}
    for line in lines:
        m = RESULT.match(line.rstrip('\n'))
        if not m:
            continue
        indent, status, _, name, directive = m.groups()
        level = len(indent.expandtabs(4)) // 4
        had_children = children.get(level + 1, 0)
        children[level + 1] = 0
        children[level] = children.get(level, 0) + 1
        if had_children:
            if status == 'not ok' and not (directive or '').startswith('SKIP'):
                yield name + ' (as a whole)', 'parent-fail', directive or ''
            continue
        yield name, status, directive or ''


def suite_results(path):
    with open(path, errors='replace') as f:
        lines = f.readlines()
    passed, failed, skipped, failures = 0, 0, 0, []
    for name, status, directive in parse_ktap(lines):
        if directive.startswith('SKIP'):
            skipped += 1
        elif status == 'ok':
            passed += 1
        elif status == 'parent-fail':
            # Counted only if no leaf below it failed.
            if not failures:
                failed += 1
                failures.append(name)
        else:
            failed += 1
            failures.append(name)
    return passed, failed, skipped, failures, lines


def kernel_reports(run):
    found = []
    for name in ('dmesg.log', 'console.log'):
        path = os.path.join(run, name)
        if not os.path.exists(path):
            continue
        with open(path, errors='replace') as f:
            for line in f:
                # KUnit's own failure messages are counted as failures already.
                if '# ' in line and ('EXPECTATION' in line or 'ASSERTION' in line):
                    continue
                if REPORT_RE.search(line):
                    found.append(line.rstrip())
        if found:
            break
    leak = os.path.join(run, 'kmemleak.txt')
    if os.path.exists(leak) and os.path.getsize(leak) > 0:
        with open(leak, errors='replace') as f:
            found.append('kmemleak: ' + f.readline().strip())
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('run', help='directory of the run')
    ap.add_argument('--label', default='kunit', help='word of the last line')
    ap.add_argument('--expect', default='',
                    help='comma separated suites that must have results')
    ap.add_argument('--console', action='store_true',
                    help='read KTAP from console.log (kunit.py style runs)')
    ap.add_argument('--kernel-log-only', action='store_true',
                    help='only look for debug reports in the kernel log')
    args = ap.parse_args()

    if args.kernel_log_only:
        reports = kernel_reports(args.run)
        for report in reports[:20]:
            print('kernel log: ' + report)
        return 1 if reports else 0

    total_pass = total_fail = 0
    problems = []
    suites = {}
    kdir = os.path.join(args.run, 'kunit')
    if os.path.isdir(kdir):
        for f in sorted(os.listdir(kdir)):
            if f.endswith('.ktap'):
                suites[f[:-5]] = os.path.join(kdir, f)
    sdir = os.path.join(args.run, 'selftests')
    if os.path.isdir(sdir):
        for f in sorted(os.listdir(sdir)):
            if f.endswith('.tap'):
                suites['selftest:' + f[:-4]] = os.path.join(sdir, f)

    for name in [s for s in args.expect.split(',') if s]:
        if name not in suites:
            problems.append(f'suite {name} produced no results')

    if not suites:
        problems.append('no test produced results')
    width = max([len(s) for s in suites] + [10])
    for name, path in suites.items():
        p, f, s, failures, lines = suite_results(path)
        if p + f == 0:
            problems.append(f'suite {name} ran no test')
        total_pass += p
        total_fail += f
        extra = f', {s} skipped' if s else ''
        print(f'  {name:<{width}}  {p:4d} passed, {f} failed{extra}')
        for fail in failures:
            print(f'      FAILED: {fail}')
        if f:
            for line in lines:
                if 'EXPECTATION FAILED' in line or 'ASSERTION FAILED' in line \
                        or re.match(r'^\s+# .*(Expected|but|==|!=)', line):
                    print('      ' + line.strip())

    for path in ('kunit-load-failed',):
        full = os.path.join(args.run, path)
        if os.path.exists(full):
            with open(full) as f:
                for mod in f.read().split():
                    problems.append(f'module {mod} failed to load')

    status = os.path.join(args.run, 'status')
    exit_file = os.path.join(args.run, 'uml-exit')
    if os.path.exists(exit_file):
        with open(exit_file) as f:
            code = f.read().strip()
        if code == '124':
            problems.append('the test kernel timed out')
        if not os.path.exists(status):
            problems.append(f'the test kernel did not finish (exit {code})')
    if os.path.exists(status):
        with open(status) as f:
            code = f.read().strip()
        if code != '0':
            problems.append(f'the test run failed (status {code})')

    for report in kernel_reports(args.run):
        problems.append('kernel log: ' + report)

    if problems:
        print('  problems:')
        seen = set()
        for p in problems:
            if p in seen:
                continue
            seen.add(p)
            print('    ' + p)
        total_fail += len(seen)
    print(f'  logs: {args.run}')
    print(f'{args.label}: {total_pass} passed, {total_fail} failed')
    return 1 if total_fail else 0


if __name__ == '__main__':
    sys.exit(main())
