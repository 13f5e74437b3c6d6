// The default theme in a real browser: `folio serve` of this repository's site, driven
// in the system's headless Chromium through playwright-core, checked with axe-core.
//
//   FOLIO_BIN=target/debug/folio node tests/browser/run.mjs
//
// Run by `cargo test` (tests/integration/browser.rs). Nothing here sleeps for a fixed
// time: every wait polls for a condition, with timeouts generous enough for a loaded
// two-core machine.

import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repository = resolve(here, "../..");
const folio = process.env.FOLIO_BIN || join(repository, "target/debug/folio");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const screenshots = join(here, "screenshots");
const TIMEOUT = 30_000;
/** Per test: several page loads each, on a machine that may be busy with other tests. */
const SLOW = { timeout: 90_000 };

let server;
let base;
let browser;
/** Problems seen on any page: console errors, uncaught exceptions, foreign requests. */
const problems = [];

/** Starts `folio serve` of `site` on a free port; resolves with the URL it prints. */
function serve(site) {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(folio, ["serve", site, "--port", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`folio serve did not start:\n${output}`)), 60_000);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`folio serve exited (${code}):\n${output}`)));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/Serving on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl({ child, url: match[1] });
      }
    });
  });
}

/** A new page that records every problem it meets, for a site served at `site`. */
async function open(options = {}, site = base) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const origin = new URL(site).origin;
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`exception on ${page.url()}: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith("http") && url.origin !== origin) {
      problems.push(`request to another host from ${page.url()}: ${request.url()}`);
    }
  });
  return page;
}

async function visit(page, path) {
  const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
  assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
}

/** Serious and critical axe-core violations on the page as it is now. */
async function axeViolations(page) {
  await page.addScriptTag({ path: axeSource });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
}

/** Whether the search box is live yet (the search is built separately). */
async function searchEnabled(page) {
  return !(await page.locator("#search-input").isDisabled());
}

async function search(page, query) {
  await page.locator("#search-input").fill(query);
  await page.locator("#search-results a").first().waitFor();
}

/** A copy of this repository's site in a new temporary folder, for tests that change it. */
function copySite(prefix) {
  const site = mkdtempSync(join(tmpdir(), prefix));
  for (const name of ["book.toml", "content", "templates", "theme"]) {
    cpSync(join(repository, name), join(site, name), { recursive: true });
  }
  return site;
}

before(async () => {
  ({ child: server, url: base } = await serve(repository));
  browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

describe("the default theme", () => {
  test("the home page loads, with landmarks and a skip link", SLOW, async () => {
    const page = await open();
    await visit(page, "");
    assert.match(await page.title(), /China's 2022 Statement on Nuclear Security Cooperation/);
    await page.screenshot({ path: join(screenshots, "home-desktop.png") });
    for (const landmark of ["header", "nav", "main", "footer"]) {
      assert.ok(await page.locator(landmark).count(), `no <${landmark}>`);
    }
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await page.keyboard.press("Tab");
    const skip = page.locator(".skip-link");
    assert.ok(await skip.evaluate((a) => a === document.activeElement), "Tab reaches the skip link first");
    assert.ok(await skip.isVisible(), "the focused skip link shows");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "main");
    await page.context().close();
  });

  test("the sidebar and prev/next links lead through a section", SLOW, async () => {
    const page = await open();
    await visit(page, "organisations/iaea/");
    const sidebar = page.locator("nav.sidebar");
    assert.equal(await sidebar.locator('[aria-current="page"]').textContent(), "International Atomic Energy Agency");
    await sidebar.getByRole("link", { name: "Nuclear Security Contact Group" }).click();
    await page.waitForURL(/\/organisations\/nscg\/$/);
    assert.match(await sidebar.locator('[aria-current="page"]').textContent(), /Contact Group/);
    await page.locator('a[rel="next"]').click();
    await page.waitForURL(/\/organisations\/nuclear-security-guidance-committee\/$/);
    await page.locator('a[rel="prev"]').click();
    await page.waitForURL(/\/organisations\/nscg\/$/);
    await page.context().close();
  });

  test("the table of contents marks the heading being read", SLOW, async () => {
    const page = await open();
    await visit(page, "statement/");
    for (const id of ["p3-2", "p1-2"]) {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView({ behavior: "instant" }), id);
      await page.waitForSelector(`.toc a[href="#${id}"][aria-current]`);
      assert.equal(await page.locator(".toc a[aria-current]").count(), 1);
    }
    await page.context().close();
  });

  test("a page's related block is one labelled region that lists each page once", SLOW, async () => {
    const backgrounds = {};
    for (const colorScheme of ["light", "dark"]) {
      const page = await open({ colorScheme });
      await visit(page, "organisations/iaea/");
      const block = page.getByRole("region", { name: "Related pages" });
      assert.equal(await block.count(), 1);
      assert.ok((await block.locator("h3").count()) >= 3, "a heading per group");
      const hrefs = await block.locator("ul a").evaluateAll((links) => links.map((a) => a.href));
      assert.deepEqual(hrefs, [...new Set(hrefs)], "a page listed twice");
      backgrounds[colorScheme] = await block.evaluate((el) => getComputedStyle(el).backgroundColor);
      await page.context().close();
    }
    assert.notEqual(backgrounds.light, backgrounds.dark);
  });

  test("search finds IPPAS first and opens it from the keyboard", SLOW, async (t) => {
    const page = await open();
    await visit(page, "");
    if (!(await searchEnabled(page))) {
      t.skip("the search is not built yet: #search-input is disabled");
      return page.context().close();
    }
    await search(page, "IPPAS");
    const first = page.locator("#search-results a").first();
    assert.match(await first.getAttribute("href"), /\/programmes\/ippas\/$/);
    await first.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/programmes\/ippas\/$/);
    await page.context().close();
  });

  test("the dark theme is remembered across reloads and pages", SLOW, async () => {
    const page = await open({ colorScheme: "light" });
    await visit(page, "");
    const toggle = page.locator(".theme-toggle");
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await toggle.focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(dark, light);
    await page.reload();
    assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), dark);
    await visit(page, "timeline/");
    assert.equal(await page.locator(".theme-toggle").getAttribute("aria-pressed"), "true");
    await page.locator(".theme-toggle").click();
    assert.equal(await page.locator("html").getAttribute("data-theme"), "light");
    await page.context().close();
  });

  test("on a phone the sidebar folds and opens from the keyboard", SLOW, async () => {
    const page = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await visit(page, "");
    await page.screenshot({ path: join(screenshots, "home-mobile.png") });
    await visit(page, "organisations/iaea/");
    const button = page.locator(".sidebar-toggle");
    const list = page.locator("#sidebar-list");
    assert.equal(await button.getAttribute("aria-expanded"), "false");
    assert.ok(await list.isHidden(), "the section's pages start folded");
    await button.focus();
    await page.keyboard.press("Enter");
    assert.equal(await button.getAttribute("aria-expanded"), "true");
    await list.getByRole("link", { name: "Nuclear Security Contact Group" }).waitFor({ state: "visible" });
    await page.keyboard.press("Space");
    assert.equal(await button.getAttribute("aria-expanded"), "false");
    await list.waitFor({ state: "hidden" });
    await page.context().close();
  });

  test("the print page holds every page, its links kept inside it", SLOW, async () => {
    const page = await open();
    await visit(page, "print/");
    const { articles, broken } = await page.evaluate(() => ({
      articles: document.querySelectorAll("article.print-page").length,
      broken: [...document.querySelectorAll('main a[href^="#"]')]
        .map((a) => decodeURIComponent(a.hash.slice(1)))
        .filter((id) => !document.getElementById(id)),
    }));
    assert.ok(articles > 40, `only ${articles} pages`);
    assert.deepEqual(broken, []);
    assert.ok(await page.locator("#page-statement").count());
    await page.context().close();
  });

  test("a missing page is a 404 that offers the search", SLOW, async () => {
    const page = await open();
    const response = await page.goto(new URL("no/such/page/", base).href);
    assert.equal(response.status(), 404);
    assert.match(await page.locator("h1").textContent(), /not found/i);
    assert.ok(await page.locator('main a[href="#search-input"]').count());
    // Chromium reports the 404 status itself as a console error: not the theme's.
    problems.splice(0, problems.length, ...problems.filter((p) => !p.includes("status of 404")));
    await page.context().close();
  });

  for (const colorScheme of ["light", "dark"]) {
    test(`axe-core finds no serious violation in the ${colorScheme} theme`, SLOW, async () => {
      const page = await open({ colorScheme });
      const found = [];
      for (const path of ["", "statement/", "organisations/iaea/", "timeline/", "glossary/"]) {
        await visit(page, path);
        found.push(...(await axeViolations(page)).map((v) => `/${path}: ${v}`));
      }
      await visit(page, "");
      if (await searchEnabled(page)) {
        await search(page, "IPPAS");
        found.push(...(await axeViolations(page)).map((v) => `search results: ${v}`));
      } else {
        console.log("# axe: search results state not checked: #search-input is disabled");
      }
      assert.deepEqual(found, []);
      await page.context().close();
    });
  }

  test("no page logged an error or asked another host for anything", SLOW, () => {
    assert.deepEqual(problems, []);
  });
});

describe("folio serve while a page is open", () => {
  let site;
  let live;
  let liveBase;
  const edited = () => join(site, "content/statement.md");

  before(async () => {
    site = copySite("folio-live-");
    ({ child: live, url: liveBase } = await serve(site));
  });

  after(() => {
    live?.kill();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  /** The text of the error overlay, once it is shown. */
  async function overlayText(page) {
    const overlay = page.locator("#folio-serve-overlay");
    await overlay.waitFor({ state: "attached" });
    return overlay.evaluate((host) => host.shadowRoot.textContent);
  }

  test("an edit reloads the page; a broken one shows its error over the last good page", SLOW, async () => {
    const page = await open({}, liveBase);
    await page.goto(new URL("statement/", liveBase).href, { waitUntil: "load" });
    const original = readFileSync(edited(), "utf8");
    writeFileSync(edited(), `${original}\nA sentence added while the page was open.\n`);
    await page.getByText("A sentence added while the page was open.").waitFor();

    writeFileSync(edited(), "---\ntitle: [broken\n---\n\nBroken.\n");
    const text = await overlayText(page);
    assert.match(text, /content\/statement\.md:2:8/);
    assert.match(text, /title: \[broken/);
    assert.ok(await page.getByText("A sentence added while the page was open.").isVisible());

    writeFileSync(edited(), original);
    await page.locator("#folio-serve-overlay").waitFor({ state: "detached" });
    await page.getByText("A sentence added while the page was open.").waitFor({ state: "detached" });
    await page.context().close();
  });

  test("a page that stops rendering keeps its last good version under the error", SLOW, async () => {
    const page = await open({}, liveBase);
    await page.goto(new URL("statement/", liveBase).href, { waitUntil: "load" });
    const template = join(site, "templates/page.html");
    const original = readFileSync(template, "utf8");
    writeFileSync(
      template,
      '{% extends "default/page.html" %}{% block aside %}' +
        '{% if page.title == "The statement, annotated" %}{{ get_page(path="missing.md") }}{% endif %}' +
        "{% endblock aside %}",
    );
    const text = await overlayText(page);
    assert.match(text, /missing\.md/);
    assert.ok(await page.locator("main h1").isVisible(), "the last good page is under the overlay");

    writeFileSync(template, original);
    await page.locator("#folio-serve-overlay").waitFor({ state: "detached" });
    await page.context().close();
  });

  test("no page logged an error or asked another host for anything", () => {
    assert.deepEqual(problems, []);
  });
});

describe("code blocks", () => {
  let site;
  let server;
  let siteBase;
  const code = 'fn main() {\n    println!("hi");\n}';

  before(async () => {
    site = copySite("folio-code-");
    const page = [
      "---\ntitle: Code blocks\n---\n",
      '```rust title="src/main.rs" linenos',
      code,
      "```\n",
      "```diff-rust",
      "-let a = 1;\n+let a = 2;\n let b = a;",
      "```\n",
    ].join("\n");
    writeFileSync(join(site, "content/code-blocks.md"), page);
    ({ child: server, url: siteBase } = await serve(site));
  });

  after(() => {
    server?.kill();
    if (site) rmSync(site, { recursive: true, force: true });
  });

  test("the copy button is a labelled button that copies the code without line numbers", SLOW, async () => {
    const page = await open({}, siteBase);
    // A stub clipboard: headless Chromium's own needs a permission prompt.
    await page.addInitScript(() => {
      window.copied = [];
      Object.defineProperty(navigator, "clipboard", {
        value: { writeText: async (text) => void window.copied.push(text) },
      });
    });
    await page.goto(new URL("code-blocks/", siteBase).href, { waitUntil: "load" });
    assert.equal(await page.locator("figure.code-block figcaption").textContent(), "src/main.rs");
    const button = page.getByRole("button", { name: "Copy code" }).first();
    await button.focus();
    assert.ok(await button.evaluate((b) => b === document.activeElement), "the button takes the focus");
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Copied").waitFor({ state: "attached" });
    assert.deepEqual(await page.evaluate(() => window.copied), [code]);
    await page.context().close();
  });

  test("without the Clipboard API the copy still succeeds", SLOW, async () => {
    const page = await open({}, siteBase);
    await page.addInitScript(() => {
      Object.defineProperty(navigator, "clipboard", { value: undefined });
      document.execCommand = (command) => {
        window.copied = document.querySelector("textarea")?.value;
        return command === "copy";
      };
    });
    await page.goto(new URL("code-blocks/", siteBase).href, { waitUntil: "load" });
    await page.getByRole("button", { name: "Copy code" }).first().click();
    await page.getByRole("status").getByText("Copied").waitFor({ state: "attached" });
    assert.equal(await page.evaluate(() => window.copied), code);
    await page.context().close();
  });

  test("code blocks take their colours from each theme's palette", SLOW, async () => {
    const colours = {};
    for (const colorScheme of ["light", "dark"]) {
      const page = await open({ colorScheme }, siteBase);
      await page.goto(new URL("code-blocks/", siteBase).href, { waitUntil: "load" });
      colours[colorScheme] = await page.evaluate(() => {
        const pre = document.querySelector("pre.code");
        const token = pre.querySelector("span.k");
        const style = getComputedStyle(pre);
        return { text: style.color, background: style.backgroundColor, token: getComputedStyle(token).color };
      });
      await page.context().close();
    }
    for (const [scheme, c] of Object.entries(colours)) {
      assert.notEqual(c.token, c.text, `${scheme}: a highlighted token is in the text colour`);
    }
    assert.notEqual(colours.light.token, colours.dark.token);
    assert.notEqual(colours.light.background, colours.dark.background);
  });

  for (const colorScheme of ["light", "dark"]) {
    test(`titles, diffs and copy buttons pass axe-core in the ${colorScheme} theme`, SLOW, async () => {
      const page = await open({ colorScheme }, siteBase);
      await page.goto(new URL("code-blocks/", siteBase).href, { waitUntil: "load" });
      assert.equal(await page.locator("pre.code .line.ins").count(), 1);
      assert.equal(await page.locator("pre.code .line.del").count(), 1);
      await page.locator("main").screenshot({ path: join(screenshots, `code-blocks-${colorScheme}.png`) });
      assert.deepEqual(await axeViolations(page), []);
      await page.context().close();
    });
  }

  test("no page logged an error or asked another host for anything", () => {
    assert.deepEqual(problems, []);
  });
});

describe("diagrams and math", () => {
  let server;
  let siteBase;
  const fixture = join(repository, "tests/fixtures/diagrams");

  before(async () => {
    ({ child: server, url: siteBase } = await serve(fixture));
  });

  after(() => server?.kill());

  /** A page of the fixture in `colorScheme`, once loaded. */
  async function diagramPage(path, colorScheme, requests = []) {
    const page = await open({ colorScheme }, siteBase);
    page.on("request", (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(new URL(path, siteBase).href, { waitUntil: "load" });
    return page;
  }

  /** WCAG's contrast ratio of two computed `rgb(…)` colours. */
  function contrast(a, b) {
    const luminance = (colour) => {
      const [r, g, b] = colour.match(/[\d.]+/g).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  for (const colorScheme of ["light", "dark"]) {
    test(`a mermaid diagram is drawn in the ${colorScheme} theme and passes axe-core`, SLOW, async () => {
      const page = await diagramPage("mermaid/", colorScheme);
      const theme = colorScheme === "dark" ? "dark" : "default";
      await page.locator(`pre.mermaid[data-theme="${theme}"] svg`).waitFor();
      assert.ok(await page.getByText("Publish").first().isVisible(), "the diagram's text is drawn");
      await page.locator("main").screenshot({ path: join(screenshots, `mermaid-${colorScheme}.png`) });
      assert.deepEqual(await axeViolations(page), []);
      await page.context().close();
    });

    test(`a dot diagram and math are readable in the ${colorScheme} theme and pass axe-core`, SLOW, async () => {
      const page = await diagramPage("dot/", colorScheme);
      const svg = page.locator("svg.folio-diagram").first();
      assert.ok(await svg.isVisible());
      const colours = await page.evaluate(() => {
        const node = document.querySelector(".folio-diagram .rm-node");
        const edge = document.querySelector(".folio-diagram .rm-edge path");
        let background = "rgba(0, 0, 0, 0)";
        for (let at = node; at && /rgba\(0, 0, 0, 0\)|transparent/.test(background); at = at.parentElement) {
          background = getComputedStyle(at).backgroundColor;
        }
        return {
          text: getComputedStyle(node.querySelector("text")).fill,
          shape: getComputedStyle(node.querySelector("rect, ellipse, path")).fill,
          edge: getComputedStyle(edge).stroke,
          page: background,
        };
      });
      assert.ok(contrast(colours.text, colours.shape) >= 4.5, `${colorScheme}: ${JSON.stringify(colours)}`);
      assert.ok(contrast(colours.edge, colours.page) >= 3, `${colorScheme}: ${JSON.stringify(colours)}`);
      const box = await page.locator("main math").first().boundingBox();
      assert.ok(box && box.width > 0 && box.height > 0, "the formula has a size");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, "nothing overflows the page");
      await page.locator("main").screenshot({ path: join(screenshots, `dot-${colorScheme}.png`) });
      assert.deepEqual(await axeViolations(page), []);
      await page.context().close();
    });
  }

  test("switching the theme draws the mermaid diagram again in the other palette", SLOW, async () => {
    const page = await diagramPage("mermaid/", "light");
    await page.locator('pre.mermaid[data-theme="default"] svg').waitFor();
    const light = await page.locator("pre.mermaid svg").innerHTML();
    await page.locator(".theme-toggle").click();
    await page.locator('pre.mermaid[data-theme="dark"] svg').waitFor();
    assert.notEqual(await page.locator("pre.mermaid svg").innerHTML(), light);
    await page.context().close();
  });

  test("a mermaid diagram that cannot be drawn shows its error and its source", SLOW, async () => {
    const page = await diagramPage("typo/", "light");
    await page.locator("pre.mermaid.mermaid-failed").waitFor();
    assert.match(await page.locator(".mermaid-error").textContent(), /cannot be drawn/);
    assert.match(await page.locator("pre.mermaid").textContent(), /sequenceDiagam\n {2}Alice->>Bob: Hi/);
    await page.context().close();
  });

  test("a page without a mermaid diagram does not load the script", SLOW, async () => {
    const requests = [];
    const page = await diagramPage("plain/", "light", requests);
    assert.ok(requests.some((path) => path.endsWith("/theme/folio.js")), "the page's own scripts load");
    assert.deepEqual(requests.filter((path) => path.includes("mermaid")), []);
    await page.context().close();
  });

  test("no diagram page logged an error or asked another host for anything", () => {
    assert.deepEqual(problems, []);
  });
});

describe("shortcodes", () => {
  let server;
  let siteBase;
  const fixture = join(repository, "tests/fixtures/shortcodes");
  const tabNames = (page, group) =>
    page.locator(".tabs").nth(group).getByRole("tab", { selected: true }).textContent();

  before(async () => {
    ({ child: server, url: siteBase } = await serve(fixture));
  });

  after(() => server?.kill());

  test("tabs follow the arrow keys, Home and End, one tab in the Tab order", SLOW, async () => {
    const page = await open({}, siteBase);
    await page.goto(new URL("guide/install/", siteBase).href, { waitUntil: "load" });
    const group = page.locator(".tabs").first();
    assert.equal(await group.getByRole("tablist").count(), 1);
    assert.equal(await group.getByRole("tab").count(), 3);
    assert.equal(await group.locator(".tab-label:visible").count(), 0, "labels become tabs");
    const first = group.getByRole("tab", { name: "macOS" });
    await first.focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await tabNames(page, 0), "Linux");
    assert.ok(await group.getByRole("tab", { name: "Linux" }).evaluate((t) => t === document.activeElement));
    assert.ok(await group.getByRole("tabpanel").filter({ hasText: "package manager" }).isVisible());
    assert.equal(await group.getByRole("tabpanel").filter({ hasText: "Homebrew" }).isVisible(), false);
    await page.keyboard.press("End");
    assert.equal(await tabNames(page, 0), "Windows");
    await page.keyboard.press("ArrowRight");
    assert.equal(await tabNames(page, 0), "macOS", "the keys wrap around");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await tabNames(page, 0), "Windows");
    await page.keyboard.press("Home");
    assert.equal(await tabNames(page, 0), "macOS");
    assert.deepEqual(await group.getByRole("tab").evaluateAll((tabs) => tabs.map((t) => t.tabIndex)), [0, -1, -1]);
    const ids = await page.locator("[id]").evaluateAll((all) => all.map((e) => e.id));
    assert.equal(new Set(ids).size, ids.length, "ids are unique on the page");
    await page.context().close();
  });

  test("groups with one sync key switch together and the choice is remembered", SLOW, async () => {
    const page = await open({}, siteBase);
    await page.goto(new URL("guide/install/", siteBase).href, { waitUntil: "load" });
    await page.locator(".tabs").first().getByRole("tab", { name: "Linux" }).click();
    assert.equal(await tabNames(page, 1), "Linux", "the second group follows");
    await page.getByRole("link", { name: "the other page" }).first().click();
    await page.waitForURL(/\/guide\/other\//);
    assert.equal(await tabNames(page, 0), "Linux", "the next page remembers");
    await page.context().close();
  });

  test("a figure has its size before its image loads, and details open", SLOW, async () => {
    const page = await open({}, siteBase);
    await page.route(/diagram\.png$/, () => {}); // never answered: the image stays unloaded
    await page.goto(new URL("guide/install/", siteBase).href, { waitUntil: "domcontentloaded" });
    const image = page.locator("figure.figure img").first();
    assert.deepEqual(await image.evaluate((img) => [img.getAttribute("width"), img.getAttribute("height")]), ["320", "180"]);
    const box = await image.boundingBox();
    assert.ok(box.height > 100, `the unloaded image already takes its height (${box.height})`);
    const details = page.locator("details.details");
    assert.equal(await details.getByRole("heading", { name: "Inside details" }).isVisible(), false);
    await details.locator("summary").click();
    assert.ok(await details.getByRole("heading", { name: "Inside details" }).isVisible());
    await page.context().close();
  });

  for (const colorScheme of ["light", "dark"]) {
    test(`tabs, figures and details pass axe-core in the ${colorScheme} theme`, SLOW, async () => {
      const page = await open({ colorScheme }, siteBase);
      await page.goto(new URL("guide/install/", siteBase).href, { waitUntil: "load" });
      await page.locator("details.details summary").click();
      assert.deepEqual(await axeViolations(page), []);
      await page.locator(".tabs").first().getByRole("tab").first().focus();
      await page.locator("main").screenshot({ path: join(screenshots, `shortcodes-${colorScheme}.png`) });
      await page.context().close();
    });
  }
});

describe("multilingual sites", () => {
  let server;
  let siteBase;

  before(async () => {
    ({ child: server, url: siteBase } = await serve(join(repository, "tests/fixtures/multilingual")));
  });

  after(() => server?.kill());

  test("the language switcher works by keyboard and the choice is remembered", SLOW, async () => {
    const page = await open({}, siteBase);
    await page.goto(new URL("areas/iaea/", siteBase).href, { waitUntil: "load" });
    const summary = page.locator(".language-switcher summary");
    await summary.focus();
    await page.keyboard.press("Enter");
    const chinese = page.getByRole("link", { name: "中文" });
    await chinese.focus();
    assert.ok(await chinese.evaluate((a) => a === document.activeElement), "the link takes the focus");
    await Promise.all([page.waitForURL(/\/zh\/areas\/iaea\/$/), page.keyboard.press("Enter")]);
    assert.equal(await page.evaluate(() => document.documentElement.lang), "zh");
    assert.equal(await page.evaluate(() => localStorage.getItem("folio-language")), "zh");
    // Coming back from elsewhere (a bookmark of the English page), the reader lands on
    // the same page in Chinese; inside the site, no redirect.
    await page.goto(new URL("areas/coe/", siteBase).href, { waitUntil: "load" });
    await page.waitForURL(/\/zh\/areas\/coe\/$/);
    await page.locator(".language-switcher summary").click();
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/\/areas\/coe\/$/);
    await page.context().close();
  });

  test("searching 核安保 on a Chinese page finds Chinese pages only", SLOW, async () => {
    const page = await open({}, siteBase);
    await page.goto(new URL("zh/areas/coe/", siteBase).href, { waitUntil: "load" });
    if (!(await searchEnabled(page))) await page.locator("#search-input:not([disabled])").waitFor();
    await search(page, "核安保");
    const results = await page.locator("#search-results a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.ok(results.length > 0);
    for (const href of results) assert.match(href, /^\/zh\//);
    assert.ok(results.includes("/zh/areas/iaea/"), results.join(", "));
    await page.context().close();
  });

  for (const colorScheme of ["light", "dark"]) {
    test(`both languages and a fallback page pass axe-core in the ${colorScheme} theme`, SLOW, async () => {
      const found = [];
      for (const path of ["", "areas/iaea/", "zh/", "zh/areas/iaea/", "zh/areas/coe/", "zh/timeline/"]) {
        const page = await open({ colorScheme }, siteBase);
        await page.goto(new URL(path, siteBase).href, { waitUntil: "load" });
        await page.locator(".language-switcher summary").click();
        found.push(...(await axeViolations(page)).map((v) => `/${path}: ${v}`));
        await page.context().close();
      }
      assert.deepEqual(found, []);
    });
  }

  test("no page logged an error or asked another host for anything", () => {
    assert.deepEqual(problems, []);
  });
});
