"""Checks the Python distribution in a dist directory: exactly one wheel and one sdist of the same
version; the wheel is cp39-abi3 and manylinux2014 (x86-64), holds the package, its stubs, py.typed
and the extension, declares the ``pivotal`` console script, and its extension needs no glibc symbol
newer than 2.17 (read with binutils' readelf); the sdist holds the Rust crates the wheel is built
from. Prints the sizes; exits non-zero naming each failure.

    python3 tests/dist/check_wheel.py dist
"""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

WHEEL_TAG = "cp39-abi3-manylinux_2_17_x86_64"
MAX_GLIBC = (2, 17)
WHEEL_FILES = [
    "pivotal_core/__init__.py",
    "pivotal_core/_cli.py",
    "pivotal_core/_native.pyi",
    "pivotal_core/py.typed",
    "pivotal_core/_native.abi3.so",
]
CONSOLE_SCRIPTS = {"pivotal": "pivotal_core._cli:main"}
SDIST_FILES = [
    "pyproject.toml",
    "bindings-python/Cargo.toml",
    "python/pivotal_core/py.typed",
    "python/pivotal_core/_native.pyi",
    "core/Cargo.toml",
    "core/src/lib.rs",
    "cli/src/lib.rs",
]


def glibc_versions(elf: bytes) -> list[tuple[int, ...]]:
    """The GLIBC_x.y symbol versions a shared object needs."""
    with tempfile.NamedTemporaryFile(suffix=".so") as f:
        f.write(elf)
        f.flush()
        out = subprocess.run(
            ["readelf", "--version-info", "--wide", f.name], check=True, capture_output=True, text=True
        ).stdout
    return sorted({tuple(int(p) for p in v.split(".")) for v in re.findall(r"Name: GLIBC_([0-9.]+)", out)})


def check(dist: Path) -> list[str]:
    errors: list[str] = []
    wheels = sorted(dist.glob("pivotal_core-*.whl"))
    sdists = sorted(dist.glob("pivotal_core-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [f"expected one wheel and one sdist in {dist}, found {wheels + sdists}"]
    wheel, sdist = wheels[0], sdists[0]
    version = wheel.name.split("-")[1]
    if sdist.name != f"pivotal_core-{version}.tar.gz":
        errors.append(f"the sdist {sdist.name} is not version {version}")

    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = f"pivotal_core-{version}.dist-info"
        tags = re.findall(r"^Tag: (\S+)$", z.read(f"{info}/WHEEL").decode(), re.M)
        if WHEEL_TAG not in tags or not all(t.startswith("cp39-abi3-manylinux") for t in tags):
            errors.append(f"wheel tags {tags}: expected {WHEEL_TAG} (cp39-abi3, manylinux2014)")
        errors += [f"the wheel lacks {f}" for f in WHEEL_FILES if f not in names]
        entry_points = configparser.ConfigParser(delimiters=("=",))
        if f"{info}/entry_points.txt" in names:
            entry_points.read_string(z.read(f"{info}/entry_points.txt").decode())
        scripts = dict(entry_points["console_scripts"]) if entry_points.has_section("console_scripts") else {}
        if scripts != CONSOLE_SCRIPTS:
            errors.append(f"the wheel's console scripts are {scripts}, not {CONSOLE_SCRIPTS}")
        if "pivotal_core/_native.abi3.so" in names:
            needed = glibc_versions(z.read("pivotal_core/_native.abi3.so"))
            newest = ".".join(map(str, needed[-1])) if needed else "?"
            if not needed or needed[-1] > MAX_GLIBC:
                errors.append(f"the extension needs glibc {newest}: more than 2.17")
            else:
                print(f"check_wheel: the extension needs glibc {newest} at most")

    with tarfile.open(sdist) as t:
        prefix = f"pivotal_core-{version}/"
        members = {m.name.removeprefix(prefix) for m in t.getmembers()}
        errors += [f"the sdist lacks {f}" for f in SDIST_FILES if f not in members]

    for f in (wheel, sdist):
        print(f"check_wheel: {f.name}: {f.stat().st_size / 1024 / 1024:.2f} MiB")
    return errors


if __name__ == "__main__":
    failures = check(Path(sys.argv[1]))
    for failure in failures:
        print(f"check_wheel: {failure}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print("check_wheel: the wheel and the sdist passed")
