"""Reading inputs (text, HTML, JSONL, Parquet, gzip) and writing records (JSONL, Parquet, checkpoints)."""
