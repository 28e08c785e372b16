"""The authoring commands: `parkrules test`, `lint`, `diff`, `new-pack` and `schemas`, for those who write packs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from parkrules.analysis.assess import expand_paths
from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import default_lang, t
from parkrules.cli.cli_options import (
    CI_FORMATS,
    EXIT_ERROR,
    EXIT_NOT_PASS,
    EXIT_PASS,
    lang_option,
    machine_output,
    report_errors,
    standards_option,
)
from parkrules.model.catalog import Catalog, bundled_root

if TYPE_CHECKING:
    from parkrules.authoring.casecoverage import Coverage
    from parkrules.authoring.packcases import CaseOutcome
    from parkrules.model.pack import Pack


@click.command("test")
@click.argument("packs", nargs=-1, metavar="[PACK[@VERSION]]...")
@click.option("-k", "name_filter", default=None, help="Run only the cases whose name contains this text.")
@click.option("--coverage", "show_coverage", is_flag=True, help="Report what no case exercises, per pack.")
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="PERCENT",
    help="Fail (exit 1) when a pack's coverage is below PERCENT (implies --coverage).",
)
@click.option("--update", is_flag=True, help="Rewrite the expected values of failing cases to the current results.")
@click.option("--format", "output_format", type=click.Choice(["text", *CI_FORMATS]), default="text", show_default=True)
@lang_option
@standards_option
def test_command(packs, name_filter, show_coverage, min_coverage, update, output_format, lang, standards_dir) -> None:
    """Run the YAML test cases shipped beside each pack (default: every pack).

    Coverage counts, per pack, each indicator passing and failing, each tier applied, and each
    verdict rule and the verdict passing and failing.

    \b
    Exit codes: 0 every case passes (and coverage is met); 1 some case fails or coverage is
    below --min-coverage; 2 a test file or pack could not be read.
    """
    from parkrules.authoring import checks
    from parkrules.authoring.caseupdate import update_file
    from parkrules.authoring.packcases import case_files
    from parkrules.io.vocabulary import suggest

    lang = lang or default_lang()
    root = standards_dir or bundled_root() / "standards"
    catalog = Catalog(root)
    errors: list[dict] = []
    outcomes: list[CaseOutcome] = []
    for path in case_files(root):
        if packs and not _wanted(path, packs):
            continue
        try:
            found = _run_cases(catalog, path, name_filter)
            updated = update_file(path, found) if update else 0
            if updated:
                click.echo(f"updated {updated} expected value(s) in {path}", err=True)
                found = _run_cases(catalog, path, name_filter)
        except ParkrulesError as exc:
            errors.append({**exc.to_dict(), "park": None})
            continue
        outcomes += found
    if not outcomes and not errors:
        wanted = f" for {', '.join(packs)}" if packs else ""
        hint = "".join(suggest(spec.partition("@")[0], catalog.pack_ids()) for spec in packs)
        errors.append({"file": str(root), "line": None, "field": None, "message": f"no test cases{wanted}{hint}"})
    coverages = _coverages(outcomes) if show_coverage or min_coverage is not None else []
    short = [c for c in coverages if min_coverage is not None and c.percent < min_coverage]
    if output_format == "text":
        _print_cases(outcomes, coverages, lang)
        for coverage in short:
            click.echo(f"coverage of {coverage.pack} is {coverage.percent:.0f} %, below {min_coverage:g} %")
    else:
        click.echo(machine_output(output_format, None, checks.from_cases(outcomes, errors), "parkrules test"))
    report_errors(errors, lang)
    failed = any(not o.passed for o in outcomes) or short
    sys.exit(EXIT_ERROR if errors else EXIT_NOT_PASS if failed else EXIT_PASS)


def _run_cases(catalog: Catalog, path: Path, name_filter: str | None) -> list[CaseOutcome]:
    from parkrules.authoring.packcases import run_file

    return [o for o in run_file(catalog, path) if not name_filter or name_filter in o.name]


def _coverages(outcomes: list[CaseOutcome]) -> list[Coverage]:
    from parkrules.authoring.casecoverage import measure

    by_pack: dict[str, tuple[Pack, list[CaseOutcome]]] = {}
    for outcome in outcomes:
        if outcome.pack is not None:  # a case whose pack did not load has nothing to cover
            by_pack.setdefault(outcome.pack.ref, (outcome.pack, []))[1].append(outcome)
    return [measure(pack, group) for pack, group in by_pack.values()]


def _print_cases(outcomes: list[CaseOutcome], coverages: list[Coverage], lang: str) -> None:
    from parkrules.report import render_table

    console = render_table.make_console()
    for outcome in outcomes:
        mark, style = ("✔", "green") if outcome.passed else ("✘", "red")
        console.print(
            f"{mark} {outcome.file}:{outcome.line} {outcome.name}", style=style, markup=False, highlight=False
        )
        for difference in outcome.differences:
            console.print(f"    {difference}", markup=False, highlight=False)
    passed = sum(1 for o in outcomes if o.passed)
    console.print(f"{t('cases_passed', lang)}: {passed} · {t('cases_failed', lang)}: {len(outcomes) - passed}")
    for coverage in coverages:
        console.print(
            f"coverage {coverage.pack}: {coverage.percent:.0f} % ({len(coverage.covered)}/{len(coverage.items)})",
            markup=False,
            highlight=False,
        )
        if coverage.uncovered:
            console.print(
                f"    not exercised: {', '.join(coverage.uncovered)}", markup=False, highlight=False, soft_wrap=True
            )


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--codes", "list_codes", is_flag=True, help="Print the table of diagnostic codes and exit.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", *CI_FORMATS]),
    default="text",
    show_default=True,
)
@standards_option
def lint(paths, strict, list_codes, output_format, standards_dir) -> None:
    """Check rule packs and their test-case files (default: every bundled pack).

    PATHS are pack files or folders. Packs they require or extend are looked up in the standards
    folder the file sits in, else in --standards (default: the bundled standards). Codes are
    listed in docs/lint-codes.md.

    \b
    Exit codes: 0 no errors (warnings allowed); 1 warnings only, with --strict; 2 errors.
    """
    from parkrules.authoring import checks
    from parkrules.authoring.diagnostics import ERROR, codes_markdown
    from parkrules.authoring.lint import Linter, pack_and_case_files
    from parkrules.report import render_table

    if list_codes:
        click.echo(codes_markdown(), nl=False)
        sys.exit(EXIT_PASS)
    root = standards_dir or bundled_root() / "standards"
    packs_found, cases = pack_and_case_files(paths or [root])
    diagnostics = Linter(root).lint(packs_found, cases)
    errors = sum(1 for d in diagnostics if d.severity == ERROR)
    warnings = len(diagnostics) - errors
    files = [str(path) for path in [*packs_found, *cases]]
    if output_format == "json":
        document = {"files": len(files), "diagnostics": [d.to_dict() for d in diagnostics]}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    elif output_format in CI_FORMATS:
        click.echo(machine_output(output_format, None, checks.from_lint(diagnostics, files, strict), "parkrules lint"))
    else:
        console = render_table.make_console()
        for diagnostic in diagnostics:
            style = "red" if diagnostic.severity == ERROR else "yellow"
            console.print(str(diagnostic), style=style, markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"{errors} error(s), {warnings} warning(s) in {len(files)} file(s)", markup=False, highlight=False
        )
    sys.exit(EXIT_ERROR if errors else EXIT_NOT_PASS if strict and warnings else EXIT_PASS)


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--parks",
    "parks_dir",
    type=click.Path(exists=True, path_type=Path),
    help="Park files or a folder of them: show which verdicts and indicators the change moves.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@standards_option
def diff(old, new, parks_dir, output_format, standards_dir) -> None:
    """Compare two versions of a pack: OLD and NEW are ID@VERSION or pack files.

    \b
    Exit codes: 0 no difference; 1 the packs differ; 2 a pack or park could not be read.
    """
    from parkrules.analysis.impact import impact
    from parkrules.authoring.packdiff import diff_packs
    from parkrules.model.plan import compile_plan
    from parkrules.report import render_diff

    catalog = Catalog(standards_dir or bundled_root() / "standards")
    errors: list[dict] = []
    try:
        before, after = (_pack_argument(catalog, spec) for spec in (old, new))
        changes = diff_packs(before, after, catalog)
        effect = None
        if parks_dir is not None:
            effect = impact(
                catalog, compile_plan(catalog, before), compile_plan(catalog, after), expand_paths([parks_dir])
            )
            errors = effect.errors
    except ParkrulesError as exc:
        report_errors([exc.to_dict()], default_lang())
        sys.exit(EXIT_ERROR)
    render = {"text": render_diff.to_text, "markdown": render_diff.to_markdown, "json": render_diff.to_json}
    click.echo(render[output_format](before.ref, after.ref, changes, effect))
    sys.exit(EXIT_ERROR if errors else EXIT_NOT_PASS if changes else EXIT_PASS)


@click.command("new-pack")
@click.argument("pack_id", metavar="ID")
@click.option("--version", "version", default="0.1", show_default=True, help="Version of the new pack.")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("standards"),
    show_default=True,
    help="Standards folder to create the pack in.",
)
def new_pack_command(pack_id, version, into) -> None:
    """Scaffold a pack: ID/VERSION.yaml with one example indicator, a passing test case, and the
    JSON Schemas editors use (INTO/schemas). Then: parkrules lint INTO/ID; parkrules test ID --standards INTO."""
    from parkrules.authoring.scaffold import new_pack

    try:
        written = new_pack(into, pack_id, version)
    except ParkrulesError as exc:
        report_errors([exc.to_dict()], default_lang())
        sys.exit(EXIT_ERROR)
    for path in written:
        click.echo(f"wrote {path}")


@click.command("schemas")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
def schemas_command(out) -> None:
    """Write the JSON Schemas (packs, pack tests, parks, factor tables, vocabulary, results, measure libraries)
    into OUT, for editors: put `# yaml-language-server: $schema=<path>/pack-1.json` at the top of a pack."""
    from parkrules.authoring.scaffold import export_schemas

    for path in export_schemas(out):
        click.echo(f"wrote {path}")


def _pack_argument(catalog: Catalog, argument: str):
    """A pack named by ID[@VERSION], or a pack file (resolved against the catalog for what it builds on)."""
    path = Path(argument)
    return catalog.load(path) if path.is_file() else catalog.resolve(argument)


def _wanted(path: Path, packs: tuple[str, ...]) -> bool:
    """A test file belongs to a requested pack when its `pack:` is `ID@VERSION` or `ID` matches."""
    from parkrules.io.yamlsafe import load_file

    try:
        target = str(load_file(path).get("pack", ""))
    except ParkrulesError:
        return True  # let the run report the broken file
    return any(spec in (target, target.partition("@")[0]) for spec in packs)
