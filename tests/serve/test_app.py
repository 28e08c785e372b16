"""The HTTP service through its client, as a platform calls it: the same answers as the command line, bounded
uploads deleted after the request, a token when one is set."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service is the [serve] extra (in [test] too)")
from fastapi.testclient import TestClient  # noqa: E402

from parkrules.io import schema  # noqa: E402
from parkrules.serve import uploads  # noqa: E402
from parkrules.serve.app import create_app  # noqa: E402
from tests.conftest import PARKS  # noqa: E402

NATIONAL = "cn-national-zero-carbon-park"


def cli_json(*args: str) -> dict:
    """The command line's JSON for a park file named as it is uploaded (run from the parks folder)."""
    done = subprocess.run(
        [sys.executable, "-m", "parkrules", "assess", *args, "--format", "json"], capture_output=True, text=True,
        cwd=PARKS,
    )  # fmt: skip
    return json.loads(done.stdout)


def _upload(client: TestClient, path: str, name: str | None = None, data: dict | None = None, **headers):
    with open(PARKS / path, "rb") as handle:
        return client.post("/v1/assess", files={"file": (name or path, handle)}, data=data or {}, headers=headers)


def test_assess_answers_what_the_command_line_answers():
    client = TestClient(create_app())
    answer = _upload(client, "coal-town.yaml", data={"standard": [NATIONAL]})
    assert answer.status_code == 200
    assert answer.json() == cli_json("coal-town.yaml", "-s", NATIONAL)
    assert "parkrules-upload-" not in answer.text  # the private folder never shows


def test_uploads_are_deleted_bounded_and_checked():
    client = TestClient(create_app())
    before = set(Path(tempfile.gettempdir()).glob("parkrules-upload-*"))
    assert _upload(client, "green-valley.yaml").status_code == 200
    assert set(Path(tempfile.gettempdir()).glob("parkrules-upload-*")) == before
    huge = client.post("/v1/assess", files={"file": ("big.yaml", b"#" * (uploads.MAX_BYTES + 1))})
    assert huge.status_code == 413
    wrong = client.post("/v1/assess", files={"file": ("tool.exe", b"MZ")})
    assert wrong.status_code == 422 and "upload a park file" in wrong.json()["errors"][0]["message"]
    broken = client.post("/v1/assess", files={"file": ("park.yaml", b"park: [unclosed")})
    assert broken.status_code == 422 and broken.json()["errors"][0]["file"] == "park.yaml"


def test_a_token_is_required_when_set():
    client = TestClient(create_app(token="s3cret"))
    assert client.get("/v1/packs").status_code == 401
    assert client.get("/v1/packs", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/v1/packs", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/").status_code == 200 and 'name="token"' in client.get("/").text  # the page asks for it


def test_explain_plan_template_and_the_documentation():
    client = TestClient(create_app())
    with open(PARKS / "coal-town.yaml", "rb") as handle:
        fields = {"standard": NATIONAL, "indicator": "carbon_per_energy"}
        tree = client.post("/v1/explain", files={"file": ("coal-town.yaml", handle)}, data=fields).json()
    assert tree["label"].startswith("CO2 emissions per unit of energy consumed (carbon_per_energy) = 2.632")
    with open(PARKS / "coal-town.yaml", "rb") as handle:
        fields = {"standard": [NATIONAL], "target_year": "2030", "target": ["e_park-10%@2030"]}
        plan = client.post("/v1/plan", files={"file": ("coal-town.yaml", handle)}, data=fields)
    assert plan.status_code == 200
    schema.validator("plan-1").validate(plan.json())
    book = client.get("/v1/template", params={"standard": NATIONAL, "year": 2024})
    assert book.status_code == 200 and book.content[:2] == b"PK"  # a workbook (a zip file)
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/packs", "/v1/assess", "/v1/explain", "/v1/plan", "/v1/template"} <= set(paths)


def test_the_service_refuses_another_address_without_a_token():
    done = subprocess.run(
        [sys.executable, "-m", "parkrules", "serve", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60,
        env={k: v for k, v in __import__("os").environ.items() if k != "PARKRULES_TOKEN"},
    )  # fmt: skip
    assert done.returncode == 2 and "PARKRULES_TOKEN" in done.stderr
