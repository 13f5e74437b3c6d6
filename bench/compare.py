#!/usr/bin/env python3
"""Side-by-side build benchmark: folio against Hugo on the same synthetic site.

Generates the corpora with ../shared/bench/gen_corpus.py (folio and Hugo layouts, same
seed), installs Hugo with apt-get when it is missing, builds folio in release mode, then
for each size runs a warm-up of each tool and N clean builds of each, alternating the
two, and prints medians and ratios of wall time, CPU time and peak memory. It also times
a second folio build with nothing changed, and a folio build with search on.

Usage: bench/compare.py [--sizes 1000 10000] [--runs 3] [--work /tmp/folio-bench]
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


def timed(command, cwd=None):
    """Runs a command under GNU time; returns (wall s, cpu s, peak MiB)."""
    with tempfile.NamedTemporaryFile("r") as report:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name] + command
        result = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
        wall, user, system, peak_kib = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_kib) / 1024


def median(samples, index):
    return statistics.median(sample[index] for sample in samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "folio-bench"))
    args = parser.parse_args()

    generator = find_generator()
    ensure_hugo()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    folio = os.path.join(ROOT, "target", "release", "folio")
    os.makedirs(args.work, exist_ok=True)

    rows = []
    for pages in args.sizes:
        sections = max(1, pages // 100)
        sites = {}
        for tool in ["folio", "hugo"]:
            site = os.path.join(args.work, f"{tool}-{pages}")
            if not os.path.isdir(site):
                subprocess.run([sys.executable, generator, "--pages", str(pages), "--sections", str(sections),
                                "--format", tool, "--out", site], check=True, stdout=subprocess.DEVNULL)
            sites[tool] = site
        out = {tool: os.path.join(args.work, f"{tool}-{pages}-out") for tool in sites}
        commands = {
            "folio": [folio, "build", sites["folio"], "-o", out["folio"]],
            "hugo": ["hugo", "--quiet", "-s", sites["hugo"], "-d", out["hugo"]],
        }

        def clean_build(tool):
            shutil.rmtree(out[tool], ignore_errors=True)
            for cache in [os.path.join(sites["folio"], ".folio-cache"), os.path.join(sites["hugo"], "resources")]:
                shutil.rmtree(cache, ignore_errors=True)
            return timed(commands[tool])

        samples = {"folio": [], "hugo": []}
        for tool in samples:
            clean_build(tool)  # warm-up: file cache, page cache
        for _ in range(args.runs):
            for tool in samples:
                samples[tool].append(clean_build(tool))
        # A second folio build over its previous output, nothing changed.
        clean_build("folio")
        rebuild = [timed(commands["folio"]) for _ in range(args.runs)]
        # Search on: the same site with [search] enabled.
        searched = os.path.join(args.work, f"folio-{pages}-search")
        if not os.path.isdir(searched):
            shutil.copytree(sites["folio"], searched)
            with open(os.path.join(searched, "book.toml")) as f:
                toml = f.read().replace("enabled = false", "enabled = true")
            with open(os.path.join(searched, "book.toml"), "w") as f:
                f.write(toml)
        search_out = out["folio"] + "-search"
        search = []
        for _ in range(args.runs):
            shutil.rmtree(search_out, ignore_errors=True)
            search.append(timed([folio, "build", searched, "-o", search_out]))
        rows.append((pages, samples, rebuild, search))

    print(f"\nClean builds, median of {args.runs} runs after a warm-up, folio and Hugo alternating "
          f"({os.cpu_count()} cores).\n")
    print("| pages | tool | wall | CPU | peak memory | folio / Hugo (wall, CPU, memory) |")
    print("|---|---|---|---|---|---|")
    for pages, samples, rebuild, search in rows:
        f, h = samples["folio"], samples["hugo"]
        ratio = f"{median(f, 0) / median(h, 0):.2f}x, {median(f, 1) / median(h, 1):.2f}x, {median(f, 2) / median(h, 2):.2f}x"
        print(f"| {pages:,} | folio | {median(f, 0):.2f} s | {median(f, 1):.2f} s | {median(f, 2):.0f} MiB | {ratio} |")
        print(f"| {pages:,} | Hugo {hugo_version()} | {median(h, 0):.2f} s | {median(h, 1):.2f} s | {median(h, 2):.0f} MiB | |")
        print(f"| {pages:,} | folio, nothing changed | {median(rebuild, 0):.2f} s | {median(rebuild, 1):.2f} s | {median(rebuild, 2):.0f} MiB | {median(rebuild, 0) / median(h, 0):.2f}x Hugo's wall |")
        print(f"| {pages:,} | folio, search on | {median(search, 0):.2f} s | {median(search, 1):.2f} s | {median(search, 2):.0f} MiB | search adds {median(search, 0) - median(f, 0):.2f} s |")
    if len(rows) >= 2:
        (small, s, _, _), (large, l, _, _) = rows[0], rows[-1]
        print(f"\nScaling: {large:,} pages take {median(l['folio'], 0) / median(s['folio'], 0):.1f}x the time of {small:,}.")


def hugo_version():
    text = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
    return text.split()[1].split("+")[0] if text else ""


if __name__ == "__main__":
    main()
