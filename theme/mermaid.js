// Mermaid diagrams, loaded only on pages that have one (after the vendored mermaid
// script, vendor/mermaid/mermaid.min.js). Each `<pre class="mermaid">` keeps its source
// readable without JavaScript; here it becomes mermaid's SVG in the palette of the
// current theme, and is drawn again when the reader switches theme. A diagram mermaid
// cannot draw shows mermaid's error above its source, never a blank.
(() => {
  const mermaid = globalThis.mermaid;
  const root = document.documentElement;
  const systemDark = matchMedia("(prefers-color-scheme: dark)");
  const blocks = [...document.querySelectorAll("pre.mermaid")];
  if (!mermaid || blocks.length === 0) return;
  for (const block of blocks) block.dataset.source = block.textContent;

  const isDark = () => (root.dataset.theme || (systemDark.matches ? "dark" : "light")) === "dark";
  let drawn = null;
  let drawing = Promise.resolve();

  async function draw() {
    const theme = isDark() ? "dark" : "default";
    if (theme === drawn) return;
    drawn = theme;
    // Mermaid's dark edge labels are light grey on mid grey (under 4.5:1): the
    // charts' dark node fill instead.
    const themeVariables = theme === "dark" ? { edgeLabelBackground: "#151b23" } : {};
    mermaid.initialize({ startOnLoad: false, theme, themeVariables, securityLevel: "strict" });
    for (const [index, block] of blocks.entries()) {
      block.classList.remove("mermaid-failed");
      block.removeAttribute("data-processed");
      try {
        const { svg } = await mermaid.render(`mermaid-${index}-${theme}`, block.dataset.source);
        block.innerHTML = svg;
        block.dataset.theme = theme;
      } catch (error) {
        showError(block, error);
      }
    }
  }

  /** Mermaid's message above the source, as text. */
  function showError(block, error) {
    block.classList.add("mermaid-failed");
    block.textContent = "";
    const message = document.createElement("strong");
    message.className = "mermaid-error";
    message.textContent = `This diagram cannot be drawn: ${error?.message ?? error}`;
    block.append(message, document.createTextNode(`\n${block.dataset.source}`));
    // mermaid leaves its error drawing in the body: the message above says it.
    document.querySelectorAll("body > [id^='dmermaid-']").forEach((left) => left.remove());
  }

  const redraw = () => (drawing = drawing.then(draw));
  redraw();
  new MutationObserver(redraw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  systemDark.addEventListener("change", redraw);
})();
