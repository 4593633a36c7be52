# SPDX-License-Identifier: GPL-2.0
# Shared settings for the build and test scripts. Sourced, not executed.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${APVFIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/apvfio}
KPKG=linux-source-6.12
KTAR=/usr/src/$KPKG.tar.xz
JOBS=${JOBS:-$(nproc)}

die() { echo "error: $*" >&2; exit 1; }
note() { echo ">>> $*" >&2; }

# kernel_pkg_version: Debian version of the kernel source package.
kernel_pkg_version() {
	dpkg-query -W -f '${Version}' "$KPKG" 2>/dev/null || echo unknown
}

# kernel_src: path of the unpacked kernel tree (with scripts/patches/).
kernel_src() {
	echo "$CACHE/src/$KPKG"
}

# kernel_src_id: what the unpacked tree must be: version and patches.
kernel_src_id() {
	echo "$(kernel_pkg_version) $(cat "$TOP"/scripts/patches/*.patch |
		sha256sum | cut -c1-12)"
}

# config_key FILE...: short hash of the kernel tree and config inputs.
config_key() {
	{ kernel_src_id; cat "$@"; } | sha256sum | cut -c1-12
}

# What the module builds read of the checkout; what they write beside it.
BUILD_INPUTS=(drivers include tests Kbuild Kconfig)
BUILD_PRODUCTS=('*.o' '*.ko' '.*.cmd' '*.mod' '*.mod.c' '*.mod.o'
	'Module.symvers' 'modules.order' '.*.d')

# build_inputs: the checkout's files under BUILD_INPUTS, one a line
# (tracked and untracked, not ignored; every file outside a git checkout,
# as in the harness's copies).
build_inputs() {
	(
		cd "$TOP" || exit 1
		if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
			git ls-files -co --exclude-standard -- "${BUILD_INPUTS[@]}"
		else
			find "${BUILD_INPUTS[@]}" -type f
		fi
	) | LC_ALL=C sort
}

# sources_hash DIR [LIST]: one hash of the contents of the build inputs
# (or of the files LIST names) as DIR holds them (DIR is the checkout or
# a copy of its inputs); a file DIR lacks changes it too.
sources_hash() {
	{ if [ -n "${2:-}" ]; then cat "$2"; else build_inputs; fi; } |
		{ cd "$1" 2>/dev/null && xargs -d '\n' sha256sum 2>&1; true; } |
		sha256sum | cut -c1-16
}

# source_id: what a test run tests, as one word: the commit, whether the
# checkout differs from it, and the hash of the sources it builds.
source_id() {
	local commit tree=clean
	commit=$(git -C "$TOP" rev-parse --short=12 HEAD 2>/dev/null) || commit=none
	if [ "$commit" = none ]; then
		tree=unknown
	elif [ -n "$(git -C "$TOP" status --porcelain 2>/dev/null)" ]; then
		tree=dirty
	fi
	echo "commit=$commit,tree=$tree,sources=$(sources_hash "$TOP")"
}

# mirror_by_content DEST SRC...: DEST/ holds SRC... with the content of
# the checkout's files. Compared by content, copied with new times: a
# file that differs is newer than anything built from it before, so that
# kbuild rebuilds it, even when another checkout sharing the cache built
# from a version with a later time (rsync -a would keep the file's own,
# older time and kbuild the other checkout's objects). Build products in
# DEST are kept.
mirror_by_content() {
	local dest=$1 p filters=()
	shift
	for p in "${BUILD_PRODUCTS[@]}"; do filters+=(--exclude "$p"); done
	mkdir -p "$dest"
	rsync -rlp --checksum --delete --exclude .git "${filters[@]}" "$@" "$dest/"
}

# mirror_sources DEST: DEST holds the build inputs of the checkout (see
# mirror_by_content), checked by their hash. DEST/.apvfio-inputs and
# .apvfio-sources record what the mirror left there. If DEST's sources
# are no longer that (something else wrote them, as an older copy of
# these scripts that kept file times did), no object built from them can
# be trusted: every input gets a new time, and kbuild rebuilds everything.
mirror_sources() {
	local dest=$1 list=$1/.apvfio-inputs s before=none
	[ -f "$list" ] && before=$(sources_hash "$dest" "$list")
	mirror_by_content "$dest" "${BUILD_INPUTS[@]/#/$TOP/}"
	build_inputs > "$list"
	s=$(sources_hash "$TOP" "$list")
	[ "$(sources_hash "$dest" "$list")" = "$s" ] ||
		die "$dest does not hold the checkout's sources ($s)"
	if [ "$before" != "$(cat "$dest/.apvfio-sources" 2>/dev/null)" ]; then
		[ "$before" = none ] ||
			note "$dest: the sources are not what the last mirror left: rebuilding all"
		(cd "$dest" && xargs -d '\n' touch < "$list")
	fi
	echo "$s" > "$dest/.apvfio-sources"
}

# s390_overlay TREE: make TREE a hard-linked copy of the cached kernel
# tree with the project in-tree in drivers/apvfio/ (hooked into
# drivers/Kconfig and drivers/Makefile); the copy is remade when the
# kernel tree or this function changes, the project is synced each time.
# Files of the kernel tree are edited by replacing them, never through
# the hard links.
s390_overlay() {
	local tree=$1 src id
	src=$(kernel_src)
	id="$(kernel_src_id) $(declare -f s390_overlay | sha256sum | cut -c1-12)"
	if [ ! -f "$tree/.overlay" ] || [ "$(cat "$tree/.overlay")" != "$id" ]; then
		note "making the s390 overlay tree $tree"
		rm -rf "$tree"
		cp -al "$src" "$tree"
		sed 's|^endmenu$|source "drivers/apvfio/Kconfig"\n\nendmenu|' \
			"$src/drivers/Kconfig" > "$tree/drivers/Kconfig.new"
		mv "$tree/drivers/Kconfig.new" "$tree/drivers/Kconfig"
		{ cat "$src/drivers/Makefile"; echo 'obj-y += apvfio/'; } \
			> "$tree/drivers/Makefile.new"
		mv "$tree/drivers/Makefile.new" "$tree/drivers/Makefile"
		# The SCLP (de)configure calls are built for the AP bus.
		{ cat "$src/drivers/s390/char/Makefile"
		  echo 'obj-$(subst m,y,$(CONFIG_AP_BUS)) += sclp_ap.o'; } \
			> "$tree/drivers/s390/char/Makefile.new"
		mv "$tree/drivers/s390/char/Makefile.new" "$tree/drivers/s390/char/Makefile"
		echo "$id" > "$tree/.overlay"
	fi
	mkdir -p "$tree/drivers/apvfio"
	# By content, with no times kept: a file that changed gets a new
	# mtime, so that kbuild rebuilds it even when its content went back
	# to an older version (the harness's mutations do).
	rsync -rlp --checksum --delete "$TOP/Kbuild" "$TOP/Kconfig" "$TOP/drivers" "$TOP/include" \
		"$TOP/tests" "$tree/drivers/apvfio/"
}

# summarize_uml RUN LABEL: the summary of a UML test run, expecting every
# KUnit suite and selftest of the tree that SUITE selects.
summarize_uml() {
	echo "  source: $(cat "$1/source" 2>/dev/null || echo unknown)"
	"$TOP/scripts/summarize.py" --label "$2" --suite "${SUITE:-*}" \
		--kunit-src "$TOP/tests/kunit" --always ap_health_kunit \
		--selftest-src "$TOP/tests/selftests" "$1"
}

# summarize_s390 RUN LABEL: the summary of a kunit.py run on s390x.
summarize_s390() {
	"$TOP/scripts/summarize.py" --label "$2" --suite "${SUITE:-*}" \
		--kunit-src "$TOP/tests/kunit" --console "$1"
}

# summarize_s390_selftests RUN LABEL: the summary of an s390x run of
# scripts/s390-selftests.sh: the same checks as on UML, expecting every
# KUnit suite if the run loaded the KUnit modules (S390_KUNIT=1, as make
# test does), else only the health suite; the campaigns' sizes are
# listed before the count.
summarize_s390_selftests() {
	local only=(--kunit-suite ap_health)
	echo "  source: $(cat "$1/source" 2>/dev/null || echo unknown)"
	[ "$(cat "$1/kunit-scope" 2>/dev/null)" = all ] && only=()
	"$TOP/scripts/summarize.py" --label "$2" --suite "${SUITE:-*}" \
		--kunit-src "$TOP/tests/kunit" "${only[@]}" \
		--always ap_health_kunit \
		--selftest-src "$TOP/tests/selftests" "$1" | {
		out=$(cat)
		echo "$out" | sed '$d'
		grep -h '^# campaign:' "$1"/selftests/*.tap 2>/dev/null |
			sed 's/^# /  /'
		echo "$out" | tail -n 1
	}
	return "${PIPESTATUS[0]}"
}

# s390x_userland_notes ROOT: one line naming each fallback the s390x
# user space in ROOT used instead of a locked file (scripts/debfetch.py
# writes ROOT/.apvfio-fallbacks as "pkg version (locked V: answers)");
# nothing when it used none.
s390x_userland_notes() {
	local f=$1/.apvfio-fallbacks
	[ -s "$f" ] || return 0
	echo "note: s390x user space: $(sed -E 's/^(\S+) (\S+) \(locked ([^:]+):.*/fallback \1 \2 (locked \3)/' "$f" |
		paste -sd';' | sed 's/;/; /g')"
}

# s390_build_lock BUILD [-s]: hold the lock of an s390x build directory
# (on fd 9, until the script exits): exclusive (build, sparse) or shared
# with -s (a boot that loads its modules), so that no build rewrites the
# modules under a running guest.
s390_build_lock() {
	mkdir -p "$CACHE/build"
	exec 9>"$CACHE/build/.lock-$(basename "$1")"
	flock ${2:-} 9
}

# progress STAGE COMMAND...: run COMMAND; while it runs, say on stderr
# every 30 s (PROGRESS_EVERY) that STAGE is still going, and for how long,
# so that a first run on a fresh machine never sits silent for minutes.
progress() {
	local stage=$1 start=$SECONDS ticker rc=0
	shift
	note "$stage"
	# The sleep is killed with the ticker: an orphaned sleep would keep
	# the caller's descriptors (a flock, a pipe) open until it ends.
	(
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		while :; do
			sleep "${PROGRESS_EVERY:-30}" &
			s=$!
			wait "$s"
			note "$stage: still going, $((SECONDS - start)) s"
		done
	) &
	ticker=$!
	"$@" || rc=$?
	kill "$ticker" 2>/dev/null || true
	wait "$ticker" 2>/dev/null || true
	note "$stage: done in $((SECONDS - start)) s"
	return "$rc"
}
