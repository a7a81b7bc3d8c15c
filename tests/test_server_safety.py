"""The public server fails safe: read-only, bounded queries, no leaks in errors, data shown as text."""

import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from weapon_use_positions.build import build
from weapon_use_positions.paths import DATABASE

from .conftest import MINIMAL, ROOT, running_server

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The fixture tree plus a record full of markup, built and served on 127.0.0.1."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(MINIMAL, data)
    shutil.copy(HOSTILE / "positions" / "xss.yaml", data / "positions" / "xss.yaml")
    out = data.parent / "dataset"
    build(data, out)
    with running_server(out) as base:
        yield base


def test_writes_are_refused(hostile_site):
    for sql in (
        "delete from positions",
        "drop table positions",
        "update actors set name = 'x'",
        "insert into actors (id, name, kind) values ('X', 'x', 'state')",
    ):
        response = httpx.get(f"{hostile_site}/{DATABASE}/-/query.json", params={"sql": sql})
        assert response.status_code in (400, 403), sql
    write = httpx.post(f"{hostile_site}/{DATABASE}/-/execute-write", data={"sql": "delete from positions"})
    assert write.status_code in (403, 404, 405)
    assert httpx.get(f"{hostile_site}/{DATABASE}/positions.json?_size=0").status_code == 200


def test_pathological_query_is_stopped_while_others_are_answered(hostile_site):
    heavy = {}

    def run_heavy():
        start = time.monotonic()
        heavy["response"] = httpx.get(
            f"{hostile_site}/{DATABASE}/-/query.json",
            params={"sql": "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"},
            timeout=60,
        )
        heavy["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.3)
    for n in range(10):
        start = time.monotonic()
        response = httpx.get(
            f"{hostile_site}/{DATABASE}/-/query.json", params={"sql": f"select count(*) + {n} from actors"}
        )
        assert response.status_code == 200
        assert time.monotonic() - start < 1.5, "a simple query waited behind the pathological one"
    thread.join(timeout=60)
    assert heavy["response"].status_code == 400
    assert "interrupted" in heavy["response"].text.lower() or "time limit" in heavy["response"].text.lower()
    assert heavy["seconds"] < 10


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page",
        f"/{DATABASE}/no_such_table",
        f"/{DATABASE}/-/query?sql=select+from+where",
        f"/{DATABASE}/positions?_sort=no_such_column",
        f"/{DATABASE}/positions.json?_extra=bogus",
        "/position/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/search?q=%22unclosed+NEAR(",
        f"/{DATABASE}/effective_stance.json?date=not-a-date",
    ],
)
def test_error_pages_leak_nothing(hostile_site, path):
    response = httpx.get(hostile_site + path)
    assert response.status_code < 500, response.text[:300]
    body = response.text
    for secret in ("Traceback", "site-packages", str(ROOT), "/tmp/", 'File "'):
        assert secret not in body, (path, secret)
    assert "<script>alert(1)</script>" not in body


def test_markup_in_data_is_shown_as_text(hostile_site):
    from playwright.sync_api import sync_playwright

    from .test_site import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pages = [
            "/position/aaa-all-2024-06-01",
            f"/{DATABASE}/positions",
            f"/{DATABASE}/positions/aaa-all-2024-06-01",
            f"/{DATABASE}/sources",
            "/search?q=xss",
            "/timeline",
            "/matrix?date=2024-06-15",
        ]
        for path in pages:
            page.goto(hostile_site + path)
            page.wait_for_load_state("networkidle")
            if path == "/timeline":
                page.click('.band[data-position="aaa-all-2024-06-01"]')
            assert page.evaluate("window.__xss") is None, path
            hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
            assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))], path
        page.goto(hostile_site + "/position/aaa-all-2024-06-01")
        text = page.inner_text("body")
        assert "<script>window.__xss='summary'</script>" in text
        assert "condition text" in text and "onerror" in text
        assert page.locator("ol.sources a").get_attribute("href").startswith("https://example.org/")
        assert dialogs == []
        browser.close()
