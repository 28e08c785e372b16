"""`parkrules lint`: every problem in a pack file as a located diagnostic with a stable code.

Stages, each run only when the one before is clean (a later stage needs the structure the
earlier one checks): YAML → JSON Schema (all violations) → ids, formulas and units read one by
one (all problems) → loading and merging (`extends`) → compiling with the packs it requires
(first problem) → unit dimensions and tier analysis (all problems).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema

from parkrules.authoring import tiercheck
from parkrules.authoring.diagnostics import Diagnostic
from parkrules.base.errors import Location, ParkrulesError
from parkrules.formula import formula, periods, unitcheck
from parkrules.io import schema, units
from parkrules.io.measure_library import load_library
from parkrules.io.vocabulary import Vocabulary
from parkrules.io.yamlsafe import load_file, position_at
from parkrules.model.catalog import MEASURES, Catalog
from parkrules.model.kinds import name_kinds, value_kind
from parkrules.model.plan import CLASS_VALUE, Plan, compile_plan

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_NAME_FIELDS = {"zh", "en"}
_PLACEHOLDER = re.compile(r"\bTODO\b")


def is_measure_library(path: Path) -> bool:
    """A file in `<standards>/measures/<id>/`."""
    return path.resolve().parent.parent.name == MEASURES


def pack_and_case_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Pack files (and measure libraries, linted with them) and pack test-case files under `paths` (files or
    folders)."""
    packs: list[Path] = []
    cases: list[Path] = []
    for path in paths:
        files = [path] if path.is_file() else sorted(path.rglob("*.yaml"))
        for file in files:
            if file.name == "vocabulary.yaml" or "factors" in file.relative_to(path).parts[:-1]:
                continue
            (cases if file.parent.name == "tests" else packs).append(file)
    return packs, cases


class Linter:
    """Lints files against one default catalog; a file inside another standards folder uses that folder's."""

    def __init__(self, default_root: Path) -> None:
        self.default_root = default_root
        self._catalogs: dict[Path, Catalog] = {}
        self._documents: dict[str, object] = {}

    def lint(self, packs: Iterable[Path], cases: Iterable[Path]) -> list[Diagnostic]:
        """All diagnostics, each reported once (a base pack's problem surfaces once, not per extending pack)."""
        found: dict[tuple, Diagnostic] = {}
        for path in packs:
            for diagnostic in self.lint_pack(path):
                found.setdefault((diagnostic.file, diagnostic.line, diagnostic.code, diagnostic.message), diagnostic)
        for path in cases:
            for diagnostic in self.lint_cases(path):
                found.setdefault((diagnostic.file, diagnostic.line, diagnostic.code, diagnostic.message), diagnostic)
        return sorted(found.values(), key=lambda d: (d.file, d.line or 0, d.column or 0, d.code))

    def lint_cases(self, path: Path) -> list[Diagnostic]:
        document = self._load(path)
        if isinstance(document, Diagnostic):
            return [document]
        return self._schema(document, "pack-tests-1", str(path))

    def lint_pack(self, path: Path) -> list[Diagnostic]:
        file = str(path)
        document = self._load(path)
        if isinstance(document, Diagnostic):
            return [document]
        if is_measure_library(path):
            return self._measure_library(path, document)
        found = self._schema(document, "pack-1", file)
        if found:
            return found
        assert isinstance(document, dict)  # valid against the pack schema: an object
        placeholders = self._placeholders(document, file, [])
        found = self._duplicates(document, file) + self._formulas_and_units(document, file)
        if found:
            return found + placeholders
        catalog, expected = self._catalog_for(path)
        try:
            pack = catalog.load(path, expected)
            plan = compile_plan(catalog, pack)
        except ParkrulesError as exc:
            return [self._from_error(exc)]
        fuels = self._fuels(plan, catalog.vocabulary, file)
        return placeholders + self._units(plan, catalog.vocabulary) + self._tiers(plan, catalog) + fuels

    def _measure_library(self, path: Path, document: object) -> list[Diagnostic]:
        """A measure library: its schema, then its facts, units and sources against the vocabulary."""
        found = self._schema(document, "measures-1", str(path)) + self._placeholders(document, str(path), [])
        if found:
            return found
        try:
            load_library(path, self._catalog_for(path.parent)[0].vocabulary)
        except ParkrulesError as exc:
            return [self._from_error(exc)]
        return []

    # --- stages

    def _load(self, path: Path) -> object:
        try:
            document = load_file(path)
        except ParkrulesError as exc:
            return Diagnostic("PR001", exc.message, str(path), exc.location.line, exc.location.column)
        self._documents[str(path)] = document
        return document

    def _schema(self, document: Any, schema_name: str, file: str) -> list[Diagnostic]:
        found = []
        for error in schema.validator(schema_name).iter_errors(document):
            path = list(error.absolute_path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                allowed = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
                path += [key for key in error.instance if key not in allowed][:1]  # point at the unexpected key
            line, column = position_at(document, path)
            detail = jsonschema.exceptions.best_match([error])
            found.append(Diagnostic(_schema_code(error), schema.describe(detail), file, line, column, _field(path)))
        return found

    def _placeholders(self, node: object, file: str, path: list) -> list[Diagnostic]:
        """Every `TODO` left in a text value, each at its own line."""
        if isinstance(node, dict):
            return [d for key, value in node.items() for d in self._placeholders(value, file, [*path, key])]
        if isinstance(node, list):
            return [d for i, value in enumerate(node) for d in self._placeholders(value, file, [*path, i])]
        if isinstance(node, str) and _PLACEHOLDER.search(node):
            return [self._at("PR152", f"placeholder left: {node!r}", file, path)]
        return []

    def _duplicates(self, document: dict, file: str) -> list[Diagnostic]:
        found = []
        for section in ("derived", "indicators", "not_encoded"):
            items = document.get(section, [])
            first: dict[str, int] = {}
            for i, raw in enumerate(items):
                if raw["id"] in first:
                    line, column = position_at(document, [section, i, "id"])
                    message = (
                        f"{section} id {raw['id']!r} is used twice (first at line {items.line_of(first[raw['id']])})"
                    )
                    found.append(Diagnostic("PR140", message, file, line, column, f"{section}[{i}].id"))
                first.setdefault(raw["id"], i)
        return found

    def _formulas_and_units(self, document: dict, file: str) -> list[Diagnostic]:
        """Every formula and unit read on its own, so all of them are reported at once."""
        found = []
        for path, text in _formula_texts(document):
            try:
                formula.parse(text)
            except formula.FormulaError as exc:
                code = "PR102" if isinstance(exc, formula.UnknownFunction) else "PR103"
                found.append(self._at(code, str(exc), file, path))
        for path, text in _unit_texts(document):
            try:
                units.parse_unit(text)
            except units.UnitError as exc:
                found.append(self._at("PR104", str(exc), file, path))
        return found

    def _fuels(self, plan: Plan, vocabulary: Vocabulary, file: str) -> list[Diagnostic]:
        """An accounting method that reads fuel facts must read every one (PR121): a fuel it leaves out counts as zero
        for a park that burns it (an inventory line absent from the formula), which can pass a park wrongly."""
        if plan.pack.kind != "method":
            return []
        formulas = [item.formula for item in plan.pack.derived] + [item.formula for item in plan.pack.indicators]
        read = {periods.split_period(name)[0] for expr in formulas for name in expr.names}
        fuels = [fact for fact in vocabulary.facts.values() if fact.group == "fuel"]
        if not any(fact.id in read for fact in fuels):
            return []
        message = "fuel fact {!r} ({}) is read by no formula of this method: a park burning it would count zero"
        return [
            self._at("PR121", message.format(f.id, f.name.en), file, ["derived"]) for f in fuels if f.id not in read
        ]

    def _units(self, plan: Plan, vocabulary: Vocabulary) -> list[Diagnostic]:
        kinds = name_kinds(plan, vocabulary)
        found = []
        checked = [(item.formula, item.unit, item.location, "formula") for item in plan.pack.derived]
        checked += [(item.formula, item.unit, item.location, "formula") for item in plan.indicators]
        for expr, unit, location, part in checked:
            try:
                unitcheck.check(expr, kinds, unit)
            except unitcheck.UnitMismatch as exc:
                found.append(self._located("PR120", str(exc), location, part))
        for indicator in plan.indicators:
            conditions: list[tuple[formula.Formula, Location, str]]
            here = indicator.location
            conditions = [(t.when, t.location or here, "tier") for t in indicator.thresholds if t.when is not None]
            conditions += [(c.when, c.location or here, "class") for c in indicator.classes]
            own = {CLASS_VALUE: value_kind(indicator, kinds)} if indicator.classes else {}
            for when, where, what in conditions:
                try:
                    unitcheck.infer(when.tree, {**kinds, **own})
                except unitcheck.UnitMismatch as exc:
                    found.append(self._located("PR120", f"{what} condition: {exc}", where, "when"))
        return found

    def _tiers(self, plan: Plan, catalog: Catalog) -> list[Diagnostic]:
        facts = catalog.vocabulary.facts
        domains = {
            fact_id: frozenset(fact.categories) if fact.kind == "category" else frozenset({True, False})
            for fact_id, fact in facts.items()
            if fact.kind in ("category", "boolean")
        }
        found = []
        for indicator in plan.indicators:
            for finding in tiercheck.check(indicator, domains):
                location = indicator.thresholds[finding.tier].location or indicator.location
                found.append(self._located(finding.code, f"{indicator.id}: {finding.message}", location, ""))
        return found

    # --- locations

    def _catalog_for(self, path: Path) -> tuple[Catalog, tuple[str, str] | None]:
        """The standards folder the file sits in (`<root>/<id>/<version>.yaml`), else the default one."""
        root = path.resolve().parent.parent
        own = (root / "vocabulary.yaml").is_file() or (root / "vocabulary").is_dir()
        root = root if own else self.default_root
        if root not in self._catalogs:
            self._catalogs[root] = Catalog(root)
        return self._catalogs[root], ((path.parent.name, path.stem) if own else None)

    def _from_error(self, exc: ParkrulesError) -> Diagnostic:
        return self._located(exc.code or "PR009", exc.message, exc.location, "")

    def _located(self, code: str, message: str, location: Location, part: str) -> Diagnostic:
        field = ".".join(p for p in (location.field, part) if p)
        line, column = self._position(location.file, field)
        return Diagnostic(code, message, location.file, line or location.line, column, field)

    def _at(self, code: str, message: str, file: str, path: list) -> Diagnostic:
        line, column = position_at(self._documents[file], path)
        return Diagnostic(code, message, file, line, column, _field(path))

    def _position(self, file: str, field: str) -> tuple[int | None, int | None]:
        document = self._documents.get(file)
        if document is None:
            try:
                document = self._documents[file] = load_file(Path(file))
            except ParkrulesError:
                return None, None
        steps = [name if index == "" else int(index) for name, index in _STEP.findall(field)]
        return position_at(document, steps) if steps else (None, None)


def _field(path: list) -> str:
    """`indicators[3].thresholds[0].when`: a field path written as the rest of parkrules writes it."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


def _schema_code(error: jsonschema.ValidationError) -> str:
    """The specific code for a schema violation that has one (clause, name, provisional basis)."""
    path = list(error.absolute_path)
    last = path[-1] if path else None
    if error.validator == "required" and isinstance(error.validator_value, list) and isinstance(error.instance, dict):
        missing = {key for key in error.validator_value if key not in error.instance}
        for keys, code in (({"clause"}, "PR150"), (_NAME_FIELDS, "PR160"), ({"rests_on"}, "PR151")):
            if missing & keys:
                return code
    if error.validator in ("minLength", "pattern"):
        return {"clause": "PR150", "zh": "PR160", "en": "PR160", "rests_on": "PR151"}.get(str(last), "PR002")
    instance = error.instance
    provisional = isinstance(instance, dict) and instance.get("status") == "provisional"
    if error.validator == "oneOf" and last == "verification" and provisional and isinstance(instance, dict):
        return "PR151" if len(str(instance.get("rests_on", "")).strip()) < 10 else "PR002"
    return "PR002"


def _formula_texts(document: dict) -> list[tuple[list, object]]:
    texts = []
    for section in ("derived", "indicators"):
        for i, raw in enumerate(document.get(section, [])):
            texts.append(([section, i, "formula"], raw["formula"]))
            for j, tier in enumerate(raw.get("thresholds", [])):
                if "when" in tier:
                    texts.append(([section, i, "thresholds", j, "when"], tier["when"]))
            for j, entry in enumerate(raw.get("classes", [])):
                texts.append(([section, i, "classes", j, "when"], entry["when"]))
    for key, raw in document.get("overrides", {}).items():
        if "formula" in raw:
            texts.append((["overrides", key, "formula"], raw["formula"]))
        for j, tier in enumerate(raw.get("thresholds", [])):
            if "when" in tier:
                texts.append((["overrides", key, "thresholds", j, "when"], tier["when"]))
    return texts


def _unit_texts(document: dict) -> list[tuple[list, str]]:
    texts = [
        ([section, i, "unit"], raw["unit"])
        for section in ("derived", "indicators")
        for i, raw in enumerate(document.get(section, []))
    ]
    texts += [
        (["overrides", key, "unit"], raw["unit"]) for key, raw in document.get("overrides", {}).items() if "unit" in raw
    ]
    texts += [(["factors", "use", key], unit) for key, unit in document.get("factors", {}).get("use", {}).items()]
    return texts
