"""weapon-use-positions: governments' stated positions on how the weapons they supply may be used.

import weapon_use_positions as wup
wup.as_of("2024-06-15", weapon="atacms")
"""

from .version import __version__

__all__ = ["__version__", "actors", "as_of", "connect", "positions", "sources", "verify", "weapon_systems"]

_API = {"actors", "as_of", "connect", "positions", "sources", "verify", "weapon_systems", "dataset_dir", "table"}


def __getattr__(name):
    # The API imports polars; load it on first use so `import weapon_use_positions` stays cheap.
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'weapon_use_positions' has no attribute {name!r}")
