#!/usr/bin/env python3
"""Edit-to-browser latency of `folio serve`.

Starts the release binary on a copy of a site, then repeatedly edits one page and
measures the time from the moment the edit is saved until the served page shows the
new text: by default the way the browser gets it (wait for the reload event on
/__folio/events, then fetch the page), or with --poll by fetching the page in a tight
loop. Prints every run and the median.

    cargo build --release
    python3 bench/serve_latency.py                       # this repository's site
    python3 ../shared/bench/gen_corpus.py --pages 10000 --sections 100 \
        --format folio --out /tmp/folio-10k
    python3 bench/serve_latency.py --site /tmp/folio-10k --page content/section-1/page-1.md

The site is copied to a temporary folder first; the original is never touched.
"""
import argparse
import http.client
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def copy_site(source, target):
    for name in ("book.toml", "content", "templates", "theme"):
        path = os.path.join(source, name)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(target, name))
        elif os.path.isfile(path):
            shutil.copy(path, target)


def url_of(page):
    """content/a/b.md -> /a/b/ and content/a/_index.md -> /a/ (sites without slugs)."""
    path = page.split("/", 1)[1][: -len(".md")]
    if path == "_index" or path.endswith("/_index"):
        path = path[: -len("_index")]
    else:
        path += "/"
    return "/" + path.lstrip("/")


def start(binary, site):
    process = subprocess.Popen(
        [binary, "serve", site, "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = queue.Queue()

    def read():
        for line in process.stderr:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 600
    log = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        log.append(line)
        match = re.match(r"Serving on http://([^/]+)(/\S*)", line)
        if match:
            return process, match.group(1), lines, log
    process.kill()
    sys.exit("folio serve did not start:\n" + "\n".join(log))


class Events:
    """The reload events, read on a thread of their own."""

    def __init__(self, addr):
        self.queue = queue.Queue()
        connection = http.client.HTTPConnection(addr, timeout=600)
        connection.request("GET", "/__folio/events")
        response = connection.getresponse()

        def read():
            for raw in iter(response.readline, b""):
                line = raw.decode().rstrip("\r\n")
                if line.startswith("data: "):
                    self.queue.put((time.perf_counter(), line[len("data: "):]))

        threading.Thread(target=read, daemon=True).start()

    def latest(self, generation):
        """The newest generation announced so far: a late second build of the previous
        edit must not pass for the build of the next one."""
        while True:
            try:
                arrived, data = self.queue.get_nowait()
            except queue.Empty:
                return generation
            generation = max(generation, int(re.search(r'"generation":(\d+)', data).group(1)))

    def next_generation(self, after, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                arrived, data = self.queue.get(timeout=left)
            except queue.Empty:
                return None
            generation = int(re.search(r'"generation":(\d+)', data).group(1))
            if generation > after and '"errors":null' in data:
                self.arrived = arrived
                return generation


def fetch(connection, url):
    connection.request("GET", url)
    response = connection.getresponse()
    return response.status, response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=ROOT, help="the site to serve (copied first)")
    parser.add_argument("--page", default="content/areas/iaea.md", help="the page to edit")
    parser.add_argument("--url", help="the page's URL (default: from its path)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/folio"))
    parser.add_argument("--poll", action="store_true", help="fetch in a loop instead of waiting for the event")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} is missing: run `cargo build --release` first")
    url = args.url or url_of(args.page)

    with tempfile.TemporaryDirectory(prefix="folio-serve-bench-") as temp:
        site = os.path.join(temp, "site")
        os.makedirs(site)
        copy_site(args.site, site)
        page = os.path.join(site, args.page)
        original = open(page, encoding="utf-8").read()
        started = time.perf_counter()
        process, addr, lines, log = start(args.binary, site)
        print(f"first build and start: {time.perf_counter() - started:.2f} s ({log[0]})")
        try:
            connection = http.client.HTTPConnection(addr, timeout=60)
            status, _ = fetch(connection, url)
            if status != 200:
                sys.exit(f"{url}: HTTP {status}")
            events = Events(addr)
            generation = events.next_generation(-1, 30)
            results = []
            for run in range(args.runs):
                time.sleep(1.0)  # let the debouncer and the previous build settle
                generation = events.latest(generation)
                marker = f"Latency marker {run} {time.time_ns()}"
                edited = original.rstrip("\n") + f"\n\n{marker}\n"
                # An editor's atomic save: write beside the page, rename over it.
                temporary = page + ".folio-bench~"
                with open(temporary, "w", encoding="utf-8") as f:
                    f.write(edited)
                saved = time.perf_counter()
                os.replace(temporary, page)
                if args.poll:
                    while True:
                        _, body = fetch(connection, url)
                        if marker.encode() in body:
                            break
                        if time.perf_counter() - saved > 60:
                            sys.exit("the edit never showed up")
                else:
                    # A build that began before the save reloads the page without the
                    # edit; the browser reloads again after the next one, and so do we.
                    while True:
                        generation = events.next_generation(generation, 60)
                        if generation is None:
                            sys.exit("no reload event with the edit:\n" + "\n".join(log))
                        _, body = fetch(connection, url)
                        if marker.encode() in body:
                            break
                elapsed = (time.perf_counter() - saved) * 1000
                results.append(elapsed)
                detail = ""
                if not args.poll:
                    detail = f" (reload event after {(events.arrived - saved) * 1000:.0f} ms)"
                print(f"run {run + 1}: {elapsed:.0f} ms{detail}")
            while not lines.empty():
                log.append(lines.get())
            rebuilds = [l for l in log if l.startswith("Rebuilt")]
            if rebuilds:
                print("server: " + "; ".join(rebuilds[-3:]))
            print(f"median: {statistics.median(results):.0f} ms over {len(results)} edits "
                  f"({'polling' if args.poll else 'reload event + fetch'})")
        finally:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
