// A filter box over a long list (the organizations index): a progressive enhancement. A list marked
// data-pa-filter="<what it lists>" gets a search box above it; typing hides the items whose link text
// lacks any typed word (case and accents ignored). Without JavaScript the page shows the whole list.
// Loaded once (deferred, from the header, after Material's bundle): Material's instant navigation swaps
// pages without running this again, and its document$ emits every page, the first one included.
(() => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function enhance(list) {
    if (list.dataset.paFilterReady) return;
    list.dataset.paFilterReady = "1";
    const noun = list.dataset.paFilter || "items";
    const items = [...list.children];
    const texts = items.map((item) => fold((item.querySelector("a") || item).textContent));
    const box = document.createElement("p");
    box.className = "pa-filter";
    const label = document.createElement("label");
    label.className = "pa-filter__label";
    label.textContent = `Filter ${noun} `;
    const input = document.createElement("input");
    input.type = "search";
    input.className = "pa-filter__input";
    input.autocomplete = "off";
    input.spellcheck = false;
    label.append(input);
    const status = document.createElement("span");
    status.className = "pa-filter__status";
    status.setAttribute("aria-live", "polite");
    box.append(label, " ", status);
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      items.forEach((item, i) => {
        const hit = words.every((word) => texts[i].includes(word));
        item.hidden = !hit;
        shown += hit ? 1 : 0;
      });
      status.textContent = words.length ? `${shown} of ${items.length} shown` : "";
    });
    list.before(box);
  }

  const run = () => document.querySelectorAll("[data-pa-filter]").forEach(enhance);
  if (window.document$) window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
