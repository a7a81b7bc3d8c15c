"""Serve a built dataset with Datasette: immutable database, inspect file, config and metadata.

The server is Datasette's, run with a few uvicorn options Datasette's CLI does not expose
(UVICORN_OPTIONS): a connection whose request headers are not complete within HEADER_SECONDS is
closed (slow or never-finished headers cannot pile up), X-Forwarded-* headers are not trusted
(the server is reached directly), and the process may open as many files as the system allows.
"""

from __future__ import annotations

import atexit
import fcntl
import importlib.util
import shutil
import tempfile
import types
from pathlib import Path

from .paths import (
    DB_NAME,
    METADATA_FILE,
    PLUGINS,
    SERVE_EXTRA,
    SERVING_LOCK,
    STATIC,
    TEMPLATES,
    dataset_candidates,
    datasette_config,
    find_dataset,
)

#: Seconds a connection may take to send a complete request header (each request, keep-alive included).
HEADER_SECONDS = 10.0
#: Prefix of the temporary folder holding the inspect file (removed when `serve` exits).
INSPECT_PREFIX = "wup-serve-"


class ServeError(Exception):
    """The site cannot be served (no build, or Datasette is not installed)."""


def site_files(dataset: Path | None = None) -> tuple[Path, Path]:
    """The built dataset folder and the datasette.yaml that goes with it."""
    if importlib.util.find_spec("datasette") is None:
        raise ServeError(f"Datasette is not installed: pip install '{SERVE_EXTRA}'")
    folder = dataset if dataset is not None else find_dataset()
    if folder is None or not (folder / DB_NAME).is_file():
        looked = str(folder) if folder is not None else " or ".join(str(p) for p in dataset_candidates())
        raise ServeError(f"no built database in {looked}: run `weapon-use-positions build` first")
    folder = folder.resolve()
    hold_serving_lock(folder)
    return folder, datasette_config()


#: The serving lock's open file, held (shared) for as long as this process serves.
_SERVING = []


def hold_serving_lock(folder: Path) -> None:
    """Tell later builds that this build is being served, so their cleanup leaves it (build.py)."""
    try:
        f = open(folder / SERVING_LOCK, "ab")  # noqa: SIM115 - held open until the process ends
        fcntl.flock(f, fcntl.LOCK_SH)
    except OSError:
        return  # a read-only build (a published folder) is never cleaned up by a build anyway
    _SERVING.append(f)


def datasette_arguments(dataset: Path | None, host: str, port: int) -> list[str]:
    """Arguments for `datasette serve`, after writing a fresh inspect file for the database."""
    folder, config = site_files(dataset)
    from datasette.cli import cli as datasette_cli

    database = folder / DB_NAME
    inspect_folder = Path(tempfile.mkdtemp(prefix=INSPECT_PREFIX))
    atexit.register(shutil.rmtree, inspect_folder, ignore_errors=True)  # if Datasette stops before it serves
    inspect_file = inspect_folder / "inspect.json"
    datasette_cli.main(["inspect", str(database), "--inspect-file", str(inspect_file)], standalone_mode=False)
    return [
        "serve",
        "-i",
        str(database),
        "--inspect-file",
        str(inspect_file),
        "-c",
        str(config),
        "-m",
        str(folder / METADATA_FILE),
        "--template-dir",
        str(TEMPLATES),
        "--plugins-dir",
        str(PLUGINS),
        "--static",
        f"assets:{STATIC}",
        "--static",
        f"downloads:{folder}",
        "--host",
        host,
        "--port",
        str(port),
    ]


def header_timeout_protocol():
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request header in HEADER_SECONDS."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimelyH11Protocol(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self.waiting_since = self.loop.time()
            self.header_timer = self.loop.call_later(HEADER_SECONDS, self.check_header)

        def on_response_complete(self) -> None:
            self.waiting_since = self.loop.time()  # the next request's header starts now
            super().on_response_complete()

        def check_header(self) -> None:
            if self.transport.is_closing():
                return
            waited = self.loop.time() - self.waiting_since
            if self.conn.their_state is h11.IDLE and waited >= HEADER_SECONDS:
                self.transport.close()
                return
            self.header_timer = self.loop.call_later(max(HEADER_SECONDS - waited, 0.5), self.check_header)

        def connection_lost(self, exc) -> None:
            self.header_timer.cancel()
            super().connection_lost(exc)

    return TimelyH11Protocol


def uvicorn_options() -> dict:
    """The uvicorn settings `serve` adds to Datasette's (see the module docstring)."""
    return {"http": header_timeout_protocol(), "proxy_headers": False, "timeout_keep_alive": 5}


def allow_open_files() -> None:
    """Raise the soft limit on open files to the hard one: each held connection takes one."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):  # not on this system: the default stays
        pass


def run_datasette(arguments: list[str]) -> None:
    """Run Datasette in this process until it is stopped, with uvicorn_options()."""
    import datasette.cli
    import uvicorn

    options = uvicorn_options()
    inspect_folder = Path(arguments[arguments.index("--inspect-file") + 1]).parent

    def config(app, **kwargs):
        # Datasette has read the inspect file by now: its folder goes before serving (uvicorn ends
        # a SIGTERM by re-raising it, so nothing runs after the server stops).
        if inspect_folder.name.startswith(INSPECT_PREFIX):
            shutil.rmtree(inspect_folder, ignore_errors=True)
        return uvicorn.Config(app, **{**kwargs, **options})

    allow_open_files()
    # Datasette's CLI builds uvicorn.Config itself and has no option for these: it gets a uvicorn with ours.
    datasette.cli.uvicorn = types.SimpleNamespace(**{**vars(uvicorn), "Config": config})
    datasette.cli.cli.main(arguments, prog_name="datasette")
