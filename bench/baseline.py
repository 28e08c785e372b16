"""The hand-written baseline: the national zero-carbon pack (with its accounting method) as plain Python.

What a programmer would write by hand for the same rules: one function per park-year,
dict lookups, absent inventory lines as zero where the method lists them, `None` for a
missing input. It gives each indicator's status and value and the verdict (gates and core
all pass). It does not name the missing inputs or carry provenance: the engine does more.
"""

from __future__ import annotations

FUELS = (
    "raw_coal",
    "washed_coal",
    "coal_gangue",
    "coke",
    "crude_oil",
    "gasoline",
    "kerosene",
    "diesel",
    "fuel_oil",
    "lpg",
    "natural_gas",
)
TRANSFORM_IN = ("raw_coal", "washed_coal", "crude_oil", "natural_gas")
TRANSFORM_OUT = ("coke", "gasoline", "kerosene", "diesel", "fuel_oil", "lpg")
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


def national(facts: dict, f: dict) -> dict:
    """Indicator id → (status, value) and the verdict, for one park-year; `f` are the factors."""
    g = facts.get
    z = lambda name: g(name) or 0.0  # noqa: E731 - a zero-if-absent inventory line
    out: dict = {}
    for gate in GATES:
        value = g(gate)
        out[gate] = ("missing", None) if value is None else ("pass" if value is True else "fail", value)
    e_fuel = sum(z(f"fuel_{x}") * f[f"ef_{x}"] for x in FUELS)
    e_fuel += z("bunker_fuel_oil") * f["ef_fuel_oil"] + z("bunker_kerosene") * f["ef_kerosene"]
    e_transform = sum(z(f"transform_in_{x}") * f[f"ef_{x}"] for x in TRANSFORM_IN) - sum(
        z(f"transform_out_{x}") * f[f"ef_{x}"] for x in TRANSFORM_OUT
    )
    elec = (
        "elec_direct_nonfossil_received",
        "elec_green_trade_received",
        "elec_grid_received",
        "elec_grid_sent",
        "elec_nonfossil_sent",
    )
    e_elec = None
    if any(g(x) is not None for x in elec):
        e_elec = (z("elec_grid_received") - z("elec_grid_sent")) * f["ef_elec_fossil_national"] + (
            z("elec_direct_nonfossil_received") + z("elec_green_trade_received") - z("elec_nonfossil_sent")
        ) * f["ef_elec_green"]
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
    e_park = None if e_elec is None or e_process is None else e_fuel + e_transform + e_elec + e_heat + e_process
    fuel_tce = sum(z(f"fuel_{x}") * f[f"tce_{x}"] for x in FUELS if x != "coal_gangue")
    fuel_tce += z("bunker_fuel_oil") * f["tce_fuel_oil"] + z("bunker_kerosene") * f["tce_kerosene"]
    if z("fuel_coal_gangue") > 0:  # its coefficient is not in the factor table: energy cannot be computed
        gangue = f["tce_coal_gangue"]
        fuel_tce = None if gangue is None else fuel_tce + z("fuel_coal_gangue") * gangue
    elec_kwh = None
    if any(g(x) is not None for x in (*elec, "elec_onsite_nonfossil_generation")):
        elec_kwh = (
            z("elec_grid_received")
            + z("elec_direct_nonfossil_received")
            + z("elec_green_trade_received")
            + z("elec_onsite_nonfossil_generation")
            - z("elec_grid_sent")
            - z("elec_nonfossil_sent")
        )
    heat_tce = (
        z("heat_fossil_received") + z("heat_nonfossil_received") - z("heat_fossil_sent") - z("heat_nonfossil_sent")
    ) * f["tce_heat"]
    loss_tce = sum(z(f"transform_in_{x}") * f[f"tce_{x}"] for x in TRANSFORM_IN) - sum(
        z(f"transform_out_{x}") * f[f"tce_{x}"] for x in TRANSFORM_OUT
    )
    energy = (
        None
        if elec_kwh is None or fuel_tce is None
        else fuel_tce + z("feedstock_energy") + elec_kwh * f["tce_elec_equivalent"]
    )
    energy = None if energy is None else energy + heat_tce + loss_tce
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
