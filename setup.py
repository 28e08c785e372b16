"""Build hook: ship the top-level `standards/` and `parks/` folders inside the wheel.

They live at the repository root (standards bodies edit them there), so a plain
`package-data` entry cannot reach them; this copies them to `parkrules/data/` at build time.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("standards", "parks")


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        target = Path(self.build_lib) / "parkrules" / "data"
        for name in BUNDLED:
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(root / name, dest, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithBundledData})
