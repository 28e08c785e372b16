"""Reading park-years for a batch run, streamed as frames so memory stays flat however many parks there are.

Inputs: park files (YAML, JSON, Excel, the one-fact-per-row CSV) and folders of them, and
park-year tables (CSV or Parquet with one row per park-year, read by `tableread.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from parkrules.io.frame import Frame, from_parks
from parkrules.io.park import Park, load_park
from parkrules.io.parkio import PARK_SUFFIXES, is_park_table
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.parkcheck import KnownIds
from parkrules.run.tablecells import ErrorSink, error_record
from parkrules.run.tableread import ParkTable, dataset_files


def batch_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder of Parquet files in partition folders (`region=north/part-0.parquet`) is one table
    (a dataset); other folders become their park files and park-year tables, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and not dataset_files(path):
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (*PARK_SUFFIXES, ".parquet")))
        else:
            files.append(path)
    return files


def read_frames(
    paths: list[Path],
    vocabulary: Vocabulary,
    known: KnownIds,
    chunk_rows: int,
    on_error: ErrorSink,
    on_warning: ErrorSink | None = None,
) -> Iterator[Frame]:
    """Frames of about `chunk_rows` park-years from every input; bad rows and files go to `on_error`, and so does
    what a park names that the run does not know (`known`): a park file's park is then left out, a table's
    column skipped, as in one-park runs and as for unknown fact columns."""
    parks: list[Park] = []
    held = 0
    for path in paths:
        if not path.is_file() and not path.is_dir():
            on_error(error_record(f"{path} does not exist", str(path)))
            continue
        if path.is_dir() or is_park_table(path):
            if parks:
                yield from_parks(parks, vocabulary.facts)
                parks, held = [], 0
            yield from ParkTable(path, vocabulary, known, chunk_rows, on_error).frames()
            continue
        park, errors = load_park(path, vocabulary, known.catalog.factor_table)
        if park is not None:
            errors = known.park_errors(park)
        for error in errors:
            on_error({**error.to_dict(), "park": park.id if park else None})
        if park is None or errors:
            continue
        if on_warning is not None:
            for warning in known.park_warnings(park):
                on_warning({**warning.to_dict(), "park": park.id})
        parks.append(park)
        held += len(park.years)
        if held >= chunk_rows:
            yield from_parks(parks, vocabulary.facts)
            parks, held = [], 0
    if parks:
        yield from_parks(parks, vocabulary.facts)
