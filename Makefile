# SPDX-License-Identifier: GPL-2.0
#
# Entry points. The kernel build goes through Kbuild (this directory's
# Kbuild file) via scripts/modules.sh; nothing here needs a kernel
# installed on the machine: the first run installs the Debian packages it
# needs and builds its test kernels into a cache ($APVFIO_CACHE, default
# ~/.cache/apvfio).

SHELL := /bin/bash

.PHONY: all test demo shell check kunit-uml kunit-s390 selftests-s390 kernel \
	modules help stress fuzz bench test-harness s390x-lock two-hosts

all: help

help:
	@echo "make test      the whole test run (UML + s390x + static checks)"
	@echo "make demo      replay the specification's example"
	@echo "make test-harness  the mutation test of the test harness itself"
	@echo "make shell     an interactive shell in the demo's environment"
	@echo "make check     sparse, checkpatch --strict, kernel-doc -Wall"
	@echo "make kunit-uml KUnit suites in the UML debug kernel (SUITE=glob)"
	@echo "make two-hosts a live migration between two UML kernels"
	@echo "make kunit-s390  KUnit suites on s390x under qemu (SUITE=glob)"
	@echo "make selftests-s390  the selftests natively on s390x under qemu (SUITE=glob)"
	@echo "make stress    a long concurrent stress run (STRESS_OPS, STRESS_SEED)"
	@echo "make fuzz      fuzz the pure parsers for FUZZ_SECONDS (default 600)"
	@echo "make bench     latencies and memory in a kernel without debug options"
	@echo "make modules   build the modules against the UML kernel"
	@echo "make s390x-lock  lock the s390x user space at what Debian has now"

test:
	@scripts/test.sh

test-harness:
	@scripts/test-harness.sh

two-hosts:
	@scripts/two-hosts.sh

demo:
	@scripts/demo.sh

check:
	@scripts/setup-host.sh
	@scripts/check.sh

shell:
	@scripts/setup-host.sh
	@scripts/uml-run.sh shell debug

kunit-uml:
	@scripts/setup-host.sh
	@run=$$(scripts/uml-run.sh test debug) && . scripts/lib.sh && summarize_uml "$$run" kunit

kunit-s390:
	@scripts/setup-host.sh
	@run=$$(scripts/s390-kunit.sh) && . scripts/lib.sh && summarize_s390 "$$run" kunit

selftests-s390:
	@scripts/setup-host.sh
	@run=$$(scripts/s390-selftests.sh) && . scripts/lib.sh && \
		summarize_s390_selftests "$$run" s390-selftests

stress:
	@scripts/setup-host.sh
	@run=$$(SUITE=stress UML_TIMEOUT=3600 \
		UML_CMDLINE="APVFIO_TEST_TIMEOUT=3300 STRESS_OPS=$${STRESS_OPS:-100000} STRESS_SEED=$${STRESS_SEED:-1} STRESS_SECONDS=3000" \
		scripts/uml-run.sh test debug) && \
		grep '^# stress:' "$$run/selftests/stress.tap" && \
		. scripts/lib.sh && SUITE=stress summarize_uml "$$run" stress

fuzz:
	@scripts/setup-host.sh
	@scripts/fuzz.sh $${FUZZ_SECONDS:-600}

bench:
	@scripts/bench.sh

s390x-lock:
	@scripts/setup-host.sh
	@scripts/s390x-userland.sh --lock >/dev/null

kernel:
	@scripts/setup-host.sh
	@scripts/kernel.sh debug

modules:
	@scripts/setup-host.sh
	@scripts/modules.sh debug
