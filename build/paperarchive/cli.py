"""The `paperarchive` command: each subcommand parses its options and calls one stage function."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXAMPLES = {
    "parse": "example: paperarchive parse content/listings/*.txt > records.jsonl",
    "ingest": "example: paperarchive ingest content/listings/*.txt",
    "generate": "example: paperarchive generate --out generated/docs",
    "build": "Pages are rendered by one process per CPU; PAPERARCHIVE_JOBS=N sets how many (1: no process forked).\n\n"
             "example: paperarchive build && python3 -m http.server -d site",
    "serve": "example: paperarchive serve --dev-addr 127.0.0.1:8000",
    "search": 'example: paperarchive search "diffusion transformer" --json',
    "fetch": "Default range: from the newest day already in the store (re-fetching it and the two days before it,\n"
             "since HF adds papers and upvotes during a day) to today (UTC). HF_TOKEN, when set, is sent as a bearer token.\n\n"
             "example: paperarchive fetch --since 2025-11-01",
}


def _command(sub, name: str, help_text: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help_text,
        description=f"{help_text}\n\n{EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperarchive",
        description="Build a static archive of Hugging Face Daily Papers listings.",
        epilog="\n".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _command(sub, "parse", "Parse listing pages and print one JSON record per paper (JSON Lines).")
    p.add_argument("files", nargs="+", type=Path, help="listing pages (plain text)")
    p.add_argument("--listed-on", metavar="YYYY-MM-DD", help="the listing's date, when its file name has none")
    p.set_defaults(func=_parse)

    p = _command(sub, "ingest", "Merge listing pages (or HF API JSON files) into the store in content/papers/.")
    p.add_argument("files", nargs="+", type=Path, help="listing pages or daily_papers API JSON files")
    p.add_argument("--store", type=Path, default=Path("content/papers"), help="store folder (default: content/papers)")
    p.add_argument("--listed-on", metavar="YYYY-MM-DD", help="the listing's date, when its file name has none")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=_ingest)

    p = _command(sub, "generate", "Write the site's Markdown pages from the store (no MkDocs run).")
    _site_options(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: the docs_dir of mkdocs.yml)")
    p.set_defaults(func=_generate)

    p = _command(sub, "build", "Generate the pages and render the site into site/ with MkDocs + Material.")
    _site_options(p)
    p.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=_build)

    p = _command(sub, "serve", "Preview the site with live reload.")
    _site_options(p)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    p.set_defaults(func=_serve)

    p = _command(sub, "search", "Search the archive's papers from the terminal, as the site's search page does.")
    p.add_argument("query", help='words to look for; "quoted words" must appear as a phrase')
    p.add_argument("--store", type=Path, default=Path("content/papers"), help="store folder (default: content/papers)")
    p.add_argument("--limit", type=int, default=10, help="at most this many results (default: 10)")
    p.add_argument("--json", action="store_true", help="print results as JSON Lines")
    p.add_argument("--literal", action="store_true", help="no typo correction: search the words as typed")
    p.add_argument("--engine", choices=("index", "lunr"), default="index",
                   help="index: the site's own engine and index (default); "
                        "lunr: lunr.py (its query syntax: title:x, +must, -not)")
    p.set_defaults(func=_search)

    p = _command(sub, "fetch", "Save Hugging Face daily_papers API days into content/api/ and ingest them.")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", metavar="YYYY-MM-DD", help="fetch this one day")
    when.add_argument("--since", metavar="YYYY-MM-DD", help="fetch from this day (to --until, default today)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="the last day to fetch (default: today, UTC)")
    p.add_argument("--api-url", default="https://huggingface.co", help="the API's address (default: https://huggingface.co)")
    p.add_argument("--out", type=Path, default=Path("content/api"), help="where the days are saved (default: content/api)")
    p.add_argument("--store", type=Path, default=Path("content/papers"), help="store folder (default: content/papers)")
    p.add_argument("--no-ingest", dest="ingest", action="store_false", help="save the days without ingesting them")
    p.set_defaults(func=_fetch)
    return parser


def _site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs config (default: mkdocs.yml)")
    p.add_argument("--store", type=Path, default=Path("content/papers"), help="store folder (default: content/papers)")


def _parse(args) -> int:
    from . import parse

    return parse.print_records(args.files, listed_on=args.listed_on, out=sys.stdout, err=sys.stderr)


def _ingest(args) -> int:
    from . import ingest

    return ingest.ingest_files(args.files, store=args.store, listed_on=args.listed_on, strict=args.strict)


def _generate(args) -> int:
    from . import site

    return site.generate_only(config=args.config, store=args.store, out=args.out)


def _build(args) -> int:
    from . import site

    return site.build(config=args.config, store=args.store, site_dir=args.site_dir, strict=args.strict)


def _serve(args) -> int:
    from . import site

    return site.serve(config=args.config, store=args.store, dev_addr=args.dev_addr)


def _search(args) -> int:
    from . import search

    return search.search_command(args.query, store=args.store, limit=args.limit, as_json=args.json,
                                 engine=args.engine, literal=args.literal)


def _fetch(args) -> int:
    from . import fetch

    return fetch.fetch_command(args.date, args.since, args.until, api_url=args.api_url, out=args.out,
                               store=args.store, ingest=args.ingest)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
