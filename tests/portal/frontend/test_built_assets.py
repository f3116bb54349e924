"""The built CSS and JavaScript are shipped in the repository; `make lint` proves, without
Node.js, that they were built from the sources beside them (portal.assets_manifest)."""

import json
import shutil

import pytest

from portal import assets_manifest
from portal.assets_manifest import BASE_DIR, MANIFEST, main, manifest_check

SHIPPED = ["package.json", "package-lock.json", assets_manifest.SOURCE_DIR, *assets_manifest.BUILT_FILES]


@pytest.fixture
def checkout(tmp_path):
    """A copy of the files the check reads, as committed."""
    for name in [*SHIPPED, *assets_manifest.BUILT_DIRS]:
        source, target = BASE_DIR / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    return tmp_path


def test_the_repository_ships_assets_built_from_its_sources():
    assert manifest_check() == []
    assert main(["assets_manifest", "check"]) == 0


def test_a_copy_as_committed_passes(checkout):
    assert manifest_check(checkout) == []


def test_a_source_changed_without_a_rebuild_fails(checkout):
    scss = checkout / "portal/frontend/portal.scss"
    scss.write_text(scss.read_text() + "\n.portal-new { color: red; }\n")

    assert manifest_check(checkout) == ["source portal/frontend/portal.scss changed since the assets were built"]


def test_a_new_source_file_fails(checkout):
    (checkout / "portal/frontend/extra.scss").write_text(".x { color: red; }\n")

    assert manifest_check(checkout) == ["source portal/frontend/extra.scss is new since the assets were built"]


def test_a_built_file_edited_by_hand_fails(checkout):
    css = checkout / "portal/static/portal/css/print.css"
    css.write_text(css.read_text() + ".x{color:red}")

    [problem] = manifest_check(checkout)
    assert problem.startswith("built file portal/static/portal/css/print.css changed")


def test_a_missing_built_file_fails(checkout):
    (checkout / "portal/static/portal/js/vendor/govuk-frontend.min.js").unlink()

    assert manifest_check(checkout)[0].startswith("built file portal/static/portal/js/vendor/govuk-frontend.min.js is")


def lock_with(checkout, name, version):
    path = checkout / "package-lock.json"
    lock = json.loads(path.read_text())
    lock["packages"][f"node_modules/{name}"] = {"version": version}
    path.write_text(json.dumps(lock))


def test_a_new_govuk_frontend_version_not_yet_built_fails(checkout):
    lock_with(checkout, "govuk-frontend", "99.0.0")

    assert manifest_check(checkout) == ["toolchain govuk-frontend changed since the assets were built"]


def test_a_package_the_build_does_not_use_may_change(checkout):
    lock_with(checkout, "pa11y", "9.0.0")
    package = json.loads((checkout / "package.json").read_text())
    package["devDependencies"]["pa11y"] = "9.0.0"
    (checkout / "package.json").write_text(json.dumps(package))

    assert manifest_check(checkout) == []


def test_writing_the_manifest_after_a_rebuild_makes_it_pass(checkout):
    scss = checkout / "portal/frontend/print.scss"
    scss.write_text(scss.read_text() + "\n")
    assert manifest_check(checkout)

    assets_manifest.manifest_write(checkout)

    assert manifest_check(checkout) == []
    assert json.loads((checkout / MANIFEST).read_text())["sources"]["portal/frontend/print.scss"]


def test_a_missing_manifest_fails(checkout):
    (checkout / MANIFEST).unlink()

    assert manifest_check(checkout) == [f"{MANIFEST} is missing"]
