#!/usr/bin/env python3
"""Build one mdBook book with mdBook and with folio, side by side, and compare them.

Usage:
    bench/mdbook_compare.py BOOK_DIR [--folio target/release/folio] [--mdbook mdbook]
                            [--work /dev/shm/mdbook-compare] [--runs 3]

The book is copied twice into the work folder (prefer a tmpfs), so neither tool writes
into it. Reported:
- chapters: every page mdBook wrote that folio wrote at the same path;
- ids and link targets: the share of mdBook's heading ids and internal link targets,
  read from each page's <main>, that folio's output holds;
- broken: internal links of folio's output that lead nowhere;
- build times, best of --runs, with search on (mdBook's default) and off (both tools
  told so through mdBook's MDBOOK_OUTPUT__HTML__SEARCH__ENABLE, which folio reads too).
A book's own preprocessors run in both builds; the first run of each tool warms them.
"""
import argparse
import json
import os
import posixpath
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

HELPERS = {"print.html", "404.html", "toc.html"}


class Main(HTMLParser):
    """The ids and hrefs inside <main>, and whether the page is a redirect stub."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.ids, self.hrefs, self.redirect = [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
        if tag == "main":
            self.inside = True
        if self.inside and a.get("id"):
            self.ids.append(a["id"])
        if self.inside and tag == "a" and a.get("href") is not None:
            self.hrefs.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "main":
            self.inside = False


def target(page, href):
    """An internal href as a site path with its fragment; None for external ones."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    path = unquote(parts.path)
    if not path:
        path = "/" + page
    elif not path.startswith("/"):
        path = posixpath.normpath(posixpath.join("/" + posixpath.dirname(page), path))
    return path + ("#" + parts.fragment if parts.fragment else "")


def manifest(out):
    pages = {}
    for folder, _, files in os.walk(out):
        for name in files:
            if not name.endswith(".html"):
                continue
            page = os.path.relpath(os.path.join(folder, name), out).replace(os.sep, "/")
            if page in HELPERS or page.startswith("pagefind/"):
                continue
            parser = Main()
            with open(os.path.join(out, page), encoding="utf-8") as f:
                parser.feed(f.read())
            links = {t for t in (target(page, h) for h in parser.hrefs) if t}
            pages[page] = {"ids": set(parser.ids), "links": links, "redirect": parser.redirect}
    return pages


def broken(pages):
    found = []
    for page, info in pages.items():
        for link in info["links"]:
            path, _, fragment = link.partition("#")
            path = path.lstrip("/") or "index.html"
            if path.endswith("/"):
                path += "index.html"
            if path.endswith(".html") and path not in pages:
                found.append(f"{page} -> {link}")
            elif fragment and path in pages and not pages[path]["redirect"]:
                if fragment not in pages[path]["ids"]:
                    found.append(f"{page} -> {link}")
    return set(found)


def timed(command, env, runs):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        took = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
        best = took if best is None else min(best, took)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book")
    parser.add_argument("--folio", default="target/release/folio")
    parser.add_argument("--mdbook", default="mdbook")
    parser.add_argument("--work", default="/dev/shm/mdbook-compare")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    copies = {tool: os.path.join(args.work, tool, "book") for tool in ("mdbook", "folio")}
    for copy in copies.values():
        shutil.copytree(args.book, copy, ignore=shutil.ignore_patterns("book", "target"))
    outs = {tool: os.path.join(args.work, tool, "out") for tool in copies}
    folio = os.path.abspath(args.folio)
    commands = {
        "mdbook": [args.mdbook, "build", copies["mdbook"], "-d", outs["mdbook"]],
        "folio": [folio, "build", copies["folio"], "-o", outs["folio"]],
    }
    times = {}
    for search in ("on", "off"):
        env = dict(os.environ)
        if search == "off":
            env["MDBOOK_OUTPUT__HTML__SEARCH__ENABLE"] = "false"
        for tool, command in commands.items():
            subprocess.run(command, env=env, capture_output=True)  # warm preprocessors
            times[(tool, search)] = timed(command, env, args.runs)
    expected, got = manifest(outs["mdbook"]), manifest(outs["folio"])
    chapters = [p for p, v in expected.items() if not v["redirect"]]
    at_path = [p for p in chapters if p in got]
    ids_want = sum(len(expected[p]["ids"]) for p in at_path)
    ids_have = sum(len(expected[p]["ids"] & got[p]["ids"]) for p in at_path)
    links_want = sum(len(expected[p]["links"]) for p in at_path)
    links_have = sum(len(expected[p]["links"] & got[p]["links"]) for p in at_path)
    folio_broken = broken(got) - broken(expected)
    report = {
        "book": os.path.basename(os.path.abspath(args.book)),
        "chapters": f"{len(at_path)}/{len(chapters)}",
        "ids": f"{ids_have}/{ids_want}",
        "links": f"{links_have}/{links_want}",
        "broken": sorted(folio_broken)[:10],
        "seconds": {f"{tool} search {s}": round(t, 2) for (tool, s), t in times.items()},
    }
    print(json.dumps(report, indent=2))
    print(
        f"{report['book']}: {report['chapters']} chapters at mdBook's paths, "
        f"ids {ids_have / max(ids_want, 1):.1%}, links {links_have / max(links_want, 1):.1%}, "
        f"{len(folio_broken)} broken; search on: folio {times[('folio', 'on')]:.2f} s, "
        f"mdBook {times[('mdbook', 'on')]:.2f} s; search off: folio "
        f"{times[('folio', 'off')]:.2f} s, mdBook {times[('mdbook', 'off')]:.2f} s"
    )


if __name__ == "__main__":
    main()
