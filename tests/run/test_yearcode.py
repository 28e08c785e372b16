"""The generated park-year functions: what is in their scope, and factors read as constants or by name alike."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkrules.formula import formula
from parkrules.io.frame import Frame, from_parks
from parkrules.io.park import load_park
from parkrules.model.catalog import Catalog
from parkrules.model.plan import compile_plan
from parkrules.run import rowwise, yearcode
from parkrules.run.evaluate import Context
from parkrules.run.fastplan import compile_fast
from tests.conftest import PARKS, STANDARDS
from tests.run.test_batch import _differences, _evaluator_block, changed_facts

# what a generated function may find in its scope: the allow-list's functions, the bounded power, the helpers,
# the plan's items, and the two names its own statements use
_SCOPE = {*formula.FUNCTIONS, "_power", *yearcode.HELPERS, "_D", "_I", "_FAILED", "float", "Exception", "year"}


def test_a_year_function_sees_no_builtins_and_nothing_beyond_the_allow_list(bundled):
    _, plans, _ = bundled
    for plan in plans:
        fast = compile_fast(plan)
        for function in (fast.by_table, fast.by_name):
            scope = function.__globals__
            assert scope["__builtins__"] == {}, plan.pack.ref
            assert set(scope) - {"__builtins__"} == _SCOPE, plan.pack.ref


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_factors_as_constants_and_read_by_name_give_the_same_cells(bundled, data):
    """The table's factors written into the function, or read from each year's values as a park with its own
    factors reads them: the same cells, bit for bit, with facts missing, zero or given at random."""
    catalog, plans, frame = bundled
    facts = changed_facts(data, catalog, frame)
    changed = Frame(frame.park, frame.year, facts, frame.exclusions, frame.overrides, frame.files)
    plan = data.draw(st.sampled_from([plan for plan in plans if plan.indicators]))
    fast = compile_fast(plan)
    assert fast.factors_later  # the bundled packs read every factor plainly
    by_name = dataclasses.replace(fast, by_table=fast.by_name, factors_later=False)
    cells = [_cells(each, changed, catalog) for each in (fast, by_name)]
    assert repr(cells[0]) == repr(cells[1])  # repr: NaN equals NaN, and -0.0 differs from 0.0


def _cells(fast, frame: Frame, catalog: Catalog) -> list:
    rows = rowwise.ResultRows(len(fast.indicators))
    index = frame.row_index()
    for park in frame.parks(catalog.vocabulary.facts).values():
        rowwise.evaluate_park(fast, park, Context(), rows, index)
    return rows.cells


def test_a_factor_read_in_another_year_is_read_by_name(tmp_path):
    """prev(factor) reads the factor from last year's values, which then must hold it: such a pack's function
    reads every factor by name, and gives what the evaluator gives."""
    standards = tmp_path / "standards"
    shutil.copytree(STANDARDS, standards)
    accounting = standards / "cn-park-carbon-accounting" / "2025.07-trial.yaml"
    text = accounting.read_text(encoding="utf-8")
    old = "formula: elec_consumption_kwh * tce_elec_equivalent"  # energy, read by the national indicators
    assert old in text
    accounting.write_text(text.replace(old, f"{old.removesuffix('tce_elec_equivalent')}prev(tce_elec_equivalent)"))
    catalog = Catalog(standards)
    plan = compile_plan(catalog, catalog.resolve("cn-national-zero-carbon-park"))
    fast = compile_fast(plan)
    assert not fast.factors_later
    parks = [load_park(path, catalog.vocabulary)[0] for path in sorted(PARKS.glob("*.yaml"))]
    frame = from_parks(parks, catalog.vocabulary.facts)
    block = rowwise.evaluate_parks(fast, frame, catalog.vocabulary, Context())
    reference = _evaluator_block(plan, frame, catalog, Context())
    assert (reference.status == 0).any()  # some park-years computed with last year's factor and passed
    assert _differences(block, reference, np.ones(len(frame), bool)) == []
