"""The site in a real browser: Debian's Chromium driven by Playwright against a real server on 127.0.0.1.

Every page is loaded with the network cut off: any request that would leave 127.0.0.1 fails
the test, as does any console error. Screenshots go to test-output/screenshots/.
"""

import datetime as dt
import shutil
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx
import pytest

import weapon_use_positions as wup
from weapon_use_positions.models import ALL_WEAPONS, STALE_AFTER_MONTHS, Stance

from .conftest import ROOT, running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)"
)


@pytest.fixture(scope="module")
def server(built):
    with running_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Offline:
    """A page whose every request must stay on 127.0.0.1; console errors are collected."""

    def __init__(self, browser, name):
        self.name = name
        self.page = browser.new_page(viewport={"width": 1300, "height": 900})
        self.errors, self.outside = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self.guard)

    def guard(self, route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def goto(self, url):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def finish(self):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}.png"), full_page=True)
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        self.page.close()


@pytest.fixture
def offline(browser, request):
    pages = []

    def open_page(name):
        page = Offline(browser, name)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.finish()


def test_home(server, offline):
    page = offline("home")
    page.goto(server + "/")
    text = page.page.inner_text("body")
    assert "stated position on how the weapons it supplies to Ukraine may be used" in text
    assert f"Version\n{wup.__version__}" in text or wup.__version__ in text
    assert "CC BY 4.0" in text
    for link in ("Timeline", "Matrix", "SQLite database", "datapackage.json"):
        assert page.page.get_by_role("link", name=link).count() >= 1
    assert page.page.title().startswith("Weapon-use positions")


def bands_in_force(page, date):
    return page.page.evaluate(
        """date => [...document.querySelectorAll('.band')]
            .filter(b => b.dataset.from <= date && (b.dataset.to === '' || b.dataset.to >= date))
            .map(b => [b.dataset.actor, b.dataset.weapons, b.dataset.position])""",
        date,
    )


@pytest.mark.parametrize("date", ["2022-06-15", "2024-06-15", "2024-11-25", "2025-10-15"])
def test_timeline_agrees_with_as_of(server, offline, date):
    """The bands in force on a date are the positions of every kind in force then (none ended by a general one)."""
    page = offline(f"timeline-{date}")
    page.goto(server + "/timeline")
    page.page.wait_for_selector(".band")
    expected = {
        (r["actor_id"], r["weapons"], r["position_id"])
        for r in wup.as_of(date, statement=None).iter_rows(named=True)
        if not r["inherited"]
    }
    assert {tuple(b) for b in bands_in_force(page, date)} == expected


def test_us_himars_band_ends_with_the_counter_fire_permission(server, offline):
    page = offline("timeline-himars")
    page.goto(server + "/timeline")
    band = page.page.locator('.band[data-position="usa-himars-2022-06-01"]')
    position = wup.positions().filter(id="usa-himars-2022-06-01").row(0, named=True)
    assert position["ended_by"] and str(position["valid_to"]) == band.get_attribute("data-to")


def test_timeline_details_and_filters(server, offline):
    page = offline("timeline")
    page.goto(server + "/timeline")
    band = page.page.locator('.band[data-position="deu-all-2024-05-31"]')
    band.click()
    details = page.page.locator("#details")
    assert details.is_visible()
    position = wup.positions().filter(id="deu-all-2024-05-31").row(0, named=True)
    assert position["summary"] in details.inner_text()
    assert details.locator("a[href^='http']").count() >= 1
    page.page.select_option("#timeline-weapon", "atacms")
    lanes = page.page.eval_on_selector_all(".lane", "ls => ls.map(l => l.dataset.weapons)")
    assert lanes and set(lanes) == {"atacms"}


def matrix_cells(page):
    return page.page.eval_on_selector_all(
        "table.rules td.cell",
        "cs => cs.map(c => [c.dataset.actor, c.dataset.weapons, c.dataset.stance, c.dataset.position])",
    )


def test_matrix_changes_with_the_date_and_agrees_with_as_of(server, offline):
    page = offline("matrix")
    page.goto(server + "/matrix?date=2024-05-01")
    page.page.wait_for_selector("td.cell")
    before = matrix_cells(page)
    page.page.fill("#matrix-date", "2024-06-15")
    page.page.dispatch_event("#matrix-date", "change")
    page.page.wait_for_selector('table.matrix-table[data-date="2024-06-15"]')
    after = matrix_cells(page)
    stance = {(a, w): s for a, w, s, _ in after}
    assert (
        stance[("DEU", "all")] == "limited"
        and dict(((a, w), s) for a, w, s, _ in before)[("DEU", "all")] == "not_permitted"
    )
    for weapon in {w for _, w, _, _ in after}:
        expected = {
            r["actor_id"]: (r["stance"], r["position_id"])
            for r in wup.as_of("2024-06-15", weapon=None if weapon == "all" else weapon).iter_rows(named=True)
            if weapon != "all" or r["weapons"] == "all"
        }
        shown = {a: (s, p) for a, w, s, p in after if w == weapon}
        assert shown == expected, weapon
    counts = page.page.eval_on_selector_all(
        'tfoot td[data-weapons="all"]', "ts => ts.map(t => [t.dataset.stance, +t.dataset.own])"
    )
    general = [s for a, w, s, _ in after if w == "all"]
    assert {s: n for s, n in counts if n} == {s: general.count(s) for s in set(general)}


def test_matrix_counts_rules_only_and_marks_inherited_and_stale_cells(server, offline):
    date = "2024-11-25"
    page = offline("matrix-kinds")
    page.goto(server + f"/matrix?date={date}")
    page.page.wait_for_selector("table.other-statements")
    cells = page.page.eval_on_selector_all(
        "table.rules td.cell",
        "cs => cs.map(c => [c.dataset.actor, c.dataset.weapons, c.dataset.inherited, c.dataset.stale, c.dataset.stance])",
    )
    by_cell = {(a, w): (i, st, s) for a, w, i, st, s in cells}
    rules = wup.as_of(date)
    assert {a for a, _ in by_cell} == set(rules["actor_id"])  # no view, warning or pledge among the rules
    assert by_cell[("USA", "himars")][0] == "1" and by_cell[("USA", "himars")][2] != "not_permitted"
    assert by_cell[("USA", "all")][0] == "0"
    year_before = dt.date.fromisoformat(date).replace(year=2023)  # STALE_AFTER_MONTHS = 12
    assert STALE_AFTER_MONTHS == 12
    for row in rules.iter_rows(named=True):
        stale = row["last_confirmed"] < year_before
        if not row["inherited"]:
            assert (by_cell[(row["actor_id"], row["weapons"])][1] == "1") == stale, row["position_id"]
    others = page.page.eval_on_selector_all(
        "table.other-statements tbody tr", "rs => rs.map(r => [r.dataset.actor, r.dataset.statement])"
    )
    every = wup.as_of(date, statement=None)
    expected = {
        (r["actor_id"], r["statement"])
        for r in every.iter_rows(named=True)
        if r["statement"] != "rule" and not r["inherited"]
    }
    assert {tuple(o) for o in others} == expected
    assert ("RUS", "warning") in expected
    inherited = page.page.eval_on_selector_all(
        'tfoot td[data-weapons="himars"]', "ts => ts.map(t => +t.dataset.inherited).reduce((a, b) => a + b, 0)"
    )
    assert inherited == sum(1 for (a, w), (i, _, _) in by_cell.items() if w == "himars" and i == "1")


def test_position_page(server, offline):
    page = offline("position")
    page.goto(server + "/position/usa-all-2024-05-31")
    text = page.page.inner_text("main, body")
    position = wup.positions().filter(id="usa-all-2024-05-31").row(0, named=True)
    assert position["quote"] in text
    assert f"Statement\n{position['statement']}" in text or position["statement"] in text
    for excerpt in wup.position_sources().filter(position_id="usa-all-2024-05-31")["excerpt"]:
        assert " ".join(excerpt.split())[:80] in " ".join(text.split())
    assert f"Last confirmed\n{position['last_confirmed']}" in text or str(position["last_confirmed"]) in text
    assert "Conditions" in text and "geographic" in text
    sources = page.page.locator("ol.sources li a")
    assert sources.count() == len(eval(position["sources"].replace("null", "None")))
    assert all(href.startswith("http") for href in sources.evaluate_all("as => as.map(a => a.href)"))
    timeline = wup.positions().filter(actor_id="USA", weapons="all").sort("valid_from")["id"].to_list()
    index = timeline.index("usa-all-2024-05-31")
    assert page.page.locator("a[rel=prev]").get_attribute("href") == f"/position/{timeline[index - 1]}"
    assert page.page.locator("a[rel=next]").get_attribute("href") == f"/position/{timeline[index + 1]}"
    assert "United States" in page.page.title()


def test_missing_position_is_404(server):
    assert httpx.get(server + "/position/no-such-position").status_code == 404


def test_search(server, offline):
    page = offline("search")
    page.goto(server + "/search")
    page.page.fill("#search-q", "Kharkiv counter-fire")
    page.page.click("button[type=submit]")
    page.page.wait_for_load_state("networkidle")
    results = page.page.locator("ol.results li")
    assert results.count() >= 1
    assert (
        "usa-all-2024-05-30" in page.page.locator("ol.results li a").first.get_attribute("href") or results.count() > 1
    )
    assert "match" in page.page.inner_text(".result-count")


def test_search_odd_input_is_not_an_error(server):
    response = httpx.get(server + "/search", params={"q": 'NEAR( "unclosed * OR'})
    assert response.status_code == 200


def test_feed_has_an_entry_per_position_change_dated_by_its_release(server):
    feed = httpx.get(server + "/weapon_use_positions/position_feed.atom")
    assert feed.status_code == 200 and feed.text.startswith("<?xml")
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.fromstring(feed.content).findall(atom + "entry")
    released = {r["version"]: r["date"] for r in wup.table("releases").iter_rows(named=True)}
    changes = [
        r for r in wup.table("changes").iter_rows(named=True) if r["table"] == "positions" and r["release"] in released
    ]
    newest = sorted(changes, key=lambda r: (tuple(-int(n) for n in r["release"].split(".")), r["record_id"]))[:200]
    got = {}
    for entry in entries:
        record_id, release = entry.findtext(atom + "id").rsplit(":position/", 1)[1].rsplit("/", 1)
        got[record_id, release] = entry
        assert entry.findtext(atom + "updated") == f"{released[release]}T00:00:00+00:00"
        link = entry.find(atom + "link").get("href")
        assert link.startswith(server + "/"), link
    assert set(got) == {(r["record_id"], r["release"]) for r in newest}
    # A position stated years before the release it was added in reaches subscribers on the release date.
    stated = dict(wup.positions().select("id", "valid_from").iter_rows())
    old = next(
        (r["record_id"], r["release"])
        for r in newest
        if r["change"] == "added" and r["record_id"] in stated and stated[r["record_id"]].year < 2024
    )
    link = got[old].find(atom + "link").get("href")
    assert link == f"{server}/position/{old[0]}" and httpx.get(link).status_code == 200
    retired = [key for key, r in got.items() if r.findtext(atom + "title").startswith("retired")]
    assert all(key[0] not in set(wup.positions()["id"]) for key in retired)


def test_robots_and_downloads(server):
    robots = httpx.get(server + "/robots.txt").text
    assert "Disallow: /weapon_use_positions/-/" in robots
    for path in ("/downloads/datapackage.json", "/downloads/csv/positions.csv", "/weapon_use_positions.db"):
        assert httpx.get(server + path).status_code == 200, path


def test_timeline_marks_every_restatement(server, offline):
    page = offline("timeline-restated")
    page.goto(server + "/timeline")
    page.page.wait_for_selector(".band")
    marks = page.page.eval_on_selector_all(".restated", "ms => ms.map(m => [m.dataset.position, m.dataset.date])")
    confirmations = wup.table("position_confirmations")
    assert sorted(tuple(m) for m in marks) == sorted(
        (r["position_id"], str(r["date"])) for r in confirmations.iter_rows(named=True)
    )
    assert marks


@pytest.mark.parametrize(
    "query,words",
    [
        ("effective_stance.json?date=2024&weapon=&actor=", "date '2024' is not a date"),
        ("effective_stance.json?date=15.06.2024", "is not a date"),
        ("effective_stance.json?date=2024-06-15&actor=deu", "did you mean 'DEU'?"),
        ("effective_stance.json?date=2024-06-15&weapon=nonexistent", "unknown weapon system 'nonexistent'"),
        ("effective_stance.json?date=2024-06-15&statement=opinion", "unknown statement kind"),
        ("changes_between.json?start=2024-11-01&end=2024-11", "end '2024-11' is not a date"),
        ("positions_for_weapon.json?weapon=ATACMS", "did you mean 'atacms'?"),
    ],
)
def test_stored_queries_refuse_bad_questions(server, query, words):
    from weapon_use_positions.paths import DATABASE

    response = httpx.get(f"{server}/{DATABASE}/{query}", timeout=10)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_stored_query_page_shows_the_refusal_and_answers_good_questions(server):
    from weapon_use_positions.paths import DATABASE

    page = httpx.get(f"{server}/{DATABASE}/effective_stance?date=2024-06-15&actor=deu", timeout=10)
    assert page.status_code == 400 and "did you mean &#x27;DEU&#x27;?" in page.text
    good = httpx.get(f"{server}/{DATABASE}/effective_stance.json?date=2024-06-15&actor=DEU&_shape=array", timeout=10)
    assert good.status_code == 200 and {r["actor_id"] for r in good.json()} == {"DEU"}
    assert httpx.get(f"{server}/{DATABASE}/effective_stance", timeout=10).status_code == 200  # the bare form


def test_matrix_says_when_the_date_is_not_a_date(server, offline):
    page = offline("matrix-bad-date")
    page.goto(server + "/matrix?date=not-a-date")
    message = page.page.wait_for_selector("#matrix .message")
    assert "is not a date" in message.inner_text()
    assert page.page.locator("table.matrix-table").count() == 0
    page.page.fill("#matrix-date", "2024-06-15")
    page.page.dispatch_event("#matrix-date", "change")
    page.page.wait_for_selector('table.matrix-table[data-date="2024-06-15"]')


def test_downloads_have_their_media_types(server):
    parquet = httpx.get(f"{server}/downloads/parquet/positions.parquet", timeout=10)
    assert parquet.status_code == 200
    assert parquet.headers["content-type"].startswith("application/vnd.apache.parquet")
    assert parquet.content[:4] == b"PAR1"
    csv = httpx.get(f"{server}/downloads/csv/positions.csv", timeout=10)
    assert csv.headers["content-type"].startswith("text/csv")


def mentioning(pattern: str) -> set[str]:
    """Ids of the positions whose searched text (words, limits, speaker, actor's name) matches a pattern."""
    import re

    conditions = {}
    for row in wup.conditions().iter_rows(named=True):
        conditions.setdefault(row["position_id"], []).append(row["text"])
    names = dict(wup.actors().select("id", "name").iter_rows())
    found = set()
    for p in wup.positions().iter_rows(named=True):
        fields = ("summary", "quote", "quote_translation", "note", "stated_by", "stated_by_role")
        text = " ".join(str(p[f] or "") for f in fields) + " " + " ".join(conditions.get(p["id"], []))
        if re.search(pattern, text + " " + names[p["actor_id"]], re.I):
            found.add(p["id"])
    return found


@pytest.mark.parametrize(
    "words,pattern",
    [
        ("Hebestreit", r"\bhebestreit\b"),
        ("strikes", r"\bstrik(e|es|ing|ed)\b"),
        ("Germany", r"\bgermany\b"),
    ],
)
def test_search_finds_every_position_that_mentions_the_words(server, words, pattern):
    page = httpx.get(f"{server}/search", params={"q": words}, timeout=10)
    assert page.status_code == 200
    import re

    shown = set(re.findall(r'<li data-position="([^"]+)"', page.text))
    assert shown == mentioning(pattern)
    assert "<mark>" in page.text


def test_actor_page_lists_every_position_newest_first(server, offline):
    page = offline("actor")
    page.goto(server + "/actor/DEU")
    listed = page.page.eval_on_selector_all(".actor-positions > li", "ls => ls.map(l => l.dataset.position)")
    expected = wup.positions().filter(actor_id="DEU").sort(["valid_from", "id"], descending=[True, False])
    assert listed == expected["id"].to_list()
    text = page.page.inner_text("main, body")
    for row in expected.iter_rows(named=True):
        if row["quote_translation"]:
            assert row["quote_translation"][:60] in text
    scopes = page.page.eval_on_selector_all(
        ".actor-timeline tbody tr", "rs => rs.map(r => [r.dataset.statement, r.dataset.weapons])"
    )
    assert {tuple(s) for s in scopes} == set(expected.select("statement", "weapons").iter_rows())


def test_actors_are_linked_from_the_matrix_the_timeline_and_position_pages(server, offline):
    page = offline("actor-links")
    page.goto(server + "/matrix?date=2024-06-15")
    page.page.wait_for_selector("table.rules")
    assert page.page.locator('table.rules a.actor-link[href="/actor/DEU"]').count() == 1
    page.goto(server + "/timeline")
    page.page.wait_for_selector(".band")
    assert page.page.locator('.actor-name a.actor-link[href="/actor/DEU"]').count() == 1
    page.goto(server + "/position/deu-all-2024-05-31")
    page.page.click("h1 a.actor-link")
    page.page.wait_for_url("**/actor/DEU")


def test_unknown_actor_is_404_and_an_actor_without_positions_says_so(server):
    assert httpx.get(f"{server}/actor/deu", timeout=10).status_code == 404
    without = wup.actors().filter(~wup.actors()["id"].is_in(wup.positions()["actor_id"].unique()))
    if without.height:
        page = httpx.get(f"{server}/actor/{without['id'][0]}", timeout=10)
        assert page.status_code == 200 and "No stated position" in page.text


def test_timeline_panel_opens_in_view_with_the_translation_and_filters_live_in_the_address(server, offline):
    page = offline("timeline-panel")
    page.goto(server + "/timeline")
    page.page.wait_for_selector(".band")
    assert page.page.eval_on_selector("#details", "d => d.getBoundingClientRect().height") == 0
    translated = wup.positions().filter(wup.positions()["quote_translation"].is_not_null()).sort("valid_from")
    position = translated.row(0, named=True)
    page.page.locator(f'.band[data-position="{position["id"]}"]').click()
    box = page.page.eval_on_selector(
        "#details", "d => { const r = d.getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; }"
    )
    assert box[0] < box[2] and box[1] > 0, box  # on screen
    assert position["quote_translation"][:50] in page.page.inner_text("#details")
    page.page.select_option("#timeline-weapon", "atacms")
    assert "weapon=atacms" in page.page.url
    page.goto(server + "/timeline?weapon=atacms")
    page.page.wait_for_selector(".lane")
    lanes = page.page.eval_on_selector_all(".lane", "ls => ls.map(l => l.dataset.weapons)")
    assert lanes and set(lanes) == {"atacms"}


def test_home_page_links_the_spreadsheet_downloads_and_croissant(server):
    from weapon_use_positions.paths import CROISSANT_FILE, CSV_ZIP_FILE, WORKBOOK_FILE

    home = httpx.get(server + "/", timeout=10).text
    for name in (WORKBOOK_FILE, CSV_ZIP_FILE, CROISSANT_FILE):
        assert f"/downloads/{name}" in home
        assert httpx.get(f"{server}/downloads/{name}", timeout=10).status_code == 200


def test_datasette_pages_read_as_their_users_expect(server):
    from weapon_use_positions.paths import DATABASE

    query = httpx.get(f"{server}/{DATABASE}/effective_stance?date=2024-06-15", timeout=10).text
    assert "_show_sql=1" in query and 'id="sql-editor"' not in query  # the SQL is one click away
    row = httpx.get(f"{server}/{DATABASE}/positions?weapons=atacms&_size=5", timeout=10).text
    assert f'href="/{DATABASE}/weapon_systems/atacms"' in row
    general = httpx.get(f"{server}/{DATABASE}/positions?id=usa-all-2024-05-30", timeout=10).text
    assert '<ul class="cell-list"><li>himars</li>' in general  # covers
    assert "[&#34;" not in general and '["' not in general.split("<table")[1].split("</table>")[0]


def test_responses_are_compressed_only_for_clients_that_ask(server):
    from weapon_use_positions.paths import DATABASE

    url = f"{server}/{DATABASE}/positions.json?_size=100"
    for _ in range(2):  # the second answer comes from the response cache
        packed = httpx.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert packed.headers.get("content-encoding") == "gzip"
        assert int(packed.headers["content-length"]) < len(packed.content)
        plain = httpx.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
        assert "content-encoding" not in plain.headers
        assert plain.json() == packed.json()


def test_home_page_describes_the_dataset_for_search_engines(server):
    import hashlib
    import json
    import re

    home = httpx.get(server + "/", timeout=10).text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', home, re.S).group(1))
    assert (data["@type"], data["version"]) == ("Dataset", wup.__version__)
    assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    positions = wup.positions()
    assert data["temporalCoverage"] == f"{positions['valid_from'].min()}/{positions['last_confirmed'].max()}"
    assert len(data["distribution"]) >= 5
    for item in data["distribution"]:
        body = httpx.get(item["contentUrl"], timeout=30, headers={"Accept-Encoding": "identity"}).content
        assert hashlib.sha256(body).hexdigest() == item["sha256"], item["name"]


def map_expectation(date, statement):
    """Each actor's colour on the map, from wup.as_of: its general position, else its latest system one."""
    rows = [r for r in wup.as_of(date, statement=statement).iter_rows(named=True) if not r["inherited"]]
    shown = {}
    for r in sorted(rows, key=lambda r: (r["weapons"] != ALL_WEAPONS, -r["valid_from"].toordinal())):
        shown.setdefault(r["actor_id"], r)
    return {actor: (r["stance"], r["position_id"]) for actor, r in shown.items()}


@pytest.mark.parametrize(
    "date,statement",
    [
        ("2022-06-15", "rule"),
        ("2024-06-15", "rule"),
        ("2024-11-25", "rule"),
        ("2025-10-15", "rule"),
        ("2024-11-25", "view"),
    ],
)
def test_map_colours_countries_as_as_of_answers(server, offline, date, statement):
    page = offline(f"map-{date}-{statement}")
    page.goto(f"{server}/map?date={date}&statement={statement}")
    page.page.wait_for_selector("#map[aria-busy=false]")
    on_map = page.page.eval_on_selector_all(
        "svg.world .country",
        """cs => cs.map(c => [c.dataset.actor, c.dataset.stance || null, c.dataset.position || null,
                              getComputedStyle(c.querySelector('path')).fill])""",
    )
    expected = map_expectation(date, statement)
    drawn = {actor for actor, *_ in on_map}
    states = set(wup.actors().filter(kind="state")["id"])
    assert set(expected) & states <= drawn, "every state with a position is on the map"
    for actor, stance, position, fill in on_map:
        want = expected.get(actor)
        assert (stance, position) == (want or (None, None)), actor
        assert fill == (f'url("#map-stance-{want[0]}")' if want else "rgb(216, 216, 216)"), actor
    coloured = [a for a, s, *_ in on_map if s]
    assert coloured, "some country is coloured"
    # The colour under each pattern is the stance's colour from the site's palette.
    from .test_palette import vocabulary_plugin

    colours = vocabulary_plugin().STANCE_COLOURS
    for stance in {s for _, s, *_ in on_map if s}:
        rect = page.page.locator(f"#map-stance-{stance} rect")
        assert rect.get_attribute("fill") == colours[Stance(stance)]


def test_map_hover_links_play_and_bad_date(server, offline):
    page = offline("map")
    page.goto(f"{server}/map?date=2024-11-25&view=europe")
    page.page.wait_for_selector("#map[aria-busy=false]")
    germany = page.page.locator('svg.world a.country[data-actor="DEU"]')
    assert germany.get_attribute("href") == "/actor/DEU"
    germany.locator("path").hover()
    details = page.page.locator("#map-details")
    assert details.is_visible() and "Germany" in details.inner_text()
    assert details.locator('a[href="/actor/DEU"]').count() == 1
    assert page.page.locator("svg.world").get_attribute("viewBox") == page.page.locator("svg.world").get_attribute(
        "data-view-europe"
    )
    # Organisations are listed under the map, coloured the same way.
    eu = page.page.locator('#map-organisations tr[data-actor="EU"] td')
    assert eu.count() == 1
    # The slider and the play button move through time, and the address keeps the date.
    page.page.locator("#map-play").click()
    page.page.wait_for_function("document.querySelector('#map-date').value > '2024-11-25'")
    page.page.locator("#map-play").click()
    page.page.wait_for_selector("#map[aria-busy=false]")
    assert "date=" in page.page.url and "2024-11-25" not in page.page.url
    bad = offline("map-bad-date")
    bad.goto(f"{server}/map?date=not-a-date")
    message = bad.page.locator("#map-message")
    assert message.is_visible() and "is not a date" in message.inner_text()


def test_map_states_where_its_shapes_come_from(server):
    page = httpx.get(f"{server}/map", timeout=30).text
    assert "Natural Earth" in page and "public domain" in page
