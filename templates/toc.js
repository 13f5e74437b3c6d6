// The book's table of contents, written once for every chapter's sidebar: the current
// chapter is marked and the sidebar scrolled to it.
(function () {
  var holder = document.getElementById("book-toc");
  if (!holder) return;
  holder.innerHTML = {{ toc_json | safe }};
  var here = location.pathname.replace(/\/index\.html$/, "/");
  var links = holder.querySelectorAll("a[href]");
  for (var i = 0; i < links.length; i++) {
    var path = links[i].pathname.replace(/\/index\.html$/, "/");
    if (path === here) {
      links[i].setAttribute("aria-current", "page");
      links[i].scrollIntoView({ block: "nearest" });
      break;
    }
  }
})();
