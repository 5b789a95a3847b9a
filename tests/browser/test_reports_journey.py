"""Journey 5 in Chromium: a leader opens the reports, filters by cohort, compares two
cohorts, downloads a CSV and prints the report to PDF; HR opens the at-risk list and
follows a pair."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.test_reports import build_world


def test_leader_filters_compares_downloads_and_prints(
    app, page, make_person, make_cohort, make_pair, tmp_path
):
    from pypdf import PdfReader

    build_world(app)
    other = make_cohort(name="Spring cohort", status="active")
    for _ in range(2):
        make_pair(cohort_id=other)
    make_person("chro@example.org", roles=("leader",), name="Nora Leader")
    sign_in(page, "chro@example.org")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Program report", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Funnel", exact=True)).to_be_visible()

    page.get_by_role("checkbox", name="Pilot").check()
    page.get_by_role("button", name="Show the report").click()
    expect(page).to_have_url(re.compile(r"cohort=\d+"))
    expect(page.locator(".report-scope")).to_contain_text("Cohorts: Pilot")
    funnel = page.locator("#funnel table")
    expect(funnel.get_by_role("row", name=re.compile("^Enrolled"))).to_contain_text("fewer than 5")
    chart = page.locator("#funnel figure img")
    expect(chart).to_have_attribute("alt", re.compile("Chart: Funnel"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “Funnel” as CSV").click()
    path = tmp_path / "funnel.csv"
    download_info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    assert "fewer than 5" in raw.decode("utf-8")

    page.get_by_role("link", name="Cohort against cohort").click()
    page.get_by_role("checkbox", name="Spring cohort").check()
    page.get_by_role("button", name="Compare").click()
    table = page.locator("#comparison table")
    expect(table.get_by_role("columnheader", name="Pilot")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Spring cohort")).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Executive enrollments"))).to_be_visible()

    page.get_by_role("link", name="Program report").click()
    expect(page.get_by_role("heading", name="Funnel", exact=True)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Program report" in text and "reverse mentoring program" in text.lower()
    assert re.search(r"Cohorts: (Spring cohort, Pilot|Pilot, Spring cohort)", text)  # the scope
    assert "Funnel" in text and "Learning gain" in text
    assert "Show the report" not in text and "Download" not in text  # no controls
    first = reader.pages[0].extract_text()
    assert "Program report" in first and "Produced on" in first
    assert "Nora Leader" not in text


def test_hr_follows_a_pair_at_risk(app, page, make_person):
    world = build_world(app)
    make_person("hr@example.org", roles=("admin",))
    sign_in(page, "hr@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Pairs at risk").click()
    expect(page.get_by_role("heading", name="Pairs at risk", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("ZedM3 Uniquem3 with ZedJ3 Uniquej3"))
    expect(row).to_contain_text("not signed in for 30 days")
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/pairs/{world.pairs['p3']}\b"))
    expect(page.get_by_text("ZedM3 Uniquem3").first).to_be_visible()
