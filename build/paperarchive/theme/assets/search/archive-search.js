// The archive's search: results as you type in the header box, and the search page with filters.
// Engine: the static index that search.write_index (build/paperarchive/search.py) writes to
// <site>/search-index/. A query fetches only what it needs, each file once per page (cached):
//   meta.json (shard and block boundaries) -> v/<n>.json (the vocabulary range of a short prefix)
//   -> p/<n>.json (the postings blocks of the matched terms) -> ids/<k>.json (ids of the top doc
//   numbers) -> api/papers/<id>.json (the build's JSON API: title, date, topics, org, abstract).
// A newer query makes an older one stop at its next step (its fetches still fill the cache).
// Once a query has shown its results and the reader pauses, the whole id table (ids/all.json.gz,
// one request) loads in the background, so that a further query requests its papers' documents
// at once: one round of requests after ranking instead of two.
//
// Untrusted text: titles, abstracts, organizations and topics come from the web. Everything here is
// put on the page with textContent / createElement, never innerHTML.
//
// Loaded as an ES module on every page (mkdocs.yml extra_javascript). The site may be served under a
// sub-path: the root is this script's URL minus assets/search/. With Material's instant navigation the
// header persists and page content is swapped, so listeners are delegated on document and the search
// page is (re)initialised on Material's document$.

const ROOT = new URL("../../", import.meta.url);
const BASE_PATH = ROOT.pathname;
const INDEX = new URL("search-index/", ROOT);
const HEADER_SHOWN = 8; // results shown under the header box
const HEADER_FETCHED = 8; // API documents fetched and re-ranked for them
const PAGE_SIZE = 20; // results per "page" on the search page
const DEBOUNCE_MS = 30; // search page: the query waits this long after a keystroke
// Header box: a query runs at every keystroke (vocabulary and postings are fetched and scored at
// once), but fetches its result documents only once typing has paused this long.
const SETTLE_MS = 10;
const ID_TABLE_PAUSE_MS = 1000; // the id table loads once the reader has stopped typing this long
const SNIPPET_WORDS = 28;
const PREFIX_TERMS = 8; // the last word, still being typed, matches at most this many terms (most frequent)
// A word still being typed has its terms' postings fetched early once it is this long: by then its
// terms are those of the word the reader means (shorter prefixes match too many unrelated terms).
const EARLY_PREFIX = 6;
const BLOCK_RANGE = 2; // see vocabularyFor
const FILTERS = ["topic", "year", "organization"];

// ------------------------------------------------------------------ tokens (mirror search.py)

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const STOPWORDS = new Set(
  "a an and are as at be by for from in into is it its of on or our that the this to via was we with".split(" "),
);

export function tokenize(text) {
  return text.normalize("NFKC").toLowerCase().replace(CJK, " $& ").match(WORD) || [];
}

export function stem(token) {
  if (token.length > 4 && token.endsWith("ies")) return token.slice(0, -3) + "y";
  if (token.length > 4 && token.endsWith("sses")) return token.slice(0, -2);
  if (token.length > 3 && token.endsWith("s") && !/(ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

export function indexTerms(text) {
  return tokenize(text)
    .filter((t) => !STOPWORDS.has(t))
    .map(stem);
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

export function queryWords(query) {
  const words = [];
  for (let raw of query.split(/\s+/)) {
    if (!raw || raw.startsWith("-")) continue;
    raw = raw.replace(/^\++/, "").replace(/^(title|abstract|authors|organization):/, "");
    raw = raw.replace(/[~^]\d*$/, "").replace(/\*+$/, "");
    words.push(...foldTitle(raw).split(" ").filter(Boolean));
  }
  return words;
}

export function titleHoldsAll(words, title) {
  const stems = foldTitle(title).split(" ").map(stem);
  return words.length > 0 && words.every((w) => stems.some((s) => s.startsWith(stem(w))));
}

// Ascending sort key: the exact title, then a title holding every query word, then the engine's order.
export function rankKey(words, title, order) {
  const exact = words.length > 0 && words.join(" ") === foldTitle(title);
  return [exact ? 0 : 1, titleHoldsAll(words, title) ? 0 : 1, order];
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

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

// The files (vocabulary shards or postings blocks, given their first terms) that may hold terms in
// [low, high].
function partsFor(firsts, low, high) {
  const last = (term) => {
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const out = [];
  if (!firsts.length) return out;
  for (let n = last(low); n <= last(high); n++) out.push(n);
  return out;
}

const CODE = new Int8Array(128).fill(-1);
"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".split("").forEach((c, i) => {
  CODE[c.charCodeAt(0)] = i;
});

// Postings: doc gaps as base-32 varints (digits >= 32 continue), each followed by a code character
// when `withCodes` (code & 31: quantized score; code & 32: the term is in the title).
export function decodeDocs(text, withCodes, visit) {
  let doc = -1;
  let value = 0;
  for (let i = 0; i < text.length; ) {
    const digit = CODE[text.charCodeAt(i++)];
    if (digit >= 32) {
      value = (value << 5) | (digit - 32);
      continue;
    }
    doc += ((value << 5) | digit) + 1;
    value = 0;
    visit(doc, withCodes ? CODE[text.charCodeAt(i++)] : 0);
  }
}

// ------------------------------------------------------------------ the query

// The query as index words: each is a term (its stem); the last one, unless followed by a space,
// is also a prefix (the reader is still typing it).
function parseQuery(query) {
  const tokens = tokenize(query);
  const open = tokens.length > 0 && !/[\s]$/.test(query);
  const words = [];
  const seen = new Set();
  tokens.forEach((token, i) => {
    const isLast = i === tokens.length - 1;
    const prefix = isLast && open && token.length >= 3 ? token : null;
    if (STOPWORDS.has(token) && !prefix) return;
    const term = STOPWORDS.has(token) ? null : stem(token);
    const key = `${term}|${prefix}`;
    if (seen.has(key)) return;
    seen.add(key);
    words.push({ term, prefix });
  });
  return words;
}

// A word's terms: term -> [papers holding it, postings block, 1 when its postings are truncated].
// Postings blocks hold consecutive terms, so a whole word, or a prefix whose terms fill at most
// BLOCK_RANGE blocks, is read from its blocks directly: one round of requests. A short prefix,
// whose terms spread over many blocks, first picks its most frequent terms in the vocabulary.
async function vocabularyFor(word) {
  const info = await meta();
  const low = word.prefix && (!word.term || word.prefix < word.term) ? word.prefix : word.term;
  const highs = [word.term, word.prefix && word.prefix + "\uffff"].filter(Boolean);
  const high = highs.reduce((a, b) => (a > b ? a : b));
  const blocks = info.blocks ? partsFor(info.blocks, low, high) : [];
  if (blocks.length && blocks.length <= BLOCK_RANGE) {
    const parts = await Promise.all(blocks.map((n) => indexFile(`p/${n}.json`)));
    return pickTerms(word, parts.map((part, i) => [part, (term) => blockEntry(part[term], blocks[i], term)]));
  }
  const parts = await Promise.all(partsFor(info.shards, low, high).map((n) => indexFile(`v/${n}.json`)));
  return pickTerms(word, parts.map((part) => [part, (term) => part[term]]));
}

// A postings block's value for a term as its vocabulary entry. Untruncated postings are counted
// once per page: the words typed so far are looked up again at every keystroke.
const blockEntries = new Map(); // "block term" -> entry

function blockEntry(value, n, term) {
  if (typeof value !== "string") return [value[0], n, 1];
  const key = `${n} ${term}`;
  let entry = blockEntries.get(key);
  if (!entry) {
    let count = 0;
    decodeDocs(value, true, () => count++);
    blockEntries.set(key, (entry = [count, n]));
  }
  return entry;
}

function postingsText(value) {
  return typeof value === "string" ? value : value ? value[1] : "";
}

// The word's own term, and for a prefix its PREFIX_TERMS most frequent other terms; `parts` are
// [file, term -> entry] pairs.
function pickTerms(word, parts) {
  const found = new Map();
  for (const [part, entryOf] of parts) {
    if (word.term && Object.hasOwn(part, word.term)) found.set(word.term, entryOf(word.term));
  }
  if (word.prefix) {
    const extra = [];
    for (const [part, entryOf] of parts) {
      for (const term of Object.keys(part)) {
        if (term !== word.term && term.startsWith(word.prefix)) extra.push([term, entryOf(term)]);
      }
    }
    extra.sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1));
    for (const [term, entry] of extra.slice(0, PREFIX_TERMS)) found.set(term, entry);
  }
  return found;
}

// Per-paper scratch arrays, allocated once and shared by every query: scoring runs synchronously
// once its files are loaded, and clears what it touched before it returns.
let scratch = null;

function scratchFor(total) {
  if (!scratch || scratch.total !== total) {
    scratch = {
      total,
      matched: new Uint8Array(total), // words (with complete postings) the paper holds
      inTitle: new Uint8Array(total), // words in its title
      score: new Float32Array(total), // sum over words of idf * level
      wordBest: new Float32Array(total),
      wordTitle: new Uint8Array(total),
      hits: new Int32Array(total), // the papers of the word being scored
      touched: new Int32Array(total), // the papers any word holds
    };
  }
  return scratch;
}

// The vocabulary entries and postings blocks of the query words. A whole word's block is loaded
// with its vocabulary (vocabularyFor); a long prefix found in the vocabulary shards has its blocks
// requested before a newer keystroke can stop this query, so the query that finally runs finds
// them loaded.
async function loadQuery(words, stale) {
  const vocabularies = await Promise.all(
    words.map((word) =>
      vocabularyFor(word).then((vocabulary) => {
        if (word.prefix && word.prefix.length >= EARLY_PREFIX) {
          for (const entry of vocabulary.values()) indexFile(`p/${entry[1]}.json`).catch(() => {});
        }
        return vocabulary;
      }),
    ),
  );
  if (stale()) throw STALE;
  const blocks = new Map();
  for (const vocabulary of vocabularies) {
    for (const entry of vocabulary.values()) if (!blocks.has(entry[1])) blocks.set(entry[1], indexFile(`p/${entry[1]}.json`));
  }
  const loaded = new Map();
  await Promise.all(Array.from(blocks, ([n, promise]) => promise.then((block) => loaded.set(n, block))));
  await nextTask(); // keystrokes already queued run first and make this query stale before it scores
  if (stale()) throw STALE;
  return { vocabularies, loaded };
}

// The query's papers, best first: those holding every word (else those holding some), a title
// holding every word first, then more words matched, then score, then newer. Only the best `limit`
// are ranked when a limit is given; `count` is how many papers qualify.
function rankQuery({ vocabularies, loaded }, total, mask, limit) {
  const s = scratchFor(total);
  const { matched, inTitle, score, wordBest, wordTitle, hits, touched } = s;
  let touchedCount = 0;
  let hard = 0; // words whose every matching paper is listed (not truncated postings)
  for (const vocabulary of vocabularies) {
    if (!vocabulary.size) {
      hard++; // a word found nowhere: nothing holds every word
      continue;
    }
    let truncated = false;
    let hitCount = 0;
    for (const [term, entry] of vocabulary) {
      if (entry[2]) truncated = true;
      const idf = Math.log(1 + (total - entry[0] + 0.5) / (entry[0] + 0.5));
      decodeDocs(postingsText(loaded.get(entry[1])[term]), true, (doc, code) => {
        const value = idf * (code & 31);
        if (!wordBest[doc] && !wordTitle[doc]) hits[hitCount++] = doc;
        if (value > wordBest[doc]) wordBest[doc] = value;
        if (code & 32) wordTitle[doc] = 1;
      });
    }
    if (!truncated) hard++;
    for (let i = 0; i < hitCount; i++) {
      const doc = hits[i];
      if (!matched[doc] && !score[doc] && !inTitle[doc]) touched[touchedCount++] = doc;
      if (!truncated) matched[doc]++;
      score[doc] += wordBest[doc];
      inTitle[doc] += wordTitle[doc];
      wordBest[doc] = 0;
      wordTitle[doc] = 0;
    }
  }
  // The pool: the papers holding every word (else those holding some), within the filters.
  let everyWord = false;
  for (let i = 0; i < touchedCount && !everyWord; i++) {
    const doc = touched[i];
    everyWord = matched[doc] === hard && (!mask || mask[doc] === 1);
  }
  const pool = [];
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i];
    if ((!mask || mask[doc]) && (!everyWord || matched[doc] === hard)) pool.push(doc);
  }
  const count = vocabularies.length;
  const title = (doc) => (inTitle[doc] === count ? 1 : 0);
  const before = (a, b) =>
    title(a) - title(b) || matched[a] - matched[b] || score[a] - score[b] || b - a; // > 0: a first
  let ranked;
  if (limit && pool.length > limit) {
    ranked = [];
    for (const doc of pool) {
      if (ranked.length === limit && before(doc, ranked[limit - 1]) <= 0) continue;
      let i = ranked.length < limit ? ranked.length : limit - 1;
      ranked[i] = doc;
      for (; i > 0 && before(ranked[i], ranked[i - 1]) > 0; i--) [ranked[i], ranked[i - 1]] = [ranked[i - 1], ranked[i]];
    }
  } else {
    ranked = pool.sort((a, b) => before(b, a));
  }
  for (let i = 0; i < touchedCount; i++) {
    const doc = touched[i];
    matched[doc] = 0;
    inTitle[doc] = 0;
    score[doc] = 0;
  }
  return { docs: Int32Array.from(ranked), count: pool.length };
}

// Doc numbers allowed by the filters (a Uint8Array mask), or null when there are none.
async function filterMask(filters, total) {
  const active = FILTERS.filter((name) => filters[name]);
  if (!active.length) return null;
  const mask = new Uint8Array(total).fill(1);
  const available = await indexFile("filters.json");
  for (const name of active) {
    const value = filters[name];
    const allowed = new Uint8Array(total);
    if (name === "year") {
      const range = available.year.find((row) => row[0] === value);
      if (range) allowed.fill(1, range[1], range[2]);
    } else {
      const lists = await indexFile(`facets/${name}.json`);
      if (Object.hasOwn(lists, value)) decodeDocs(lists[value], false, (doc) => (allowed[doc] = 1));
    }
    for (let doc = 0; doc < total; doc++) mask[doc] &= allowed[doc];
  }
  return mask;
}

const STALE = new Error("a newer query replaced this one");

// Resolves in a task of its own (a message, not setTimeout's clamped delay).
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

// The query's results: `docs` (doc numbers in the archive's order; only the first `limit` when
// given) and `count` (how many papers match); `stale()` true stops it early.
async function runSearch(query, filters, stale = () => false, limit = 0) {
  const words = queryWords(query);
  const terms = parseQuery(query);
  const hasFilters = FILTERS.some((name) => filters && filters[name]);
  if (!words.length && !hasFilters) return { words, terms, docs: new Int32Array(0), count: 0 };
  const info = await meta();
  const mask = await filterMask(filters || {}, info.papers);
  if (!terms.length) {
    const docs = [];
    if (!words.length) for (let doc = 0; doc < info.papers; doc++) if (mask[doc]) docs.push(doc); // newest first
    return { words, terms, docs: Int32Array.from(limit ? docs.slice(0, limit) : docs), count: docs.length };
  }
  const loaded = await loadQuery(terms, stale);
  return { words, terms, ...rankQuery(loaded, info.papers, mask, limit) };
}

// The API documents of docs[from:to], in the archive's order (re-ranked by rankKey if asked).
async function loadItems(docs, words, terms, from, to, rerank) {
  const info = await meta();
  const perChunk = info.ids_per_chunk;
  const slice = Array.from(docs.subarray(from, to));
  const datas = await Promise.all(
    slice.map(async (doc) => {
      const id = await idOf(doc, perChunk);
      return { id, doc: await apiDocument(id) };
    }),
  );
  const items = datas.map(({ id, doc }, i) => ({
    id,
    data: doc,
    order: from + i,
    terms,
    topicNames: info.topic_names || {},
  }));
  if (rerank) {
    for (const item of items) item.key = rankKey(words, item.data.title || "", item.order);
    items.sort((a, b) => compareKeys(a.key, b.key));
  }
  return items;
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

// The API document names topics by id (meta.json maps ids to names).
function topicNames(data, names) {
  if (!Array.isArray(data.topics)) return [];
  return data.topics
    .map((t) => (typeof t === "string" ? (Object.hasOwn(names, t) ? names[t] : t) : t && t.name))
    .filter(Boolean)
    .map(String);
}

// Does a word of the abstract match the query? (a token equal to a query term, or starting with
// the prefix being typed)
function matcher(terms) {
  // A plain ASCII word can only match if it contains a term minus its last letter (stem() only
  // strips or rewrites an ending) or a prefix: most words are ruled out without tokenizing them.
  const needles = terms.flatMap((t) => [t.term && t.term.slice(0, -1), t.prefix].filter((n) => n !== null && n !== undefined));
  const matches = (word) =>
    tokenize(word).some((token) => {
      const term = stem(token);
      return terms.some((t) => (t.term && (t.term === term || t.term === token)) || (t.prefix && token.startsWith(t.prefix)));
    });
  return (word) => {
    if (/^[\x00-\x7f]*$/.test(word)) {
      const lower = word.toLowerCase();
      if (!needles.some((needle) => lower.includes(needle))) return false;
    }
    return matches(word);
  };
}

// The abstract's words around the first match, with matched words in <mark>.
function snippet(data, terms) {
  const words = String(data.abstract || "").split(/\s+/).filter(Boolean);
  const matches = matcher(terms || []);
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

function resultNode(tag, item, id) {
  const data = item.data;
  const href = safeUrl(`papers/${encodeURIComponent(item.id)}/`); // a paper's page, as records.paper_url
  const node = el(tag, "pa-result");
  const link = el("a", "pa-result__link");
  if (href) link.href = href;
  if (id) {
    link.id = id;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.tabIndex = -1;
  }
  link.append(el("span", "pa-result__title", String(data.title || item.id)));
  const facts = [];
  if (data.published) facts.push(String(data.published));
  const topics = topicNames(data, item.topicNames);
  if (topics.length) facts.push(topics.join(", "));
  if (data.organization) facts.push(String(data.organization));
  if (facts.length) link.append(el("span", "pa-result__meta", facts.join(" · ")));
  link.append(snippet(data, item.terms));
  node.append(link);
  return node;
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

async function headerSearch(parts) {
  const seq = ++headerSeq;
  const query = parts.input.value;
  const stale = () => seq !== headerSeq;
  let words, terms, docs, count, items;
  try {
    ({ words, terms, docs, count } = await runSearch(query, {}, stale, HEADER_FETCHED));
    if (stale()) return;
    await settled();
    if (stale()) return;
    items = await loadItems(docs, words, terms, 0, HEADER_FETCHED, true);
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
  items.slice(0, HEADER_SHOWN).forEach((item, i) => list.append(resultNode("div", item, `pa-search-option-${i}`)));
  const footer = el("a", "pa-search__all");
  footer.href = new URL(`search/?q=${encodeURIComponent(query.trim())}`, ROOT).href;
  footer.textContent = count
    ? `All ${count} result${count === 1 ? "" : "s"} on the search page →`
    : "No paper matches these words. Open the search page →";
  parts.box.replaceChildren(list, footer);
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
  const available = await indexFile("filters.json");
  for (const name of FILTERS) {
    const select = form.querySelector(`[data-pa-field="${name}"]`);
    if (!select) continue;
    const rows = available[name] || [];
    const counts = Object.fromEntries(rows.map((row) => [row[0], name === "year" ? row[2] - row[1] : row[1]]));
    const values = rows.map((row) => row[0]); // sorted by the index: names A-Z, years newest first
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
  let words, terms, docs, count;
  try {
    ({ words, terms, docs, count } = await runSearch(state.q, filters));
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
  status.textContent = `${count} paper${count === 1 ? "" : "s"} found.`;
  let shown = 0;
  const showMore = async () => {
    const items = await loadItems(docs, words, terms, shown, shown + PAGE_SIZE, shown === 0 && words.length > 0);
    if (seq !== pageSeq) return;
    for (const item of items) list.append(resultNode("li", item));
    shown += items.length;
    more.hidden = shown >= count;
    root.dataset.paShown = String(shown);
    window.dispatchEvent(new CustomEvent("pa-search:page-results", { detail: { count, shown } }));
    scheduleIdTable(true);
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
    scheduleIdTable();
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
    meta().catch(() => {}); // warm up while the reader starts typing
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
