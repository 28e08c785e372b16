"""Choosing the benchmark park among many, by the rule of 郑玉雯等《数字经济培育西部零碳工业园区的路径研究》
(seed 000, §2.3): among the parks in strong (absolute) Tapio decoupling, rank output per capita from high to low
and CO2 intensity from low to high, and choose the park whose two ranks add up to the least. The benchmark is what
the transition analysis's catch-up decoupling measures the other parks against (`assess --benchmark FILE`).

Equal values share the better rank; equal sums go to the lower CO2 intensity, then to the park id (the study
does not say: this is our choice, and the answer names every tied park).
"""

from __future__ import annotations

from dataclasses import dataclass

from parkrules.model.result import Assessment

PACK = "park-transition-analysis"
DECOUPLING, STRONG = "tapio_decoupling", "strong_decoupling"
OUTPUT, INTENSITY = "output_per_capita", "carbon_intensity"


@dataclass(frozen=True)
class Candidate:
    park: str
    file: str
    year: int
    output_per_capita: float
    carbon_intensity: float
    output_rank: int = 0
    intensity_rank: int = 0

    @property
    def rank_sum(self) -> int:
        return self.output_rank + self.intensity_rank


@dataclass(frozen=True)
class BenchmarkChoice:
    chosen: Candidate | None
    candidates: tuple[Candidate, ...]  # strongly decoupled parks with both numbers, best first
    tied: tuple[str, ...]  # parks whose rank sum equals the chosen one's
    left_out: tuple[tuple[str, str], ...]  # (park, why it is not a candidate)


def choose_benchmark(assessments: list[Assessment]) -> BenchmarkChoice:
    """The benchmark among the parks assessed against the transition analysis (one assessment per park)."""
    found: list[Candidate] = []
    left_out: list[tuple[str, str]] = []
    for assessment in assessments:
        park = assessment.park.id
        state = next((r.state.id for r in assessment.indicators if r.id == DECOUPLING and r.state), None)
        values = {d.id: d.value for d in assessment.derived if d.id in (OUTPUT, INTENSITY)}
        if state != STRONG:
            left_out.append((park, f"Tapio state {state or 'not decided'} in {assessment.period}, not {STRONG}"))
        elif values.get(OUTPUT) is None or values.get(INTENSITY) is None:
            missing = [name for name in (OUTPUT, INTENSITY) if values.get(name) is None]
            left_out.append((park, f"no {' or '.join(missing)} in {assessment.period}"))
        else:
            output, intensity = values[OUTPUT], values[INTENSITY]
            assert output is not None and intensity is not None
            found.append(Candidate(park, assessment.park.file, assessment.period, output, intensity))
    ranked = [
        Candidate(
            c.park,
            c.file,
            c.year,
            c.output_per_capita,
            c.carbon_intensity,
            1 + sum(other.output_per_capita > c.output_per_capita for other in found),
            1 + sum(other.carbon_intensity < c.carbon_intensity for other in found),
        )
        for c in found
    ]
    ranked.sort(key=lambda c: (c.rank_sum, c.carbon_intensity, c.park))
    chosen = ranked[0] if ranked else None
    tied = tuple(c.park for c in ranked if chosen is not None and c.rank_sum == chosen.rank_sum)
    return BenchmarkChoice(chosen, tuple(ranked), tied if len(tied) > 1 else (), tuple(left_out))
