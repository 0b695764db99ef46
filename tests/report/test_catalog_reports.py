"""reports/ holds the catalog's reports with the default rule set; it goes stale when a
verdict, its evidence, witness or facts change. Regenerate with: actverify (writes reports/
and prints the summary). The cross-check lines are not compared: the suite cross-checks with
fewer examples than the reports."""

from pathlib import Path

import pytest

from verifier.properties.registry import PROPERTY_IDS
from verifier.report.markdown import page_names
from verifier.report.page import render_section
from tests.conftest import CATALOG, CATALOG_NAMES as NAMES, catalog_result

REPORTS = Path(__file__).parent.parent.parent / "reports"
PAGES = dict(zip(NAMES, page_names(list(CATALOG.values()))))


def test_index_lists_the_catalog():
    index = (REPORTS / "index.md").read_text(encoding="utf-8")
    assert f"# actverify report: {len(NAMES)} activations" in index
    for name in NAMES:
        assert f"[{name}]({PAGES[name]}.md)" in index
        assert (REPORTS / "plots" / f"{PAGES[name]}.png").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_each_page_shows_todays_verdicts_and_evidence(name):
    page = (REPORTS / f"{PAGES[name]}.md").read_text(encoding="utf-8")
    for property_id in PROPERTY_IDS:
        outcome = catalog_result(name, property_id).model_copy(update={"crosscheck": None})
        section = "\n".join(render_section(property_id, outcome))
        assert section in page, f"reports/ is stale for {name} {property_id}: run actverify"


def test_every_page_renders_without_stray_markup_or_python_reprs():
    """Each committed page through a CommonMark parser (markdown-it, with GitHub's tables):
    no emphasis anywhere (a `*` of a formula never turns italic), and none of the reprs a
    person should never read."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    for page in sorted(REPORTS.glob("*.md")):
        html = parser.render(page.read_text(encoding="utf-8"))
        assert "<em>" not in html, page.name
        for raw in ("[(", "None", "zoo", "{'", "Interval(", "Union(", "EmptySet", "+/-"):
            assert raw not in html, (page.name, raw)
