#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""debfetch.py: fetch the .deb files of a lock file, verified, with fallbacks.

Used by scripts/s390x-userland.sh; the apt configuration is that script's
private one (its -o options, one per line, in the file --apt-opts names).

  debfetch.py fetch --lock LOCK --apt-opts F --mirror NAME=URL... --dir D
      For every line of LOCK: the locked file from its pool path in its
      archive, checked against the lock's SHA-256. When it cannot be had,
      every other version the indexes (the private configuration's
      suites) list for the package, newest first, each checked against
      the index's SHA-256. Every file must also say, in its control
      fields, that it is the package, version and architecture asked for.
      Writes D/*.deb, D/manifest (package version arch origin sha256 url)
      and D/fallbacks (one line per package that used one). Exit 1, with
      every version and path tried and each answer, when a package has no
      usable file.

  debfetch.py lock --out LOCK --apt-opts F --mirror NAME=URL... --dir D
                   [--previous LOCK] [--pin PKG=VERSION]... --resolve PKG...
                   --add PKG...
      Writes a lock: the --resolve packages with their dependencies
      (Depends, Pre-Depends, recursively), and the --add packages alone,
      each at the newest version of the indexes whose file can be had;
      failing that, at its --previous lock's entry; a --pin names the
      version outright (from the indexes, or from the pool directory of
      the package's indexed versions when the indexes no longer list it).

Mirrors are named by archive: "debian" and "debian-security".
"""

import argparse
import functools
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = int(os.environ.get("APVFIO_FETCH_TIMEOUT", "60"))
TRIES = 1 + int(os.environ.get("APVFIO_FETCH_RETRIES", "2"))
LOCK_HEADER = """\
# The s390x user space of the tests (scripts/s390x-userland.sh): one .deb a
# line. Written by `make s390x-lock`; see Documentation/testing.rst.
# source: "index" when the hash was read from the suite's signed index at
# locking time, "pool" when no index listed the version then and the hash
# is the one of the file fetched from the pool at locking time.
# package version arch archive path sha256 source
"""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Candidate:
    """One file that may serve a package: where, and what it must hash to."""

    def __init__(self, pkg, version, arch, urls, sha256, origin, label):
        self.pkg, self.version, self.arch = pkg, version, arch
        self.urls, self.sha256 = urls, sha256
        self.origin, self.label = origin, label


class Attempts:
    """Every version and path tried for one package, with each answer."""

    def __init__(self):
        self.lines = []

    def add(self, cand, url, answer):
        self.lines.append(f"{cand.label} {cand.version}: {url}: {answer}")


def download(url, dest):
    """Fetch URL into DEST; returns (sha256 hex, None) or (None, answer)."""
    answer = None
    for attempt in range(TRIES):
        if attempt:
            time.sleep(2 * attempt)
        try:
            h = hashlib.sha256()
            with urllib.request.urlopen(url, timeout=TIMEOUT) as r, \
                    open(dest, "wb") as f:
                while True:
                    chunk = r.read(1 << 16)
                    if not chunk:
                        break
                    h.update(chunk)
                    f.write(chunk)
            return h.hexdigest(), None
        except urllib.error.HTTPError as e:
            # The server's answer: final, unless it says it is in trouble.
            if e.code < 500:
                return None, f"{e.code} {e.reason}"
            answer = f"{e.code} {e.reason} ({attempt + 1} tries)"
        except (socket.timeout, TimeoutError):
            answer = f"timeout ({TIMEOUT} s, {attempt + 1} tries)"
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                answer = f"timeout ({TIMEOUT} s, {attempt + 1} tries)"
            else:
                answer = f"no connection ({reason}, {attempt + 1} tries)"
    return None, answer


def control_fields(deb):
    out = subprocess.run(["dpkg-deb", "--show", "--showformat",
                          "${Package} ${Version} ${Architecture}", deb],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def try_candidate(cand, workdir, attempts):
    """Fetch CAND; the path of the verified file, or None."""
    dest = os.path.join(workdir, f"{cand.pkg}.deb.part")
    for url in cand.urls:
        digest, answer = download(url, dest)
        if digest is None:
            attempts.add(cand, url, answer)
            continue
        if cand.sha256 and digest != cand.sha256:
            attempts.add(cand, url, f"hash mismatch (SHA-256 {digest}, "
                         f"expected {cand.sha256}): refused")
            continue
        got = control_fields(dest)
        arches = (cand.arch,) if cand.arch else ("s390x", "all")
        if not got or got.split()[:2] != [cand.pkg, cand.version] or \
                got.split()[2] not in arches:
            attempts.add(cand, url, f"not the package asked for (control "
                         f"fields: {got or 'unreadable'}): refused")
            continue
        cand.sha256, cand.url, cand.arch = digest, url, got.split()[2]
        return dest
    if os.path.exists(dest):
        os.unlink(dest)
    return None


# ---- the private apt configuration: indexes -------------------------

class Apt:
    def __init__(self, opts_file):
        with open(opts_file) as f:
            self.opts = [a for line in f if line.strip()
                         for a in ("-o", line.strip())]
        self.updated = None

    def run(self, *args):
        return subprocess.run(["apt-get", "-q", *self.opts, *args],
                              capture_output=True, text=True)

    def cache(self, *args):
        return subprocess.run(["apt-cache", *self.opts, *args],
                              capture_output=True, text=True)

    def update(self):
        """The suites' indexes, fetched once; "" or what went wrong. An
        index that could not be had leaves the others usable."""
        if self.updated is None:
            log(">>> s390x user space: fetching the suites' indexes")
            r = self.run("update")
            # apt-get update exits 0 when an index could not be fetched;
            # its warnings (W:, E:) say so.
            bad = [ln for ln in (r.stdout + r.stderr).splitlines()
                   if ln.startswith(("E:", "W:", "Err:"))]
            self.updated = "" if r.returncode == 0 and not bad else \
                "; ".join(bad) or f"apt-get update: exit {r.returncode}"
            if self.updated:
                log(f">>> s390x user space: indexes: {self.updated}")
        return self.updated

    def versions(self, pkg):
        """[(version, suite)] the indexes list for PKG, newest first."""
        r = self.cache("madison", pkg)
        seen, out = set(), []
        for line in r.stdout.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3 or parts[0] != pkg or parts[1] in seen:
                continue
            seen.add(parts[1])
            out.append((parts[1], parts[2].split()[1].split("/")[0]))
        return sorted(out, key=functools.cmp_to_key(
            lambda a, b: vercmp(b[0], a[0])))

    def uri(self, pkg, version):
        """(url, sha256) of PKG=VERSION by the indexes, or None."""
        r = self.run("download", "--print-uris", f"{pkg}={version}")
        m = re.match(r"^'([^']+)' \S+ \d+ SHA256:([0-9a-f]{64})$",
                     r.stdout.strip().splitlines()[-1]
                     if r.stdout.strip() else "")
        return (m.group(1), m.group(2)) if m else None

    def resolve(self, pkgs):
        r = self.cache("depends", "--recurse", "--no-recommends",
                       "--no-suggests", "--no-conflicts", "--no-breaks",
                       "--no-replaces", "--no-enhances", *pkgs)
        if r.returncode != 0:
            sys.exit(f"error: apt-cache depends: {r.stderr.strip()}")
        # Real packages only (virtual ones are printed as <name>).
        return {ln for ln in r.stdout.splitlines()
                if re.match(r"^[a-z0-9]", ln)}


@functools.lru_cache(maxsize=None)
def vercmp(a, b):
    if a == b:
        return 0
    r = subprocess.run(["dpkg", "--compare-versions", a, "lt", b])
    return -1 if r.returncode == 0 else 1


# ---- lock files ------------------------------------------------------

def read_lock(path):
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) != 7 or not re.fullmatch(r"[0-9a-f]{64}",
                                                    fields[5]):
                sys.exit(f"error: {path}:{n}: not a lock line: {line}")
            entries.append(dict(zip(("pkg", "version", "arch", "archive",
                                     "path", "sha256", "source"), fields)))
    return entries


def archive_of(url, mirrors):
    """(archive, pool path) of URL under one of MIRRORS, or None."""
    for name, base in mirrors.items():
        prefix = base.rstrip("/") + "/"
        if url.startswith(prefix):
            return name, urllib.parse.unquote(url[len(prefix):])
    return None


def pool_urls(entry, mirrors):
    """Where a locked file may be: its archive's path first; then the
    other archive's pool, where a point release moves security updates."""
    path = entry["path"]
    urls = [mirrors[entry["archive"]].rstrip("/") + "/" +
            urllib.parse.quote(path)]
    if entry["archive"] == "debian-security" and \
            path.startswith("pool/updates/"):
        urls.append(mirrors["debian"].rstrip("/") + "/" +
                    urllib.parse.quote("pool/" + path[len("pool/updates/"):]))
    return urls


def index_candidates(apt, pkg, skip, origin):
    """The versions the indexes list for PKG, newest first, less SKIP, as
    candidates of ORIGIN; each one's URL is asked for only when the one
    before it could not be had."""
    apt.update()
    for version, suite in apt.versions(pkg):
        uri = apt.uri(pkg, version) if version != skip else None
        if uri:
            yield Candidate(pkg, version, None, [uri[0]], uri[1], origin,
                            f"index ({suite})")


# ---- fetch -------------------------------------------------------------

def first_usable(cands, workdir, attempts, apt):
    """The first of CANDS (read lazily) whose file can be had, as
    (candidate, path); (None, None) when none, the indexes' trouble
    added to ATTEMPTS."""
    for cand in cands:
        got = try_candidate(cand, workdir, attempts)
        if got:
            return cand, got
    if apt.updated:
        attempts.lines.append(f"indexes: {apt.updated}")
    return None, None


def fetch_candidates(e, apt, mirrors):
    """The locked file of lock entry E; then, asked for only if it cannot
    be had, the fallbacks."""
    yield Candidate(e["pkg"], e["version"], e["arch"], pool_urls(e, mirrors),
                    e["sha256"], "locked", "locked")
    yield from index_candidates(apt, e["pkg"], e["version"], "fallback")


def fetch(args, mirrors):
    apt = Apt(args.apt_opts)
    entries = read_lock(args.lock)
    manifest, fallbacks, failed = [], [], []
    for e in entries:
        attempts = Attempts()
        cand, got = first_usable(fetch_candidates(e, apt, mirrors), args.dir,
                                 attempts, apt)
        if not got:
            failed.append((e, attempts))
            continue
        os.rename(got, os.path.join(args.dir, f"{e['pkg']}.deb"))
        manifest.append(f"{cand.pkg} {cand.version} {cand.arch} "
                        f"{cand.origin} {cand.sha256} {cand.url}")
        if cand.origin != "locked":
            why = "; ".join(attempts.lines)
            fallbacks.append(f"{cand.pkg} {cand.version} (locked "
                             f"{e['version']}: {why})")
            log(f">>> s390x user space: FALLBACK {cand.pkg} {cand.version} "
                f"instead of the locked {e['version']} ({why})")
    if failed:
        report_failure(failed, args.lock)
        return 1
    with open(os.path.join(args.dir, "manifest"), "w") as f:
        f.write("".join(line + "\n" for line in manifest))
    with open(os.path.join(args.dir, "fallbacks"), "w") as f:
        f.write("".join(line + "\n" for line in fallbacks))
    return 0


def report_failure(failed, lock):
    for e, attempts in failed:
        log(f"error: s390x user space: no usable file for package "
            f"{e['pkg']} (locked {e['version']} {e['arch']}); tried:")
        for line in attempts.lines:
            log(f"  {line}")
    log(f"""\
What you can do:
  - try again later, or another mirror: APVFIO_DEBIAN_MIRROR (default
    http://deb.debian.org/debian) and APVFIO_DEBIAN_SECURITY_MIRROR
    (default http://deb.debian.org/debian-security);
  - take the fallbacks from another suite: APVFIO_S390X_SUITE (default
    stable; its -updates and -security suites are read too);
  - write a new lock from what the registry has now: make s390x-lock
    (S390X_LOCK_PINS="pkg=version ..." names versions the indexes no
    longer list), run make test, commit {lock}.
Nothing was unpacked; the next run starts over.""")


# ---- lock --------------------------------------------------------------

def pinned_candidates(apt, pkg, version):
    """PKG=VERSION: by the indexes if they list it, else from the pool
    directory of the package's indexed versions (hash taken from the
    file, the source is "pool")."""
    uri = apt.uri(pkg, version)
    if uri:
        return [Candidate(pkg, version, None, [uri[0]], uri[1], "index",
                          "pin (index)")]
    out = []
    bare = version.split(":", 1)[-1]
    for other, _ in apt.versions(pkg):
        uri = apt.uri(pkg, other)
        if not uri:
            continue
        base = uri[0].rsplit("/", 1)[0]
        for a in ("s390x", "all"):
            url = f"{base}/{urllib.parse.quote(f'{pkg}_{bare}_{a}.deb')}"
            if all(url not in c.urls for c in out):
                out.append(Candidate(pkg, version, a, [url], None, "pool",
                                     "pin (pool)"))
    return out


def lock_candidates(apt, pkg, previous, mirrors):
    """PKG's indexed versions, newest first; then, asked for only if none
    can be had, PREVIOUS (its entry in the previous lock, or None). The
    architecture (s390x or all) is the file's."""
    yield from index_candidates(apt, pkg, None, "index")
    if previous:
        yield Candidate(pkg, previous["version"], None,
                        pool_urls(previous, mirrors), previous["sha256"],
                        previous["source"], "previous lock")


def lock(args, mirrors):
    apt = Apt(args.apt_opts)
    apt.update()
    previous = {e["pkg"]: e for e in read_lock(args.previous)} \
        if args.previous and os.path.exists(args.previous) else {}
    pins = dict(p.split("=", 1) for p in args.pin)
    pkgs = sorted(apt.resolve(args.resolve) | set(args.add))
    lines, failed = [], []
    for pkg in pkgs:
        attempts = Attempts()
        if pkg in pins:
            cands = pinned_candidates(apt, pkg, pins[pkg])
        else:
            cands = lock_candidates(apt, pkg, previous.get(pkg), mirrors)
        cand, got = first_usable(cands, args.dir, attempts, apt)
        if not got:
            failed.append(({"pkg": pkg, "version": pins.get(pkg, "newest"),
                            "arch": "s390x"}, attempts))
            continue
        os.unlink(got)
        where = archive_of(cand.url, mirrors)
        if not where:
            sys.exit(f"error: {cand.url} is under no mirror")
        lines.append(f"{pkg} {cand.version} {cand.arch} {where[0]} {where[1]} "
                     f"{cand.sha256} {cand.origin}")
        log(f">>> locked {pkg} {cand.version} ({cand.origin})")
    if failed:
        report_failure(failed, args.out)
        return 1
    with open(args.out + ".new", "w") as f:
        f.write(LOCK_HEADER + "".join(line + "\n" for line in lines))
    os.replace(args.out + ".new", args.out)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("fetch", "lock"))
    ap.add_argument("--lock")
    ap.add_argument("--out")
    ap.add_argument("--previous")
    ap.add_argument("--apt-opts", required=True)
    ap.add_argument("--mirror", action="append", default=[])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--pin", action="append", default=[])
    ap.add_argument("--resolve", nargs="*", default=[])
    ap.add_argument("--add", nargs="*", default=[])
    args = ap.parse_args()
    mirrors = dict(m.split("=", 1) for m in args.mirror)
    for name in ("debian", "debian-security"):
        if name not in mirrors:
            ap.error(f"--mirror {name}=URL missing")
    os.makedirs(args.dir, exist_ok=True)
    if args.mode == "fetch":
        return fetch(args, mirrors)
    return lock(args, mirrors)


if __name__ == "__main__":
    sys.exit(main())
