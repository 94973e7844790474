// The search engine: tokenizer, typo matching, ranking and the reading of the static index that
// build/paperarchive/search.py writes to <site>/search-index/. No page here: archive-search.js wires
// it to the header box and the search page. build/paperarchive/search_engine.py runs the same steps
// with the same constants for `paperarchive search`; keep them in step (tests/test_search_browser.py
// runs both over one index and compares).
//
// A query runs in two stages. Engine.run ranks doc numbers from the index: papers holding every word
// (exactly, as a prefix for an unfinished last word, or through a typo correction), a title holding
// every word first, then more words matched, then the BM25-like score, then newer. arrange() then
// orders the first page by the papers' titles and keeps only papers holding each quoted phrase.

export const PREFIX_MIN = 3; // an unfinished last word matches as a prefix from this length
export const PREFIX_TERMS = 16; // ... and then at most this many terms (the most frequent)
const BLOCK_RANGE = 2; // a prefix whose terms fill at most this many postings blocks is read from them
const TYPO_MIN = 4; // words of this length or more are corrected when the vocabulary lacks them
const TYPO_LONG = 8; // ... with up to 2 edits from this length, else 1
const TYPO_CANDIDATES = 6; // the closest candidates whose postings are read
const TYPO_TERMS = 3; // the most frequent of them stand for the word
const TYPO_WEIGHT = 0.5; // a correction scores half of what the exact word would
export const PAGE_SIZE = 20; // the results page (and the terminal) orders this many papers by their titles
export const PHRASE_CHECKS = 100; // a quoted phrase is looked for in at most this many papers holding its words

// ------------------------------------------------------------------ tokens (mirror search.py)

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/gu;
const WORD = /[\p{L}\p{N}]+/gu;
export const STOPWORDS = new Set(
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

export function foldTitle(text) {
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

const isAlpha = (text) => /^\p{L}+$/u.test(text);
const length = (text) => Array.from(text).length;
const typoTerm = (term) => length(term) >= 3 && isAlpha(term);

// ------------------------------------------------------------------ the query

function isOpen(query) {
  const chars = Array.from(query);
  return chars.length > 0 && tokenize(chars[chars.length - 1]).length > 0;
}

export function phraseTerms(text) {
  return tokenize(text).map(stem);
}

// words: {token, term (null for a stop word kept as a prefix), prefix (the unfinished last word),
// unfinished (the last word, too short to be a prefix yet: ignored when unknown)};
// phrases: each quoted phrase as the index terms of all its tokens; titleWords: for the title rules.
export function parseQuery(query) {
  const parts = query.split('"');
  const phrases = parts.filter((_, i) => i % 2 === 1).map(phraseTerms).filter((terms) => terms.length > 1);
  const plain = query.replaceAll('"', " ");
  const tokens = tokenize(plain);
  const open = isOpen(query);
  const words = [];
  const seen = new Set();
  tokens.forEach((token, i) => {
    const prefix = i === tokens.length - 1 && open && length(token) >= PREFIX_MIN ? token : null;
    if (STOPWORDS.has(token) && !prefix) return;
    const term = STOPWORDS.has(token) ? null : stem(token);
    const key = `${term}|${prefix}`;
    if (seen.has(key)) return;
    seen.add(key);
    words.push({ token, term, prefix, unfinished: i === tokens.length - 1 && open && !prefix });
  });
  return { words, phrases, titleWords: queryWords(plain), open };
}

// The files (given their first terms, in JavaScript's string order) that may hold terms in [low, high].
export function partsFor(firsts, low, high) {
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
  if (!firsts || !firsts.length) return out;
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

// Keys front-coded by search.front_coded: each item is the length of the start it shares with the
// previous key (one code character) and the rest of it; items are separated by spaces.
export function frontDecoded(text) {
  const keys = [];
  let previous = [];
  for (const item of text ? text.split(" ") : []) {
    const chars = Array.from(item);
    previous = previous.slice(0, CODE[chars[0].charCodeAt(0)]).concat(chars.slice(1));
    keys.push(previous.join(""));
  }
  return keys;
}

// Optimal string alignment distance (an adjacent swap is one edit); limit + 1 when over it.
export function editDistance(a, b, limit) {
  a = Array.from(a);
  b = Array.from(b);
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2 = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], previous2[j - 2] + 1);
    }
    if (Math.min(...row) > limit) return limit + 1;
    previous2 = previous;
    previous = row;
  }
  return Math.min(previous[b.length], limit + 1);
}

// The spelling a word is corrected from, when it may be corrected at all.
function typoWord(word) {
  const spelling = word.term !== null ? word.term : word.prefix ? stem(word.prefix) : null;
  return spelling && length(spelling) >= TYPO_MIN && isAlpha(spelling) ? spelling : null;
}

const byCount = (a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

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
    extra.sort(byCount);
    for (const [term, entry] of extra.slice(0, PREFIX_TERMS)) found.set(term, entry);
  }
  return found;
}

export const STALE = new Error("a newer query replaced this one");

// Queries over one index; `load(path)` resolves to the parsed JSON of search-index/<path> (and
// should cache: a query asks for the same files again at every keystroke).
export class Engine {
  constructor(load) {
    this.load = load;
    this.blockCounts = new Map(); // "block term" -> papers in untruncated postings
    this.scratch = null;
  }

  meta() {
    return this.load("meta.json");
  }

  blockOf(info, term) {
    return partsFor(info.blocks, term, term)[0];
  }

  blockEntry(value, n, term) {
    if (typeof value !== "string") return { count: value[0], block: n, truncated: true, weight: 1 };
    const key = `${n} ${term}`;
    let count = this.blockCounts.get(key);
    if (count === undefined) {
      count = 0;
      decodeDocs(value, true, () => count++);
      this.blockCounts.set(key, count);
    }
    return { count, block: n, truncated: false, weight: 1 };
  }

  // A word's terms -> entries. Postings blocks hold consecutive terms, so a whole word, or a prefix
  // whose terms fill at most BLOCK_RANGE blocks, is read from its blocks directly. A short prefix,
  // whose terms spread over many blocks, first picks its most frequent terms in the vocabulary.
  async vocabularyFor(word) {
    const info = await this.meta();
    const low = word.prefix && (!word.term || word.prefix < word.term) ? word.prefix : word.term;
    const highs = [word.term, word.prefix && word.prefix + "\uffff"].filter(Boolean);
    const high = highs.reduce((a, b) => (a > b ? a : b));
    const blocks = partsFor(info.blocks, low, high);
    if (blocks.length && blocks.length <= BLOCK_RANGE) {
      const parts = await Promise.all(blocks.map((n) => this.load(`p/${n}.json`)));
      return pickTerms(word, parts.map((part, i) => [part, (term) => this.blockEntry(part[term], blocks[i], term)]));
    }
    const shards = await Promise.all(partsFor(info.shards, low, high).map((n) => this.load(`v/${n}.json`)));
    return pickTerms(
      word,
      shards.map((part) => [
        part,
        (term) => ({ count: Math.abs(part[term]), block: this.blockOf(info, term), truncated: part[term] < 0, weight: 1 }),
      ]),
    );
  }

  // Vocabulary terms within the typo distance whose first or second half is the word's own.
  async typoCandidates(spelling) {
    const info = await this.meta();
    const chars = Array.from(spelling);
    const limit = chars.length >= TYPO_LONG ? 2 : 1;
    const half = chars.length >> 1;
    const head = chars.slice(0, half).join("");
    const tail = chars.slice(half).join("");
    const backwards = Array.from(tail).reverse().join("");
    const [heads, tails] = await Promise.all([
      Promise.all(partsFor(info.shards, head, head + "\uffff").map((n) => this.load(`v/${n}.json`))),
      Promise.all(partsFor(info.suffix_shards || [], backwards, backwards + "\uffff").map((n) => this.load(`r/${n}.json`))),
    ]);
    const found = new Set();
    for (const shard of heads) for (const term of Object.keys(shard)) if (term.startsWith(head) && typoTerm(term)) found.add(term);
    for (const shard of tails) {
      for (const key of frontDecoded(String(shard))) if (key.startsWith(backwards)) found.add(Array.from(key).reverse().join(""));
    }
    found.delete(spelling);
    let best = limit + 1;
    const distances = new Map();
    for (const term of found) {
      const d = editDistance(spelling, term, limit);
      distances.set(term, d);
      if (d < best) best = d;
    }
    if (best > limit) return [];
    return Array.from(distances)
      .filter(([, d]) => d === best)
      .map(([term]) => term)
      .sort()
      .slice(0, TYPO_CANDIDATES);
  }

  async correctionsFor(spelling) {
    const info = await this.meta();
    const terms = await this.typoCandidates(spelling);
    const entries = [];
    await Promise.all(
      terms.map(async (term) => {
        const n = this.blockOf(info, term);
        const block = await this.load(`p/${n}.json`);
        if (Object.hasOwn(block, term)) entries.push([term, { ...this.blockEntry(block[term], n, term), weight: TYPO_WEIGHT }]);
      }),
    );
    entries.sort(byCount);
    return new Map(entries.slice(0, TYPO_TERMS));
  }

  // The query's doc numbers, ranked: {query, docs, count, everyWord, missing, corrections}; only the
  // first `limit` docs when a limit is given (count is still the whole pool). `stale()` true stops
  // it at its next step; `mask` (a Uint8Array) keeps only the docs it marks; `literal` turns typo
  // correction off.
  async run(query, { mask = null, limit = 0, stale = () => false, literal = false } = {}) {
    const parsed = parseQuery(query);
    const info = await this.meta();
    const missing = [];
    const corrections = {};
    const found = await Promise.all(
      parsed.words.map(async (word) => {
        let vocabulary = await this.vocabularyFor(word);
        const spelling = vocabulary.size || literal ? null : typoWord(word);
        if (spelling && !stale()) {
          vocabulary = await this.correctionsFor(spelling);
          if (vocabulary.size) corrections[word.token] = Array.from(vocabulary.keys());
        }
        return vocabulary;
      }),
    );
    if (stale()) throw STALE;
    const vocabularies = [];
    parsed.words.forEach((word, i) => {
      if (!found[i].size && word.unfinished) return;
      if (!found[i].size) missing.push(word.token);
      vocabularies.push(found[i]);
    });
    const blocks = new Map();
    for (const vocabulary of vocabularies) {
      for (const entry of vocabulary.values()) if (!blocks.has(entry.block)) blocks.set(entry.block, this.load(`p/${entry.block}.json`));
    }
    const loaded = new Map();
    await Promise.all(Array.from(blocks, ([n, promise]) => promise.then((block) => loaded.set(n, block))));
    if (stale()) throw STALE;
    if (!vocabularies.length) return { query: parsed, docs: new Int32Array(0), count: 0, everyWord: true, missing, corrections };
    const ranked = this.rank(vocabularies, loaded, info.papers, mask, limit);
    return { query: parsed, ...ranked, missing, corrections };
  }

  scratchFor(total) {
    if (!this.scratch || this.scratch.total !== total) {
      this.scratch = {
        total,
        matched: new Uint8Array(total), // words (with complete postings) the paper holds
        inTitle: new Uint8Array(total), // words in its title
        score: new Float64Array(total), // sum over words of its best term's idf * level * weight
        wordBest: new Float64Array(total),
        wordTitle: new Uint8Array(total),
        wordSeen: new Uint8Array(total),
        hits: new Int32Array(total), // the papers of the word being scored
        touched: new Int32Array(total), // the papers any word holds
        seen: new Uint8Array(total),
      };
    }
    return this.scratch;
  }

  // Scoring runs synchronously once its files are loaded, on scratch arrays shared by every query,
  // and clears what it touched before it returns.
  rank(vocabularies, loaded, total, mask, limit) {
    const { matched, inTitle, score, wordBest, wordTitle, wordSeen, hits, touched, seen } = this.scratchFor(total);
    let touchedCount = 0;
    let hard = 0; // words whose every matching paper is listed (not truncated postings)
    for (const vocabulary of vocabularies) {
      if (!vocabulary.size) {
        hard++; // a word found nowhere: nothing holds every word
        continue;
      }
      let truncated = false;
      let hitCount = 0;
      // a word weighs as much as its most frequent term: a rare term that merely starts like it (or
      // is one edit from it) must not outscore the word itself
      let most = 0;
      for (const entry of vocabulary.values()) if (entry.count > most) most = entry.count;
      const idf = Math.log(1 + (total - most + 0.5) / (most + 0.5));
      for (const [term, entry] of vocabulary) {
        if (entry.truncated) truncated = true;
        const value = loaded.get(entry.block)[term];
        decodeDocs(typeof value === "string" ? value : value[1], true, (doc, code) => {
          const points = idf * (code & 31) * entry.weight;
          if (!wordSeen[doc]) {
            wordSeen[doc] = 1;
            hits[hitCount++] = doc;
          }
          if (points > wordBest[doc]) wordBest[doc] = points;
          if (code & 32) wordTitle[doc] = 1;
        });
      }
      if (!truncated) hard++;
      for (let i = 0; i < hitCount; i++) {
        const doc = hits[i];
        if (!seen[doc]) {
          seen[doc] = 1;
          touched[touchedCount++] = doc;
        }
        if (!truncated) matched[doc]++;
        score[doc] += wordBest[doc];
        inTitle[doc] += wordTitle[doc];
        wordBest[doc] = 0;
        wordTitle[doc] = 0;
        wordSeen[doc] = 0;
      }
    }
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
    const words = vocabularies.length;
    const title = (doc) => (inTitle[doc] === words ? 1 : 0);
    const before = (a, b) => title(a) - title(b) || matched[a] - matched[b] || score[a] - score[b] || b - a; // > 0: a first
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
      seen[doc] = 0;
    }
    return { docs: Int32Array.from(ranked), count: pool.length, everyWord, pool: limit ? null : pool };
  }
}

// ------------------------------------------------------------------ the title stage

export function titleName(title) {
  return foldTitle(title.split(":")[0]);
}

export function titleHoldsAll(words, title) {
  const stems = foldTitle(title).split(" ").map(stem);
  return words.length > 0 && words.every((w) => stems.some((s) => s.startsWith(stem(w))));
}

// 0 the exact title, 1 a title named by the query ("Name: subtitle"), 2 a title starting with it,
// 3 a title holding every word, 4 any other. With `unfinished`, the last word may be the start of
// the title's word (the reader is typing it).
export function titleRank(words, title, unfinished = false) {
  if (!words.length) return 4;
  const query = words.join(" ");
  const folded = foldTitle(title);
  if (folded === query) return 0;
  const name = title.includes(":") ? titleName(title) : "";
  if (name === query || (unfinished && name.startsWith(query) && name.split(" ").length === words.length)) return 1;
  if (folded.startsWith(unfinished ? query : query + " ")) return 2;
  return titleHoldsAll(words, title) ? 3 : 4;
}

export function holdsPhrases(phrases, title, abstract) {
  if (!phrases.length) return true;
  const text = ` ${[...phraseTerms(title), "|", ...phraseTerms(abstract)].join(" ")} `;
  return phrases.every((phrase) => text.includes(` ${phrase.join(" ")} `));
}

// The query's words with each corrected word read as its most frequent correction.
export function correctedWords(outcome) {
  return outcome.query.titleWords.map((w) => (Object.hasOwn(outcome.corrections, w) ? outcome.corrections[w][0] : w));
}

// The first `size` papers: phrase holders only, ordered by titleRank, then the index's order.
// `texts(docs)` resolves to [title, abstract] pairs of those doc numbers (it is called with
// successive slices, so a page fetches only the documents it checks). Resolves to
// {docs, checked}: checked is how many candidates were looked at for a phrase (0 without phrases).
export async function arrange(outcome, texts, size = PAGE_SIZE) {
  const phrases = outcome.query.phrases;
  const kept = [];
  const titles = new Map();
  let checked = 0;
  let at = 0;
  while (at < outcome.docs.length && kept.length < size && !(phrases.length && checked >= PHRASE_CHECKS)) {
    const slice = Array.from(outcome.docs.subarray(at, at + (phrases.length ? PAGE_SIZE : size)));
    at += slice.length;
    const pairs = await texts(slice);
    for (let i = 0; i < slice.length; i++) {
      if (kept.length >= size || (phrases.length && checked >= PHRASE_CHECKS)) break;
      checked++;
      if (holdsPhrases(phrases, pairs[i][0], pairs[i][1])) {
        kept.push(slice[i]);
        titles.set(slice[i], pairs[i][0]);
      }
    }
  }
  const words = correctedWords(outcome);
  const unfinished = outcome.query.open;
  const rankOf = new Map(kept.map((doc, i) => [doc, [titleRank(words, titles.get(doc), unfinished), i]]));
  kept.sort((a, b) => rankOf.get(a)[0] - rankOf.get(b)[0] || rankOf.get(a)[1] - rankOf.get(b)[1]);
  return { docs: kept, checked: phrases.length ? checked : 0 };
}
