// folio's default theme: enhancements only; every page reads and navigates without it.
(() => {
  const root = document.documentElement;

  // The theme's words in the page's language, from <script id="folio-strings">, each
  // `{name}` filled from `values`; the English given when the page has none.
  const strings = (() => {
    try {
      return JSON.parse(document.getElementById("folio-strings").textContent);
    } catch {
      return {};
    }
  })();
  const word = (key, english, values = {}) =>
    (strings[key] || english).replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));
  window.folioWord = word;

  // The language the reader picks in the switcher is remembered: arriving from another
  // site (a search engine, a bookmark) on a page of another language, they are taken
  // to the same page in theirs. Moving about the site itself never redirects.
  const rememberedLanguage = (() => {
    try {
      return localStorage.getItem("folio-language");
    } catch {
      return null;
    }
  })();
  const switcher = document.querySelector(".language-switcher");
  switcher?.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-language]");
    if (!link) return;
    try {
      localStorage.setItem("folio-language", link.dataset.language);
    } catch {
      // Storage refused: the choice is not remembered.
    }
  });
  const fromElsewhere = !document.referrer || new URL(document.referrer).origin !== location.origin;
  if (rememberedLanguage && rememberedLanguage !== root.lang && fromElsewhere) {
    const link = switcher?.querySelector(`a[data-language="${CSS.escape(rememberedLanguage)}"]`);
    if (link) location.replace(link.href);
  }

  // Light or dark. The reader's pick is remembered; the script in <head> applies it
  // before the first paint. Without a pick, the system's preference rules.
  const systemDark = matchMedia("(prefers-color-scheme: dark)");
  const toggle = document.querySelector(".theme-toggle");
  const isDark = () => (root.dataset.theme || (systemDark.matches ? "dark" : "light")) === "dark";
  const showTheme = () => toggle && toggle.setAttribute("aria-pressed", String(isDark()));
  showTheme();
  systemDark.addEventListener("change", showTheme);
  toggle?.addEventListener("click", () => {
    root.dataset.theme = isDark() ? "light" : "dark";
    try {
      localStorage.setItem("folio-theme", root.dataset.theme);
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
    showTheme();
  });

  // The sidebar's button on small screens: CSS folds the list while it is not expanded.
  // (Only ours: other scripts, such as the search, own their own aria-expanded.)
  for (const button of document.querySelectorAll(".sidebar-toggle")) {
    button.addEventListener("click", () => {
      button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
    });
  }

  // Links that should put the cursor in a field (the 404 page's "search the site").
  for (const link of document.querySelectorAll("a[data-focus]")) {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.dataset.focus);
      if (field && !field.disabled) {
        event.preventDefault();
        field.focus();
      }
    });
  }

  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => print());
  }

  // Code with hidden lines (an mdBook book's `# ` lines in Rust): a button shows them.
  // Without the script they stay hidden, as the code reads without them.
  for (const pre of document.querySelectorAll("main pre")) {
    if (!pre.querySelector(".boring")) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "show-hidden-lines";
    button.textContent = word("show_hidden_lines", "Show hidden lines");
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      const shown = pre.classList.toggle("hidden-lines-shown");
      button.setAttribute("aria-pressed", String(shown));
      button.textContent = shown ? word("hide_hidden_lines", "Hide hidden lines") : word("show_hidden_lines", "Show hidden lines");
    });
    pre.before(button);
  }

  // A copy button on every code block. It copies the code as shown: without line
  // numbers, and without hidden lines unless they are shown. A live region says
  // "Copied"; where the Clipboard API is missing or refused, a selected copy of the text
  // goes through execCommand, and failing that the code is selected for the reader.
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const announce = (message) => {
    status.textContent = "";
    setTimeout(() => (status.textContent = message), 50);
  };
  const codeText = (pre) => {
    const copy = pre.querySelector("code")?.cloneNode(true) ?? pre.cloneNode(true);
    const hidden = pre.classList.contains("hidden-lines-shown") ? ".ln" : ".ln, .boring";
    copy.querySelectorAll(hidden).forEach((node) => node.remove());
    return copy.textContent.replace(/\n$/, "");
  };
  const copyByCommand = (text) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      // Refused: the caller selects the code instead.
    }
    area.remove();
    return copied;
  };
  const copy = async (pre) => {
    const text = codeText(pre);
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // No Clipboard API (a page not served over HTTPS) or no permission.
      return copyByCommand(text);
    }
  };
  // A mermaid block becomes a drawing (mermaid.js): nothing to copy.
  const codeBlocks = document.querySelectorAll("main pre:not(.mermaid)");
  if (codeBlocks.length) document.body.append(status);
  for (const pre of codeBlocks) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = word("copy", "Copy");
    button.setAttribute("aria-label", word("copy_code", "Copy code"));
    button.addEventListener("click", async () => {
      if (await copy(pre)) {
        announce(word("copied", "Copied"));
        button.textContent = word("copied", "Copied");
        setTimeout(() => (button.textContent = word("copy", "Copy")), 2000);
      } else {
        getSelection()?.selectAllChildren(pre.querySelector("code") ?? pre);
        announce(word("copy_refused", "Copying is not allowed here: the code is selected, copy it with the keyboard"));
      }
    });
    const box = document.createElement("div");
    box.className = "code-box";
    pre.before(box);
    box.append(button, pre);
  }

  // Tabs (the `tabs` shortcode). Without this script every panel shows under its label.
  // With it, each group is a WAI-ARIA tab list: arrow keys, Home and End move and select,
  // and only the selected tab is in the Tab order. Groups of one `data-sync` key follow
  // a choice together, on this page and, remembered, on the next.
  const tabGroups = new Map();
  const remembered = (key) => {
    try {
      return localStorage.getItem(`folio-tabs-${key}`);
    } catch {
      return null;
    }
  };
  const showTab = (tabs, index, focus) => {
    tabs.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = i !== index;
    });
    if (focus) tabs[index].focus();
  };
  const chooseTab = (group, index, focus) => {
    const tabs = tabGroups.get(group);
    showTab(tabs, index, focus);
    const key = group.dataset.sync;
    if (!key) return;
    const label = tabs[index].textContent;
    for (const [other, otherTabs] of tabGroups) {
      const match = otherTabs.findIndex((tab) => tab.textContent === label);
      if (other !== group && other.dataset.sync === key && match >= 0) showTab(otherTabs, match);
    }
    try {
      localStorage.setItem(`folio-tabs-${key}`, label);
    } catch {
      // Storage refused: the choice holds on this page only.
    }
  };
  document.querySelectorAll(".tabs").forEach((group, g) => {
    const panels = [...group.children].filter((child) => child.classList.contains("tab-panel"));
    if (!panels.length) return;
    const list = document.createElement("div");
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    const tabs = panels.map((panel, i) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tab";
      tab.id = `tabs-${g + 1}-tab-${i + 1}`;
      tab.textContent = panel.dataset.label;
      tab.setAttribute("role", "tab");
      panel.id ||= `tabs-${g + 1}-panel-${i + 1}`;
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      panel.querySelector(":scope > .tab-label")?.setAttribute("hidden", "");
      tab.addEventListener("click", () => chooseTab(group, i));
      list.append(tab);
      return tab;
    });
    list.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(document.activeElement);
      const last = tabs.length - 1;
      const to = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[event.key];
      if (i < 0 || to === undefined) return;
      event.preventDefault();
      chooseTab(group, to, true);
    });
    group.prepend(list);
    group.classList.add("tabs-ready");
    tabGroups.set(group, tabs);
    const stored = group.dataset.sync && remembered(group.dataset.sync);
    showTab(tabs, Math.max(0, tabs.findIndex((tab) => tab.textContent === stored)));
  });

  // Code and tables too wide for the page scroll sideways: make them reachable by
  // keyboard, so they can be scrolled without a mouse.
  for (const box of document.querySelectorAll("main pre, main table")) {
    if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
  }

  // The table of contents marks the heading being read: the last one above a line a
  // fifth down the window, so a heading jumped to is marked even when the next one is
  // close below it. The observer only says when a heading crosses that line.
  const entries = new Map();
  for (const link of document.querySelectorAll('.toc a[href^="#"]')) {
    const heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (heading) entries.set(heading, link);
  }
  if (!entries.size || !("IntersectionObserver" in window)) return;
  const headings = [...entries.keys()];
  let current;
  const mark = (changes) => {
    const line = changes[0].rootBounds?.bottom ?? innerHeight / 5;
    const reading = headings.filter((h) => h.getBoundingClientRect().top < line).pop();
    if (reading === current) return;
    entries.get(current)?.removeAttribute("aria-current");
    entries.get(reading)?.setAttribute("aria-current", "location");
    current = reading;
  };
  const observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -80% 0px" });
  headings.forEach((heading) => observer.observe(heading));
})();
