"""The `weapon-use-positions` command: thin wrappers over the library.

Exit status: 0 on success, 1 when the data is invalid, 2 on a usage or environment error
(a bad option, a missing folder, a build lock held too long, a full disk, an `--out` that cannot be written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import paths
from .models import DEFAULT_RECIPIENT, Statement
from .questions import EVERY_STATEMENT, BadQuestion, parse_day
from .version import __version__

#: The exit status when the data is invalid (the report names each problem).
INVALID_DATA = 1
#: The exit status of a usage or environment error (click's own for usage errors).
USAGE_OR_ENVIRONMENT = 2


class EnvironmentFailure(click.ClickException):
    """The command was right and the data valid, but the machine refused: one line `Error: …`, exit 2."""

    exit_code = USAGE_OR_ENVIRONMENT

    def __init__(self, message: str):
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """The text with every control character escaped, so that a message is one line whatever a path holds."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_day(value)
    except BadQuestion:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def file_progress(label: str):
    """A progress bar over the data files on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def wrap(files):
        with click.progressbar(files, label=label, file=sys.stderr, show_pos=True) as bar:
            yield from bar

    return wrap


def step_messages():
    """Name each later build stage on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None
    return lambda name: click.echo(f"writing {name}…", err=True)


def notice(message: str) -> None:
    """Say on stderr why the command pauses (always, terminal or not: a silent pause looks like a hang)."""
    click.echo(one_line(message), err=True)


def report_invalid(error) -> None:
    click.echo(error.report(), err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was built.", err=True)
    sys.exit(INVALID_DATA)


def data_folder(ctx, param, value):
    """The --data folder, else the default one (paths.py); a usage error when there is none."""
    if value is not None:
        if not value.is_dir():
            what = "is not a folder" if value.exists() else "does not exist"
            raise click.BadParameter(one_line(f"{value} {what}"))
        return value
    folder = paths.default_data_dir()
    if folder is None:
        raise click.UsageError(f"no data folder: {Path.cwd() / 'data'} does not exist; name one with --data DIR")
    return folder


data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    callback=data_folder,
    help="Folder of YAML data files [default: the repository's data/, or ./data when installed].",
)
today_option = click.option(
    "--today", callback=iso_date, help="Treat this date as today when checking for future dates."
)


@click.group()
@click.version_option(__version__, prog_name="weapon-use-positions")
def cli():
    """Governments' stated positions on how the weapons they supply may be used."""


@cli.command()
@data_option
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
def validate(data_dir, today, as_json):
    """Check every data file and report every problem at once."""
    from .checks import validate_data
    from .problems import DataInvalid

    try:
        dataset = validate_data(data_dir, today, file_progress("checking"))
    except DataInvalid as error:
        if as_json:
            click.echo(json.dumps([p.as_dict() for p in error.problems], indent=2))
            sys.exit(INVALID_DATA)
        report_invalid(error)
    if as_json:
        click.echo("[]")
    else:
        click.echo("valid: " + ", ".join(f"{n} {kind}" for kind, n in dataset.counts().items()))


@cli.command()
@data_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the build appears, a link swapped atomically to each new build "
    "[default: the repository's build/dataset, or ./build/dataset when installed].",
)
@today_option
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=paths.BUILD_LOCK_WAIT_SECONDS,
    show_default=True,
    help="Seconds to wait for another build to the same --out to finish, then give up with exit 2.",
)
def build(data_dir, out, today, wait):
    """Validate the data, then write SQLite, Parquet, CSV and datapackage.json.

    Builds to one --out take turns: the lock is the file .NAME.lock beside it.
    """
    from .build import BuildError
    from .build import build as build_dataset
    from .problems import DataInvalid

    out = out if out is not None else paths.default_build_dir()
    try:
        result = build_dataset(
            data_dir, out, today, file_progress("reading"), step_messages(), wait=wait, on_wait=notice
        )
    except DataInvalid as error:
        report_invalid(error)
    except BuildError as error:
        raise EnvironmentFailure(str(error)) from None
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    click.echo(f"built {result.out}: {counts}")


#: The built dataset a command serves or publishes.
dataset_option = click.option(
    "--dataset",
    "dataset",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Built dataset folder [default: the repository's build, else the one installed with the package].",
)


@cli.command("publish-folder")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@dataset_option
def publish_folder(out, dataset):
    """Write OUT: the site as a self-contained folder for `datasette publish`, and the command."""
    from .publish import COMMAND_FILE, write_publish_folder
    from .serve import ServeError

    try:
        folder = write_publish_folder(out, dataset)
    except ServeError as error:
        raise click.UsageError(str(error)) from None
    click.echo((folder / COMMAND_FILE).read_text().strip())


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int, help="0 picks a free port.")
@dataset_option
def serve(host, port, dataset):
    """Serve the built dataset with Datasette (immutable, with an inspect file)."""
    from .serve import ServeError, datasette_arguments, run_datasette

    try:
        arguments = datasette_arguments(dataset, host, port)
    except ServeError as error:
        raise click.UsageError(str(error)) from None
    run_datasette(arguments)


@cli.command("as-of")
@click.argument("date", callback=iso_date)
@click.option("--actor", help="Only this actor (actors.id).")
@click.option("--weapon", help="Effective stance for this weapon system (weapon_systems.id).")
@click.option(
    "--statement",
    type=click.Choice([*(kind.value for kind in Statement), EVERY_STATEMENT]),
    default=Statement.rule.value,
    show_default=True,
    help=f"Only this kind of statement ({EVERY_STATEMENT!r}: every kind).",
)
@click.option("--recipient", default=DEFAULT_RECIPIENT, show_default=True, help="Positions about this recipient.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of objects).")
def as_of(date, actor, weapon, statement, recipient, as_json):
    """Positions in force on DATE (YYYY-MM-DD); suppliers' rules unless --statement says otherwise.

    With --weapon, a row marked "(general)" is inherited from the actor's general position.
    """
    from .api import as_of as positions_as_of

    try:
        frame = positions_as_of(date, weapon=weapon, actor=actor, statement=statement, recipient=recipient)
    except BadQuestion as error:
        raise click.UsageError(str(error)) from None
    if as_json:
        import polars as pl

        rows = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).to_dicts()
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for line in as_of_lines(frame):
        click.echo(line)


def as_of_lines(frame) -> list[str]:
    """The as-of answer as aligned text lines: actor, kind, weapons, stance (or decision), valid_from, position."""
    return [
        f"{row['actor_id']:<5} {row['statement']:<8} {row['weapons']:<14} {row['stance'] or row['decision']:<19} "
        f"{row['valid_from']}  {row['position_id']}{'  (general)' if row['inherited'] else ''}"
        for row in frame.iter_rows(named=True)
    ]


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def diff(old, new, as_json):
    """Records added, changed (field by field) and retired between OLD and NEW.

    Each of OLD and NEW is a released version (0.1.0, read from data/releases/), a git revision
    of this repository (a commit, HEAD, a branch), a data folder, a build folder or a built .db file.
    """
    from .diff import RevisionError, compare, diff_as_json, format_diff
    from .problems import DataInvalid

    try:
        changes = compare(old, new)
    except RevisionError as error:
        raise click.UsageError(str(error)) from None
    except DataInvalid as error:
        report_invalid(error)
    click.echo(
        json.dumps(diff_as_json(changes), indent=2, ensure_ascii=False) if as_json else format_diff(old, new, changes)
    )


@cli.command()
@click.option(
    "--part",
    type=click.Choice(["auto", "major", "minor", "patch"]),
    default="auto",
    show_default=True,
    help="auto: minor when records were added, else patch. Say major when the schema breaks.",
)
@click.option("--date", "day", callback=iso_date, help="Release date (default: today).")
@click.option("--no-tag", is_flag=True, help="Do not commit and tag (for a dry run in a scratch copy).")
def release(part, day, no_tag):
    """Release the data: bump the version, draft the CHANGELOG, snapshot, build, verify, tag."""
    from .build import BuildError
    from .problems import DataInvalid
    from .release import ReleaseError, make_release

    try:
        version = make_release(part=part, date=day, tag=not no_tag)
    except ReleaseError as error:
        raise click.UsageError(str(error)) from None
    except BuildError as error:
        raise EnvironmentFailure(str(error)) from None
    except DataInvalid as error:
        report_invalid(error)
    click.echo(f"released {version}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(as_json):
    """Counts, each actor's timeline span, sourcing and the gaps in timelines."""
    from .stats import dataset_stats, format_stats

    figures = dataset_stats()
    click.echo(json.dumps(figures, indent=2, default=str) if as_json else format_stats(figures))


@cli.command()
@click.option("--positions", "n_positions", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--actors", "n_actors", type=click.IntRange(min=1), default=40, show_default=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the generated data tree into (must not exist or be empty).",
)
@click.option("--seed", type=int, default=0, show_default=True)
def synth(n_positions, n_actors, out, seed):
    """Write a generated, valid data tree for benchmarks and tests."""
    from .synth import write_synthetic_data

    if out.exists() and any(out.iterdir()):
        raise click.UsageError(f"{out} is not empty")
    files = write_synthetic_data(out, n_positions, n_actors, seed)
    click.echo(f"wrote {n_positions} positions for {n_actors} actors in {len(files)} files under {out}")


def main():
    cli(prog_name="weapon-use-positions")
