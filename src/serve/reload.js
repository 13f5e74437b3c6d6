// folio serve: live reload. Served only by `folio serve`, at /__folio/reload.js, and
// loaded by the one <script> tag it adds to the HTML it serves; `folio build` never
// writes it.
//
// It listens to /__folio/events. Each event is the server's state as JSON:
//   { instance, generation, css_since, errors }
// - a new `instance` (the server restarted) or `generation` (a successful rebuild)
//   reloads the page, or only swaps its stylesheets when every change since this
//   page's generation was to CSS (`css_since`);
// - `errors` (the text of the last failed build) shows an overlay over the last good
//   page; it goes away with the next successful build. A page served in place of one
//   that fails to render carries its error in the tag's `data-errors`, shown the same.
// The overlay is built with DOM calls and textContent only, so diagnostics can never
// be read as HTML, and it is styled through element.style so a page's
// Content-Security-Policy against inline <style> does not hide it.
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !window.EventSource) return;
  const instance = script.dataset.instance;
  let generation = Number(script.dataset.generation);
  // Set when this is the last good version of a page that no longer renders.
  const pageErrors = script.dataset.errors || null;
  let dismissed = null;

  const source = new EventSource("/__folio/events");
  source.addEventListener("status", (message) => {
    let status;
    try {
      status = JSON.parse(message.data);
    } catch {
      return;
    }
    if (status.instance !== instance) {
      location.reload();
      return;
    }
    if (status.generation !== generation) {
      if (generation > 0 && status.css_since <= generation) {
        swapStylesheets(status.generation);
        generation = status.generation;
      } else {
        location.reload();
        return;
      }
    }
    showErrors(status.errors || pageErrors);
  });
  // Browsers allow few connections per host: give this one back when leaving.
  addEventListener("pagehide", () => source.close());

  function swapStylesheets(tag) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("folio-reload", String(tag));
      const next = link.cloneNode();
      next.href = url.href;
      const drop = () => link.remove();
      next.addEventListener("load", drop);
      next.addEventListener("error", drop);
      link.after(next);
    }
  }

  function showErrors(text) {
    // The error page shown before the first good build lists the errors itself.
    const page = document.getElementById("folio-serve-errors");
    if (page) {
      if (text) page.textContent = text;
      return;
    }
    const old = document.getElementById("folio-serve-overlay");
    if (!text) {
      dismissed = null;
      if (old) old.remove();
      return;
    }
    if (text === dismissed) return;
    if (old) old.remove();
    document.body.append(overlay(text));
  }

  function overlay(text) {
    // The overlay lives in a shadow root, so the site's own CSS (its `pre` or
    // `button` rules) cannot restyle it; `all: initial` shields the host element.
    const host = document.createElement("div");
    host.id = "folio-serve-overlay";
    host.setAttribute("role", "alert");
    host.style.all = "initial";
    Object.assign(host.style, {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
      background: "rgba(20, 20, 24, 0.94)", display: "block",
    });
    const root = host.attachShadow({ mode: "open" });
    const box = document.createElement("div");
    Object.assign(box.style, {
      color: "#f4f4f5", padding: "2rem", boxSizing: "border-box", textAlign: "left",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    });
    const bar = document.createElement("div");
    Object.assign(bar.style, { display: "flex", gap: "1rem", alignItems: "baseline" });
    const title = document.createElement("strong");
    title.textContent = "folio: the last change did not build. This is the last good version.";
    Object.assign(title.style, { color: "#fca5a5", flex: "1" });
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    Object.assign(close.style, { font: "inherit", cursor: "pointer", padding: "0.2rem 0.8rem" });
    close.addEventListener("click", () => {
      dismissed = text;
      host.remove();
    });
    bar.append(title, close);
    const pre = document.createElement("pre");
    pre.textContent = text;
    Object.assign(pre.style, {
      whiteSpace: "pre-wrap", margin: "1rem 0 0", font: "inherit", color: "inherit",
      background: "none", border: "0", padding: "0",
    });
    box.append(bar, pre);
    root.append(box);
    return host;
  }
})();
