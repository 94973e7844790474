"""The whole data set (data/): a gzip JSON Lines file per year, its index, its JSON Schema; read back
and compared with the store."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import pytest

from paperarchive import dataset, storefile
from paperarchive.store import load_store
from sitefixtures import fixture_papers, fixture_taxonomy, make_context


def _valid(value, schema: dict, where: str = "record") -> None:
    """A check of the JSON Schema subset data/schema.json uses (type, pattern, minimum, properties,
    required, additionalProperties, items); raises AssertionError naming the place."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        python = {"string": str, "integer": int, "array": list, "object": dict, "null": type(None)}
        assert any(isinstance(value, python[k]) and not isinstance(value, bool) for k in kinds), f"{where}: {value!r} not {kinds}"
    if isinstance(value, str) and "pattern" in schema:
        assert re.search(schema["pattern"], value), f"{where}: {value!r} does not match {schema['pattern']}"
    if isinstance(value, int) and "minimum" in schema:
        assert value >= schema["minimum"], where
    if isinstance(value, dict):
        assert set(schema.get("required", ())) <= set(value), f"{where}: missing {set(schema['required']) - set(value)}"
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(schema["properties"]), f"{where}: extra {set(value) - set(schema['properties'])}"
        for key, item in value.items():
            _valid(item, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _valid(item, schema["items"], f"{where}[{i}]")


def _read_back(files: dict[str, bytes]) -> dict[str, dict]:
    index = json.loads(files["data/index.json"])
    records = {}
    for entry in index["files"]:
        data = files["data/" + entry["file"]]
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
        # JSON Lines end lines with "\n" only (a title may hold U+2028, which str.splitlines() splits on)
        lines = gzip.decompress(data).decode("utf-8").split("\n")
        assert lines.pop() == ""
        assert len(lines) == entry["papers"]
        for line in lines:
            rec = json.loads(line)
            assert dataset.year_of(_as_paper(rec)) == entry["year"]
            records[rec["id"]] = rec
    assert index["papers"] == len(records)
    return records


def _as_paper(rec: dict):
    stored = {k: v for k, v in rec.items() if k in storefile.FIELD_NAMES}
    stored["sources"] = [{k: v for k, v in s.items() if not (k == "rank" and v is None)} for s in rec["sources"]]
    return storefile.paper_from_dict(stored)


@pytest.fixture(scope="module")
def ctx():
    return make_context(fixture_papers(), fixture_taxonomy())


def test_files_read_back_equal_the_store(ctx):
    files = dataset.dataset_files(ctx.papers, ctx.topics_of)
    records = _read_back(files)
    assert sorted(records) == sorted(p.id for p in ctx.papers)
    for paper in ctx.papers:
        assert _as_paper(records[paper.id]) == paper
        assert records[paper.id]["topics"] == list(ctx.topics_of[paper.id])


def test_index_names_each_year_with_exact_counts(ctx):
    index = json.loads(dataset.dataset_files(ctx.papers, ctx.topics_of)["data/index.json"])
    years = {}
    for paper in ctx.papers:
        years[dataset.year_of(paper)] = years.get(dataset.year_of(paper), 0) + 1
    assert [(e["file"], e["papers"]) for e in index["files"]] == [
        (f"papers-{y}.jsonl.gz", n) for y, n in sorted(years.items(), key=lambda i: (i[0] == "undated", i[0]))]
    assert index["schema_version"] == dataset.SCHEMA_VERSION == index["schema_changes"][0]["version"]


def test_every_record_follows_the_schema_and_every_field_is_described(ctx):
    files = dataset.dataset_files(ctx.papers, ctx.topics_of)
    schema = json.loads(files["data/schema.json"])
    assert sorted(schema["properties"]) == sorted([*storefile.FIELD_NAMES, "topics"])
    assert all(p["description"] for p in schema["properties"].values())
    for rec in _read_back(files).values():
        _valid(rec, schema)
    with pytest.raises(AssertionError, match=r"record.upvotes: 'many' not \['integer', 'null'\]"):
        _valid({**next(iter(_read_back(files).values())), "upvotes": "many"}, schema)


def test_files_are_byte_identical_on_rebuild_and_gzip_has_no_time(ctx):
    one = dataset.dataset_files(ctx.papers, ctx.topics_of)
    two = dataset.dataset_files(list(reversed(ctx.papers)), dict(ctx.topics_of))
    assert one == two
    for path, data in one.items():
        if path.endswith(".gz"):
            assert data[4:8] == b"\0\0\0\0" and data[3] & 0x08 == 0  # mtime 0, no file name


def test_built_site_holds_the_data_set(featured_site, featured_store):
    files = {f"data/{p.name}": p.read_bytes() for p in (featured_site / "data").iterdir()}
    records = _read_back(files)
    store = load_store(featured_store).papers
    assert sorted(records) == sorted(store)
    for pid, paper in store.items():
        assert _as_paper(records[pid]) == paper
    assert records["v-reasonbench-toward-unified-reasoning-benchmark-suite-for-video-generation"]["ai_summary"] == (
        "V-ReasonBench evaluates generative video models.")
