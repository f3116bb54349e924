"""The built front-end files are shipped in the repository, so that a machine with Python
alone can run and test the site; this manifest proves they were built from the sources
beside them.

`make assets` (which needs Node.js) builds them and then runs `python -m
portal.assets_manifest write`, which records a hash of every source file in
portal/frontend/, the build script, the versions of GOV.UK Frontend and Sass in
package-lock.json, and a hash of every built file. `make lint` runs `python -m
portal.assets_manifest check`, which recomputes them without Node.js: a source changed
without a rebuild, a built file edited by hand, or a new version of GOV.UK Frontend not
yet built, each fails with a message saying what to do.

Standard library only: it runs before anything is installed.
"""

import hashlib
import json
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE_DIR = "portal/frontend"
MANIFEST = "portal/frontend/build-manifest.json"
BUILT_FILES = ("portal/static/portal/css/portal.css", "portal/static/portal/css/print.css")
BUILT_DIRS = ("portal/static/portal/js/vendor",)
# Only what the build reads: other packages in package.json (test tools, say) may change
# without a rebuild.
TOOL_PACKAGES = ("govuk-frontend", "sass")
REBUILD = "run `make assets` (needs Node.js and npm) and commit the built files with {manifest}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hashes(base: Path, paths: list[str]) -> dict[str, str]:
    return {name: _sha256(base / name) for name in sorted(paths)}


def source_files(base: Path) -> list[str]:
    return [
        path.relative_to(base).as_posix()
        for path in (base / SOURCE_DIR).rglob("*")
        if path.is_file() and path.relative_to(base).as_posix() != MANIFEST
    ]


def built_files(base: Path) -> list[str]:
    found = [name for name in BUILT_FILES if (base / name).is_file()]
    for folder in BUILT_DIRS:
        found += [p.relative_to(base).as_posix() for p in (base / folder).rglob("*") if p.is_file()]
    return found


def toolchain(base: Path) -> dict[str, str]:
    """The build script and the versions the lock file pins for the packages it uses."""
    package = json.loads((base / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((base / "package-lock.json").read_text(encoding="utf-8"))
    versions = {name: lock["packages"].get(f"node_modules/{name}", {}).get("version", "") for name in TOOL_PACKAGES}
    return {"build script": package.get("scripts", {}).get("build", ""), **versions}


def manifest_compute(base: Path = BASE_DIR) -> dict[str, dict[str, str]]:
    return {
        "toolchain": toolchain(base),
        "sources": _hashes(base, source_files(base)),
        "built": _hashes(base, built_files(base)),
    }


def manifest_write(base: Path = BASE_DIR) -> None:
    text = json.dumps(manifest_compute(base), indent=2, sort_keys=True)
    (base / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _differences(kind: str, recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    problems = []
    for name in sorted(recorded.keys() | current.keys()):
        if name not in current:
            problems.append(f"{kind} {name} is in the manifest but missing")
        elif name not in recorded:
            problems.append(f"{kind} {name} is new since the assets were built")
        elif recorded[name] != current[name]:
            problems.append(f"{kind} {name} changed since the assets were built")
    return problems


def manifest_check(base: Path = BASE_DIR) -> list[str]:
    """What differs between the manifest and the files; an empty list when they match."""
    path = base / MANIFEST
    if not path.is_file():
        return [f"{MANIFEST} is missing"]
    recorded = json.loads(path.read_text(encoding="utf-8"))
    current = manifest_compute(base)
    problems = _differences("toolchain", recorded.get("toolchain", {}), current["toolchain"])
    problems += _differences("source", recorded.get("sources", {}), current["sources"])
    built = _differences("built file", recorded.get("built", {}), current["built"])
    # A built file that differs from what the build wrote was edited by hand.
    return problems + [f"{line} (edited by hand? it is made by the build)" for line in built]


def main(argv: list[str]) -> int:
    if argv[1:] == ["write"]:
        manifest_write()
        return 0
    if argv[1:] == ["check"]:
        problems = manifest_check()
        if not problems:
            print("Built front-end assets match their sources.")
            return 0
        print("The built front-end assets do not match their sources:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print(f"To fix: {REBUILD.format(manifest=MANIFEST)}.", file=sys.stderr)
        return 1
    print("Usage: python -m portal.assets_manifest write|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
