"""The published data package, read by a real consumer (frictionless): valid, and its vocabularies enforced."""

import csv
import shutil

from frictionless import validate

from weapon_use_positions.catalogue import TABLES
from weapon_use_positions.paths import DATAPACKAGE_FILE


def errors(report) -> list[tuple[str, str]]:
    return [(task.name, error.type) for task in report.tasks for error in task.errors]


def test_built_package_is_valid(built):
    report = validate(str(built / DATAPACKAGE_FILE))
    assert report.valid, errors(report)[:20]


def test_every_vocabulary_and_required_field_is_a_constraint(built):
    import json

    package = json.loads((built / DATAPACKAGE_FILE).read_text())
    resource = next(r for r in package["resources"] if r["name"] == "positions-csv")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    for column in TABLES["positions"].columns:
        constraints = fields[column.name].get("constraints", {})
        assert constraints.get("enum") == (list(column.enum) or None), column.name
        assert constraints.get("required", False) == (column.required or column.name == "id"), column.name
    assert "maybe" not in fields["stance"]["constraints"]["enum"]


def test_unknown_stance_fails_validation(minimal_build, tmp_path):
    copy = tmp_path / "package"
    shutil.copytree(minimal_build, copy)
    path = copy / "csv" / "positions.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["stance"] = "maybe"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = validate(str(copy / DATAPACKAGE_FILE))
    assert not report.valid
    assert ("positions-csv", "constraint-error") in errors(report)
    assert {name for name, _ in errors(report)} == {"positions-csv"}


def test_missing_required_value_fails_validation(minimal_build, tmp_path):
    copy = tmp_path / "package"
    shutil.copytree(minimal_build, copy)
    path = copy / "csv" / "position_sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("excerpt")] = ""
    lines[1] = ",".join(f'"{c}"' for c in cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(copy / DATAPACKAGE_FILE))
    assert ("position_sources-csv", "constraint-error") in errors(report)
