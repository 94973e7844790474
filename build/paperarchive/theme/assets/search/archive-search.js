// The archive's search: results as you type in the header box, and the search page with filters.
// Engine: the Pagefind bundle that search.write_index writes to <site>/pagefind/ (chunked: a query
// fetches only the index chunks and result fragments it needs).
//
// Untrusted text: titles, abstracts, organizations and topics come from the web. Everything here is
// put on the page with textContent / createElement, never innerHTML, and snippets are built from the
// raw text plus Pagefind's word positions (Pagefind's own HTML excerpt escapes < and > but not &).
//
// Loaded as an ES module on every page (mkdocs.yml extra_javascript). The site may be served under a
// sub-path: the root is this script's URL minus assets/search/. With Material's instant navigation the
// header persists and page content is swapped, so listeners are delegated on document and the search
// page is (re)initialised on Material's document$.

const ROOT = new URL("../../", import.meta.url);
const BASE_PATH = ROOT.pathname;
const HEADER_SHOWN = 8; // results shown under the header box
const HEADER_FETCHED = 12; // fragments fetched and re-ranked for them
const PAGE_SIZE = 20; // results per "page" on the search page
const DEBOUNCE_MS = 40;
const SNIPPET_WORDS = 28;
const FILTERS = ["topic", "year", "organization"];

// ------------------------------------------------------------------ engine

let enginePromise = null;

function engine() {
  if (!enginePromise) {
    enginePromise = import(new URL("pagefind/pagefind.js", ROOT).href).then(async (pagefind) => {
      await pagefind.options({ baseUrl: BASE_PATH, excerptLength: SNIPPET_WORDS });
      await pagefind.init();
      return pagefind;
    });
    enginePromise.catch(() => {
      enginePromise = null; // let a later keystroke retry (e.g. after a network hiccup)
    });
  }
  return enginePromise;
}

// ------------------------------------------------------------------ ordering (mirrors search.py)

function foldTitle(text) {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

const SUFFIXES = ["ies", "es", "s", "ing", "ed"];

function crudeStem(word) {
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3 && !word.endsWith("ss")) {
      return word.slice(0, -suffix.length) + (suffix === "ies" ? "y" : "");
    }
  }
  return word;
}

function queryWords(query) {
  const words = [];
  for (let raw of query.split(/\s+/)) {
    if (!raw || raw.startsWith("-")) continue;
    raw = raw.replace(/^\++/, "").replace(/^(title|abstract|authors|organization):/, "");
    raw = raw.replace(/[~^]\d*$/, "").replace(/\*+$/, "");
    words.push(...foldTitle(raw).split(" ").filter(Boolean));
  }
  return words;
}

function titleHoldsAll(words, title) {
  const stems = foldTitle(title).split(" ").map(crudeStem);
  return words.length > 0 && words.every((w) => stems.some((s) => s.startsWith(crudeStem(w))));
}

function rankKey(words, title, score) {
  const exact = words.length > 0 && words.join(" ") === foldTitle(title);
  return [exact ? 0 : 1, titleHoldsAll(words, title) ? 0 : 1, -score];
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

// Fetch the fragments of results[from:to] and return them as items in the archive's order.
async function loadItems(results, words, from, to, rerank) {
  const slice = results.slice(from, to);
  const datas = await Promise.all(slice.map((r) => r.data()));
  const items = datas.map((data, i) => ({ data, score: slice[i].score, order: from + i }));
  if (rerank) {
    for (const item of items) item.key = rankKey(words, item.data.meta.title || "", item.score);
    items.sort((a, b) => compareKeys(a.key, b.key) || a.order - b.order);
  }
  return items;
}

async function runSearch(query, filters) {
  const pagefind = await engine();
  const words = queryWords(query);
  const active = Object.fromEntries(Object.entries(filters || {}).filter(([, v]) => v));
  const hasFilters = Object.keys(active).length > 0;
  if (!words.length && !hasFilters) return { words, results: [] };
  const options = { filters: active };
  if (!words.length) options.sort = { date: "desc" }; // filters alone: newest first
  const response = await pagefind.search(words.length ? words.join(" ") : null, options);
  return { words, results: response ? response.results : [] };
}

// ------------------------------------------------------------------ rendering (text only)

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function safeUrl(url) {
  // Result URLs are our own paper paths; anything else (javascript:, other hosts) is refused.
  try {
    const parsed = new URL(url, ROOT);
    if (parsed.origin === ROOT.origin && parsed.pathname.startsWith(BASE_PATH)) return parsed.href;
  } catch (e) {
    /* fall through */
  }
  return null;
}

function parseTopics(meta) {
  try {
    const topics = JSON.parse(meta.topics || "[]");
    return Array.isArray(topics) ? topics.map(String) : [];
  } catch (e) {
    return [];
  }
}

// The abstract's words around the first match, with matched words in <mark>.
function snippet(data) {
  const words = (data.content || "").split(/[\r\n\s]+/g);
  const titleLength = (data.meta.title || "").split(/\s+/).filter(Boolean).length;
  const marked = new Set(data.locations || []);
  const inBody = (data.locations || []).filter((l) => l >= titleLength).sort((a, b) => a - b);
  let start = inBody.length ? Math.max(titleLength, inBody[0] - 6) : titleLength;
  const end = Math.min(words.length, start + SNIPPET_WORDS);
  const box = el("span", "pa-result__snippet");
  if (start > titleLength) box.append("… ");
  for (let i = start; i < end; i++) {
    if (i > start) box.append(" ");
    if (marked.has(i)) box.append(el("mark", "", words[i]));
    else box.append(words[i]);
  }
  if (end < words.length) box.append(" …");
  return box;
}

function resultNode(tag, data, id) {
  const href = safeUrl(data.url);
  const node = el(tag, "pa-result");
  const link = el("a", "pa-result__link");
  if (href) link.href = href;
  if (id) {
    link.id = id;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.tabIndex = -1;
  }
  link.append(el("span", "pa-result__title", data.meta.title || data.url));
  const facts = [];
  if (data.meta.date) facts.push(data.meta.date);
  const topics = parseTopics(data.meta);
  if (topics.length) facts.push(topics.join(", "));
  if (data.meta.org) facts.push(data.meta.org);
  if (facts.length) link.append(el("span", "pa-result__meta", facts.join(" · ")));
  link.append(snippet(data));
  node.append(link);
  return node;
}

// ------------------------------------------------------------------ header box

function headerParts(target) {
  const form = target.closest && target.closest("[data-pa-search]");
  if (!form) return null;
  return {
    form,
    input: form.querySelector("[data-pa-search-input]"),
    box: form.querySelector("[data-pa-search-results]"),
  };
}

let headerSeq = 0;
let headerTimer = 0;

function closeHeader(parts) {
  if (!parts || !parts.box) return;
  parts.box.hidden = true;
  parts.input.setAttribute("aria-expanded", "false");
  parts.input.removeAttribute("aria-activedescendant");
}

function openHeader(parts) {
  parts.box.hidden = false;
  parts.input.setAttribute("aria-expanded", "true");
}

function scheduleHeaderSearch(parts) {
  engine(); // start fetching the engine at once; only the query waits for the debounce
  clearTimeout(headerTimer);
  headerTimer = setTimeout(() => headerSearch(parts), DEBOUNCE_MS);
}

async function headerSearch(parts) {
  const seq = ++headerSeq;
  const query = parts.input.value;
  let words, results, items;
  try {
    ({ words, results } = await runSearch(query, {}));
    if (seq !== headerSeq) return;
    items = await loadItems(results, words, 0, HEADER_FETCHED, true);
  } catch (error) {
    if (seq !== headerSeq) return;
    parts.box.replaceChildren(el("p", "pa-search__note", "Search is unavailable: the index could not be loaded."));
    openHeader(parts);
    return;
  }
  if (seq !== headerSeq) return;
  if (!words.length) {
    parts.box.replaceChildren();
    closeHeader(parts);
    return;
  }
  const list = el("div", "pa-search__list");
  items.slice(0, HEADER_SHOWN).forEach((item, i) => list.append(resultNode("div", item.data, `pa-search-option-${i}`)));
  const footer = el("a", "pa-search__all");
  footer.href = new URL(`search/?q=${encodeURIComponent(query.trim())}`, ROOT).href;
  footer.textContent = results.length
    ? `All ${results.length} result${results.length === 1 ? "" : "s"} on the search page →`
    : "No paper matches these words. Open the search page →";
  parts.box.replaceChildren(list, footer);
  openHeader(parts);
  parts.input.removeAttribute("aria-activedescendant");
  parts.box.dataset.query = query;
  window.dispatchEvent(new CustomEvent("pa-search:results", { detail: { query, count: results.length } }));
}

function headerOptions(parts) {
  return Array.from(parts.box.querySelectorAll("[role=option]"));
}

function moveActive(parts, step) {
  const options = headerOptions(parts);
  if (!options.length) return;
  const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
  const next = current < 0 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length;
  options.forEach((o, i) => o.setAttribute("aria-selected", i === next ? "true" : "false"));
  parts.input.setAttribute("aria-activedescendant", options[next].id);
  options[next].scrollIntoView({ block: "nearest" });
}

function onHeaderKey(event) {
  const parts = headerParts(event.target);
  if (!parts || event.target !== parts.input) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (parts.box.hidden && parts.box.childElementCount) openHeader(parts);
    moveActive(parts, event.key === "ArrowDown" ? 1 : -1);
  } else if (event.key === "Escape") {
    event.preventDefault();
    closeHeader(parts);
  } else if (event.key === "Enter") {
    const options = headerOptions(parts);
    const chosen = options.find((o) => o.getAttribute("aria-selected") === "true") || options[0];
    if (!parts.box.hidden && chosen && chosen.href && parts.box.dataset.query === parts.input.value) {
      event.preventDefault();
      closeHeader(parts);
      chosen.click(); // a real click, so Material's instant navigation handles it like any link
    }
    // otherwise the form submits to the search page
  }
}

// ------------------------------------------------------------------ search page

function pageState() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "" };
  for (const name of FILTERS) state[name] = params.get(name) || "";
  return state;
}

function writeState(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const name of FILTERS) if (state[name]) params.set(name, state[name]);
  const search = params.toString();
  history.replaceState(history.state, "", search ? `?${search}` : location.pathname);
}

function readForm(form) {
  const state = {};
  for (const field of form.querySelectorAll("[data-pa-field]")) state[field.dataset.paField] = field.value.trim();
  return state;
}

async function fillFilters(form, state) {
  const pagefind = await engine();
  const available = await pagefind.filters();
  for (const name of FILTERS) {
    const select = form.querySelector(`[data-pa-field="${name}"]`);
    if (!select) continue;
    const counts = available[name] || {};
    let values = Object.keys(counts);
    values.sort(name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
    if (state[name] && !values.includes(state[name])) values.unshift(state[name]);
    for (const value of values) {
      const option = el("option", "", counts[value] === undefined ? value : `${value} (${counts[value]})`);
      option.value = value;
      select.append(option);
    }
    select.value = state[name] || "";
  }
}

let pageSeq = 0;

async function pageSearch(root) {
  const seq = ++pageSeq;
  const form = root.querySelector("[data-pa-search-page]");
  const status = root.querySelector("[data-pa-status]");
  const list = root.querySelector("[data-pa-page-results]");
  const more = root.querySelector("[data-pa-more]");
  const state = readForm(form);
  writeState(state);
  const filters = Object.fromEntries(FILTERS.map((n) => [n, state[n]]));
  let words, results;
  try {
    ({ words, results } = await runSearch(state.q, filters));
  } catch (error) {
    status.textContent = "Search is unavailable: the index could not be loaded.";
    return;
  }
  if (seq !== pageSeq) return;
  list.replaceChildren();
  more.hidden = true;
  if (!words.length && !FILTERS.some((n) => state[n])) {
    status.textContent = "Type some words, or choose a topic, year or organization.";
    return;
  }
  status.textContent = `${results.length} paper${results.length === 1 ? "" : "s"} found.`;
  let shown = 0;
  const showMore = async () => {
    const items = await loadItems(results, words, shown, shown + PAGE_SIZE, shown === 0 && words.length > 0);
    if (seq !== pageSeq) return;
    for (const item of items) list.append(resultNode("li", item.data));
    shown += items.length;
    more.hidden = shown >= results.length;
    root.dataset.paShown = String(shown);
    window.dispatchEvent(new CustomEvent("pa-search:page-results", { detail: { count: results.length, shown } }));
  };
  more.onclick = showMore;
  await showMore();
}

async function initSearchPage() {
  const form = document.querySelector("[data-pa-search-page]");
  if (!form || form.dataset.paReady) return;
  form.dataset.paReady = "true";
  const root = form.parentElement;
  const state = pageState();
  for (const field of form.querySelectorAll("[data-pa-field]")) field.value = state[field.dataset.paField] || "";
  try {
    await fillFilters(form, state);
  } catch (error) {
    root.querySelector("[data-pa-status]").textContent = "Search is unavailable: the index could not be loaded.";
    return;
  }
  let timer = 0;
  form.addEventListener("input", (event) => {
    clearTimeout(timer);
    timer = setTimeout(() => pageSearch(root), event.target.tagName === "SELECT" ? 0 : DEBOUNCE_MS);
  });
  form.addEventListener("change", () => pageSearch(root));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    pageSearch(root);
  });
  await pageSearch(root);
}

// ------------------------------------------------------------------ wiring

document.addEventListener("input", (event) => {
  const parts = headerParts(event.target);
  if (parts && event.target === parts.input) scheduleHeaderSearch(parts);
});
document.addEventListener("focusin", (event) => {
  const parts = headerParts(event.target);
  if (parts && event.target === parts.input) {
    engine().catch(() => {}); // warm up while the reader starts typing
    if (parts.box.childElementCount && parts.input.value) openHeader(parts);
  }
});
document.addEventListener("keydown", onHeaderKey);
document.addEventListener("click", (event) => {
  for (const form of document.querySelectorAll("[data-pa-search]")) {
    if (!form.contains(event.target)) closeHeader(headerParts(form));
    else if (event.target.closest && event.target.closest(".pa-result__link, .pa-search__all")) closeHeader(headerParts(form));
  }
});

function onPage() {
  for (const form of document.querySelectorAll("[data-pa-search]")) closeHeader(headerParts(form));
  initSearchPage();
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(onPage);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", onPage);
} else {
  onPage();
}
