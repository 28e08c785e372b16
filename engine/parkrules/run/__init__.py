"""The engines: the evaluator for one park, the columnar engine and the per-park path for batches, and batch input
and output."""

# park-years per chunk of a batch run: memory is set by the chunk (the bundled packs on 100 000 park-years: 1.08 GB
# at 20 000, 0.78 GB at 10 000, 0.64 GB at 5 000), and 10 000 was as fast as 20 000 (bench/README.md)
CHUNK_ROWS = 10_000
