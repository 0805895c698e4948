"""Paths and seed helpers shared by the tests (imported as `helpers`: tests/ is on sys.path)."""

from __future__ import annotations

from pathlib import Path

from cleaner import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def seed_doc(prefix: str, outlet: str | None = None) -> Document:
    return Document(text=seed_text(prefix), id=prefix, outlet=outlet, lang="en")
