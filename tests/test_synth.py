"""benchmarks/synth.py: synthetic listings for the scale runs parse back, one paper each, shaped like the real ones."""

from __future__ import annotations

import importlib.util
import statistics

from conftest import ROOT
from paperarchive import parse
from paperarchive.records import fold_title

spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
synth = importlib.util.module_from_spec(spec)
spec.loader.exec_module(synth)


def test_synthetic_listings_parse_back_to_distinct_papers_of_real_length(tmp_path):
    listings = synth.synthesize(300, seed=1)
    synth.write_listings(listings, tmp_path)
    parsed = [e for path in sorted(tmp_path.glob("*.txt")) for e in parse.read_listing(path).entries]
    made = [e for entries in listings.values() for e in entries]
    assert len(parsed) == len(made) == 300
    assert [(e.title, e.abstract, e.listed) for e in parsed] == [(e.title, e.abstract, e.listed) for e in made]
    assert len({fold_title(e.title) for e in parsed}) == len({e.abstract for e in parsed}) == 300
    real = synth.real_entries()
    for field in ("title", "abstract"):
        made_mean = statistics.mean(len(getattr(e, field)) for e in made)
        real_mean = statistics.mean(len(getattr(e, field)) for e in real)
        assert abs(made_mean - real_mean) / real_mean < 0.05, (field, made_mean, real_mean)


def test_the_same_seed_gives_the_same_listings():
    assert synth.synthesize(50, seed=3) == synth.synthesize(50, seed=3)
