"""The HTTP service: a JSON API (`/v1/…`, OpenAPI at `/docs` and `/openapi.json`) and a page where an assessor
uploads a park file or a filled workbook, picks standards and language and gets the report (HTML, XLSX or JSON).

Every upload is bounded in size (`uploads.MAX_BYTES`) and time (`TIME_LIMIT`), read by the same safe loaders as the
command line, kept in a private temporary folder for the request and deleted. With a token, every request but the
page itself and the documentation must carry it (`Authorization: Bearer …`, or the page's token field).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from parkrules import __version__, api
from parkrules.base.errors import ParkrulesError
from parkrules.report.render_html import environment
from parkrules.serve import uploads

TIME_LIMIT = 60.0  # seconds one request may take (a plan over many measures is the slowest)
# the report is one self-contained file: no script, no request leaves it; the page posts only to itself
PAGE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
MEDIA = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def create_app(standards: Path | None = None, token: str | None = None) -> FastAPI:
    cache = api.PlanCache(standards)  # packs compiled once per set of standards, not once per request
    app = FastAPI(
        title="parkrules",
        version=__version__,
        description="Assess Chinese industrial parks against zero-carbon, green and eco-industrial park standards.",
    )

    def check(given: str) -> None:
        if token is not None and not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid token is needed: Authorization: Bearer <token>")

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        check((authorization or "").removeprefix("Bearer ").strip())

    guard = [Depends(authorised)]

    @app.get("/v1/packs", dependencies=guard)
    def packs() -> list[dict[str, Any]]:
        """Every pack of the standards folder: id, version, kind and title."""
        found = api.catalog(standards)
        out = []
        for pack_id in found.pack_ids():
            pack = found.resolve(pack_id)
            out.append({"id": pack.id, "version": pack.version, "kind": pack.kind, "title": pack.title.en})
        return out

    @app.post("/v1/assess", dependencies=guard)
    async def assess(
        file: Annotated[UploadFile, File(description="a park file (YAML, JSON) or a filled-in workbook")],
        standard: Annotated[list[str], Form(description="id or id@version; repeat; none: every standard")] = [],  # noqa: B006 - FastAPI's form default
        period: Annotated[int | None, Form()] = None,
        lang: Annotated[str, Form(pattern="^(zh|en)$")] = "en",
        format: Annotated[str, Form(pattern="^(json|html|xlsx)$")] = "json",  # noqa: A002 - the form field's name
    ) -> Response:
        """The park assessed against the standards: the command line's JSON, HTML report or workbook."""
        data = await _read(file)
        return await _bounded(partial(_assessed, data, file.filename, standard, period, lang, format, cache))

    @app.post("/v1/explain", dependencies=guard)
    async def explain(
        file: Annotated[UploadFile, File()],
        standard: Annotated[str, Form()],
        indicator: Annotated[str, Form()],
        period: Annotated[int | None, Form()] = None,
    ) -> Response:
        """How one indicator was computed, as a tree."""
        data = await _read(file)
        return await _bounded(partial(_explained, data, file.filename, standard, indicator, period, standards))

    @app.post("/v1/plan", dependencies=guard)
    async def plan(
        file: Annotated[UploadFile, File()],
        standard: Annotated[list[str], Form()],
        target_year: Annotated[int, Form()],
        milestone: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI's form default
        target: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI's form default
        discount_rate: Annotated[float, Form(ge=0, le=1)] = 0.0,
    ) -> Response:
        """The least-cost plan with the bundled measure library, verified with the packs (schema plan-1)."""
        data = await _read(file)
        wanted = (standard, target_year, milestone, target, discount_rate)
        return await _bounded(partial(_planned, data, file.filename, *wanted, standards))

    @app.get("/v1/template", dependencies=guard)
    def template(standard: str, year: int) -> Response:
        """A data-entry workbook for the standard's facts, one year."""
        from parkrules.analysis.assess import compile_standards
        from parkrules.authoring import template as templates
        from parkrules.io import parkio
        from parkrules.model.result import RunResult

        found = api.catalog(standards)
        run = RunResult()
        plans = compile_standards(found, [standard], run)
        if run.errors or not plans:
            return JSONResponse({"errors": run.errors}, status_code=422)
        with uploads.scratch() as folder:
            path = folder / "park-data.xlsx"
            rows = templates.rows(plans, found.vocabulary, [year])
            parkio.write_workbook(path, rows, found.vocabulary, templates.readme(plans, [year]))
            content = path.read_bytes()
        headers = {"Content-Disposition": 'attachment; filename="park-data.xlsx"'}
        return Response(content, media_type=MEDIA["xlsx"], headers=headers)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        found = api.catalog(standards)
        choices = [found.resolve(pack_id) for pack_id in found.pack_ids()]
        choices = [pack for pack in choices if pack.kind != "method"]
        html = environment().get_template("serve.html.j2").render(packs=choices, token=token is not None)
        return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_POLICY})

    @app.post("/report", include_in_schema=False)
    async def report(
        file: Annotated[UploadFile, File()],
        standard: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI's form default
        lang: Annotated[str, Form(pattern="^(zh|en)$")] = "en",
        format: Annotated[str, Form(pattern="^(json|html|xlsx)$")] = "html",  # noqa: A002 - the form field's name
        token_field: Annotated[str | None, Form(alias="token")] = None,
    ) -> Response:
        check(token_field or "")
        data = await _read(file)
        return await _bounded(partial(_assessed, data, file.filename, standard, None, lang, format, cache))

    return app


async def _read(file: UploadFile) -> bytes:
    """The upload's bytes, refused as soon as it passes the size limit (never read whole into memory first)."""
    data = await file.read(uploads.MAX_BYTES + 1)
    if len(data) > uploads.MAX_BYTES:
        raise HTTPException(413, f"the upload is larger than {uploads.MAX_BYTES:,} bytes")
    return data


async def _bounded(call) -> Response:
    try:
        return await asyncio.wait_for(run_in_threadpool(call), TIME_LIMIT)
    except TimeoutError as exc:
        raise HTTPException(504, f"the request took longer than {TIME_LIMIT:g} s") from exc
    except ParkrulesError as exc:
        return JSONResponse({"errors": [exc.to_dict()]}, status_code=422)


def _assessed(data, name, chosen, period, lang, output_format, cache: api.PlanCache) -> Response:
    with uploads.stored(name, data) as path:
        result = api.assess(path, standards=chosen, period=period, cache=cache)
        status = 422 if result.errors and not result.run.assessments else 200
        if output_format == "json":
            return _json(uploads.shown(result.to_json(), path.parent), status)
        if output_format == "html":
            from parkrules.report import render_html
            from parkrules.report.report_meta import report_meta

            meta = report_meta(result.run, cache.catalog) if result.run.assessments else None
            html = uploads.shown(render_html.render(result.run, lang, meta), path.parent)
            return Response(html, status, media_type=MEDIA["html"], headers={"Content-Security-Policy": PAGE_POLICY})
        from parkrules.report import render_xlsx

        headers = {"Content-Disposition": f'attachment; filename="{path.stem}-report.xlsx"'}
        return Response(render_xlsx.render(result.run, lang), status, media_type=MEDIA["xlsx"], headers=headers)


def _explained(data, name, standard, indicator, period, standards) -> Response:
    with uploads.stored(name, data) as path:
        tree = api.explain(path, standard, indicator, period=period, standards_dir=standards)
        return _json(uploads.shown(json.dumps(tree.to_dict(), ensure_ascii=False, indent=2), path.parent), 200)


def _planned(data, name, chosen, target_year, milestones, targets, rate, standards) -> Response:
    with uploads.stored(name, data) as path:
        outcome = api.plan(path, chosen, target_year=target_year, milestones=milestones, targets=targets,
                           discount_rate=rate, standards_dir=standards)  # fmt: skip
        return _json(uploads.shown(api.plan_json(outcome), path.parent), 200)


def _json(text: str, status: int) -> Response:
    return Response(text, status, media_type=MEDIA["json"])
