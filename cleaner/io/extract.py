"""Main-text extraction from HTML with trafilatura, keeping the metadata a record carries."""

from __future__ import annotations

from typing import Any

import trafilatura


def extract_html(html: bytes | str) -> dict[str, Any] | None:
    """The article's main text (comments excluded) with title, date, sitename and url; None if there is none."""
    result = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    if result is None:
        return None
    text = (result.text or "").replace("\r\n", "\n")
    if not text.strip():
        return None
    return {
        "text": text,
        "title": result.title or None,
        "date": result.date or None,
        "sitename": result.sitename or None,
        "url": result.url or None,
    }
