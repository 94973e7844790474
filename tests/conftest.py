"""Shared test fixtures: paths, and ../shared (the real corpus), which a stranger's clone lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "hf-daily"
SEEDS = SHARED / "seeds"


def require_shared(path: Path = SHARED) -> Path:
    """Skip the calling test, with the reason, when ../shared (CI's real data) is not beside the repo."""
    if not path.exists():
        pytest.skip(f"{path} is absent: real-corpus tests run only where ../shared sits beside the repo")
    return path


@pytest.fixture
def corpus() -> Path:
    return require_shared(CORPUS)
