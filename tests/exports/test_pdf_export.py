"""PDF exports: title page, contents with page numbers, running header, CJK fonts, redlines."""

import shutil
import subprocess

import pytest

from deliberation.exports import export_draft, export_redline
from tests.factories import ClauseFactory, DraftFactory

needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts") or not shutil.which("pdftotext"),
                                   reason="needs poppler-utils (pdffonts, pdftotext)")


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
    assert "Annex A. Consensus" in body and "legislators 0.25" in body
    assert "Kept as is." in body


@needs_poppler
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
