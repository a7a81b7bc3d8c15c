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


def test_published_folder_serves_the_site_from_outside_the_repository(built, tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from weapon_use_positions.publish import COMMAND_FILE, publish_arguments, write_publish_folder

    from .conftest import free_port

    folder = write_publish_folder(tmp_path / "site")
    assert "datasette publish cloudrun" in (folder / COMMAND_FILE).read_text()
    port = free_port()
    datasette = Path(sys.executable).parent / "datasette"
    # the database immutable (-i), as publish serves it; every other file from the folder
    args = [str(datasette), "serve", "-i", *publish_arguments(), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(args, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        for path in (
            "/",
            "/timeline",
            "/matrix",
            "/actor/DEU",
            "/downloads/datapackage.json",
            "/weapon_use_positions/effective_stance.json?date=2024-06-15",
        ):
            assert httpx.get(base + path, timeout=10).status_code == 200, path
    finally:
        server.terminate()
        server.wait(timeout=10)
