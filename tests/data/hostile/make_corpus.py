"""Writes the hostile corpus beside this file (run once; the files are committed). `cases.yaml` says what
each must do. Files that git cannot hold (a FIFO, a symlink loop) are made by the test itself."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from parkrules.io import parktable

HERE = Path(__file__).parent
PARK = """park:
  id: hostile
  name: {zh: 园区, en: Park}
  province: 内蒙古自治区
  type: test
years:
  2024:
    facts:
      elec_grid_received: "55 GWh"
      fuel_diesel: FUEL
"""


def park(fuel: str = '"600 t"', before: str = "", after: str = "") -> str:
    return before + PARK.replace("FUEL", fuel) + after


def bomb(anchor_lines: int = 9) -> str:
    lines = ["x-a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"x-a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, anchor_lines)]
    return "\n".join(lines) + "\n"


XSS = '<script>alert(1)</script>\\"><img src=x onerror=alert(2)></style>=HYPERLINK(\\"http://x\\")|[l](http://x)'


FORMULA_FIRST = '=HYPERLINK(\\"http://x\\") ' + XSS


def main() -> None:
    files = {
        "alias-bomb-name.yaml": bomb() + PARK.replace("{zh: 园区, en: Park}", "*a8").replace("FUEL", '"600 t"'),
        "alias-bomb-facts.yaml": bomb()
        + park().replace('      fuel_diesel: "600 t"\n', "").replace("    facts:\n", "    facts: *a8\n    more:\n"),
        "alias-bomb-value.yaml": bomb() + park(fuel="{value: *a8, unit: t}"),
        "deep-nesting.yaml": park(after="note: " + "[" * 5000 + "]" * 5000 + "\n"),
        "deep-nesting.json": '{"park": ' + "[" * 3000 + "]" * 3000 + "}\n",
        "key-number.yaml": park().replace("      fuel_diesel:", "      1: 2\n      fuel_diesel:"),
        "key-null.yaml": park(before="null: 1\n"),
        "key-true.yaml": park().replace("    facts:\n", "    facts:\n      true: 1\n"),
        "year-negative.yaml": park().replace("  2024:", "  -1:"),
        "year-fraction.yaml": park().replace("  2024:", "  2024.5:"),
        "year-huge.yaml": park().replace("  2024:", "  99999999999999999999:"),
        "year-hex.yaml": park().replace("  2024:", "  0x7e8:"),
        "year-five-digits.yaml": park().replace("  2024:", "  20245:"),
        "number-nan.yaml": park(fuel="{value: .nan, unit: t}"),
        "number-inf.yaml": park(fuel="{value: -.inf, unit: t}"),
        "number-overflow.yaml": park(fuel='"1e309 t"'),
        "number-overflow-float.yaml": park(fuel="{value: 1.0e+309, unit: t}"),
        "number-400-digits.yaml": park(fuel="{value: " + "9" * 400 + ", unit: t}"),
        "number-5000-digits.yaml": park(fuel="{value: " + "9" * 5000 + ", unit: t}"),
        "override-400-digits.yaml": park(
            after="factors:\n  ef_heat_fossil_default: {value: " + "9" * 400 + ", unit: tCO2/GJ, source: test}\n"
        ),
        "benchmark-etc-passwd.yaml": park(after="benchmark: /etc/passwd\n"),
        "benchmark-dot-dot.yaml": park(after="benchmark: ../../../../../../../../etc/passwd\n"),
        "benchmark-nul.yaml": park(after='benchmark: "park\\0.yaml"\n'),
        "benchmark-folder.yaml": park(after="benchmark: .\n"),
        "xss.yaml": (
            PARK.replace("{zh: 园区, en: Park}", f'{{zh: "{XSS}", en: "{XSS}"}}')
            .replace("type: test", f'type: "{XSS}"')
            .replace("fuel_diesel: FUEL", f'fuel_diesel: {{value: 600, unit: t, source: "{FORMULA_FIRST}"}}')
            + f'    exclusions:\n      waste_energy_utilisation: "{XSS}"\n'
            + f'factors:\n  ef_heat_fossil_default: {{value: 0.11, unit: tCO2/GJ, source: "{XSS}"}}\n'
        ),
        "table-short-and-long-rows.csv": (
            "park.id,year,elec_grid_received [万kWh],fuel_raw_coal [t]\n"
            "good-a,2024,12000,50000\nshort,2024,100\nlong,2024,1,2,3\ngood-b,2024,12500,48000\n"
        ),
    }
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
    header = ",".join(parktable.header(key) for key in ("year", "fact", "value", "unit", "source"))
    gbk_park = f"{header}\n,park.id,gbk-park,,\n,park.name.zh,煤城园区（GBK 编码）,,\n"
    gbk_park += ",park.name.en,GBK park,,\n,park.province,山西省,,\n,park.type,经济开发区,,\n"
    gbk_park += "2024,elec_grid_received,55,GWh,电网公司结算单\n2024,fuel_diesel,600,t,能源统计报表\n"
    (HERE / "gbk-park-file.csv").write_bytes(gbk_park.encode("gbk"))
    table = (
        "park.id,year,elec_grid_received [万kWh],fuel_raw_coal [t]\n煤城园区,2024,12000,50000\n绿谷园区,2024,100,5\n"
    )
    (HERE / "gbk-park-table.csv").write_bytes(table.encode("gbk"))
    (HERE / "undecidable-encoding.csv").write_bytes(
        "year,fact,value\n2024,fuel_diesel,600 t\n,park.id,café\n".encode("cp1252")
    )
    _workbooks()


def _workbooks() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "数据 Data"
    sheet.append([parktable.header(key) for key in ("year", "fact", "value", "unit", "source")])
    for fact, value in (
        ("park.id", "formula-park"),
        ("park.name.zh", "公式园区"),
        ("park.name.en", "Formula park"),
        ("park.province", "山西省"),
        ("park.type", "test"),
    ):
        sheet.append([None, fact, value, None, None])
    sheet.append([2024, "elec_grid_received", 55, "GWh", "test"])
    sheet.append([2024, "fuel_diesel", "=600*1", "t", "a formula openpyxl saved without its value"])
    book.save(HERE / "formula-cell.xlsx")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 60_000_000 + b"/>")
    (HERE / "zip-bomb.xlsx").write_bytes(buffer.getvalue())


if __name__ == "__main__":
    main()
