// folio's search box (templates/partials/search.html): a combobox over a listbox of
// result links, fed by Pagefind's index in /pagefind/. Pagefind's script is imported
// on first use, not with the page, and downloads only the index chunks and page
// fragments a search needs.
//
// Safety: page titles and section names are set as text. The excerpt is the only
// markup Pagefind gives, and even it is not parsed as HTML: it is split on the
// <mark> tags Pagefind adds and every other piece is inserted as text.
(function () {
  "use strict";

  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  var box = input.closest(".search") || input.parentElement;
  var panel = box.querySelector(".search-panel") || list;
  var summary = box.querySelector(".search-summary");
  var status = document.getElementById("search-status");
  // The site's base path, so the index is found when the site lives under a sub-path.
  var base = input.getAttribute("data-base-url") || "/";
  if (base.charAt(base.length - 1) !== "/") base += "/";

  var LIMIT = 10;
  // The theme's words in the page's language (theme/folio.js reads them).
  var word = function (key, english, values) {
    var fill = window.folioWord || function (_, text) { return text; };
    return fill(key, english, values || {});
  };
  var pagefind = null;
  var active = -1;
  // Each search gets a number; an answer that arrives after a newer search started is
  // dropped, so a slow answer never replaces a fresh one.
  var latest = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(base + "pagefind/pagefind.js").then(function (module) {
        return Promise.resolve(module.options({ baseUrl: base, excerptLength: 20 }))
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
      pagefind.catch(unavailable);
    }
    return pagefind;
  }

  function unavailable() {
    input.setAttribute("placeholder", word("search_unavailable", "Search is unavailable"));
    announce(word("search_unavailable", "Search is unavailable") + ".");
  }

  function announce(text) {
    if (summary) summary.textContent = text;
    if (status) status.textContent = text;
  }

  function setOpen(open) {
    panel.hidden = !open;
    if (list !== panel) list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) select(-1);
  }

  function options() {
    return list.querySelectorAll("[role=option]");
  }

  // Highlights one result (the input keeps the focus, as in a combobox) and tells
  // assistive technology which one through aria-activedescendant.
  function select(index) {
    var all = options();
    if (active >= 0 && all[active]) all[active].setAttribute("aria-selected", "false");
    active = index >= 0 && index < all.length ? index : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    var option = all[active];
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function text(tag, className, content) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = content;
    return element;
  }

  // Pagefind's excerpt is page text with "<" and ">" escaped and <mark> around the
  // matched words: rebuilt from text nodes and <mark> elements, never parsed.
  function excerpt(html) {
    var element = document.createElement("span");
    element.className = "search-result-excerpt";
    var mark = null;
    html.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") {
        mark = document.createElement("mark");
        element.appendChild(mark);
      } else if (part === "</mark>") {
        mark = null;
      } else if (part) {
        var plain = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        (mark || element).appendChild(document.createTextNode(plain));
      }
    });
    return element;
  }

  function show(results, total, query) {
    select(-1);
    var links = results.map(function (result, index) {
      var link = document.createElement("a");
      link.href = result.url;
      link.id = "search-result-" + index;
      link.className = "search-result";
      link.setAttribute("role", "option");
      link.setAttribute("aria-selected", "false");
      link.tabIndex = -1;
      var meta = result.meta || {};
      link.appendChild(text("span", "search-result-title", meta.title || result.url));
      if (meta.section) link.appendChild(text("span", "search-result-section", meta.section));
      if (result.excerpt) link.appendChild(excerpt(result.excerpt));
      return link;
    });
    list.replaceChildren.apply(list, links);
    if (total === 0) {
      announce(word("search_no_results", "No results for “{query}”.", { query: query }));
    } else if (total > results.length) {
      announce(word("search_showing", "Showing {shown} of {total} results.", { shown: results.length, total: total }));
    } else if (total === 1) {
      announce(word("search_one_result", "1 result."));
    } else {
      announce(word("search_count", "{total} results.", { total: total }));
    }
    setOpen(true);
  }

  function search() {
    var query = input.value.trim();
    var number = ++latest;
    if (!query) {
      list.replaceChildren();
      announce("");
      setOpen(false);
      return;
    }
    load()
      .then(function (module) { return module.debouncedSearch(query, {}, 150); })
      .then(function (found) {
        // null: a newer search replaced this one while it waited.
        if (!found || number !== latest) return null;
        var shown = found.results.slice(0, LIMIT).map(function (r) { return r.data(); });
        return Promise.all(shown).then(function (results) {
          if (number === latest) show(results, found.results.length, query);
        });
      })
      .catch(function () {
        if (number === latest) unavailable();
      });
  }

  function open(index) {
    var option = options()[index];
    if (option) window.location.href = option.href;
  }

  input.addEventListener("focus", function () {
    load();
    if (input.value.trim() && list.childElementCount) setOpen(true);
  });
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    var count = options().length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (panel.hidden && count) setOpen(true);
        if (count) select(active + 1 < count ? active + 1 : 0);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (count) select(active > 0 ? active - 1 : count - 1);
        break;
      case "Enter":
        if (!panel.hidden && count) {
          event.preventDefault();
          open(active >= 0 ? active : 0);
        }
        break;
      case "Escape":
        // First Escape closes the results; the next one clears the box.
        if (!panel.hidden) {
          event.preventDefault();
          setOpen(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          search();
        }
        break;
    }
  });
  list.addEventListener("mousemove", function (event) {
    var option = event.target.closest && event.target.closest("[role=option]");
    if (option) select(Array.prototype.indexOf.call(options(), option));
  });
  // Closing on a pointer press outside rather than on blur: a blur would hide a
  // result before the click on it lands.
  document.addEventListener("pointerdown", function (event) {
    if (!box.contains(event.target)) setOpen(false);
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) setOpen(false);
  });

  // "/" anywhere on the page, except while typing in a field, goes to the search box.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented || editable(event.target)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  function editable(target) {
    if (!target || target.nodeType !== 1) return false;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
})();
