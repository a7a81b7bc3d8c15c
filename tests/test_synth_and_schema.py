"""Generated data is valid and deterministic; schema/ matches the models."""

from click.testing import CliRunner

from weapon_use_positions.checks import validate_data
from weapon_use_positions.cli import cli


def tree(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_synth_is_valid_and_deterministic(tmp_path):
    for name in ("a", "b"):
        result = CliRunner().invoke(
            cli, ["synth", "--positions", "900", "--actors", "7", "--seed", "3", "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    dataset = validate_data(tmp_path / "a")
    assert len(dataset.positions) == 900
    assert len({p.actor_id for p in dataset.positions}) == 7
    # every field kind is exercised
    assert {p.stance for p in dataset.positions} >= {"permitted", "limited", "not_permitted", "unclear"}
    assert any(p.date_precision == "month" for p in dataset.positions)
    assert any(p.quote_translation for p in dataset.positions)
    assert any(p.note for p in dataset.positions)
    assert any(ref.excerpt for p in dataset.positions for ref in p.sources)
    assert any(s.archive_url for s in dataset.sources)


def test_synth_other_seed_differs(tmp_path):
    for name, seed in (("a", "1"), ("b", "2")):
        CliRunner().invoke(
            cli, ["synth", "--positions", "100", "--actors", "3", "--seed", seed, "--out", str(tmp_path / name)]
        )
    assert tree(tmp_path / "a") != tree(tmp_path / "b")


def test_synth_refuses_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    result = CliRunner().invoke(cli, ["synth", "--positions", "10", "--out", str(tmp_path)])
    assert result.exit_code == 2
