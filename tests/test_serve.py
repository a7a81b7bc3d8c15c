"""`weapon-use-positions serve` starts a real Datasette on 127.0.0.1 serving the build."""

import socket
import subprocess
import sys
import time

import httpx

from weapon_use_positions.build import DATABASE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_localhost(built):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "weapon_use_positions", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                home = httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start in 30 s"
                time.sleep(0.2)
        assert home.status_code == 200
        assert "Weapon-use positions" in home.text
        rows = httpx.get(f"{base}/{DATABASE}/effective_stance.json?date=2024-06-15&_shape=array", timeout=5).json()
        assert any(r["actor_id"] == "USA" for r in rows)
        download = httpx.get(f"{base}/downloads/datapackage.json", timeout=5)
        assert download.status_code == 200 and download.json()["name"] == "weapon-use-positions"
        db = httpx.get(f"{base}/{DATABASE}.db", timeout=5)
        assert db.status_code == 200 and db.content.startswith(b"SQLite format 3")
    finally:
        server.terminate()
        server.wait(timeout=10)
