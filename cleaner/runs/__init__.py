"""Running the stages over many inputs: in order, in worker processes, or on a Dask cluster."""
