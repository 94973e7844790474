"""Related papers: the k most similar papers of every paper, by TF-IDF cosine over title and abstract.

Weights: sublinear term frequency (1 + ln tf, a title word counting ``TITLE_WEIGHT`` times),
smoothed idf (ln((1 + n) / (1 + df)) + 1), rows L2-normalised; similarity is the dot product.
Everything is computed at build time with numpy and scipy.sparse.

Cost: up to ``EXACT_MAX`` papers, all pairs are scored, exactly and once each (the scores are
symmetric), in row chunks, so memory grows linearly (the matrices, plus ``CHUNK_CELLS`` float32
cells per chunk).  The frequent terms, which would make the sparse product nearly dense and slow,
are scored as a small dense matrix by BLAS; the rest as a sparse product.  That time grows with
the number of pairs, i.e. quadratically (about a second at 10k papers, minutes at 50k), so past
``EXACT_MAX`` papers each paper is compared only with candidates found through its rare terms
(``candidate_neighbours``), scored exactly: linear time (``benchmarks/related.py`` prints time
and agreement).

A rebuild of an unchanged corpus reads the last result from the cache folder
(cache.RELATED), and ``Prefetch`` starts the computation in a forked process early in a
build (processes.run_forked), so that it runs beside the topic matching.

Determinism: papers are ranked in id order and terms in sorted order whatever the input
order, and scores are rounded to ``SCORE_DECIMALS`` before ranking, so that last-bit
differences between BLAS builds cannot reorder near-ties; ties are broken by id.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from . import cache, processes
from .records import Paper

TITLE_WEIGHT = 3.0
# A term in more than this share of the papers is scored densely: past it, a BLAS product
# over all pairs costs less than the sparse product's df**2 steps (measured: 0.03-0.05 is the flat optimum at 10k).
DENSE_SHARE = 0.04
CHUNK_CELLS = 1 << 22  # float32 cells of one chunk of the score matrix (16 MB)
SCORE_DECIMALS = 6
_BATCH = 2000  # papers tokenised at a time
# Past this many papers the exact all-pairs scoring (quadratic) gives way to the candidate
# search (linear): it keeps the real archive (~10k) exact; the two cost the same near 15k.
EXACT_MAX = 15_000
RARE_CAP = 1000  # terms in at most this many papers find the candidates
QUERY_TERMS = 30  # a paper's heaviest rare terms that look for them
CANDIDATES = 60  # candidates per paper, scored exactly
_PAIRS = 100_000  # candidate pairs scored at a time
_BLOCK = 64  # columns per block (at most) when bounding the k-th best score from below

# The classic Glasgow/scikit-learn English stop list, plus words that open most abstracts
# ("we propose a novel approach ...") and so say nothing about a paper's subject.
STOPWORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do does doing done down due during each
    eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty found
    four from front full further get give go had has hasnt have having he hence her here hereafter
    hereby herein hereupon hers herself him himself his how however hundred i ie if in inc indeed
    interest into is it its itself just keep last latter latterly least less ltd made many may me
    meanwhile might mill mine more moreover most mostly move much must my myself name namely neither
    never nevertheless next nine no nobody none noone nor not nothing now nowhere of off often on
    once one only onto or other others otherwise our ours ourselves out over own part per perhaps
    please put rather re same see seem seemed seeming seems serious several she should show side
    since sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their theirs them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three through
    throughout thru thus to together too top toward towards twelve twenty two un under until up
    upon us very via was we well were what whatever when whence whenever where whereafter whereas
    whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why
    will with within without would yet you your yours yourself yourselves
    propose proposes proposed introduce introduces introduced present presents presented paper
    papers work approach approaches method methods novel existing based results result shows
    demonstrate demonstrates demonstrated achieve achieves achieved achieving performance new using
    use used uses significantly significant experiments extensive state art furthermore
    specifically additionally address addresses
    """.split()
)

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s\x00\x01]+")
_FIELD_END = "\x00"  # separates a paper's title from its abstract in the joined text
_PAPER_END = "\x01"  # ends a paper in the joined text
_SEPARATORS = str.maketrans({_FIELD_END: " ", _PAPER_END: " "})
_FIELD_SPACED, _PAPER_SPACED = f" {_FIELD_END} ", f" {_PAPER_END} "
_WORD_RE = re.compile(r"[^\W_]+")
# bytes.translate table: an ASCII word character or a separator stays, any other ASCII byte becomes a
# space; bytes of multi-byte UTF-8 characters stay (_plain_words leaves only word characters there)
_WORD_BYTES = bytes(
    byte if byte >= 0x80 or chr(byte) in (_FIELD_END, _PAPER_END) or (chr(byte).isalnum() and byte != ord("_")) else 0x20
    for byte in range(256)
)


def related_papers(papers: Sequence[Paper], k: int = 5) -> dict[str, tuple[str, ...]]:
    """Map every paper id to the ids of its ``k`` most similar papers, best first.

    Ties are broken by id; a paper is never its own neighbour, and a paper that shares no
    weighted term with another never lists it (so a paper can have fewer than ``k``).
    """
    return _related_in_id_order(sorted(papers, key=lambda paper: paper.id), k)


def _related_in_id_order(ordered: Sequence[Paper], k: int, key: bytes | None = None) -> dict[str, tuple[str, ...]]:
    """``related_papers`` of papers sorted by id; ``key``: their ``_corpus_key`` when already known."""
    ids = [paper.id for paper in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("related_papers: paper ids must be unique")
    if k <= 0 or len(ordered) < 2:
        return {paper_id: () for paper_id in ids}
    if key is None and len(ordered) >= CACHE_MIN_PAPERS:
        key = _corpus_key(ordered, k)
    found = _cached(key)
    if found is not None:
        return found
    matrix = tfidf_matrix([(paper.title, paper.abstract) for paper in ordered])
    neighbours = top_neighbours(matrix, k)
    result = {
        paper_id: tuple(ids[j] for j in row if j >= 0)
        for paper_id, row in zip(ids, neighbours.tolist(), strict=False)
    }
    if key is not None:
        cache.write(cache.cache_file(cache.RELATED), key, tuple(result.items()))
    return result


class Prefetch:
    """``related_papers(papers, k)`` started early in a forked process (a second core), so that the
    caller's own work (topics, ...) runs meanwhile; ``result()`` takes it. Nothing is forked when the
    result is cached, the archive is small, or forking is not allowed (processes.fork_allowed);
    then, or when the worker failed, ``result()`` computes it in the caller.
    """

    def __init__(self, papers: Sequence[Paper], k: int, worker: processes.Forked | None) -> None:
        self.papers, self.k, self.worker = papers, k, worker

    @classmethod
    def start(cls, papers: Sequence[Paper], k: int) -> Prefetch:
        ordered = sorted(papers, key=lambda paper: paper.id)
        worker = None
        wanted = len(ordered) >= max(CACHE_MIN_PAPERS, 2) and k > 0 and processes.fork_allowed()
        key = _corpus_key(ordered, k) if wanted else None
        if wanted and _cached(key) is None:
            worker = processes.run_forked(lambda: tuple(_related_in_id_order(ordered, k, key).items()), "related papers")
        return cls(ordered, k, worker)

    def result(self) -> dict[str, tuple[str, ...]]:
        if self.worker is not None:
            worker, self.worker = self.worker, None
            try:
                return dict(worker.result())
            except processes.ForkedWorkFailed:
                pass  # computed again here: the same result, one core
        return related_papers(self.papers, self.k)

    def cancel(self) -> None:
        """Stop the worker if its result was not taken (the caller failed before needing it)."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None


# The result depends on the papers' ids, titles and abstracts only: a rebuild of the same
# papers (a template or page edit, ``serve``) reuses the last one. One file, the latest corpus.
CACHE_MIN_PAPERS = 1000  # below this, computing costs well under 0.2 s


def _corpus_key(ordered: Sequence[Paper], k: int) -> bytes:
    return cache.content_key(cache.code_key(__file__), k, np.__version__, [(p.id, p.title, p.abstract) for p in ordered])


def _cached(key: bytes | None) -> dict[str, tuple[str, ...]] | None:
    rows = cache.read(cache.cache_file(cache.RELATED), key) if key is not None else None
    try:
        return None if rows is None else {paper_id: tuple(neighbours) for paper_id, neighbours in rows}
    except (ValueError, TypeError):
        return None


def tfidf_matrix(texts: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """Rows of L2-normalised TF-IDF weights (float32) for (title, abstract) pairs.

    Columns are the kept terms in sorted order; a text with no kept term is a zero row.
    """
    n = len(texts)
    rows, columns, weights, vocabulary = _weighted_counts(texts)
    # renumber the kept terms in sorted order, so that columns do not depend on input order
    kept_terms = sorted((term, i) for i, term in enumerate(vocabulary) if term is not None)
    column_of = np.full(len(vocabulary), -1, dtype=np.int64)
    column_of[[i for _, i in kept_terms]] = np.arange(len(kept_terms))
    counts = sp.csr_matrix((weights, (rows, column_of[columns])), shape=(n, len(kept_terms)))
    counts.sum_duplicates()

    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    row_norm = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    counts.data /= np.repeat(np.where(row_norm > 0, row_norm, 1.0), np.diff(counts.indptr))
    return counts.astype(np.float32)


def _weighted_counts(
    texts: Sequence[tuple[str, str]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str | None]]:
    """(row, term, weighted count) triples, one per distinct term of a text, and the terms by number.

    Only terms that can carry meaning (``_is_term``) are counted; the others are None in the list.

    Tokenised in batches: the token strings of the whole archive would take ~55 bytes each.
    """
    index: dict[bytes, int] = {_FIELD_END.encode(): 0, _PAPER_END.encode(): 1}
    vocabulary: list[str | None] = [None, None]
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, len(texts), _BATCH):
        tokens = _tokens(texts[start : start + _BATCH])
        for term in sorted(set(tokens).difference(index)):
            index[term] = len(index)
            word = term.decode()
            vocabulary.append(word if _is_term(word) else None)
        term_ids = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        is_field_end, is_paper_end = term_ids == 0, term_ids == 1
        paper = np.cumsum(is_paper_end) - is_paper_end  # the paper each token belongs to
        in_title = np.cumsum(is_field_end) == paper  # no field end seen yet in this paper
        term = np.array([word is not None for word in vocabulary])[term_ids]  # stop words etc. out
        pair, inverse = np.unique(paper[term] * len(index) + term_ids[term], return_inverse=True)
        weight = np.bincount(inverse, weights=np.where(in_title[term], TITLE_WEIGHT, 1.0))
        parts.append(((pair // len(index) + start).astype(np.int32), (pair % len(index)).astype(np.int32), weight))
    if not parts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), vocabulary
    rows, columns, weights = (np.concatenate(column) for column in zip(*parts, strict=False))
    return rows, columns, weights, vocabulary


def top_neighbours(matrix: sp.csr_matrix, k: int) -> np.ndarray:
    """For each row, the column indices of its ``k`` best cosine partners (-1 pads the rest).

    Exact up to ``EXACT_MAX`` papers; past it, ``candidate_neighbours`` (linear time).
    """
    if matrix.shape[0] > EXACT_MAX:
        return candidate_neighbours(matrix, k)
    return exact_neighbours(matrix, k)


def candidate_neighbours(
    matrix: sp.csr_matrix, k: int, cap: int | None = None, candidates: int | None = None, query_terms: int | None = None
) -> np.ndarray:
    """Top-k by exact scores, among candidates found through the papers' rare terms: linear time.

    Candidates of a paper: the ``candidates`` papers with the highest score over its
    ``query_terms`` heaviest terms among those in at most ``cap`` papers (a fixed number, so a
    paper's search costs at most query_terms * cap steps whatever the archive's size). The
    candidates are then scored exactly with every term. Agreement with the exact top 5 on the
    9,877-paper corpus and time: ``python3 benchmarks/build.py --related``.
    """
    cap = RARE_CAP if cap is None else cap
    candidates = CANDIDATES if candidates is None else candidates
    query_terms = QUERY_TERMS if query_terms is None else query_terms
    n = matrix.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.full((n, max(k, 0)), -1, dtype=np.int64)
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    rare = matrix[:, np.flatnonzero((frequency >= 2) & (frequency <= cap))].tocsr()
    rare_t = rare.T.tocsr()
    query = _heaviest_terms(rare, query_terms)
    pair_rows, pair_columns = [], []
    chunk = max(1, CHUNK_CELLS // (4 * max(1, cap)))
    for start in range(0, n, chunk):
        partial = (query[start : start + chunk] @ rare_t).tocsr()
        for offset in range(partial.shape[0]):
            row = start + offset
            lo, hi = partial.indptr[offset], partial.indptr[offset + 1]
            columns, scores = partial.indices[lo:hi], partial.data[lo:hi]
            mine = columns != row
            columns, scores = columns[mine], scores[mine]
            if len(columns) > candidates:
                columns = columns[np.argpartition(-scores, candidates)[:candidates]]
            pair_rows.append(np.full(len(columns), row, dtype=np.int64))
            pair_columns.append(columns.astype(np.int64))
    rows = np.concatenate(pair_rows) if pair_rows else np.zeros(0, np.int64)
    columns = np.concatenate(pair_columns) if pair_columns else np.zeros(0, np.int64)
    scores = np.empty(len(rows), dtype=np.float64)
    for lo in range(0, len(rows), _PAIRS):
        left, right = matrix[rows[lo : lo + _PAIRS]], matrix[columns[lo : lo + _PAIRS]]
        scores[lo : lo + _PAIRS] = np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()
    return _best_pairs(n, k, rows, columns, scores)


def _heaviest_terms(matrix: sp.csr_matrix, count: int) -> sp.csr_matrix:
    """Each row's ``count`` largest weights (ties: lower column first), the rest dropped."""
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((matrix.indices, -matrix.data, row_of))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - matrix.indptr[row_of[order]]
    keep = rank < count
    return sp.csr_matrix((matrix.data[keep], (row_of[keep], matrix.indices[keep])), shape=matrix.shape)


def _best_pairs(n: int, k: int, rows: np.ndarray, columns: np.ndarray, scores: np.ndarray) -> np.ndarray:
    rounded = np.round(scores, SCORE_DECIMALS)
    positive = rounded > 0
    rows, columns, rounded = rows[positive], columns[positive], rounded[positive]
    order = np.lexsort((columns, -rounded, rows))
    rows, columns = rows[order], columns[order]
    first = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - first[rows]
    chosen = rank < k
    best = np.full((n, k), -1, dtype=np.int64)
    best[rows[chosen], rank[chosen]] = columns[chosen]
    return best


def exact_neighbours(matrix: sp.csr_matrix, k: int) -> np.ndarray:
    """Every pair scored (quadratic time): the reference the candidate search is measured against.

    The score matrix is symmetric, so each pair is scored once: a chunk of rows against itself and
    the rows after it. The chunk's rows give its papers their best among those rows; its columns
    give each later paper its best among the chunk's papers, kept until that paper's own chunk.
    A paper's k best are then the k best of its own chunk's and those kept for it.
    """
    n = matrix.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return np.full((n, max(k, 0)), -1, dtype=np.int64)
    keys = _PairKeys(n)
    dense_part, sparse_part = _split_frequent_terms(matrix)
    chunk = max(1, CHUNK_CELLS // n)
    kept: list[np.ndarray] = []  # sorted pair keys, for the rows of later chunks
    best = np.full((n, k), -1, dtype=np.int64)
    # one process, one BLAS thread: the build's other processes keep the machine's cores busy,
    # and each pair is computed once.
    with _one_blas_thread():
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            scores = dense_part[start:stop] @ dense_part[start:].T  # BLAS reads the transpose in place
            scores += (sparse_part[start:stop] @ sparse_part[start:].T).toarray()
            size = stop - start
            scores[np.arange(size), np.arange(size)] = -1.0  # never itself
            own = keys.offset(_best_keys(scores, k, keys), start, start)
            later = np.ascontiguousarray(scores[:, size:].T)
            kept.append(keys.offset(_best_keys(later, k, keys), stop, start))
            for number, part in enumerate(kept[:-1]):
                cut = np.searchsorted(part, keys.first_of_row(stop))
                own, kept[number] = np.concatenate((own, part[:cut])), part[cut:]
            keys.fill(best, _first_k(np.sort(own), k, keys))
    return best


class _PairKeys:
    """A candidate (row, column, score) packed into one int64 whose order is the ranking's: by row,
    then by score rounded to SCORE_DECIMALS, higher first, then by column. Sorting these is several
    times faster than a lexsort of the three columns.
    """

    POINTS = 1 << 21  # above any score's points (a cosine is at most 1, i.e. 10**SCORE_DECIMALS points)

    def __init__(self, n: int) -> None:
        self.column_bits = max(1, (n - 1).bit_length())
        self.row_shift = self.column_bits + self.POINTS.bit_length()
        if self.row_shift + self.column_bits > 63:
            raise ValueError(f"exact_neighbours: {n} rows are too many")

    def pack(self, rows: np.ndarray, columns: np.ndarray, scores: np.ndarray) -> np.ndarray:
        points = np.rint(scores.astype(np.float64) * 10.0**SCORE_DECIMALS).astype(np.int64)
        if len(points) and points.max() >= self.POINTS:
            raise ValueError("exact_neighbours: a score above 1, the rows are not normalised")
        positive = points > 0  # a pair that rounds to no similarity is never listed
        return ((rows[positive] << self.row_shift) | ((self.POINTS - points[positive]) << self.column_bits)
                | columns[positive])

    def offset(self, keys: np.ndarray, rows: int, columns: int) -> np.ndarray:
        return keys + ((rows << self.row_shift) + columns)

    def first_of_row(self, row: int) -> int:
        return row << self.row_shift

    def rows(self, keys: np.ndarray) -> np.ndarray:
        return keys >> self.row_shift

    def fill(self, table: np.ndarray, keys: np.ndarray) -> None:
        """Put sorted keys in ``table[row, rank]``: each row's columns, best first."""
        table[self.rows(keys), _ranks(self.rows(keys))] = keys & ((1 << self.column_bits) - 1)


def _ranks(rows: np.ndarray) -> np.ndarray:
    """Each entry's position among the entries of its row (``rows`` sorted)."""
    position = np.arange(len(rows))
    first = np.zeros(len(rows), dtype=np.int64)
    first[1:] = np.where(rows[1:] != rows[:-1], position[1:], 0)
    return position - np.maximum.accumulate(first)


def _first_k(keys: np.ndarray, k: int, layout: _PairKeys) -> np.ndarray:
    """Of sorted pair keys, each row's first ``k``."""
    return keys[_ranks(layout.rows(keys)) < k]


def _best_keys(scores: np.ndarray, k: int, layout: _PairKeys) -> np.ndarray:
    """Sorted pair keys of each row's ``k`` best positive scores in a block of the score matrix."""
    rows, width = scores.shape
    if rows == 0 or width == 0:
        return np.zeros(0, dtype=np.int64)
    block = max(1, min(_BLOCK, width // (2 * k)))  # narrow blocks (a chunk's columns): still 2k of them
    if -(-width // block) >= k:
        block_max = np.maximum.reduceat(scores, np.arange(0, width, block), axis=1)
        # k blocks each hold a score at least their maximum, so the k-th best block maximum
        # is a lower bound of the k-th best score: only scores above it can be chosen.
        floor = np.partition(block_max, block_max.shape[1] - k, axis=1)[:, block_max.shape[1] - k]
        floor = np.maximum(floor - 10.0**-SCORE_DECIMALS, np.finfo(scores.dtype).tiny)
    else:
        floor = np.full(rows, np.finfo(scores.dtype).tiny, dtype=scores.dtype)
    cells = np.flatnonzero(scores >= floor[:, None])
    row_of, column = np.divmod(cells, width)
    return _first_k(np.sort(layout.pack(row_of, column, scores.ravel()[cells])), k, layout)


@contextlib.contextmanager
def _one_blas_thread():
    """Limit numpy's bundled OpenBLAS to one thread; yields False where that is not possible."""
    setter = getter = None
    try:
        import ctypes

        libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
        for path in sorted(libs.glob("libscipy_openblas*.so")):
            lib = ctypes.CDLL(str(path))
            setter, getter = lib.scipy_openblas_set_num_threads64_, lib.scipy_openblas_get_num_threads64_
            break
    except (OSError, AttributeError):
        setter = None
    if setter is None:
        yield False
        return
    setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
    before = getter()
    setter(1)
    try:
        yield True
    finally:
        setter(before)


def _split_frequent_terms(matrix: sp.csr_matrix) -> tuple[np.ndarray, sp.csr_matrix]:
    """Split the columns: frequent terms as a dense array, the other terms in 2+ rows as sparse.

    A term in a single row scores nothing; it only counted towards that row's norm.
    """
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    frequent = np.flatnonzero((frequency > DENSE_SHARE * matrix.shape[0]) & (frequency >= 2))
    shared = frequency >= 2
    shared[frequent] = False
    dense = matrix[:, frequent].toarray().astype(np.float32)
    sparse = matrix[:, np.flatnonzero(shared)].tocsr()
    return np.ascontiguousarray(dense), sparse


def _tokens(texts: Sequence[tuple[str, str]]) -> list[bytes]:
    """Every word of every text, casefolded, UTF-8, with field and paper separators as tokens.

    A word is a run of word characters but "_" (the regular expression ``[^\\W_]+``). Splitting
    bytes on a translation table costs a fraction of that expression's ``findall``; it finds the
    same words in ASCII text, so the rare text with other characters is first rewritten as its
    words joined by spaces, which the table splits back into exactly those words.
    """
    parts: list[str] = []
    for title, abstract in texts:
        parts += (_plain_words(title), _FIELD_SPACED, _plain_words(abstract), _PAPER_SPACED)
    return "".join(parts).encode().translate(_WORD_BYTES).split()


def _plain_words(text: str) -> str:
    """The text casefolded, without URLs or separators; a text not all ASCII as its words only."""
    if not text.isascii():
        return " ".join(_WORD_RE.findall(_URL_RE.sub(" ", text.translate(_SEPARATORS)).casefold()))
    # the checks cost a fraction of the translation and the expression, which few texts need
    if _FIELD_END in text or _PAPER_END in text:
        text = text.translate(_SEPARATORS)
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    return text.lower()  # casefold() of ASCII, faster


def _is_term(token: str) -> bool:
    """A token that can carry meaning: two or more characters, not all digits, not a stop word."""
    return len(token) > 1 and not token.isdigit() and token not in STOPWORDS
