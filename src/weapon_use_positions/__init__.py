"""weapon-use-positions: governments' stated positions on how the weapons they supply may be used.

import weapon_use_positions as wup
wup.tables()                              # what there is
wup.positions()                           # a polars DataFrame
wup.as_of("2024-06-15", weapon="atacms")  # the effective stance of every actor on a day
"""

from importlib import import_module
from importlib.util import find_spec

from .version import __release_date__ as __release_date__
from .version import __version__ as __version__


def _api():
    # The API imports polars; load it on first use so `import weapon_use_positions` stays cheap.
    return import_module(f"{__name__}.api")


def __getattr__(name: str):
    if name == "__all__":
        return ["__version__", "__release_date__", *_api().__all__]
    if name.startswith("_"):
        raise AttributeError(f"module 'weapon_use_positions' has no attribute {name!r}")
    # `from . import paths` asks the package for its submodule first: answer without loading the API.
    if find_spec(f"{__name__}.{name}") is not None:
        return import_module(f"{__name__}.{name}")
    if name in _api().__all__:
        return getattr(_api(), name)
    raise AttributeError(f"module 'weapon_use_positions' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_api().__all__} - {"_api", "import_module", "find_spec"})
