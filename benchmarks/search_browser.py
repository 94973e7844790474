"""Search in the reader's browser, measured: the archive's engine (its own static index) vs Material's default search.

Prints, per engine and archive size, in headless Chromium on 127.0.0.1 (site under /paperarchive/,
text files served gzip-compressed as GitHub Pages does):

  first   median ms from the last keystroke of a query typed on a cold page (fresh browser context,
          empty cache) to its results on screen (median of --runs); +typing: from the first keystroke
  KB      bytes the search itself transferred until those first results (archive: search-index/* and
          the api/papers/*.json documents shown; Material: search_index.json and its worker), median,
          compressed as sent
  MB      renderer memory after the second query, max over runs: RSS of the page's renderer process,
          and its private part (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup, what the page
          itself allocated; RSS also counts Chromium's shared code and data); "idle" is the same
          page's RSS before the first keystroke (what the page costs without any search)
  next    median ms for a further query typed in the same page

Archives: the 9,877 real papers of ../shared/corpus/hf-daily (topics from content/topics.yml when the
topics stage is present), and a deterministic synthetic archive (default 50,000 papers) recombining
corpus titles and sentences. The archive engine's page is a real page of the built site (mkdocs.yml
and the theme, a handful of papers) whose search-index/ is replaced by the N-paper index written by
search.write_index, beside the N papers' api/papers/*.json documents; Material's is a bare MkDocs + Material site of N paper pages with its search
plugin on (built by `mkdocs build`, so only at --material-sizes; its in-browser index build makes
larger sizes impractical).

    python3 benchmarks/search_browser.py                      # real corpus + 50,000 synthetic
    python3 benchmarks/search_browser.py --synthetic 20000 --material-sizes 1000 --runs 3
    python3 benchmarks/search_browser.py --index-only          # indexing time and memory, 10k and 50k

Material's figures take minutes to re-measure (its index is built in the browser): with
--material-sizes '' they are not re-measured, and the table shows the last measured ones, marked so.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "build"))

import browser as harness  # noqa: E402  (tests/browser.py: the shared server and Chromium launcher)
from paperarchive import api, search  # noqa: E402
from paperarchive.records import Paper, slug_for_title  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily" / "expected.jsonl"
FIRST_QUERY = "diffusion transformer"
NEXT_QUERY = "reinforcement learning reasoning"
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "image/svg")

# ---------------------------------------------------------------- archives


def corpus_rows() -> list[dict]:
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: this benchmark needs ../shared/corpus beside the repo")
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def unique_ids(titles: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for title in titles:
        slug = slug_for_title(title)
        n = seen.get(slug, 0) + 1
        seen[slug] = n
        ids.append(slug if n == 1 else f"{slug}-{n}")
    return ids


def real_papers(rows: list[dict]) -> list[Paper]:
    ids = unique_ids([row["title"] for row in rows])
    return [
        Paper(
            id=pid,
            title=row["title"],
            abstract=row["abstract"],
            published=date.fromisoformat(row["published"]) if row["published"] else None,
            organization=row["organization"],
        )
        for pid, row in zip(ids, rows)
    ]


def synthetic_papers(rows: list[dict], count: int, seed: int = 20250101) -> list[Paper]:
    """Papers shaped like the corpus: recombined title halves and abstract sentences, spread dates."""
    rng = random.Random(seed)
    heads, tails, sentences, orgs = [], [], [], []
    for row in rows:
        head, sep, tail = row["title"].partition(": ")
        heads.append(head if sep else row["title"])
        if sep:
            tails.append(tail)
        sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", row["abstract"]) if len(s) > 20)
        if row["organization"]:
            orgs.append(row["organization"])
    start = date(2023, 1, 1)
    titles, papers = [], []
    for _ in range(count):
        titles.append(f"{rng.choice(heads)}: {rng.choice(tails)}" if rng.random() < 0.7 else rng.choice(tails))
    for pid, title in zip(unique_ids(titles), titles):
        abstract = " ".join(rng.choice(sentences) for _ in range(rng.randint(5, 10)))
        papers.append(
            Paper(
                id=pid,
                title=title,
                abstract=abstract,
                published=start + timedelta(days=rng.randrange(1500)),
                organization=rng.choice(orgs) if rng.random() < 0.5 else None,
            )
        )
    return papers


def topics_for(papers: list[Paper]) -> dict[str, tuple[str, ...]]:
    try:
        from paperarchive import topics
    except ImportError:
        print("(topics stage absent: benchmark archives have no topics)", file=sys.stderr)
        return {}
    taxonomy = topics.load_taxonomy(ROOT / "content" / "topics.yml")
    by_id = {t.id: t.name for t in taxonomy.topics} if hasattr(taxonomy, "topics") else {}
    result = {}
    for paper in papers:
        assigned = taxonomy.assign(paper.title, paper.abstract)
        result[paper.id] = tuple(by_id.get(getattr(t, "id", t), getattr(t, "name", str(t))) for t in assigned)
    return result


# ---------------------------------------------------------------- sites


def archive_site(papers: list[Paper], topics_of, workdir: Path) -> tuple[Path, float, int]:
    """A real page of the built site, the N papers' API documents and index; (site, index seconds, index KB)."""
    from paperarchive import site

    config = ROOT / "mkdocs.yml"
    taxonomy = site.load_taxonomy_for(config)
    site.build_site(config, papers[:5], taxonomy, site_dir=workdir / "site", err=open(os.devnull, "w"))
    for paper in papers:  # the result "fragments": what site.write_extras writes for every paper
        topics = [slug_for_title(name) for name in topics_of.get(paper.id, ())]  # topic ids
        api.write_json(workdir / "site" / api.paper_path(paper.id), api.paper_document(paper, topics))
    start = time.perf_counter()
    search.write_index(workdir / "site", papers, topics_of)
    seconds = time.perf_counter() - start
    size = sum(f.stat().st_size for f in (workdir / "site" / search.INDEX_DIR).rglob("*") if f.is_file())
    return workdir / "site", seconds, size // 1024


def index_cost(papers: list[Paper], topics_of, workdir: Path) -> dict:
    """write_index alone: seconds (median of 3), then its peak traced memory (one more run, traced)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        search.write_index(workdir, papers, topics_of)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    search.write_index(workdir, papers, topics_of)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    files = [f for f in (workdir / search.INDEX_DIR).rglob("*") if f.is_file()]
    size = sum(f.stat().st_size for f in files)
    text = sum(len(p.title) + len(p.abstract) + len(p.organization or "") + sum(map(len, p.authors)) for p in papers)
    shutil.rmtree(workdir / search.INDEX_DIR)
    return {"papers": len(papers), "seconds": statistics.median(times), "peak_mb": peak / 2**20,
            "text_mb": text / 2**20, "files": len(files), "bytes_per_paper": size / len(papers)}


def material_site(papers: list[Paper], workdir: Path) -> tuple[Path, float]:
    """A bare MkDocs + Material site of the paper pages with Material's own search plugin on."""
    docs = workdir / "docs"
    (docs / "papers").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Papers\n\nMaterial's default search over the paper pages.\n")
    for paper in papers:
        # the same text the archive indexes: title, abstract, organization
        body = f"# {_md(paper.title)}\n\n{paper.published or ''}\n\n{_md(paper.abstract)}\n\n{_md(paper.organization or '')}\n"
        (docs / "papers" / f"{paper.id}.md").write_text(body, encoding="utf-8")
    (workdir / "mkdocs.yml").write_text(
        "site_name: Material default search\nsite_url: http://127.0.0.1/paperarchive/\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"
        "plugins: [search]\nnav: [index.md]\nnot_in_nav: /papers/\n",
        encoding="utf-8",
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(workdir / "mkdocs.yml")],
                   check=True, cwd=workdir)
    return workdir / "site", time.perf_counter() - start


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|-])", r"\\\1", text)


# ---------------------------------------------------------------- serving (gzip, byte accounting)


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent


LEDGER = Ledger()
_GZ_CACHE: dict[tuple[str, int], bytes] = {}


class GzipHandler(harness._SiteHandler):
    def _send(self, status, body, kind, send_body):
        path = self.path
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts and kind.startswith(COMPRESSIBLE) and len(body) > 512:
            key = (path, len(body))
            if key not in _GZ_CACHE:
                _GZ_CACHE[key] = gzip.compress(body, 6)
            body = _GZ_CACHE[key]
            self.send_response(status)
            self.send_header("Content-Encoding", "gzip")
        else:
            self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if send_body:
            self.wfile.write(body)
            LEDGER.add(path, len(body))


def serve(root: Path):
    handler = type("Handler", (GzipHandler,), {"root": root, "prefix": harness.PREFIX})
    server = harness._QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{harness.PREFIX}"


# ---------------------------------------------------------------- measuring in Chromium

ARCHIVE = {
    "open": None,
    "input": "[data-pa-search-input]",
    "watch": """q => new Promise(resolve => addEventListener('pa-search:results', function f(e) {
                  if (e.detail.query === q) { removeEventListener('pa-search:results', f);
                    resolve(performance.now()); } }))""",
    "is_search": lambda path: f"/{search.INDEX_DIR}/" in path or "/api/papers/" in path,
}
MATERIAL = {
    "open": None,  # at the default 1280 px viewport Material's search input is in the header
    "input": "input.md-search__input",
    "watch": """q => new Promise(resolve => { const list = document.querySelector('.md-search-result__list');
                  const input = document.querySelector('.md-search__input');
                  const check = () => { if (input.value === q && list.querySelector('li')) {
                    obs.disconnect(); resolve(performance.now()); return true; } return false; };
                  const obs = new MutationObserver(check); obs.observe(list, {childList: true, subtree: true});
                  check(); })""",
    "is_search": lambda path: "search_index.json" in path or "/workers/search" in path,
}


def renderer_memory_mb(browser_pid_hint: set[int]) -> tuple[float, float]:
    """(RSS, private) of the largest Chromium renderer started since the hint (our page's renderer)."""
    best = (0, 0)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) in browser_pid_hint:
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            if b"chromium" not in cmdline or b"--type=renderer" not in cmdline:
                continue
            fields = {}
            for line in (proc / "smaps_rollup").read_text().splitlines()[1:]:
                name, value = line.split(":", 1)
                fields[name] = int(value.split()[0])
            best = max(best, (fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]))
        except (OSError, ValueError, KeyError):
            continue
    return best[0] / 1024, best[1] / 1024


def existing_pids() -> set[int]:
    return {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()}


def one_run(browser, base: str, engine: dict) -> dict:
    context = browser.new_context(service_workers="block")
    before = existing_pids()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        LEDGER.take()
        page.goto(base, wait_until="load")
        idle_rss, _ = renderer_memory_mb(before)
        page.evaluate("addEventListener('keyup', () => { window.__lastKey = performance.now(); }, true)")
        if engine["open"]:
            page.click(engine["open"])
        page.focus(engine["input"])
        timings = []
        for n, query in enumerate((FIRST_QUERY, NEXT_QUERY)):
            if n:
                page.fill(engine["input"], "")
                page.wait_for_timeout(300)
            page.evaluate(f"window.__done = ({engine['watch']})({json.dumps(query)}); window.__t0 = performance.now()")
            page.keyboard.type(query)
            end = page.evaluate("window.__done")
            timings.append((end - page.evaluate("window.__t0"), end - page.evaluate("window.__lastKey")))
            if n == 0:
                sent = LEDGER.take()
        rss, private = renderer_memory_mb(before)
        if errors:
            raise RuntimeError(f"page errors: {errors}")
        return {
            "first_ms": timings[0][1],
            "first_typing_ms": timings[0][0],
            "next_ms": timings[1][1],
            "search_kb": sum(size for path, size in sent if engine["is_search"](path)) / 1024,
            "all_kb": sum(size for _, size in sent) / 1024,
            "rss_mb": rss,
            "private_mb": private,
            "idle_rss_mb": idle_rss,
        }
    finally:
        context.close()


def measure(site: Path, engine: dict, runs: int) -> dict:
    server, base = serve(site)
    try:
        with harness.chromium() as browser:
            one_run(browser, base, engine)  # warm the server's gzip cache and the OS file cache, not the browser
            results = [one_run(browser, base, engine) for _ in range(runs)]
    finally:
        server.shutdown()
        server.server_close()
    return {
        "first_ms": statistics.median(r["first_ms"] for r in results),
        "first_all": [round(r["first_ms"]) for r in results],
        "first_typing_ms": statistics.median(r["first_typing_ms"] for r in results),
        "next_ms": statistics.median(r["next_ms"] for r in results),
        "search_kb": statistics.median(r["search_kb"] for r in results),
        "all_kb": statistics.median(r["all_kb"] for r in results),
        "rss_mb": max(r["rss_mb"] for r in results),
        "private_mb": max(r["private_mb"] for r in results),
        "idle_rss_mb": max(r["idle_rss_mb"] for r in results),
    }


# Material's default search, last measured by this script on 2 loaded cores, shown when not re-measured:
# 1,000 papers re-measured on 2026-11-21 with this version (--material-sizes 1000); 9,877 measured
# earlier the same day by the previous version of this script (same method, RSS only).
MATERIAL_MEASURED = (
    (1000, {"first_ms": 710, "search_kb": 488, "rss_mb": 368, "private_mb": 231, "next_ms": 22}),
    (9877, {"first_ms": 9272, "search_kb": 5054, "rss_mb": 802, "private_mb": None, "next_ms": None}),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=50_000, help="synthetic archive size (0: skip)")
    parser.add_argument("--material-sizes", default="1000,real", help="sizes for Material's search ('' to skip)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the built sites here")
    parser.add_argument("--index-only", action="store_true", help="only time write_index and trace its memory")
    args = parser.parse_args()

    rows = corpus_rows()
    real = real_papers(rows)
    archives = {"real": real}
    if args.synthetic:
        archives[f"{args.synthetic}"] = synthetic_papers(rows, args.synthetic)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    if args.index_only:
        print(f"{'papers':>7} {'seconds':>8} {'peak MB':>8} {'text MB':>8} {'files':>6} {'B/paper':>8}")
        for label, papers in archives.items():
            topics_of = topics_for(papers) if label == "real" else {}
            r = index_cost(papers, topics_of, workdir / f"index-{label}")
            print(f"{r['papers']:>7} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} {r['text_mb']:>8.1f} {r['files']:>6} "
                  f"{r['bytes_per_paper']:>8.0f}", flush=True)
        print("seconds: median of 3 write_index runs; peak MB: tracemalloc peak of one more run; "
              "text MB: the papers' own text (title, abstract, authors, organization)")
        return 0
    table = []
    for label, papers in archives.items():
        topics_of = topics_for(papers) if label == "real" else {}
        site, seconds, index_kb = archive_site(papers, topics_of, workdir / f"archive-{label}")
        print(f"archive {label}: {len(papers)} papers, index {seconds:.1f} s, {index_kb} KB on disk "
              f"({index_kb * 1024 / len(papers):.0f} B/paper)", flush=True)
        table.append(("archive (own index)", len(papers), measure(site, ARCHIVE, args.runs)))
        print(table[-1], flush=True)
    sizes = list(filter(None, args.material_sizes.split(",")))
    for size in sizes:
        papers = real if size == "real" else real[: int(size)]
        site, seconds = material_site(papers, workdir / f"material-{size}")
        print(f"material {len(papers)}: mkdocs build {seconds:.1f} s", flush=True)
        table.append(("Material default", len(papers), measure(site, MATERIAL, args.runs)))
        print(table[-1], flush=True)

    print()
    print(f"queries: first {FIRST_QUERY!r}, next {NEXT_QUERY!r}; {args.runs} cold runs each; sites in {workdir}")
    print(f"{'engine':<20} {'papers':>7} {'first ms':>9} {'+typing':>8} {'search KB':>10} {'page KB':>8} {'RSS MB':>7} "
          f"{'private':>8} {'idle RSS':>9} {'next ms':>8}  first (each run)")
    for name, count, r in table:
        print(f"{name:<20} {count:>7} {r['first_ms']:>9.0f} {r['first_typing_ms']:>8.0f} {r['search_kb']:>10.0f} "
              f"{r['all_kb']:>8.0f} {r['rss_mb']:>7.0f} {r['private_mb']:>8.0f} {r['idle_rss_mb']:>9.0f} "
              f"{r['next_ms']:>8.0f}  {r['first_all']}")
    if not sizes:
        for count, r in MATERIAL_MEASURED:
            print(f"{'Material default *':<20} {count:>7} {r['first_ms']:>9} {'':>8} {r['search_kb']:>10} "
                  f"{'':>8} {r['rss_mb']:>7} {r['private_mb'] or '':>8} {'':>9} {r['next_ms'] or '':>8}")
        print("* measured earlier by this script, not re-measured in this run (--material-sizes 1000,real to do so)")
    print("first ms: last keystroke -> results; +typing: first keystroke -> results (Playwright types without delay)")
    print("budget (issue 4): first <= 300 ms, search KB <= 300, renderer <= 150 MB, next <= 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
