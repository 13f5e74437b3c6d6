// The book's table of contents, written once for every chapter's sidebar: the current
// chapter is marked and the sidebar scrolled to it.
(function () {
  var holder = document.getElementById("book-toc");
  if (!holder) return;
  holder.innerHTML = {{ toc_json | safe }};
  var here = location.pathname.replace(/\/index\.html$/, "/");
  var links = holder.querySelectorAll("a[href]");
  var current = null;
  for (var i = 0; i < links.length; i++) {
    var path = links[i].pathname.replace(/\/index\.html$/, "/");
    if (path === here) {
      current = links[i];
      current.setAttribute("aria-current", "page");
      current.scrollIntoView({ block: "nearest" });
      break;
    }
  }
  {%- if fold is defined and fold is not none %}
  // book.toml's [output.html.fold]: lists deeper than its level are folded, but for
  // those that hold the current chapter or are the current chapter's own.
  var lists = holder.querySelectorAll("ol.section");
  for (var j = 0; j < lists.length; j++) {
    var list = lists[j], depth = 0;
    for (var up = list.parentElement; up && up !== holder; up = up.parentElement) {
      if (up.tagName === "OL") depth++;
    }
    var open = current && (list.contains(current) || list.parentElement.contains(current) && list.parentElement.firstElementChild === current);
    if (depth > {{ fold }} && !open) list.hidden = true;
  }
  {%- endif %}
})();
