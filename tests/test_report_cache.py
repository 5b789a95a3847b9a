"""The report pages' per-process cache (REPORT_CACHE_SECONDS): a second view within the
time does not recompute, a write shows once the time has passed, and nothing computed
for one reader reaches another whose figures differ (HR and leaders, languages, filters,
thresholds). CSV exports are always fresh; 0 keeps nothing; a bad setting is refused."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import Counter
from datetime import datetime

import pytest

from mentoring import create_app
from mentoring.cohorts.models import Enrollment
from mentoring.config import load_config
from mentoring.extensions import db
from mentoring.people.models import Person
from mentoring.reports import views
from mentoring.reports.cache import ComputedReport, ReportCache, ReportKey
from mentoring.reports.queries import ReportFilter
from tests.conftest import PASSWORD, signed_in
from tests.i18n_helpers import compiled_catalogues  # noqa: F401 - French served here
from tests.test_reports import NOW, _count_queries, build_world


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _empty_report_cache(request: pytest.FixtureRequest):
    """Each test starts and ends with no computed report kept, so tests stay independent."""
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    if app is not None:
        app.extensions.pop(views.CACHE_EXTENSION, None)
    yield
    if app is not None:
        app.extensions.pop(views.CACHE_EXTENSION, None)


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    """The cache on (60 seconds, as by default), its time moved by the test."""
    clock = Clock()
    monkeypatch.setitem(app.config, "REPORT_CACHE_SECONDS", 60)
    app.extensions[views.CACHE_EXTENSION] = ReportCache(60, timer=clock)
    return clock


@pytest.fixture
def computed(monkeypatch) -> Counter:
    """How many times each page's figures were computed (overview, comparison)."""
    calls: Counter = Counter()
    for name in ("overview", "comparison"):
        real = getattr(views, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(views, name, counting)
    return calls


@pytest.fixture
def moment(monkeypatch) -> list[datetime]:
    """The time the views read (`utcnow`): NOW until the test moves it."""
    now = [NOW]
    monkeypatch.setattr(views, "utcnow", lambda: now[0])
    return now


def section(html: str, key: str) -> str:
    """One report table of a page, its chart and its CSV link."""
    start = html.index(f'<section class="report-section" id="{key}"')
    return html[start : html.index("</section>", start)]


def cells(html: str, key: str, row: str) -> list[str]:
    """The texts of one row of one report table of a page."""
    body = section(html, key)
    found = re.search(rf'<th scope="row">{re.escape(row)}</th>(.*?)</tr>', body, re.DOTALL)
    assert found, (key, row)
    return re.findall(r"<td[^>]*>(.*?)</td>", found[1])


def enrolled(html: str) -> list[str]:
    """The funnel's enrolled counts: executives, then juniors (each side has 3 columns)."""
    return cells(html, "funnel", "Enrolled")[::3]


def csv_enrolled(text: str) -> list[str]:
    """The enrolled counts of the funnel's CSV export."""
    row = next(row for row in csv.reader(io.StringIO(text)) if row[0] == "Enrolled")
    return row[1::3]


def produced_on(html: str) -> str:
    """The page's "Produced on ..." moment."""
    found = re.search(r"Produced on ([^.]+)\.", html)
    assert found
    return found[1]


def enroll_mentee(app, cohort_id: int, key: str) -> None:
    """One more executive enrolled in the cohort (a write the report counts)."""
    with app.app_context():
        person = Person(
            email=f"{key}@example.org",
            name=f"Late Joiner {key}",
            department="Sales",
            seniority_level=8,
            roles=("mentee",),
        )
        db.session.add(person)
        db.session.flush()
        db.session.add(Enrollment(cohort_id=cohort_id, person_id=person.id, side="mentee"))
        db.session.commit()


def hr(app, make_person, email: str = "hr@example.org", **fields):
    make_person(email, roles=("admin",), **fields)
    return signed_in(app, email, PASSWORD)


def leader(app, make_person, email: str = "boss@example.org", **fields):
    make_person(email, roles=("leader",), **fields)
    return signed_in(app, email, PASSWORD)


# The pages ------------------------------------------------------------------------------------


def test_a_second_view_is_not_recomputed(
    app, make_person, make_cohort, make_pair, clock, computed, moment
):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    make_pair(cohort_id=other)
    client = hr(app, make_person)
    compare = f"/reports/compare?cohort={world.cohort}&cohort={other}"

    first_queries = _count_queries(app, client, "/reports/")
    first = client.get("/reports/").get_data(as_text=True)
    second_queries = _count_queries(app, client, "/reports/")
    assert computed == {"overview": 1}
    # The charts carry a random id drawn at each computation: the same page is the kept one.
    charts = re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', first)
    assert charts and charts == re.findall(
        r'src="(data:image/svg\+xml;base64,[^"]+)"', client.get("/reports/").get_data(as_text=True)
    )
    assert second_queries < first_queries

    client.get(compare)
    client.get(compare)
    assert computed == {"overview": 1, "comparison": 1}


def test_a_write_shows_once_the_time_has_passed(app, make_person, clock, computed, moment):
    world = build_world(app)
    client = hr(app, make_person)
    page = client.get("/reports/").get_data(as_text=True)
    assert enrolled(page) == ["4", "3"]
    assert "10 March 2026" in produced_on(page) and ":00" in produced_on(page)

    enroll_mentee(app, world.cohort, "m5")
    clock.now += 59
    moment[0] = NOW.replace(minute=41)
    page = client.get("/reports/").get_data(as_text=True)
    assert enrolled(page) == ["4", "3"]
    # "Produced on" is the moment the figures were computed, not this view's.
    assert ":00" in produced_on(page) and ":41" not in produced_on(page)
    assert "may be up to 1 minute old" in page

    clock.now += 1
    page = client.get("/reports/").get_data(as_text=True)
    assert enrolled(page) == ["5", "3"]
    assert ":41" in produced_on(page)
    assert computed == {"overview": 2}


def test_hr_and_leaders_never_share_figures(app, make_person, monkeypatch, clock, computed, moment):
    build_world(app)
    boss = leader(app, make_person)
    people = hr(app, make_person)
    filters = "/reports/"

    as_leader = boss.get(filters).get_data(as_text=True)
    as_hr = people.get(filters).get_data(as_text=True)
    assert enrolled(as_leader) == ["fewer than 5", "fewer than 5"]
    assert enrolled(as_hr) == ["4", "3"]
    assert "You see exact counts" in as_hr and "You see exact counts" not in as_leader
    # Each kept its own: seen again, each still sees only theirs.
    assert enrolled(boss.get(filters).get_data(as_text=True)) == ["fewer than 5"] * 2
    assert enrolled(people.get(filters).get_data(as_text=True)) == ["4", "3"]
    assert computed == {"overview": 2}

    # A lower threshold is another report for leaders (never the one kept for 5).
    monkeypatch.setitem(app.config, "REPORT_MIN_GROUP", 3)
    assert enrolled(boss.get(filters).get_data(as_text=True)) == ["4", "3"]
    # HR's counts are exact either way, but the statistics need the threshold's people:
    # 3 executives rated their confidence, enough for an interval at 3, not at 5.
    learning_at_3 = section(people.get(filters).get_data(as_text=True), "learning_mentee")
    monkeypatch.setitem(app.config, "REPORT_MIN_GROUP", 5)
    assert enrolled(boss.get(filters).get_data(as_text=True)) == ["fewer than 5"] * 2
    learning_at_5 = section(as_hr, "learning_mentee")
    assert (
        learning_at_5[learning_at_5.index("<table") :]
        != (learning_at_3[learning_at_3.index("<table") :])
    )
    assert section(people.get(filters).get_data(as_text=True), "learning_mentee") == (
        section(as_hr, "learning_mentee")
    )
    assert computed == {"overview": 4}


def test_each_language_gets_its_own_report(app, make_person, clock, computed, moment):
    build_world(app)
    french = hr(app, make_person, "rh@example.org", locale="fr")
    english = hr(app, make_person, "hr@example.org", locale="en")

    page_fr = french.get("/reports/").get_data(as_text=True)
    page_en = english.get("/reports/").get_data(as_text=True)
    assert '<html lang="fr">' in page_fr
    assert "Entonnoir des dirigeants par service" in page_fr
    assert "Executives' funnel by department" not in page_fr.replace("&#39;", "'")
    assert "Executives&#39; funnel by department" in page_en
    assert "Entonnoir" not in page_en
    assert "Entonnoir" in french.get("/reports/").get_data(as_text=True)
    assert computed == {"overview": 2}


def test_different_filters_do_not_share(
    app, make_person, make_cohort, make_pair, clock, computed, moment
):
    world = build_world(app)
    other = make_cohort(name="Other", status="active")
    third = make_cohort(name="Third", status="active")
    make_pair(cohort_id=other)
    client = hr(app, make_person)

    everyone = client.get("/reports/").get_data(as_text=True)
    executives = client.get("/reports/?side=mentee").get_data(as_text=True)
    pilot = client.get(f"/reports/?cohort={world.cohort}").get_data(as_text=True)
    elsewhere = client.get(f"/reports/?cohort={other}").get_data(as_text=True)
    assert enrolled(everyone) == ["5", "4"]
    assert enrolled(executives) == ["5"]
    assert enrolled(pilot) == ["4", "3"]
    assert enrolled(elsewhere) == ["1", "1"]
    assert computed == {"overview": 4}

    two = client.get(f"/reports/compare?cohort={world.cohort}&cohort={other}")
    three = client.get(f"/reports/compare?cohort={world.cohort}&cohort={other}&cohort={third}")
    assert "Third" not in section(two.get_data(as_text=True), "comparison")
    assert "Third" in section(three.get_data(as_text=True), "comparison")
    assert computed["comparison"] == 2


def test_csv_exports_are_always_fresh(app, make_person, clock, computed, moment):
    world = build_world(app)
    client = hr(app, make_person)
    assert enrolled(client.get("/reports/").get_data(as_text=True)) == ["4", "3"]
    assert csv_enrolled(client.get("/reports/export/funnel.csv").get_data(as_text=True)) == [
        "4",
        "3",
    ]

    enroll_mentee(app, world.cohort, "m5")
    assert enrolled(client.get("/reports/").get_data(as_text=True)) == ["4", "3"]
    assert csv_enrolled(client.get("/reports/export/funnel.csv").get_data(as_text=True)) == [
        "5",
        "3",
    ]
    assert computed == {"overview": 3}  # the page once, each export on its own


def test_zero_seconds_keeps_nothing(app, make_person, computed, moment):
    assert app.config["REPORT_CACHE_SECONDS"] == 0  # the tests' setting
    world = build_world(app)
    client = hr(app, make_person)
    page = client.get("/reports/").get_data(as_text=True)
    assert enrolled(page) == ["4", "3"]
    assert "may be up to" not in page

    enroll_mentee(app, world.cohort, "m5")
    moment[0] = NOW.replace(minute=41)
    page = client.get("/reports/").get_data(as_text=True)
    assert enrolled(page) == ["5", "3"]
    assert ":41" in produced_on(page)
    assert computed == {"overview": 2}
    with app.app_context():
        assert len(views.report_cache()) == 0


@pytest.mark.parametrize(
    ("seconds", "sentence"),
    [
        (60, "The figures on this page may be up to 1 minute old"),
        (300, "The figures on this page may be up to 5 minutes old"),
        (1, "The figures on this page may be up to 1 second old"),
        (90, "The figures on this page may be up to 90 seconds old"),
    ],
)
def test_the_page_says_how_old_its_figures_may_be(
    app, make_person, make_cohort, monkeypatch, seconds, sentence
):
    monkeypatch.setitem(app.config, "REPORT_CACHE_SECONDS", seconds)
    build_world(app)
    other = make_cohort(name="Other", status="active")
    client = hr(app, make_person)
    for url in ("/reports/", f"/reports/compare?cohort={other}"):
        page = client.get(url).get_data(as_text=True)
        assert f"{sentence}; the CSV downloads are always computed when you download them." in (
            page
        ), url
    # The HR-only lists are computed on every view and say nothing of the kind.
    assert "may be up to" not in client.get("/reports/at-risk").get_data(as_text=True)


# The setting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", " ", -5, True, 2.5])
def test_a_bad_setting_is_refused(value):
    with pytest.raises(ValueError, match="REPORT_CACHE_SECONDS is .*whole number of seconds"):
        load_config("instance", {"REPORT_CACHE_SECONDS": value})


def test_a_bad_setting_in_the_environment_stops_the_start(monkeypatch):
    monkeypatch.setenv("REPORT_CACHE_SECONDS", "-30")
    with pytest.raises(ValueError, match="REPORT_CACHE_SECONDS is '-30'"):
        create_app()


def test_the_setting_defaults_to_a_minute(monkeypatch):
    monkeypatch.delenv("REPORT_CACHE_SECONDS", raising=False)
    assert load_config("instance")["REPORT_CACHE_SECONDS"] == 60
    monkeypatch.setenv("REPORT_CACHE_SECONDS", "0")
    assert load_config("instance")["REPORT_CACHE_SECONDS"] == 0


# The cache itself ---------------------------------------------------------------------------


def _key(language: str = "en") -> ReportKey:
    return ReportKey("overview", ReportFilter(), language, None, 5)


def _made() -> ComputedReport:
    return ComputedReport(None, {}, NOW)


def test_an_entry_is_never_older_than_the_time_from_its_computation():
    clock = Clock()
    cache = ReportCache(60, timer=clock)
    started = clock.now

    def slow() -> ComputedReport:
        clock.now += 10  # the computation takes 10 seconds
        return _made()

    first = cache.get(_key(), slow)
    clock.now = started + 59
    assert cache.get(_key(), _made) is first
    clock.now = started + 60
    assert cache.get(_key(), _made) is not first


def test_a_page_being_computed_is_computed_once():
    cache = ReportCache(60)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def compute() -> ComputedReport:
        calls.append(1)
        started.set()
        release.wait(5)
        return _made()

    results: list[ComputedReport] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(_key(), compute)))]
    threads[0].start()
    started.wait(5)
    threads.append(threading.Thread(target=lambda: results.append(cache.get(_key(), compute))))
    threads[1].start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1
    assert len(results) == 2 and results[0] is results[1]


def test_the_cache_is_bounded_and_zero_keeps_nothing():
    cache = ReportCache(60, maxsize=2)
    for language in ("en", "fr", "de"):
        cache.get(_key(language), _made)
    assert len(cache) == 2
    off = ReportCache(0)
    assert off.get(_key(), _made) is not off.get(_key(), _made)
    assert len(off) == 0 and not off.enabled
