#!/usr/bin/env python3
"""What writing features cost: the same synthetic site built plain and with an include,
an inline shortcode and body shortcodes (details, tabs) on every page.

Generates the site with ../shared/bench/gen_corpus.py (folio layout, search off), makes a
copy whose every page also includes a shared snippet (`{{#include}}` of a file outside
content/, with an anchor), calls a site shortcode inline and wraps Markdown in the
built-in `details` and `tabs`, then runs N clean builds of each, alternating the two,
and prints medians and the ratio. With `--baseline BIN` it also builds the plain site
with another folio binary (e.g. one built from an earlier commit), to show that a site
using none of the features is no slower than before.

Output goes to --work, which should be on tmpfs (the default is /dev/shm), so the disk
does not dominate.

Usage: bench/authoring.py [--pages 10000] [--sections 100] [--runs 3] [--baseline BIN]
"""
import argparse
import os
import shutil
import subprocess
import sys

from compare import find_generator, median, timed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SNIPPET = """\
Shared text that every page includes.

<!-- ANCHOR: steps -->
1. Install the tool.
2. Run `folio build`.
<!-- ANCHOR_END: steps -->
"""

SHORTCODE = '<span class="note">{{ text }} ({{ level }})</span>\n'

EXTRA = """

## Using the features

{{#include ../../snippets/shared.md:steps}}

A note: {{ note(text="remember this", level=2) }}.

{% details(summary="More about this page") %}
Hidden text with a [link](#using-the-features) and `code`.
{% end %}

{% tabs(sync="os") %}
{% tab(label="Linux") %}
Run `folio build` in a shell.
{% end %}
{% tab(label="Windows") %}
Run `folio.exe build` in PowerShell.
{% end %}
{% end %}
"""


def make_sites(work, pages, sections):
    plain = os.path.join(work, "plain")
    featured = os.path.join(work, "featured")
    for site in (plain, featured):
        shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, find_generator(), "--pages", str(pages), "--sections",
                    str(sections), "--format", "folio", "--out", plain],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(plain, featured)
    os.makedirs(os.path.join(featured, "snippets"))
    with open(os.path.join(featured, "snippets", "shared.md"), "w") as out:
        out.write(SNIPPET)
    os.makedirs(os.path.join(featured, "templates", "shortcodes"))
    with open(os.path.join(featured, "templates", "shortcodes", "note.html"), "w") as out:
        out.write(SHORTCODE)
    for folder, _, files in os.walk(os.path.join(featured, "content")):
        for name in files:
            if name.endswith(".md") and name != "_index.md":
                with open(os.path.join(folder, name), "a") as page:
                    page.write(EXTRA)
    return plain, featured


def build(binary, site, output):
    shutil.rmtree(output, ignore_errors=True)
    return timed([binary, "build", site, "--quiet", "--output", output])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--sections", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/dev/shm/folio-authoring")
    parser.add_argument("--baseline", help="another folio binary to build the plain site with")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    folio = os.path.join(ROOT, "target", "release", "folio")
    os.makedirs(args.work, exist_ok=True)
    plain, featured = make_sites(args.work, args.pages, args.sections)
    output = os.path.join(args.work, "public")

    runs = {"plain": [], "featured": [], "baseline": []}
    for _ in range(args.runs + 1):  # the first round warms the page cache and is dropped
        if args.baseline:
            runs["baseline"].append(build(args.baseline, plain, output))
        runs["plain"].append(build(folio, plain, output))
        runs["featured"].append(build(folio, featured, output))
    print(f"{args.pages} pages, median of {args.runs} clean builds (search off):")
    for name, samples in runs.items():
        if samples:
            samples = samples[1:]
            print(f"  {name:9} wall {median(samples, 0):6.2f} s  cpu {median(samples, 1):6.2f} s"
                  f"  peak {median(samples, 2):6.0f} MiB")
    ratio = median(runs["featured"][1:], 0) / median(runs["plain"][1:], 0)
    print(f"  includes and shortcodes on every page: {ratio:.2f}x the plain build")
    if args.baseline:
        ratio = median(runs["plain"][1:], 0) / median(runs["baseline"][1:], 0)
        print(f"  plain site, this build against the baseline: {ratio:.2f}x")


if __name__ == "__main__":
    main()
