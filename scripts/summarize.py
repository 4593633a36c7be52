#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a test run of the UML (or qemu-s390x) test kernel.

A run directory holds what the test kernel left (tests/uml/init.sh and
tests/uml/test.sh on UML, scripts/s390-kunit.sh on s390x):

    kunit/<suite>.ktap      KTAP of each KUnit suite
    selftests/<name>.tap    TAP of each selftest, <name>.exit its status
    klog/NNN-<test>.log     the kernel log written during each test
    running                 the test that was running, if the run stopped
    health                  taint, lockdep and teardown facts after the run
    kmemleak.txt            the kmemleak report after the teardown
    console.log, uml-exit, status

The expected results are derived from the tree: every suite defined in
the KUnit sources (--kunit-src) and every selftest script
(--selftest-src), narrowed by --suite like the runners narrow them. Each
must report, every TAP plan must match its results, every selftest must
exit 0, every kernel report fails the test during which it appeared and
is printed with that test's name and its class. Ends with

    LABEL: N passed, M failed

and exits non-zero if anything failed.
"""

import argparse
import fnmatch
import glob
import os
import re
import sys

RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:- )?([^#]*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*$')
HEADER = re.compile(r'^(\s*)(?:K?TAP version \d+|# Subtest: )')
SUITE_DEF = re.compile(
    r'struct\s+kunit_suite\s+\w+\s*=\s*\{[^}]*?\.name\s*=\s*"([^"]+)"', re.S)

# Kernel log lines that mean a debug check fired, by class. The first
# class whose pattern matches names the line.
CLASSES = [
    ('KASAN', r'KASAN'),
    ('UBSAN', r'UBSAN'),
    ('kmemleak', r'kmemleak: \d+ new suspected|unreferenced object'),
    ('lockdep', r'possible circular locking|possible recursive locking|'
                r'inconsistent lock state|held lock freed|DEBUG_LOCKS_WARN_ON|'
                r'suspicious RCU usage|bad unlock balance|'
                r'lock held when returning|possible irq lock inversion|'
                r'lock\(s\) held|INFO: lockdep is turned off'),
    ('hung task', r'INFO: task .* blocked|soft lockup|hard LOCKUP|'
                  r'rcu: INFO: .* stall'),
    ('sleep in atomic', r'sleeping function called from invalid context'),
    ('corruption', r'list_add corruption|list_del corruption|refcount_t: |'
                   r'stack-protector|slab.*corrupt'),
    ('panic', r'Kernel panic|Oops|general protection fault|kernel BUG'),
    ('WARNING', r'WARNING: |-+\[ cut here \]-+'),
    ('BUG', r'BUG: |Call Trace:|ptrace set .* failed'),
]
CLASS_RES = [(name, re.compile(pat)) for name, pat in CLASSES]

# Leaks of the core kernel that kmemleak finds whatever the tests do:
# (function in the allocation's backtrace, task, why). None of our code
# calls these functions; such an object is listed as a note, not counted.
KNOWN_KERNEL_LEAKS = [
    ('partition_sched_domains_locked', 'kworker/',
     's390x, 6.12: at boot a kworker builds sched domains for the CPU '
     'topology and sched_init_domains() then replaces them without '
     'freeing them'),
]

# Taint bits that mean the kernel complained (kernel/panic.c's order).
TAINTS = {4: 'M (machine check)', 5: 'B (bad page / KASAN)', 7: 'D (died)',
          9: 'W (warning)', 14: 'L (soft lockup)'}


def classify(line):
    """The class of a kernel report line, or None."""
    # KUnit's own failure messages are counted as failed cases already.
    if '# ' in line and ('EXPECTATION' in line or 'ASSERTION' in line):
        return None
    for name, pattern in CLASS_RES:
        if pattern.search(line):
            return name
    return None


def indent_level(line):
    """KTAP nesting level: four columns per level."""
    text = line.expandtabs(4)
    return (len(text) - len(text.lstrip(' '))) // 4


def parse_ktap(lines):
    """Yield (name, status, directive) for each leaf result."""
    children = {}
    for line in lines:
        m = RESULT.match(line.rstrip('\n'))
        if not m:
            continue
        _, status, _, name, directive = m.groups()
        level = indent_level(line)
        had_children = children.get(level + 1, 0)
        children[level + 1] = 0
        children[level] = children.get(level, 0) + 1
        if had_children:
            if status == 'not ok' and not (directive or '').startswith('SKIP'):
                yield name + ' (as a whole)', 'parent-fail', directive or ''
            continue
        yield name, status, directive or ''


def plan_problems(lines):
    """Blocks whose plan does not match their results; a missing top plan."""
    problems = []
    blocks = {}     # level -> [plan, results, line number of its start]

    def close(from_level):
        for level in sorted([lv for lv in blocks if lv >= from_level],
                            reverse=True):
            plan, count, start = blocks.pop(level)
            if plan is not None and plan != count:
                problems.append(f'plan 1..{plan} at line {start} but '
                                f'{count} results (truncated TAP)')
            elif plan is None and level == 0:
                problems.append(f'no plan for the {count} results at the '
                                f'top level (truncated TAP)')

    for n, raw in enumerate(lines, 1):
        line = raw.rstrip('\n')
        if not line.strip():
            continue
        level = indent_level(line)
        if HEADER.match(line):
            if line.strip().startswith('# Subtest'):
                continue
            close(level)
            blocks[level] = [None, 0, n]
            continue
        m = PLAN.match(line)
        if m:
            block = blocks.setdefault(level, [None, 0, n])
            if block[0] is not None:
                problems.append(f'a second plan at line {n}')
            block[0] = int(m.group(2))
            continue
        if RESULT.match(line):
            close(level + 1)
            blocks.setdefault(level, [None, 0, n])[1] += 1
    close(0)
    if not any(RESULT.match(raw) for raw in lines):
        problems.append('no result at all')
    return problems


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


def expected_kunit(src, pattern):
    """Suites defined by the KUnit sources in SRC whose module matches."""
    suites = []
    for path in sorted(glob.glob(os.path.join(src, '*_kunit.c'))):
        module = os.path.basename(path)[:-2]
        if not fnmatch.fnmatch(module, pattern + '_kunit'):
            continue
        with open(path, errors='replace') as f:
            suites += SUITE_DEF.findall(f.read())
    return suites


def expected_selftests(src, pattern):
    names = []
    for path in sorted(glob.glob(os.path.join(src, '*.sh'))):
        name = os.path.basename(path)[:-3]
        if name != 'lib' and fnmatch.fnmatch(name, pattern):
            names.append(name)
    return names


def test_of_log(filename):
    """klog/NNN-kind-name.log -> 'kind name'."""
    stem = filename[:-4].split('-', 1)[-1]
    return stem.replace('-', ' ')


def klog_reports(run):
    """(test, class, line) for every report in the per-test kernel logs."""
    found = []
    kdir = os.path.join(run, 'klog')
    if not os.path.isdir(kdir):
        return found
    for name in sorted(os.listdir(kdir)):
        if not name.endswith('.log'):
            continue
        with open(os.path.join(kdir, name), errors='replace') as f:
            for line in f:
                cls = classify(line)
                if cls:
                    found.append((test_of_log(name), cls, line.rstrip()))
    return found


def console_reports(path, current='boot'):
    """(suite, class, line) for reports in a console stream, each named
    by the KUnit suite running when it appeared (or CURRENT)."""
    found = []
    if not os.path.exists(path):
        return found
    with open(path, errors='replace') as f:
        for line in f:
            m = re.search(r'^\s*(?:\[[^]]*\]\s*)?    # Subtest: (\S+)', line)
            if m:
                current = 'kunit ' + m.group(1)
            cls = classify(line)
            if cls:
                found.append((current, cls, line.rstrip()))
    return found


def kmemleak_objects(path):
    """The objects of a kmemleak report: (first line, task, text)."""
    objects = []
    if not os.path.exists(path):
        return objects
    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith('unreferenced object'):
                objects.append([line.strip(), '', ''])
            elif objects:
                m = re.match(r'\s*comm "([^"]*)"', line)
                if m:
                    objects[-1][1] = m.group(1)
                objects[-1][2] += line
    return objects


def known_kernel_leak(obj):
    """Why a kmemleak object is the core kernel's own known leak, or None."""
    _, comm, text = obj
    for function, task, why in KNOWN_KERNEL_LEAKS:
        if comm.startswith(task) and re.search(rf'\b{function}\+', text):
            return f'{function}, {comm}: {why}'
    return None


def kmemleak_verdict(run, reports):
    """Problems and notes of the teardown's kmemleak report; drops the
    kernel log's "N new suspected" lines from REPORTS if the report holds
    only known leaks of the core kernel, and exactly that many."""
    path = os.path.join(run, 'kmemleak.txt')
    objects = kmemleak_objects(path)
    if not objects and os.path.exists(path) and os.path.getsize(path) > 0:
        # Not in the form parsed here: the report counts as it stands.
        with open(path, errors='replace') as f:
            return ['[kmemleak] after the teardown: ' +
                    f.readline().strip()], []
    known = [(o[0], known_kernel_leak(o)) for o in objects]
    ours = [first for first, why in known if not why]
    notes = [f'[kmemleak, not ours] {first} ({why})'
             for first, why in known if why]
    said = [r for r in reports if r[1] == 'kmemleak']
    counted = sum(int(m.group(1)) for m in
                  (re.search(r'kmemleak: (\d+) new suspected', r[2])
                   for r in said) if m)
    if not ours and objects and counted == len(objects) and \
            all('new suspected' in r[2] for r in said):
        reports[:] = [r for r in reports if r[1] != 'kmemleak']
    problems = ['[kmemleak] after the teardown: ' + first for first in ours]
    return problems, notes


def health_problems(run):
    """Taint, lockdep and teardown facts the test kernel wrote at the end."""
    path = os.path.join(run, 'health')
    if not os.path.exists(path):
        return ['[harness] no health record: the run did not reach its teardown']
    problems = []
    with open(path, errors='replace') as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            if words[0] == 'tainted':
                value = int(words[1])
                for bit, what in TAINTS.items():
                    if value & (1 << bit):
                        problems.append(f'[tainted] the kernel is tainted {what}')
            elif words[0] == 'debug_locks' and words[1] != '1':
                problems.append('[lockdep disabled] lockdep turned itself off '
                                '(debug_locks 0): a lock report was lost or '
                                'later checks were not made')
            elif words[0] == 'teardown:':
                problems.append('[teardown] ' + ' '.join(words[1:]))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('run', help='directory of the run')
    ap.add_argument('--label', default='kunit', help='word of the last line')
    ap.add_argument('--kunit-src', help='directory of the KUnit sources whose '
                    'suites must report')
    ap.add_argument('--selftest-src', help='directory of the selftest scripts '
                    'that must report')
    ap.add_argument('--suite', default='*', help='the runners\' SUITE glob')
    ap.add_argument('--kunit-suite', help='glob of the KUnit modules that '
                    'ran, if not the --suite glob (the s390x selftest run '
                    'loads only the health suite\'s)')
    ap.add_argument('--always', default='',
                    help='comma separated KUnit modules that run whatever '
                    'the SUITE glob says')
    ap.add_argument('--console', action='store_true',
                    help='attribute kernel reports in console.log by suite '
                    '(kunit.py runs)')
    ap.add_argument('--kernel-log-only', action='store_true',
                    help='only look for debug reports and the health record')
    args = ap.parse_args()
    run = args.run

    reports = (console_reports(os.path.join(run, 'console.log'))
               if args.console else klog_reports(run))
    if args.kernel_log_only:
        problems = [f'{test}: [{cls}] {line}' for test, cls, line in reports]
        problems += health_problems(run)
        for p in problems[:40]:
            print('kernel log: ' + p)
        return 1 if problems else 0

    total_pass = total_fail = 0
    problems = []
    suites = {}
    kdir = os.path.join(run, 'kunit')
    if os.path.isdir(kdir):
        for f in sorted(os.listdir(kdir)):
            if f.endswith('.ktap'):
                suites[f[:-5]] = os.path.join(kdir, f)
    sdir = os.path.join(run, 'selftests')
    if os.path.isdir(sdir):
        for f in sorted(os.listdir(sdir)):
            if f.endswith('.tap'):
                suites['selftest:' + f[:-4]] = os.path.join(sdir, f)

    expected = []
    if args.kunit_src:
        expected += expected_kunit(args.kunit_src,
                                   args.kunit_suite or args.suite)
        for module in [m for m in args.always.split(',') if m]:
            expected += [s for s in expected_kunit(args.kunit_src,
                                                   module[:-6])
                         if s not in expected]
    if args.selftest_src:
        expected += ['selftest:' + s for s in
                     expected_selftests(args.selftest_src, args.suite)]
    for name in expected:
        if name not in suites:
            problems.append(f'[missing suite] {name} produced no results')
    if not suites:
        problems.append('[missing suite] no test produced results')

    width = max([len(s) for s in suites] + [10])
    for name, path in suites.items():
        p, f, s, failures, lines = suite_results(path)
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
        for why in plan_problems(lines):
            problems.append(f'[truncated TAP] {name}: {why}')
        if any(l.startswith('# harness: did not finish') for l in lines):
            problems.append(f'[time-out] {name} did not finish: it hung or '
                            'the kernel died while it ran')
        if name.startswith('selftest:'):
            problems += selftest_exit(path[:-4] + '.exit', name)

    problems += run_problems(run)
    if not args.console and not os.path.exists(os.path.join(run, 'status')):
        # The kernel died or hung: what it printed last is on the console.
        reports += console_reports(os.path.join(run, 'console.log'),
                                   running_test(run) or 'the last test')
    notes = []
    if not args.console:
        leaks, notes = kmemleak_verdict(run, reports)
        problems += leaks
    for test, cls, line in reports:
        # Without the time stamp, a report repeated in a loop is one line.
        text = re.sub(r'^\s*\[\s*[0-9.]+\]\s*', '', line)
        problems.append(f'[{cls}] during {test}: {text.strip()}')
    if not args.console:
        problems += health_problems(run)

    if problems:
        print('  problems:')
        seen = {}
        for p in problems:
            seen[p] = seen.get(p, 0) + 1
        for p, times in list(seen.items())[:60]:
            print('    ' + p + (f' ({times} times)' if times > 1 else ''))
        if len(seen) > 60:
            print(f'    ... and {len(seen) - 60} more')
        total_fail += len(seen)
    for note in notes:
        print('  note: ' + note)
    print(f'  logs: {run}')
    print(f'{args.label}: {total_pass} passed, {total_fail} failed')
    return 1 if total_fail else 0


def selftest_exit(path, name):
    if not os.path.exists(path):
        return [f'[exit status] {name}: no exit status recorded']
    with open(path) as f:
        code = f.read().strip()
    if code == '0':
        return []
    if code == '124':
        return [f'[time-out] {name} timed out and was killed']
    return [f'[exit status] {name} exited with status {code}']


def running_test(run):
    """The test the runner recorded as running, if it never ended."""
    path = os.path.join(run, 'running')
    if not os.path.exists(path):
        return ''
    with open(path) as f:
        return f.read().strip()


def run_problems(run):
    """How the test kernel (or kunit.py) ended, and what was running."""
    problems = []
    path = os.path.join(run, 'kunit-load-failed')
    if os.path.exists(path):
        with open(path) as f:
            for module in f.read().split():
                problems.append(f'[missing suite] module {module} failed '
                                'to load')
    running = running_test(run)
    where = f' while running {running}' if running else ''
    exit_file = os.path.join(run, 'uml-exit')
    if os.path.exists(exit_file):
        with open(exit_file) as f:
            code = f.read().strip()
        if code == '124':
            problems.append(f'[time-out] the test kernel timed out{where}')
        elif code != '0':
            problems.append(f'[exit status] the test kernel (or kunit.py) '
                            f'exited with {code}{where}')
    console = os.path.join(run, 'console.log')
    if os.path.exists(console):
        with open(console, errors='replace') as f:
            for line in f:
                if re.search(r'timed out after \d+ seconds', line):
                    problems.append(f'[time-out] {line.strip()}{where}')
    status = os.path.join(run, 'status')
    if os.path.exists(status):
        with open(status) as f:
            code = f.read().strip()
        if code != '0':
            problems.append(f'[exit status] the test run failed '
                            f'(status {code}){where}')
    elif os.path.exists(exit_file):
        problems.append(f'[time-out] the test kernel did not finish{where}')
    return problems


if __name__ == '__main__':
    sys.exit(main())
