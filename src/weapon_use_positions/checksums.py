"""Checksums of the built files: written by the build, checked by `wup.verify()`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .paths import MANIFEST_FILE as MANIFEST


class VerificationError(Exception):
    """A shipped file is missing or differs from the checksum recorded at build time."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path) -> None:
    """Record the sha256 of every file in the build folder (in `sha256sum` format)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    lines = [f"{file_sha256(p)}  {p.relative_to(folder).as_posix()}" for p in files]
    (folder / MANIFEST).write_text("\n".join(lines) + "\n")


def verify(folder: Path) -> int:
    """Recompute every checksum in the folder's manifest; raise naming the first file that differs."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise VerificationError(f"{manifest} is missing")
    entries = [line.split("  ", 1) for line in manifest.read_text().splitlines() if line]
    for expected, name in entries:
        path = folder / name
        if not path.is_file():
            raise VerificationError(f"{name} is missing from {folder}")
        actual = file_sha256(path)
        if actual != expected:
            raise VerificationError(f"{name} differs from the shipped file: sha256 {actual}, expected {expected}")
    return len(entries)
