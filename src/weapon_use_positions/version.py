"""The dataset version, which is also the package version (semantic versioning, see README)."""

__version__ = "0.1.0"
