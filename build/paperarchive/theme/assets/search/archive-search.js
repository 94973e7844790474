// The archive's search on the page: results as you type in the header box, and the search page with
// filters. The engine (tokenizer, typo matching, ranking, index reading) is engine.js; this module
// fetches the files it asks for (each once per page), the papers' API documents it shows
// (api/papers/<id>.json: title, date, topics, org, abstract) and draws them.
// A newer query makes an older one stop at its next step (its fetches still fill the cache).
// Once a query has shown its results and the reader pauses, the whole id table (ids/all.json.gz,
// one request) loads in the background, so that a further query requests its papers' documents
// at once: one round of requests after ranking instead of two.
//
// Untrusted text: titles, abstracts, organizations and topics come from the web. Everything here is
// put on the page with textContent / createElement, never innerHTML.
//
// Loaded as an ES module on every page (mkdocs.yml extra_javascript); its static import of engine.js
// is fetched while the page loads, so a first query never waits for it (no <link rel=modulepreload>:
// ~66 bytes on each of 11,600 pages). The site may be served under a sub-path: the root is this
// script's URL minus assets/search/. With Material's instant navigation the header persists and page
// content is swapped, so listeners are delegated on document and the search page is (re)initialised
// on Material's document$.

import { Engine, PAGE_SIZE, STALE, arrange, correctedWords, holdsPhrases, stem, tokenize } from "./engine.js";

export { tokenize, stem, indexTerms, queryWords, titleHoldsAll, titleRank, parseQuery } from "./engine.js";

const ROOT = new URL("../../", import.meta.url);
const BASE_PATH = ROOT.pathname;
const INDEX = new URL("search-index/", ROOT);
const HEADER_SHOWN = 8; // results shown (and their documents fetched) under the header box
const DEBOUNCE_MS = 30; // search page: the query waits this long after a keystroke
// Header box: a query runs at every keystroke (vocabulary and postings are fetched and scored at
// once), but fetches its result documents only once typing has paused this long.
const SETTLE_MS = 10;
const ID_TABLE_PAUSE_MS = 1000; // the id table loads once the reader has stopped typing this long
const SNIPPET_WORDS = 28;
// A word still being typed has its terms' postings fetched early once it is this long: by then its
// terms are those of the word the reader means (shorter prefixes match too many unrelated terms).
const EARLY_PREFIX = 6;
const FILTERS = ["topic", "year", "organization"];
const FIELD_NAMES = { title: "title", abstract: "abstract", authors: "authors", organization: "organization" };

// ------------------------------------------------------------------ fetching (cached)

const files = new Map(); // URL -> promise of parsed JSON

function fetchJSON(url) {
  const key = url.href;
  let promise = files.get(key);
  if (!promise) {
    promise = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${url.pathname}`);
      return response.json();
    });
    promise.catch(() => files.delete(key)); // a later query retries (e.g. after a network hiccup)
    files.set(key, promise);
  }
  return promise;
}

const indexFile = (path) => fetchJSON(new URL(path, INDEX));
const meta = () => indexFile("meta.json");
const apiDocument = (id) => fetchJSON(new URL(`api/papers/${encodeURIComponent(id)}.json`, ROOT));

export const engine = new Engine(indexFile);

// The id table: ids/<k>.json holds the ids of doc numbers k*perChunk onwards; meta.id_table, every id.
let allIds = null;

async function idOf(doc, perChunk) {
  if (allIds) return allIds[doc];
  const ids = await indexFile(`ids/${Math.floor(doc / perChunk)}.json`);
  return ids[doc % perChunk];
}

// JSON stored gzip-compressed. A host may have decoded it already (served with Content-Encoding),
// so the gzip magic number decides.
export async function fetchGzipJSON(url, priority) {
  const response = await fetch(url, { priority });
  if (!response.ok) throw new Error(`${response.status} ${url.pathname}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

let idTable = null;
let idTableTimer = 0;
let idTableWanted = false; // once a query has shown results

function loadIdTable() {
  if (!idTable) {
    idTable = meta()
      .then((info) => (info.id_table ? fetchGzipJSON(new URL(info.id_table, INDEX), "low") : null))
      .then((ids) => {
        if (Array.isArray(ids)) allIds = ids;
      })
      .catch(() => {
        idTable = null; // the chunks still serve; a later pause retries
      });
  }
}

// Once results have been shown: the id table, when the reader pauses (each input restarts the wait).
function scheduleIdTable(resultsShown = false) {
  idTableWanted ||= resultsShown;
  clearTimeout(idTableTimer);
  if (idTableWanted && !allIds && typeof DecompressionStream === "function") {
    idTableTimer = setTimeout(loadIdTable, ID_TABLE_PAUSE_MS);
  }
}

// The API documents of these doc numbers, in order: [{id, data}].
async function documents(docs) {
  const info = await meta();
  return Promise.all(
    docs.map(async (doc) => {
      const id = await idOf(doc, info.ids_per_chunk);
      return { id, data: await apiDocument(id) };
    }),
  );
}

// The engine's query, with its documents: the first `size` papers arranged by their titles
// (arrange() in engine.js), as {outcome, items, checked, next}.
async function arranged(outcome, size) {
  const fetched = new Map();
  const texts = async (docs) => {
    const loaded = await documents(docs);
    loaded.forEach((item, i) => fetched.set(docs[i], item));
    return loaded.map(({ data }) => [String(data.title || ""), String(data.abstract || "")]);
  };
  const { docs, checked } = await arrange(outcome, texts, size);
  return { items: docs.map((doc) => fetched.get(doc)), checked };
}

// The ids of the search page's first page for a query (what `paperarchive search` prints), and the
// notices' data: for the tests and the benchmark.
export async function firstPage(query, { literal = false, size = PAGE_SIZE } = {}) {
  const outcome = await engine.run(query, { literal });
  const { items, checked } = await arranged(outcome, size);
  const phraseChecked = outcome.query.phrases.length && checked >= outcome.docs.length;
  return {
    ids: items.map((item) => item.id),
    count: phraseChecked ? items.length : outcome.count,
    corrections: outcome.corrections,
    missing: outcome.missing,
    everyWord: outcome.everyWord,
  };
}

// Resolves in a task of its own (a message, not setTimeout's clamped delay).
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

// Warms the postings of a long unfinished word while the reader types on.
function prefetchPrefix(query) {
  const tokens = tokenize(query);
  const last = tokens[tokens.length - 1];
  if (!last || Array.from(last).length < EARLY_PREFIX || /\s$/.test(query)) return;
  engine.vocabularyFor({ token: last, term: stem(last), prefix: last }).then(
    (vocabulary) => {
      for (const entry of vocabulary.values()) indexFile(`p/${entry.block}.json`).catch(() => {});
    },
    () => {},
  );
}

// ------------------------------------------------------------------ rendering (text only)

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Results: the title is the link, the facts and the snippet are text beside it. The theme's
// stylesheet gives a result's link its box; these rules move the box to the result and keep
// "More results" hidden when it is (Material's .md-button sets display).
const STYLE = `
.pa-result { padding: .5rem .8rem; border-bottom: .05rem solid var(--md-default-fg-color--lightest, #eee); overflow-wrap: anywhere; }
.pa-search-page__results .pa-result { padding-left: 0; padding-right: 0; }
.pa-result .pa-result__link { display: inline; padding: 0; border: 0; }
.pa-result:hover, .pa-result[aria-selected="true"] { background: var(--md-accent-fg-color--transparent, rgba(68, 138, 255, .1)); }
.md-typeset .pa-result__snippet, .pa-result__snippet { color: var(--md-default-fg-color, inherit); }
.pa-search__notice { display: block; margin: 0; padding: .5rem .8rem; }
.pa-search__notice button { font: inherit; color: var(--md-typeset-a-color, inherit); text-decoration: underline; cursor: pointer; background: none; border: 0; padding: 0; }
.pa-search-page__more[hidden] { display: none; }
`;

function addStyle() {
  if (document.querySelector("style[data-pa-search-style]")) return;
  const style = document.createElement("style");
  style.dataset.paSearchStyle = "";
  style.textContent = STYLE;
  document.head.append(style);
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

// The API document names topics by id (meta.json maps ids to names).
function topicNames(data, names) {
  if (!Array.isArray(data.topics)) return [];
  return data.topics
    .map((t) => (typeof t === "string" ? (Object.hasOwn(names, t) ? names[t] : t) : t && t.name))
    .filter(Boolean)
    .map(String);
}

// Does a word of the abstract match the query? (its term is a query term, or a correction, or it
// starts with the prefix being typed)
function matcher(outcome) {
  const terms = new Set();
  const prefixes = [];
  for (const word of outcome.query.words) {
    if (word.term) terms.add(word.term);
    if (word.prefix) prefixes.push(word.prefix);
  }
  for (const list of Object.values(outcome.corrections)) for (const term of list) terms.add(term);
  // A plain ASCII word can only match if it contains a term minus its last letter (stem() only
  // strips or rewrites an ending) or a prefix: most words are ruled out without tokenizing them.
  const needles = [...Array.from(terms, (t) => t.slice(0, -1)), ...prefixes];
  const matches = (word) =>
    tokenize(word).some((token) => terms.has(stem(token)) || terms.has(token) || prefixes.some((p) => token.startsWith(p)));
  return (word) => {
    if (/^[\x00-\x7f]*$/.test(word)) {
      const lower = word.toLowerCase();
      if (!needles.some((needle) => lower.includes(needle))) return false;
    }
    return matches(word);
  };
}

// The abstract's words around the first match, with matched words in <mark>.
function snippet(data, outcome) {
  const words = String(data.abstract || "").split(/\s+/).filter(Boolean);
  const matches = matcher(outcome);
  const marked = words.map(matches);
  const first = marked.indexOf(true);
  const start = first > 6 ? first - 6 : 0;
  const end = Math.min(words.length, start + SNIPPET_WORDS);
  const box = el("span", "pa-result__snippet");
  if (start > 0) box.append("… ");
  for (let i = start; i < end; i++) {
    if (i > start) box.append(" ");
    if (marked[i]) box.append(el("mark", "", words[i]));
    else box.append(words[i]);
  }
  if (end < words.length) box.append(" …");
  return box;
}

function resultNode(tag, item, outcome, names, id) {
  const data = item.data;
  const href = safeUrl(`papers/${encodeURIComponent(item.id)}/`); // a paper's page, as records.paper_url
  const node = el(tag, "pa-result");
  const link = el("a", "pa-result__link");
  if (href) link.href = href;
  if (id) {
    node.id = id;
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    link.tabIndex = -1;
  }
  link.append(el("span", "pa-result__title", String(data.title || item.id)));
  node.append(link);
  const facts = [];
  if (data.published) facts.push(String(data.published));
  const topics = topicNames(data, names);
  if (topics.length) facts.push(topics.join(", "));
  if (data.organization) facts.push(String(data.organization));
  if (facts.length) node.append(el("span", "pa-result__meta", facts.join(" · ")));
  node.append(snippet(data, outcome));
  return node;
}

// What the reader is told about the query: corrections (with the way back to the words as typed),
// words that matched nothing, or that no paper holds every word. `literal` reruns the query as typed.
function notices(outcome, literal) {
  const out = [];
  if (Object.keys(outcome.corrections).length) {
    const note = el("p", "pa-search__notice pa-search__corrected");
    note.append("Showing results for ", el("em", "", correctedWords(outcome).join(" ")), ". ");
    const back = el("button", "", `Search for “${outcome.query.titleWords.join(" ")}” instead`);
    back.type = "button";
    back.dataset.paLiteral = "";
    back.addEventListener("click", literal);
    note.append(back);
    out.push(note);
  }
  if (outcome.missing.length) {
    const note = el("p", "pa-search__notice pa-search__missing");
    const list = outcome.missing.map((w) => `“${w}”`).join(", ");
    note.textContent =
      outcome.missing.length === outcome.query.words.length
        ? `No paper matches ${list}.`
        : `No paper matches ${list}: showing the papers that match the other words best.`;
    out.push(note);
  } else if (!outcome.everyWord) {
    out.push(el("p", "pa-search__notice pa-search__partial", "No paper holds all of these words: showing the best partial matches."));
  }
  return out;
}

// ------------------------------------------------------------------ header box

function headerParts(target) {
  const form = target.closest && target.closest("[data-pa-search]");
  if (!form) return null;
  const input = form.querySelector("[data-pa-search-input]");
  return { form, input, box: form.querySelector("[data-pa-search-results]") || addResultsBox(form, input) };
}

// The page carries only the form and its input; the results list and the combobox wiring are added here.
function addResultsBox(form, input) {
  const box = document.createElement("div");
  box.id = "pa-search-results";
  box.className = "pa-search__results";
  box.hidden = true;
  box.dataset.paSearchResults = "";
  box.setAttribute("role", "listbox");
  box.setAttribute("aria-label", "Search results");
  form.append(box);
  for (const [name, value] of [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"],
    ["aria-controls", box.id], ["autocapitalize", "off"], ["spellcheck", "false"]]) input.setAttribute(name, value);
  return box;
}

let headerSeq = 0;

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

let lastInput = 0;

function scheduleHeaderSearch(parts) {
  lastInput = performance.now();
  scheduleIdTable();
  prefetchPrefix(parts.input.value);
  headerSearch(parts);
}

// Resolves once typing has paused for SETTLE_MS.
async function settled() {
  for (;;) {
    const wait = lastInput + SETTLE_MS - performance.now();
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function searchPageUrl(query, literal) {
  const params = new URLSearchParams({ q: query.trim() });
  if (literal) params.set("literal", "1");
  return new URL(`search/?${params}`, ROOT).href;
}

async function headerSearch(parts, literal = false) {
  const seq = ++headerSeq;
  const query = parts.input.value;
  const stale = () => seq !== headerSeq;
  let outcome, items;
  try {
    outcome = await engine.run(query, { limit: HEADER_SHOWN, stale, literal });
    await nextTask(); // keystrokes already queued run first and make this query stale
    if (stale()) return;
    await settled();
    if (stale()) return;
    ({ items } = await arranged(outcome, HEADER_SHOWN));
  } catch (error) {
    if (seq !== headerSeq || error === STALE) return;
    parts.box.replaceChildren(el("p", "pa-search__note", "Search is unavailable: the index could not be loaded."));
    openHeader(parts);
    return;
  }
  if (seq !== headerSeq) return;
  if (!outcome.query.words.length) {
    parts.box.replaceChildren();
    closeHeader(parts);
    return;
  }
  const names = (await meta()).topic_names || {};
  const list = el("div", "pa-search__list");
  items.forEach((item, i) => list.append(resultNode("div", item, outcome, names, `pa-search-option-${i}`)));
  const footer = el("a", "pa-search__all");
  footer.href = searchPageUrl(query, literal);
  const count = outcome.count;
  footer.textContent = count
    ? `All ${count} result${count === 1 ? "" : "s"} on the search page →`
    : "No paper matches these words. Open the search page →";
  parts.box.replaceChildren(...notices(outcome, () => headerSearch(parts, true)), list, footer);
  openHeader(parts);
  parts.input.removeAttribute("aria-activedescendant");
  parts.box.dataset.query = query;
  window.dispatchEvent(new CustomEvent("pa-search:results", { detail: { query, count } }));
  scheduleIdTable(true);
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
    // A result chosen with the arrow keys opens; otherwise the form submits to the search page.
    const chosen = headerOptions(parts).find((o) => o.getAttribute("aria-selected") === "true");
    const link = chosen && chosen.querySelector(".pa-result__link");
    if (!parts.box.hidden && link && link.href) {
      event.preventDefault();
      closeHeader(parts);
      link.click(); // a real click, so Material's instant navigation handles it like any link
    }
  }
}

// "/" and "s" focus the search box, unless the reader is typing in a field.
function onShortcut(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key !== "/" && event.key !== "s") return;
  const target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  const input = document.querySelector("[data-pa-search-page] [data-pa-field=q]") || document.querySelector("[data-pa-search-input]");
  if (!input) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  input.focus();
  input.select();
}

// ------------------------------------------------------------------ search page

function pageState() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", literal: params.get("literal") === "1" };
  for (const name of FILTERS) state[name] = params.get(name) || "";
  return state;
}

function writeState(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const name of FILTERS) if (state[name]) params.set(name, state[name]);
  if (state.literal) params.set("literal", "1");
  const search = params.toString();
  history.replaceState(history.state, "", search ? `?${search}` : location.pathname);
}

function readForm(form) {
  const state = {};
  for (const field of form.querySelectorAll("[data-pa-field]")) state[field.dataset.paField] = field.value.trim();
  state.literal = form.dataset.paLiteral === "1";
  return state;
}

// Facets: for each doc, its topic ids and organization; years as doc ranges (filters.json).
let facetsPromise = null;

function facets() {
  if (!facetsPromise) {
    facetsPromise = Promise.all([meta(), indexFile("filters.json"), indexFile("facets/topic.json"), indexFile("facets/organization.json")]).then(
      ([info, available, topics, orgs]) => {
        const of = (lists) => {
          const values = Object.keys(lists);
          const byDoc = Array.from({ length: info.papers }, () => []);
          values.forEach((value, i) => decodeDocsInto(lists[value], byDoc, i));
          return { values, byDoc };
        };
        const years = available.year || [];
        const yearOf = new Int32Array(info.papers).fill(-1);
        years.forEach((row, i) => yearOf.fill(i, row[1], row[2]));
        return {
          available,
          topic: of(topics),
          organization: of(orgs),
          year: { values: years.map((row) => row[0]), byDoc: { length: info.papers, at: (doc) => (yearOf[doc] < 0 ? [] : [yearOf[doc]]) } },
        };
      },
    );
    facetsPromise.catch(() => (facetsPromise = null));
  }
  return facetsPromise;
}

function decodeDocsInto(text, byDoc, value) {
  let doc = -1;
  let number = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".indexOf(text[i]);
    if (digit >= 32) {
      number = (number << 5) | (digit - 32);
      continue;
    }
    doc += ((number << 5) | digit) + 1;
    number = 0;
    byDoc[doc].push(value);
  }
}

const valuesOf = (facet, doc) => (Array.isArray(facet.byDoc) ? facet.byDoc[doc] : facet.byDoc.at(doc));

// The chosen filters as facet value numbers (-1: a value no paper has).
function chosen(data, state) {
  const out = {};
  for (const name of FILTERS) if (state[name]) out[name] = data[name].values.indexOf(state[name]);
  return out;
}

// Does the doc pass the chosen filters (all of them, or all but `except`)?
function passes(data, wanted, doc, except) {
  for (const name in wanted) {
    if (name === except) continue;
    if (wanted[name] < 0 || !valuesOf(data[name], doc).includes(wanted[name])) return false;
  }
  return true;
}

// The filter values with their counts among the query's papers (each filter counted under the others).
function facetCounts(data, wanted, pool) {
  const counts = {};
  for (const name of FILTERS) {
    const facet = data[name];
    const tally = new Int32Array(facet.values.length);
    for (const doc of pool) if (passes(data, wanted, doc, name)) for (const v of valuesOf(facet, doc)) tally[v]++;
    counts[name] = tally;
  }
  return counts;
}

function fillFilters(form, state, data, counts) {
  const names = data.topicNames || {};
  for (const name of FILTERS) {
    const select = form.querySelector(`[data-pa-field="${name}"]`);
    if (!select) continue;
    const facet = data[name];
    const label = (value) => (name === "topic" && Object.hasOwn(names, value) ? names[value] : value);
    const order = facet.values.map((value, i) => i);
    if (name !== "year") order.sort((a, b) => (label(facet.values[a]) < label(facet.values[b]) ? -1 : 1));
    const options = [select.options[0]];
    for (const i of order) {
      const option = el("option", "", `${label(facet.values[i])} (${counts[name][i]})`);
      option.value = facet.values[i];
      options.push(option);
    }
    if (state[name] && !facet.values.includes(state[name])) {
      const option = el("option", "", `${state[name]} (0)`);
      option.value = state[name];
      options.splice(1, 0, option);
    }
    select.replaceChildren(...options);
    select.value = state[name] || "";
  }
}

// An old shared URL may name a topic by its display name: read it as the topic's id.
function topicByName(state, data) {
  if (!state.topic || data.topic.values.includes(state.topic)) return;
  const names = data.topicNames || {};
  const id = Object.keys(names).find((key) => names[key] === state.topic);
  if (id) state.topic = id;
}

let pageSeq = 0;

async function pageSearch(root) {
  const seq = ++pageSeq;
  const form = root.querySelector("[data-pa-search-page]");
  const status = root.querySelector("[data-pa-status]");
  const notes = root.querySelector("[data-pa-notices]");
  const list = root.querySelector("[data-pa-page-results]");
  const more = root.querySelector("[data-pa-more]");
  const state = readForm(form);
  let data, outcome, info;
  try {
    [data, info] = await Promise.all([facets(), meta()]);
    data.topicNames = info.topic_names || {};
    topicByName(state, data);
    writeState(state);
    if (tokenize(state.q).length) outcome = await engine.run(state.q, { literal: state.literal });
  } catch (error) {
    status.textContent = "Search is unavailable: the index could not be loaded.";
    return;
  }
  if (seq !== pageSeq) return;
  const hasFilters = FILTERS.some((n) => state[n]);
  let pool;
  if (outcome) pool = outcome.query.words.length ? outcome.pool || Array.from(outcome.docs) : [];
  else {
    pool = Array.from({ length: info.papers }, (_, doc) => doc); // newest first
    outcome = { query: { words: [], phrases: [], titleWords: [] }, docs: new Int32Array(0), corrections: {}, missing: [], everyWord: true };
  }
  const wanted = chosen(data, state);
  fillFilters(form, state, data, facetCounts(data, wanted, pool));
  const docs = Int32Array.from(pool.filter((doc) => passes(data, wanted, doc)));
  const shownOutcome = { ...outcome, docs };
  list.replaceChildren();
  notes.replaceChildren();
  more.hidden = true;
  if (!outcome.query.words.length && !hasFilters) {
    status.textContent = "Type some words, or choose a topic, year or organization.";
    return;
  }
  notes.replaceChildren(...notices(outcome, () => {
    form.dataset.paLiteral = "1";
    pageSearch(root);
  }));
  const count = docs.length;
  let at = 0;
  const showMore = async () => {
    let items, checked;
    if (at === 0 && outcome.query.words.length) {
      ({ items, checked } = await arranged(shownOutcome, PAGE_SIZE));
      at = outcome.query.phrases.length ? checked : Math.min(PAGE_SIZE, count);
      if (outcome.query.phrases.length) {
        status.textContent =
          checked < count
            ? `${items.length} with the phrase among the best ${checked} of ${count} papers holding its words.`
            : `${items.length} paper${items.length === 1 ? "" : "s"} found.`;
      }
    } else {
      const slice = Array.from(docs.subarray(at, at + PAGE_SIZE));
      at += slice.length;
      items = await documents(slice);
      if (outcome.query.phrases.length) {
        items = items.filter(({ data }) =>
          holdsPhrases(outcome.query.phrases, String(data.title || ""), String(data.abstract || "")),
        );
      }
    }
    if (seq !== pageSeq) return;
    const names = data.topicNames;
    for (const item of items) list.append(resultNode("li", item, outcome, names));
    more.hidden = at >= count;
    root.dataset.paShown = String(list.childElementCount);
    window.dispatchEvent(new CustomEvent("pa-search:page-results", { detail: { count, shown: list.childElementCount } }));
    scheduleIdTable(true);
  };
  status.textContent = `${count} paper${count === 1 ? "" : "s"} found.`;
  more.onclick = showMore;
  await showMore();
}

async function initSearchPage() {
  const form = document.querySelector("[data-pa-search-page]");
  if (!form || form.dataset.paReady) return;
  form.dataset.paReady = "true";
  const root = form.parentElement;
  const state = pageState();
  if (state.literal) form.dataset.paLiteral = "1";
  for (const field of form.querySelectorAll("[data-pa-field]")) {
    if (field.tagName === "SELECT" && state[field.dataset.paField]) {
      const option = el("option", "", state[field.dataset.paField]);
      option.value = state[field.dataset.paField];
      field.append(option);
    }
    field.value = state[field.dataset.paField] || "";
  }
  meta()
    .then((info) => labelFields(form, info.fields))
    .catch(() => {});
  let timer = 0;
  form.addEventListener("input", (event) => {
    clearTimeout(timer);
    scheduleIdTable();
    if (event.target.dataset.paField === "q") delete form.dataset.paLiteral;
    timer = setTimeout(() => pageSearch(root), event.target.tagName === "SELECT" ? 0 : DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    pageSearch(root);
  });
  await pageSearch(root);
}

// The box's label names only the fields some paper holds text in (meta.json: fields).
function labelFields(form, fields) {
  const label = form.querySelector("label[for]");
  if (!label || !Array.isArray(fields) || !fields.length) return;
  const names = fields.map((f) => FIELD_NAMES[f]).filter(Boolean);
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names[0];
  label.textContent = `Words in the ${list}`;
}

// ------------------------------------------------------------------ wiring

document.addEventListener("input", (event) => {
  const parts = headerParts(event.target);
  if (parts && event.target === parts.input) scheduleHeaderSearch(parts);
});
document.addEventListener("focusin", (event) => {
  const parts = headerParts(event.target);
  if (parts && event.target === parts.input) {
    meta().catch(() => {}); // warm up while the reader starts typing
    if (parts.box.childElementCount && parts.input.value) openHeader(parts);
  }
});
document.addEventListener("keydown", onHeaderKey);
document.addEventListener("keydown", onShortcut, true);
document.addEventListener("click", (event) => {
  for (const form of document.querySelectorAll("[data-pa-search]")) {
    if (!form.contains(event.target)) closeHeader(headerParts(form));
    else if (event.target.closest && event.target.closest(".pa-result__link, .pa-search__all")) closeHeader(headerParts(form));
  }
});
document.addEventListener("click", (event) => {
  // a click anywhere on a header result follows its title link
  const option = event.target.closest && event.target.closest("[data-pa-search-results] [role=option]");
  if (option && !event.target.closest("a")) option.querySelector(".pa-result__link")?.click();
});

function onPage() {
  addStyle();
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
