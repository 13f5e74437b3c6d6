// What a reader downloads for a first search on a built folio site, measured in
// headless Chromium through the DevTools protocol, and a check that the search box
// works with the keyboard: "/" focuses it, results appear, the arrow keys move
// through them and Enter opens one.
//
//   npm install --prefix /tmp/pw playwright-core        # never downloads a browser
//   NODE_PATH=/tmp/pw/node_modules node bench/search_first_query.mjs \
//       http://127.0.0.1:8000/ gateway
//
// Serve the output folder with any static server (`python3 -m http.server -d public`).
// Prints one JSON object; exits 1 if a check fails. CHROMIUM overrides the browser.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const [url, query = "gateway"] = process.argv.slice(2);
if (!url) {
  console.error("usage: search_first_query.mjs URL [QUERY]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

try {
  const page = await browser.newPage();
  const dialogs = [];
  page.on("dialog", (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  // Caching off, so every byte counts. Pagefind searches in a web worker: Playwright
  // reports the worker's requests with the page's, which DevTools' page session does not.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });

  // Every response's bytes on the wire (headers and encoded body), by request.
  const requests = [];
  const pending = [];
  let phase = "page";
  let lastActivity = Date.now();
  page.on("request", () => { lastActivity = Date.now(); });
  page.on("requestfinished", (request) => {
    const entry = { url: request.url(), phase, bytes: 0 };
    requests.push(entry);
    lastActivity = Date.now();
    pending.push((async () => {
      const sizes = await request.sizes();
      // Chromium reports no body size for a worker's own script: its body is counted
      // as delivered (right for a server that does not compress, like http.server).
      let body = sizes.responseBodySize;
      if (!body) body = (await (await request.response())?.body().catch(() => null))?.length ?? 0;
      entry.bytes = sizes.responseHeadersSize + body;
    })());
  });
  const quiet = async () => {
    while (Date.now() - lastActivity < 750) await page.waitForTimeout(100);
  };

  await page.goto(url, { waitUntil: "load" });
  await quiet();
  await Promise.all(pending);
  const onLoad = [...requests];
  check(!onLoad.some((r) => r.url.includes("/pagefind/")), "pagefind loaded with the page");

  phase = "search";
  const started = Date.now();
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement?.id === "search-input"), "/ focuses the box");
  await page.keyboard.type(query);
  // The status line says how many results there are, none included.
  await page.waitForFunction(() => /result/.test(document.getElementById("search-status")?.textContent),
    null, { timeout: 30000 });
  const shownAfter = Date.now() - started;
  await quiet();

  const results = await page.$$eval("#search-results a", (links) =>
    links.map((a) => ({
      href: a.href,
      title: a.querySelector(".search-result-title")?.textContent,
      section: a.querySelector(".search-result-section")?.textContent ?? null,
      marks: a.querySelectorAll(".search-result-excerpt mark").length,
      images: a.querySelectorAll("img, script").length,
    })));
  check(results.length > 0, "results appear");
  check(results.some((r) => r.marks > 0), "excerpts highlight the matched words");
  check(results.every((r) => r.images === 0), "no markup from page text in the results");
  const status = await page.textContent("#search-status");
  phase = "after";

  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const selected = await page.$$eval("#search-results a", (links) =>
    links.findIndex((a) => a.getAttribute("aria-selected") === "true"));
  const active = await page.getAttribute("#search-input", "aria-activedescendant");
  check(results.length < 2 || selected === 1, "the arrow keys move the selection");
  check(results.length < 2 || active === "search-result-1", "aria-activedescendant follows");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Escape");
  check(await page.isHidden("#search-results"), "Escape closes the results");
  await page.keyboard.press("ArrowDown");
  const expected = results[0]?.href;
  await Promise.all([page.waitForURL(expected ?? "**"), page.keyboard.press("Enter")]);
  check(page.url() === expected, "Enter opens the selected result");
  check(dialogs.length === 0, `no script ran from page text: ${dialogs}`);

  await Promise.all(pending);
  const searched = requests.filter((r) => r.phase === "search");
  const sum = (list) => list.reduce((total, r) => total + r.bytes, 0);
  const byKind = {};
  for (const r of searched) {
    const name = new URL(r.url).pathname.split("/").pop() || "index.html";
    const kind = name.replace(/^.*\.(pf_\w+|pagefind|js|json|html)$/, "$1");
    byKind[kind] = (byKind[kind] ?? 0) + r.bytes;
  }
  console.log(JSON.stringify({
    url, query, results: results.length, status, firstResult: results[0],
    pageLoadBytes: sum(onLoad),
    firstQueryBytes: sum(searched),
    firstQueryRequests: searched.length,
    firstQueryByKind: byKind,
    resultsShownAfterMs: shownAfter,
    firstQueryFiles: searched.map((r) => `${r.bytes} ${new URL(r.url).pathname}`),
    failures,
  }, null, 2));
} finally {
  await browser.close();
}
process.exit(failures.length ? 1 : 0);
