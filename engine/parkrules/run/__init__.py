"""The engines: the evaluator for one park, the columnar engine and the per-park path for batches, and batch input
and output."""
