"""Bilingual names: every user-facing label in packs, vocabulary and reports has zh and en."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Names:
    zh: str
    en: str

    @classmethod
    def of(cls, raw: dict) -> Names:
        return cls(zh=str(raw["zh"]), en=str(raw["en"]))

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en}
