"""Finding rule packs, factor tables and the vocabulary on disk.

Layout: `<standards>/vocabulary.yaml` (or a `vocabulary/` folder), `<standards>/factors/<id>/<version>.yaml`,
`<standards>/<pack-id>/<version>.yaml`, with pack test cases in `<standards>/<pack-id>/tests/`, and measure libraries
(what plans can do) in `<standards>/measures/<id>/<version>.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError, quoted
from parkrules.io.factors import FactorTable, load_factor_table
from parkrules.io.vocabulary import Vocabulary, load_vocabulary, suggest
from parkrules.model.extend import merge
from parkrules.model.pack import Pack
from parkrules.model.pack_load import load_pack

MEASURES = "measures"  # the folder of measure libraries

_TABLE_REF = re.compile(r"[a-z][a-z0-9-]*@[0-9A-Za-z][0-9A-Za-z._-]*")


def bundled_root() -> Path:
    """The folder holding the bundled `standards/` and `parks/`.

    In a wheel they are copied into `parkrules/data/` (see setup.py); in a checkout they sit at
    the repository root, two folders above the package (`engine/parkrules/`).
    """
    packaged = Path(str(resources.files("parkrules"))) / "data"
    if (packaged / "standards").is_dir():
        return packaged
    return Path(str(resources.files("parkrules"))).resolve().parents[1]


def version_key(version: str) -> tuple:
    """Order versions naturally: 2025.10 after 2025.9."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", version) if part)


@dataclass
class Catalog:
    """Everything under one standards folder, loaded on first use."""

    root: Path
    _packs: dict[str, dict[str, Path]] = field(default_factory=dict)
    _loaded: dict[str, Pack] = field(default_factory=dict)
    _extending: list[str] = field(default_factory=list)
    _tables: dict[str, FactorTable] = field(default_factory=dict)
    _vocabulary: Vocabulary | None = None

    def __post_init__(self) -> None:
        for pack_dir in sorted(p for p in self.root.iterdir() if p.is_dir() and p.name not in ("factors", MEASURES)):
            versions = {f.stem: f for f in pack_dir.glob("*.yaml")}
            if versions:
                self._packs[pack_dir.name] = versions

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            folder, single = self.root / "vocabulary", self.root / "vocabulary.yaml"
            if not folder.is_dir() and not single.is_file():  # a pack repository using the bundled facts
                folder, single = (
                    bundled_root() / "standards" / "vocabulary",
                    bundled_root() / "standards" / "vocabulary.yaml",
                )
            self._vocabulary = load_vocabulary(folder if folder.is_dir() else single)
        return self._vocabulary

    def pack_ids(self) -> list[str]:
        return sorted(self._packs)

    def versions(self, pack_id: str) -> list[str]:
        return sorted(self._packs.get(pack_id, {}), key=version_key)

    def resolve(self, spec: str, location: Location | None = None) -> Pack:
        """A pack by `id` (its newest version that is not a draft) or `id@version`."""
        pack_id, _, version = spec.partition("@")
        if pack_id not in self._packs:
            raise ParkrulesError(f"no pack {pack_id!r}{suggest(pack_id, self._packs)}", location, "PR170")
        if not version:  # the newest that is not a draft, loading no more editions than it takes to find it
            versions, files = self.versions(pack_id), self._packs[pack_id]
            final = (v for v in reversed(versions) if not self.load(files[v], expected=(pack_id, v)).draft)
            version = next(final, versions[-1])
        if version not in self._packs[pack_id]:
            known = ", ".join(self.versions(pack_id))
            raise ParkrulesError(f"pack {pack_id!r} has no version {version!r} (known: {known})", location, "PR170")
        return self.load(self._packs[pack_id][version], expected=(pack_id, version))

    def in_force(self, pack_id: str, year: int, location: Location | None = None) -> tuple[Pack, str]:
        """The edition of a standard in force in `year`, and why it was chosen: of the editions in force that year,
        the one that came into force last; when none is, the newest that came into force before it; with no dates,
        the newest version (as `resolve` picks)."""
        editions = [self.resolve(f"{pack_id}@{version}", location) for version in self.versions(pack_id)]
        editions = [pack for pack in editions if not pack.draft] or editions  # a draft only when named
        current = [pack for pack in editions if pack.in_force(year)]
        if current:
            chosen = max(current, key=lambda pack: (pack.effective or "", pack.version))
            when = f"in force in {year}" + (f" (effective {chosen.effective})" if chosen.effective else "")
            return chosen, when + ("" if len(editions) == 1 else f", of {len(editions)} editions")
        chosen = editions[-1]
        return chosen, f"no edition is in force in {year}; the newest, {chosen.version}, is used"

    def load(self, path: Path, expected: tuple[str, str] | None = None) -> Pack:
        """A pack file, merged with the pack it extends; `expected` is the (id, version) its place implies.

        Packs it requires or extends resolve in this catalog, so a pack outside the catalog's
        folder (a draft, a lint target) can still build on the bundled ones.
        """
        if str(path) not in self._loaded:
            pack = load_pack(path)
            if expected is not None and (pack.id, pack.version) != expected:
                raise ParkrulesError(
                    f"file declares {pack.ref} but sits at {expected[0]}/{expected[1]}.yaml",
                    Location(str(path), None, "id"),
                    "PR003",
                )
            if pack.extension is not None:
                pack = self._merge(pack)
            self._loaded[str(path)] = pack
        return self._loaded[str(path)]

    def _merge(self, pack: Pack) -> Pack:
        extension = pack.extension
        assert extension is not None
        if pack.ref in self._extending:
            chain = " → ".join([*self._extending, pack.ref])
            raise ParkrulesError(f"packs extend each other in a cycle: {chain}", extension.location, "PR171")
        self._extending.append(pack.ref)
        try:
            return merge(self.resolve(extension.base, extension.location), pack)
        finally:
            self._extending.pop()

    def factor_table(self, ref: str, location: Location | None = None) -> FactorTable:
        """A factor table by `id@version`. The reference comes from a pack or a park file: it names a file under
        `factors/`, so it may hold no path separator or `..` (a park file must not make us read another file)."""
        if not _TABLE_REF.fullmatch(ref):
            raise ParkrulesError(f"{quoted(ref)} is not a factor table reference (id@version)", location, "PR190")
        if ref not in self._tables:
            table_id, _, version = ref.partition("@")
            path = self.root / "factors" / table_id / f"{version}.yaml"
            if not path.is_file():
                raise ParkrulesError(f"no factor table {ref!r} (looked for {path})", location, "PR190")
            self._tables[ref] = load_factor_table(path)
        return self._tables[ref]
