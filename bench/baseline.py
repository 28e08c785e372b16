"""The hand-written baseline: the national zero-carbon pack (with its accounting method) as plain Python.

What a programmer would write by hand for the same rules: one function per park-year,
dict lookups, absent inventory lines as zero where the method lists them, `None` for a
missing input. It gives each indicator's status and value and the verdict (gates and core
all pass). It does not name the missing inputs or carry provenance: the engine does more.
"""

from __future__ import annotations

FUELS = (  # every category of 附件4 §二(一)1, raw coal also in its kinds
    "raw_coal",
    "anthracite",
    "coking_bituminous_coal",
    "general_bituminous_coal",
    "lignite",
    "washed_coal",
    "other_washed_coal",
    "coal_products",
    "coal_gangue",
    "coke",
    "coke_oven_gas",
    "blast_furnace_gas",
    "converter_gas",
    "other_coal_gas",
    "other_coking_products",
    "crude_oil",
    "gasoline",
    "kerosene",
    "diesel",
    "fuel_oil",
    "naphtha",
    "lubricants",
    "paraffin_wax",
    "solvent_oil",
    "bitumen",
    "petroleum_coke",
    "lpg",
    "refinery_gas",
    "other_petroleum_products",
    "natural_gas",
    "lng",
    "other_fossil",
)
TRANSFORM_IN = (
    "raw_coal",
    "anthracite",
    "coking_bituminous_coal",
    "general_bituminous_coal",
    "lignite",
    "washed_coal",
    "other_washed_coal",
    "coke",
    "crude_oil",
    "natural_gas",
)
TRANSFORM_OUT = (
    "coke",
    "coke_oven_gas",
    "blast_furnace_gas",
    "converter_gas",
    "other_coal_gas",
    "other_coking_products",
    "gasoline",
    "kerosene",
    "diesel",
    "fuel_oil",
    "naphtha",
    "lubricants",
    "paraffin_wax",
    "solvent_oil",
    "bitumen",
    "petroleum_coke",
    "lpg",
    "refinery_gas",
    "other_petroleum_products",
)
PROCESS = (
    "cement_clinker",
    "lime",
    "calcium_carbide",
    "synthetic_ammonia",
    "methanol",
    "primary_aluminium",
    "crude_steel",
    "ferroalloy",
    "industrial_silicon",
)
GATES = ("bc_eligible_entity", "bc_clear_boundary", "bc_statistics_basis", "bc_no_major_incident_3y")
RATES = (
    ("industrial_solid_waste_utilisation", "industrial_solid_waste_utilisation_rate", 80),
    ("waste_energy_utilisation", "waste_energy_utilisation_rate", 50),
    ("industrial_water_reuse", "industrial_water_reuse_rate", 80),
)


def _burned(f: dict, x: str) -> float | None:
    """A fuel's combustion factor: NCV × CC × OF × 44/12 where any part is known, else its whole factor."""
    parts = (f[f"ncv_{x}"], f[f"cc_{x}"], f[f"of_{x}"])
    if any(part is not None for part in parts):
        return None if None in parts else parts[0] * parts[1] * parts[2] * 44 / 12
    return f[f"ef_{x}"]


def _transformed(f: dict, x: str) -> float | None:
    """Transformation at 100 % oxidation: NCV × CC × 44/12, or nothing."""
    ncv, cc = f[f"ncv_{x}"], f[f"cc_{x}"]
    return None if ncv is None or cc is None else ncv * cc * 44 / 12


def _lines(z, lines) -> float | None:
    """Σ amount × factor over reported lines; None where a reported line has no factor."""
    total = 0.0
    for fact, factor in lines:
        amount = z(fact)
        if amount > 0:
            if factor is None:
                return None
            total += amount * factor
    return total


def national(facts: dict, f: dict) -> dict:
    """Indicator id → (status, value) and the verdict, for one park-year; `f` are the factors."""
    g = facts.get
    z = lambda name: g(name) or 0.0  # noqa: E731 - a zero-if-absent inventory line
    out: dict = {}
    for gate in GATES:
        value = g(gate)
        out[gate] = ("missing", None) if value is None else ("pass" if value is True else "fail", value)
    burned = {x: _burned(f, x) for x in FUELS}
    e_fuel = _lines(
        z,
        [(f"fuel_{x}", burned[x]) for x in FUELS]
        + [("bunker_fuel_oil", burned["fuel_oil"]), ("bunker_kerosene", burned["kerosene"])],
    )
    carbon_in = _lines(z, [(f"transform_in_{x}", _transformed(f, x)) for x in TRANSFORM_IN])
    carbon_out = _lines(z, [(f"transform_out_{x}", _transformed(f, x)) for x in TRANSFORM_OUT])
    e_transform = None if carbon_in is None or carbon_out is None else carbon_in - carbon_out
    elec = (
        "elec_direct_nonfossil_received",
        "elec_green_trade_received",
        "elec_green_certificate_received",
        "elec_grid_received",
        "elec_grid_sent",
        "elec_nonfossil_sent",
    )
    e_elec = None
    if any(g(x) is not None for x in elec):
        green = z("elec_direct_nonfossil_received") + z("elec_green_trade_received")
        green += z("elec_green_certificate_received") - z("elec_nonfossil_sent")
        e_elec = (z("elec_grid_received") - z("elec_grid_sent")) * f["ef_elec_fossil_national"] + green * f[
            "ef_elec_green"
        ]
    e_heat = (z("heat_fossil_received") - z("heat_fossil_sent")) * f["ef_heat_fossil_default"] + (
        z("heat_nonfossil_received") - z("heat_nonfossil_sent")
    ) * f["ef_heat_nonfossil"]
    e_process = 0.0
    for x in PROCESS:
        made = z(f"output_{x}")
        if made > 0:
            factor = f[f"ef_process_{x}"]
            if factor is None:  # the factor table has no value: the park's emissions cannot be computed
                e_process = None
                break
            e_process += made * factor
    parts = (e_fuel, e_transform, e_elec, e_process)
    e_park = None if None in parts else e_fuel + e_transform + e_elec + e_heat + e_process
    fuel_tce = _lines(
        z,
        [(f"fuel_{x}", f[f"tce_{x}"]) for x in FUELS]
        + [("bunker_fuel_oil", f["tce_fuel_oil"]), ("bunker_kerosene", f["tce_kerosene"])],
    )
    elec_kwh = None
    if any(g(x) is not None for x in (*elec, "elec_onsite_nonfossil_generation")):
        elec_kwh = (
            z("elec_grid_received")
            + z("elec_direct_nonfossil_received")
            + z("elec_green_trade_received")
            + z("elec_green_certificate_received")
            + z("elec_onsite_nonfossil_generation")
            - z("elec_grid_sent")
            - z("elec_nonfossil_sent")
        )
    heat_tce = (
        z("heat_fossil_received") + z("heat_nonfossil_received") - z("heat_fossil_sent") - z("heat_nonfossil_sent")
    ) * f["tce_heat"]
    tce_in = _lines(z, [(f"transform_in_{x}", f[f"tce_{x}"]) for x in TRANSFORM_IN])
    tce_out = _lines(z, [(f"transform_out_{x}", f[f"tce_{x}"]) for x in TRANSFORM_OUT])
    energy = (
        None
        if elec_kwh is None or fuel_tce is None or tce_in is None or tce_out is None
        else fuel_tce + z("feedstock_energy") + elec_kwh * f["tce_elec_equivalent"] + heat_tce + tce_in - tce_out
    )
    if e_park is None or energy is None:
        out["carbon_per_energy"] = ("missing", None)
    elif energy == 0:
        out["carbon_per_energy"] = ("error", None)
    else:
        value = e_park / energy
        limit = 0.2 if 200_000 <= energy < 1_000_000 else 0.3 if energy >= 1_000_000 else None
        out["carbon_per_energy"] = (
            ("not_applicable", value) if limit is None else ("pass" if value <= limit + 1e-9 else "fail", value)
        )
    clean = (
        z("elec_direct_nonfossil_received")
        + z("elec_green_trade_received")
        + z("elec_green_certificate_received")
        + z("elec_onsite_nonfossil_generation")
        - z("elec_nonfossil_sent")
    ) * f["tce_elec_equivalent"] + (z("heat_nonfossil_received") - z("heat_nonfossil_sent")) * f["tce_heat"]
    out["clean_energy_share"] = _at_least(None if energy is None or energy == 0 else 100 * clean / energy, 90)
    grade = g("product_energy_quota_grade_worst")
    out["product_energy_quota_grade"] = (
        ("missing", None) if grade is None else ("pass" if grade <= 2 + 1e-9 else "fail", grade)
    )
    for indicator, fact, limit in RATES:
        out[indicator] = _at_least(g(fact), limit)
    direct = z("elec_direct_nonfossil_received") + z("elec_onsite_nonfossil_generation") - z("elec_nonfossil_sent")
    share = None if not elec_kwh else 100 * direct / elec_kwh
    out["green_power_direct_supply_share"] = _at_least(share, 50)
    deciding = [out[i][0] for i in (*GATES, "carbon_per_energy")]
    verdict = (
        "fail"
        if "fail" in deciding
        else "incomplete"
        if {"missing", "error"} & set(deciding)
        else ("not_applicable" if "not_applicable" in deciding else "pass")
    )
    out["verdict"] = verdict
    return out


def _at_least(value, limit: float) -> tuple:
    if value is None:
        return ("missing", None)
    return ("pass" if value >= limit - 1e-9 * max(1.0, limit) else "fail", value)
