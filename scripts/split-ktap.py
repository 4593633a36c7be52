#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""split-ktap.py LOG DIR: cut the KTAP stream of a kernel console log into
one DIR/<suite>.ktap file per top-level KUnit suite, as the UML runs leave
them (from debugfs), so that summarize.py reads both the same way.

A suite that started and never printed its result line (it hung, the
kernel died, or kunit.py's time-out stopped the machine) is written with
what it printed and a last line "# harness: did not finish", which the
summary reports with the suite's name."""

import os
import re
import sys


def write(outdir, suite, chunk, finished):
    with open(os.path.join(outdir, suite + '.ktap'), 'w') as f:
        f.write('KTAP version 1\n1..1\n' + '\n'.join(chunk) + '\n')
        if not finished:
            f.write('# harness: did not finish\n')


def main():
    log, outdir = sys.argv[1], sys.argv[2]
    with open(log, errors='replace') as f:
        lines = f.read().splitlines()
    start = next((i for i, l in enumerate(lines)
                  if re.search(r'K?TAP version \d+', l)), None)
    if start is None:
        return 0
    col = re.search(r'K?TAP version \d+', lines[start]).start()
    suite, chunk = None, []
    for line in lines[start:]:
        line = line[col:] if len(line) >= col else ''
        m = re.match(r'^    # Subtest: (\S+)', line)
        if m:
            if suite is not None:
                write(outdir, suite, chunk, False)
            suite, chunk = m.group(1), []
        if suite is None:
            continue
        chunk.append(line)
        if re.match(r'^(not )?ok \d+ ' + re.escape(suite) + r'\b', line):
            write(outdir, suite, chunk, True)
            suite = None
    if suite is not None:
        write(outdir, suite, chunk, False)
    return 0


if __name__ == '__main__':
    sys.exit(main())
