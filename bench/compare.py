#!/usr/bin/env python3
"""Side-by-side build benchmark: folio against Hugo on the same synthetic site.

Generates the corpora with ../shared/bench/gen_corpus.py (folio and Hugo layouts, same
seed), installs Hugo with apt-get and Pagefind's CLI with npm when they are missing,
builds folio in release mode, then for each size runs a warm-up of each tool and N clean
builds of each, alternating them, and prints medians and ratios of wall time, CPU time
and peak memory. Besides clean builds it times folio with nothing changed, folio with
search on (clean, nothing changed, one page edited), and Pagefind's own CLI indexing
Hugo's output (what a Hugo site does for search).

Usage: bench/compare.py [--sizes 1000 10000] [--runs 3] [--work /tmp/folio-bench] [--large]
  --large adds the 100,000-page site (1,000 sections), folio only: about 2.2 GiB of memory
  a build without search and 6 GiB with. Hugo and Pagefind's CLI are left out there (at
  10,000 pages they already take 2.5 and 2.9 GiB). Run as root, the kernel's page cache
  is dropped before each of its builds (see drop_page_cache).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_generator():
    for candidate in [os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"),
                      os.environ.get("GEN_CORPUS", "")]:
        if candidate and os.path.isfile(candidate):
            return os.path.abspath(candidate)
    sys.exit("gen_corpus.py not found: set GEN_CORPUS to its path")


def ensure_hugo():
    if shutil.which("hugo"):
        return
    print("installing hugo with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True)


PAGEFIND_VERSION = "1.6.0"


def ensure_pagefind(work):
    """Pagefind's CLI, from its npm package (which ships the binary), in the work folder."""
    prefix = os.path.join(work, "pagefind-cli")
    binary = os.path.join(prefix, "node_modules", ".bin", "pagefind")
    if not os.path.isfile(binary):
        print(f"installing pagefind {PAGEFIND_VERSION} with npm", file=sys.stderr)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix,
                        f"pagefind@{PAGEFIND_VERSION}"], check=True)
    return binary


def timed(command, cwd=None):
    """Runs a command under GNU time; returns (wall s, cpu s, peak MiB)."""
    with tempfile.NamedTemporaryFile("r") as report:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name] + command
        result = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
        wall, user, system, peak_kib = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_kib) / 1024


LARGE = 100000


def drop_page_cache():
    """Empties the kernel's page cache, which only root may do; returns whether it did.
    A 100,000-page build needs gigabytes of memory the machine has not used recently:
    when the cache of files read earlier (a release build of folio, say) holds it, the
    kernel reclaims it page by page while the build runs, which on a 2-core machine
    took the build's system time from about 9 s to 20-31 s. Dropped, every tool gets
    free memory as it would on a machine with nothing else cached."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3")
        return True
    except OSError:
        return False


def median(samples, index):
    return statistics.median(sample[index] for sample in samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "folio-bench"))
    parser.add_argument("--large", action="store_true", help="also build the 100,000-page site")
    args = parser.parse_args()
    sizes = args.sizes + ([LARGE] if args.large else [])

    generator = find_generator()
    ensure_hugo()
    os.makedirs(args.work, exist_ok=True)
    pagefind = ensure_pagefind(args.work)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    folio = os.path.join(ROOT, "target", "release", "folio")

    can_drop = args.large and drop_page_cache()
    rows = []
    for pages in sizes:
        rows.append((pages, measure(pages, args, generator, folio, pagefind)))

    print(f"\nMedian of {args.runs} runs after a warm-up, tools alternating ({os.cpu_count()} cores). "
          "Ratios are of wall time.\n")
    print("| pages | build | wall | CPU | peak memory | ratio |")
    print("|---|---|---|---|---|---|")
    for pages, m in rows:
        row = lambda name, samples, ratio="": print(
            f"| {pages:,} | {name} | {median(samples, 0):.2f} s | {median(samples, 1):.2f} s "
            f"| {median(samples, 2):.0f} MiB | {ratio} |")
        wall = lambda name: median(m[name], 0)
        with_hugo = bool(m["hugo"])
        row("folio, search off", m["folio"], f"{wall('folio') / wall('hugo'):.2f}x Hugo" if with_hugo else "")
        if with_hugo:
            row(f"Hugo {hugo_version()} (no search)", m["hugo"])
        row("folio, search off, nothing changed", m["rebuild"])
        row("folio, search on", m["search"], f"{wall('search') / wall('folio'):.2f}x search off")
        row("folio, search on, nothing changed", m["search_rebuild"],
            f"{wall('search_rebuild') / wall('rebuild'):.2f}x search off, nothing changed")
        row("folio, search on, one page edited", m["search_edit"],
            f"{wall('search_edit') / wall('search'):.2f}x search on, clean")
        if with_hugo:
            row(f"Pagefind {PAGEFIND_VERSION} CLI on Hugo's output", m["pagefind"],
                f"{wall('pagefind') / wall('search'):.2f}x folio with search")
    for (small, s), (large, l) in zip(rows, rows[1:]):
        for name, what in [("folio", "search off"), ("search", "search on")]:
            print(f"\nScaling, {what}: {large:,} pages take {median(l[name], 0) / median(s[name], 0):.1f}x "
                  f"the time of {small:,} ({large // small}x the pages).")
    if args.large:
        dropped = "was" if can_drop else "could not be (not root)"
        print(f"\nThe page cache {dropped} dropped before each {LARGE:,}-page build.")


def measure(pages, args, generator, folio, pagefind):
    """Every build of one size: a list of (wall, cpu, memory) samples by build name. At
    the large size only folio's, each after the page cache is dropped."""
    sections = max(1, pages // 100)
    tools = ["folio", "search"] if pages >= LARGE else ["folio", "hugo", "search"]
    settle = drop_page_cache if pages >= LARGE else lambda: None
    sites = {}
    for tool in ["folio"] + (["hugo"] if "hugo" in tools else []):
        site = os.path.join(args.work, f"{tool}-{pages}")
        if not os.path.isdir(site):
            subprocess.run([sys.executable, generator, "--pages", str(pages), "--sections", str(sections),
                            "--format", tool, "--out", site], check=True, stdout=subprocess.DEVNULL)
        sites[tool] = site
    # Search on: the same site with [search] enabled.
    sites["search"] = os.path.join(args.work, f"folio-{pages}-search")
    if not os.path.isdir(sites["search"]):
        shutil.copytree(sites["folio"], sites["search"])
        toml_path = os.path.join(sites["search"], "book.toml")
        with open(toml_path) as f:
            toml = f.read().replace("enabled = false", "enabled = true")
        with open(toml_path, "w") as f:
            f.write(toml)
    out = {tool: os.path.join(args.work, f"{tool}-{pages}-out") for tool in sites}
    commands = {
        "folio": [folio, "build", sites["folio"], "-o", out["folio"]],
        "search": [folio, "build", sites["search"], "-o", out["search"]],
    }
    caches = {"folio": os.path.join(sites["folio"], ".folio-cache"),
              "search": os.path.join(sites["search"], ".folio-cache")}
    if "hugo" in tools:
        commands["hugo"] = ["hugo", "--quiet", "-s", sites["hugo"], "-d", out["hugo"]]
        caches["hugo"] = os.path.join(sites["hugo"], "resources")

    def build(tool):
        settle()
        return timed(commands[tool])

    def clean_build(tool):
        shutil.rmtree(out[tool], ignore_errors=True)
        shutil.rmtree(caches[tool], ignore_errors=True)
        return build(tool)

    def pagefind_on_hugo():
        shutil.rmtree(os.path.join(out["hugo"], "pagefind"), ignore_errors=True)
        return timed([pagefind, "--site", out["hugo"]])

    edited = first_page(sites["search"])

    def edit_one_page(run):
        with open(edited, "a") as f:
            f.write(f"\nEdited in run {run}.\n")
        return build("search")

    samples = {name: [] for name in
               ["folio", "hugo", "search", "pagefind", "rebuild", "search_rebuild", "search_edit"]}
    for tool in tools:
        clean_build(tool)  # warm-up: file cache, page cache
    if "hugo" in tools:
        pagefind_on_hugo()
    for _ in range(args.runs):
        for tool in tools:
            samples[tool].append(clean_build(tool))
        if "hugo" in tools:
            samples["pagefind"].append(pagefind_on_hugo())
    # Second builds over the previous output and cache: nothing changed, then one page
    # edited (search on).
    for run in range(args.runs):
        samples["rebuild"].append(build("folio"))
        samples["search_rebuild"].append(build("search"))
        samples["search_edit"].append(edit_one_page(run))
    return samples


def first_page(site):
    """A content page of the site (not a section's own page), the first by name."""
    for folder, dirs, files in sorted(os.walk(os.path.join(site, "content"))):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith("_"):
                return os.path.join(folder, name)
    sys.exit(f"no page in {site}")


def hugo_version():
    text = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
    return text.split()[1].split("+")[0] if text else ""


if __name__ == "__main__":
    main()
