"""`parkrules new-pack`: a pack folder that lints and tests green from the first minute.

The example indicator's threshold is a placeholder marked `provisional` and `TODO`, so lint warns
(PR152) until the author replaces it with the standard's value and clause.
"""

from __future__ import annotations

import re
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError
from parkrules.io import outfile, schema

_ID = re.compile(r"^[a-z][a-z0-9-]*$")

_PACK = """\
# yaml-language-server: $schema=../schemas/pack-1.json
# {pack_id} {version}: written with `parkrules new-pack`. Replace every TODO with the standard's own text;
# `parkrules lint --strict` fails until none is left.
id: {pack_id}
version: "{version}"
kind: standard
title: {{zh: TODO 标准名称, en: TODO title of the standard}}
issuer: {{zh: TODO 发布机构, en: TODO issuing body}}
document: TODO document number
dates: {{}}
status: provisional
sources:
  official-text:
    title: TODO where the official text was read
indicators:
  - id: renewable_energy_share
    name: {{zh: 可再生能源消费占比, en: renewable share of energy consumption}}
    role: mandatory
    unit: "%"
    formula: 100 * renewable_energy_consumption / comprehensive_energy_consumption
    thresholds: [{{operator: ">=", value: 50, clause: TODO clause or table of the standard}}]
    clause: TODO clause or table of the standard
    verification:
      status: provisional
      source: official-text
      rests_on: "TODO: placeholder from parkrules new-pack; replace with the standard's value"
verdict:
  rules:
    - all_pass: {{roles: [mandatory]}}
      clause: TODO clause that says how the verdict is reached
"""

_CASES = """\
# yaml-language-server: $schema=../../schemas/pack-tests-1.json
pack: {pack_id}@{version}
cases:
  - name: 60 % renewable meets the example threshold
    facts:
      renewable_energy_consumption: "60 tce"
      comprehensive_energy_consumption: "100 tce"
    expect:
      verdict: pass
      indicators:
        renewable_energy_share: {{status: pass, value: 60}}
"""


def export_schemas(folder: Path) -> list[Path]:
    """Write the shipped JSON Schemas into `folder` (for editors' `$schema=` lines)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in schema.SCHEMAS:
        path = folder / f"{name}.json"
        outfile.write_text(path, schema.schema_text(name))
        written.append(path)
    return written


def new_pack(root: Path, pack_id: str, version: str) -> list[Path]:
    """Create `<root>/<id>/<version>.yaml`, a test case beside it, and `<root>/schemas/`."""
    if not _ID.match(pack_id):
        raise ParkrulesError(f"pack id {pack_id!r} must be lowercase letters, digits and '-', starting with a letter")
    pack_file = root / pack_id / f"{version}.yaml"
    if pack_file.exists():
        raise ParkrulesError("already exists; choose another id or version", Location(str(pack_file)))
    cases_file = root / pack_id / "tests" / "example.yaml"
    try:
        cases_file.parent.mkdir(parents=True, exist_ok=True)
        outfile.write_text(pack_file, _PACK.format(pack_id=pack_id, version=version))
        outfile.write_text(cases_file, _CASES.format(pack_id=pack_id, version=version))
        return [pack_file, cases_file, *export_schemas(root / "schemas")]
    except OSError as exc:
        raise ParkrulesError(f"cannot write the pack: {exc.strerror}", Location(str(exc.filename or root))) from exc
