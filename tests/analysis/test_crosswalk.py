"""One park against every bundled standard: the crosswalk view and the evidence behind qualitative items."""

from __future__ import annotations

import pytest

from parkrules.analysis.assess import assess_parks, compile_standards
from parkrules.model.result import RunResult
from tests.conftest import PARKS

REQUIRED_MEASURES = {"solid_waste_utilisation", "water_reuse", "renewable_and_clean_energy", "energy_intensity"}


def _run(catalog) -> RunResult:
    run = RunResult()
    # every pack's newest edition, but the green-park requirements of 2016, whose indicators the crosswalk names
    others = [p for p in catalog.pack_ids() if p != "cn-green-park" and catalog.resolve(p).kind != "method"]
    packs = [*others, "cn-green-park@2016"]
    plans = compile_standards(catalog, packs, run)
    assess_parks(catalog, plans, [PARKS / "green-valley.yaml"], None, run)
    assert run.errors == []
    return run


def test_crosswalk_entries_name_real_pack_indicators(catalog):
    measures = {m.id: m for m in catalog.vocabulary.crosswalk}
    assert measures.keys() >= REQUIRED_MEASURES
    for measure in measures.values():
        for pack_id, indicator_id in measure.indicators:  # in some edition of the pack
            editions = [catalog.resolve(f"{pack_id}@{version}") for version in catalog.versions(pack_id)]
            assert any(indicator_id in {i.id for i in pack.indicators} for pack in editions), (measure.id, pack_id)


def test_same_park_passes_one_standard_and_fails_another(catalog):
    run = _run(catalog)
    rows = {row.measure: row for row in run.crosswalk}
    assert rows.keys() >= REQUIRED_MEASURES
    solid = rows["solid_waste_utilisation"]
    by_pack = {entry.standard.split("@")[0]: entry for entry in solid.entries}
    assert by_pack["cn-national-zero-carbon-park"].status == "pass"  # 86 % ≥ 80 %
    assert by_pack["hj-274"].status == "pass"  # 86 % ≥ 70 %
    assert by_pack["cn-green-park"].status == "fail"  # 86 % < 95 %
    assert {entry.value for entry in solid.entries} == {86}
    assert [entry.threshold for entry in solid.entries] == [80, 70, 95]
    assert solid.disagree
    assert not rows["water_reuse"].disagree  # 92 % passes 80, 75 and 90


def test_energy_intensity_is_shown_in_both_directions(catalog):
    row = next(r for r in _run(catalog).crosswalk if r.measure == "energy_intensity")
    by_pack = {entry.standard.split("@")[0]: entry for entry in row.entries}
    per_va, productivity = by_pack["hj-274"].value, by_pack["cn-green-park"].value
    assert per_va * productivity == pytest.approx(1.0)  # 106 000 tce / 262 000 万元 and its inverse
    assert by_pack["hj-274"].operator == "<=" and by_pack["cn-green-park"].operator == ">="


def test_qualitative_items_carry_the_evidence_recorded_in_the_park_file(catalog):
    run = _run(catalog)
    hj = next(a for a in run.assessments if a.standard.id == "hj-274")
    facility = next(r for r in hj.indicators if r.id == "central_wastewater_facility")
    assert facility.value is True and facility.status == "pass"
    assert facility.evidence == ("central_wastewater_facility: 园区污水处理厂排污许可证及在线监测联网记录 (example)",)


def test_summary_matrix_and_crosswalk_in_the_terminal_report(catalog):
    from click.testing import CliRunner

    from parkrules.cli.cli import cli

    green = next(a for a in _run(catalog).assessments if a.standard.id == "cn-green-park")
    points = [r.points for r in green.indicators if r.points_possible is not None]
    assert len(points) == 31 and None not in points
    assert green.verdict.score.total == pytest.approx(100 * sum(points) / 31)
    chosen = ["cn-green-park@2016", "hj-274", "sd-near-zero-carbon-park", "cn-national-zero-carbon-park"]
    options = [part for pack in chosen for part in ("-s", pack)]
    result = CliRunner().invoke(cli, ["assess", str(PARKS / "green-valley.yaml"), *options, "--lang", "en"])
    assert "Crosswalk across standards" in result.output and "⚠ standards disagree" in result.output
    matrix = result.output[result.output.index("Summary") :]
    for pack in ("cn-green-park@2016", "hj-274@2015", "sd-near-zero-carbon-park@2023-trial"):
        assert pack in matrix
    assert f"{green.verdict.score.total:.1f}" in matrix  # the green index of the example park
