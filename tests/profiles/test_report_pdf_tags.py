"""The report PDF is tagged (PDF/UA-1, issue 14 line 11), so a screen reader can read it:
marked content, a structure tree with headings, paragraphs and the chart as a figure with a
text alternative, the document language and the title. Real WeasyPrint output, read with pypdf."""

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from assessments.queries import copy_texts
from profiles import pdf_services, queries
from profiles.report import build_report
from tests.profiles.test_report import example_3 as example_3  # the fixture

pytestmark = pytest.mark.django_db


def structure(node, found: list[tuple[str, DictionaryObject]]) -> list:
    """Every structure element below `node` as (role, element), in reading order."""
    kids = node.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    for kid in kids:
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(element, DictionaryObject) and "/S" in element:
            found.append((str(element["/S"]), element))
            structure(element, found)
    return found


def marked_text(reader: PdfReader) -> dict[int, str]:
    """The text of each marked-content id on the first pages, for matching tags to words."""
    texts: dict[int, str] = {}
    for page in reader.pages:
        current: list[int] = []

        def visitor(op, args, cm, tm, current=current):
            if op == b"BDC" and len(args) > 1 and "/MCID" in args[1]:
                current.append(int(args[1]["/MCID"]))
            elif op == b"EMC" and current:
                current.pop()

        def text(value, cm, tm, font, size, current=current, page=page):
            if current and value:
                key = (id(page), current[-1])
                texts[key] = texts.get(key, "") + value

        page.extract_text(visitor_operand_before=visitor, visitor_text=text)
    return texts


@pytest.fixture
def pdf(example_3) -> PdfReader:
    snapshot = queries.latest_snapshot(example_3)
    return PdfReader(io.BytesIO(pdf_services.render_report_pdf(snapshot, "/support/")))


def test_report_pdf_is_marked_with_a_structure_tree_language_and_title(pdf, example_3):
    root = pdf.trailer["/Root"]

    assert root["/MarkInfo"]["/Marked"].value is True
    assert str(root["/Lang"]) == "en"
    title = pdf.metadata.title
    assert title.startswith("relcap profile, ")
    assert pdf.xmp_metadata.dc_title["x-default"] == title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    roles = [role for role, _ in structure(root["/StructTreeRoot"].get_object(), [])]
    assert {"/H1", "/H2", "/H3", "/P", "/Figure", "/L", "/LI", "/Table", "/TH", "/TD"} <= set(roles)
    assert roles.count("/H1") == 1
    assert roles.count("/H3") >= 6  # one per capacity card, plus the focus headings


def test_report_pdf_chart_is_a_figure_with_a_text_alternative(pdf):
    root = pdf.trailer["/Root"]
    tree = structure(root["/StructTreeRoot"].get_object(), [])
    figures = [element for role, element in tree if role == "/Figure"]

    # The chart is the one figure; the legend's swatches are decoration, left untagged.
    assert [str(figure.get("/Alt")) for figure in figures] == [
        "Your six capacities, each scored from 0 to 100"
    ]


def tagged_texts(reader: PdfReader, role: str) -> list[str]:
    """The words inside each structure element of `role`, in reading order."""
    texts = marked_text(reader)
    pages = {page.indirect_reference.idnum: id(page) for page in reader.pages}

    def words(element) -> str:
        parts = []
        for _, inner in [("", element), *structure(element, [])]:
            kids = inner.get("/K")
            kids = kids if isinstance(kids, ArrayObject) else [kids]
            page = inner.get("/Pg")
            for kid in kids:
                if isinstance(kid, int) and page is not None:
                    parts.append(texts.get((pages[page.idnum], kid), ""))
        return " ".join(" ".join(parts).split())

    tree = structure(reader.trailer["/Root"]["/StructTreeRoot"].get_object(), [])
    return [words(element) for found, element in tree if found == role]


def test_report_pdf_card_headings_are_tagged_headings_in_reading_order(pdf, example_3):
    snapshot = queries.latest_snapshot(example_3)
    report = build_report(snapshot.data, copy_texts(snapshot.copy_version), locale="en")

    headings = tagged_texts(pdf, "/H3")

    card_headings = [h for h in headings if any(h.startswith(c.name) for c in report.cards)]
    assert [h.split(" ·")[0] for h in card_headings] == [card.name for card in report.cards]
    assert tagged_texts(pdf, "/H1") == [report.words["report"]["title"]]


def test_report_pdf_prints_the_charts_numbers_as_a_tagged_table(pdf, example_3):
    snapshot = queries.latest_snapshot(example_3)
    report = build_report(snapshot.data, copy_texts(snapshot.copy_version), locale="en")
    words = report.words["chart"]

    headers = tagged_texts(pdf, "/TH")

    columns = [words["column_capacity"], words["column_score"], words["column_status"]]
    assert headers == columns + [bar.label for bar in report.chart.bars]
    cells = tagged_texts(pdf, "/TD")
    assert cells == [
        str(value) for bar in report.chart.bars for value in (bar.score, bar.status_label)
    ]
