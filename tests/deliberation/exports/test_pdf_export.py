"""PDF exports: title page, contents with page numbers, running header, CJK fonts, redlines."""

import shutil
import subprocess

import pytest

from deliberation.exports import export_draft, export_redline
from deliberation.exports.charts_print import approval_strips
from tests.factories import ClauseFactory, DraftFactory

needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts") or not shutil.which("pdftotext"),
                                   reason="needs poppler-utils (pdffonts, pdftotext)")


def cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(fonts.strip())


needs_cjk_font = pytest.mark.skipif(
    not cjk_font_installed(),
    reason="needs a CJK font (fonts-wqy-microhei; `./dev setup` installs it)")


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_fonts(tmp_path, content: bytes) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout


def test_it_answers_a_pdf_named_after_definition_and_version(published_draft):
    export = export_draft(draft=published_draft, fmt="pdf")
    assert export.content.startswith(b"%PDF-")
    assert export.filename == "osaid-0.0.8.pdf"
    assert export.content_type == "application/pdf"


@needs_poppler
def test_it_has_title_page_contents_with_page_numbers_header_and_annexes(voted_draft, tmp_path):
    export = export_draft(draft=voted_draft, fmt="pdf", annexes=("consensus", "dispositions"))
    pages = pdf_text(tmp_path, export.content).split("\f")
    assert "Open Source AI Definition" in pages[0] and "Version 0.0.8" in pages[0]
    assert "Page" not in pages[0]  # no header or footer on the title page
    contents = pages[1]
    assert "Contents" in contents
    assert "Preamble" in contents and "Annex A. Consensus" in contents
    assert any(line.rstrip().endswith(("4", "5", "6")) for line in contents.splitlines()
               if "Annex B" in line)
    assert "Version 0.0.8" in pages[2] and "Page 3 of" in pages[2]  # running header, numbers
    body = "\n".join(pages)
    assert "1.1" in body and "Open Source has demonstrated benefits." in body
    assert "Annex A. Consensus" in body and "leg legislators" in body  # the columns' legend
    rows = consensus_rows(body)
    assert rows["freedoms"]["Level"] == "contested" and rows["freedoms"]["leg"] == "0.25"
    assert rows["freedoms"]["dev"] == "0.75" and rows["freedoms"]["Obj."] == "1"
    assert "Kept as is." in body
    flat = " ".join(body.split())
    assert ("2 Groups disagree: approval is 75% among Developers but only 25% among "
            "Legislators.") in flat


def consensus_rows(text: str) -> dict[str, dict[str, str]]:
    """The consensus annex's lines of figures by clause key, read under their column heads."""
    lines = text[text.index("Annex A. Consensus\n"):].splitlines()
    header = next(line.split() for line in lines if line.split()[:2] == ["No.", "Clause"])
    rows = (line.split() for line in lines)
    return {cells[1]: dict(zip(header, cells, strict=True)) for cells in rows
            if len(cells) == len(header) and cells != header}


@needs_poppler
def test_footnotes_are_printed_under_their_clause_numbered_through_the_document(definition,
                                                                               tmp_path):
    draft = DraftFactory(definition=definition, version="fn-1")
    for position, key in enumerate(("one", "two")):
        ClauseFactory(draft=draft, key=key, position=position,
                      body=f"Clause {key} cites a source.[^a]\n\n[^a]: The source of {key}.")
    text = pdf_text(tmp_path, export_draft(draft=draft, fmt="pdf").content)
    body = text[text.index("Clause one cites"):]
    assert "Clause one cites a source.1" in body and "Clause two cites a source.2" in body
    assert body.index("The source of one.") < body.index("Clause two cites")  # under it
    assert body.index("Clause two cites") < body.index("The source of two.")
    assert "[1]" not in body and "↩" not in body


def test_approval_strips_draw_one_bar_and_whisker_per_group_and_row():
    low = {"approval": 0.25, "wilson_low": 0.1, "wilson_high": 0.5, "quorate": True}
    high = {"approval": 0.75, "wilson_low": 0.5, "wilson_high": 0.9, "quorate": False}
    svg = approval_strips([[low, high], [None, low]], columns=2, skip=1)
    assert svg.startswith("<svg") and "<text" not in svg
    assert 'height="36"' in svg  # a header line and two rows of 12 px
    assert svg.count("<path") == 5  # lanes, red bars, grey bars, ticks, whiskers
    assert 'stroke="#c62828"' in svg and 'stroke="#b8b8b8"' in svg  # grey: below quorum


@needs_poppler
@needs_cjk_font
def test_chinese_text_is_rendered_with_an_embedded_cjk_font(definition, tmp_path):
    draft = DraftFactory(definition=definition, version="zh-1")
    section = ClauseFactory(draft=draft, key="yuanze", heading="开源人工智能的定义", body="",
                            kind="section", position=0)
    ClauseFactory(draft=draft, key="ziyou", parent=section, position=0,
                  body="为任何目的使用该系统，无需征得许可。")
    export = export_draft(draft=draft, fmt="pdf")
    fonts = pdf_fonts(tmp_path, export.content)
    assert "WenQuanYi" in fonts or "NotoSansCJK" in fonts or "SourceHan" in fonts, fonts
    cjk_lines = [line for line in fonts.splitlines() if "WenQuanYi" in line or "CJK" in line]
    assert all(" yes " in line for line in cjk_lines)  # embedded
    text = pdf_text(tmp_path, export.content)
    assert "为任何目的使用该系统，无需征得许可。" in text
    assert "开源人工智能的定义" in text


@needs_poppler
def test_redline_pdf_marks_deletions_and_insertions(published_draft, definition, tmp_path):
    newer = DraftFactory(definition=definition, version="0.0.9", based_on=published_draft)
    ClauseFactory(draft=newer, key="freedoms", body="Use, study, change and share.", position=0)
    export = export_redline(old=published_draft, new=newer, fmt="pdf")
    assert export.filename == "osaid-0.0.8-to-0.0.9-redline.pdf"
    text = pdf_text(tmp_path, export.content)
    assert "modify" in text and "change" in text
    assert "removed" in text.lower() and "changed" in text.lower()
