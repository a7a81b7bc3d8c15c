"""The dataset version, which is also the package version (semantic versioning, see README)."""

__version__ = "1.3.0"
#: The day this version was released (CHANGELOG.md and CITATION.cff say the same).
__release_date__ = "2026-12-02"
