"""`weapon-use-positions serve` starts a real Datasette on 127.0.0.1 serving the build."""

import httpx

from weapon_use_positions.paths import DATABASE

from .conftest import running_server


def test_serve_answers_on_localhost(built):
    with running_server() as base:
        home = httpx.get(base + "/", timeout=5)
        assert home.status_code == 200
        assert "Weapon-use positions" in home.text
        rows = httpx.get(f"{base}/{DATABASE}/effective_stance.json?date=2024-06-15&_shape=array", timeout=5).json()
        assert any(r["actor_id"] == "USA" for r in rows)
        download = httpx.get(f"{base}/downloads/datapackage.json", timeout=5)
        assert download.status_code == 200 and download.json()["name"] == "weapon-use-positions"
        db = httpx.get(f"{base}/{DATABASE}.db", timeout=5)
        assert db.status_code == 200 and db.content.startswith(b"SQLite format 3")
