"""Records as Arrow tables, for Parquet output: the same fields as a JSONL record, with fixed types.

A schema is fixed up front (not inferred from the first batch) so every batch of a run, and every
part of a Dask run, has the same columns and types, even when a batch happens to have no markers.
pyarrow is imported here only; it comes with the `parquet` (and `dask`) extra.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cleaner.errors import UsageError

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - exercised only without the extra
    pa = pq = None  # type: ignore[assignment]

NEEDS_PYARROW = "Parquet needs pyarrow: pip install 'cleaner[parquet]'"


def require_pyarrow() -> None:
    """Raise a UsageError naming the extra to install when pyarrow is missing."""
    if pa is None:
        raise UsageError(NEEDS_PYARROW)


@cache
def schema(annotated: bool) -> Any:
    """The Arrow schema of cleaned (or annotated) records, field for field as `Document.to_record`."""
    require_pyarrow()
    string, integer, number = pa.string(), pa.int64(), pa.float64()
    removal = pa.struct(
        [("rule", string), ("category", string), ("start", integer), ("end", integer), ("text", string)]
    )
    fields = [
        ("id", string), ("source", string), ("outlet", string), ("lang", string), ("title", string),
        ("date", string), ("text", string), ("removed", pa.list_(removal)),
    ]  # fmt: skip
    if annotated:
        marker_fields = [
            ("axis", string), ("variant", string), ("text", string), ("start", integer), ("end", integer),
            ("voice", string), ("speaker", string),
        ]  # fmt: skip
        marker = pa.struct(marker_fields)
        feature = pa.struct([("feature", string), ("push", number)])
        evidence = pa.struct(
            [
                ("sentence", string), ("score", number), ("voice", string), ("start", integer), ("end", integer),
                ("features", pa.list_(feature)),
            ]
        )  # fmt: skip
        entity_fields = [
            ("entity", string), ("type", string), ("mentions", integer), ("sentiment", number),
            ("narrative", number), ("quoted", number), ("evidence", pa.list_(evidence)),
        ]  # fmt: skip
        entity = pa.struct(entity_fields)
        fields += [("markers", pa.list_(marker)), ("entities", pa.list_(entity))]
    return pa.schema(fields)


def to_batch(records: list[dict[str, Any]], annotated: bool) -> Any:
    """A RecordBatch of records (it pickles compactly, so workers build it and the writer only writes)."""
    return pa.RecordBatch.from_pylist(records, schema=schema(annotated))
