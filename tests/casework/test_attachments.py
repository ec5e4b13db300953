"""Attachments: extension on the list AND content of that kind, within the size limit, stored
under a generated name in SMELADDER_DATA_DIR."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from smeladder.casework import actions
from smeladder.casework.models import Attachment, Case

from .helpers import file

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("营业执照.pdf", PDF, "pdf"),
        ("现场照片.JPG", JPG, "jpg"),
        ("photo.jpeg", JPG, "jpg"),
        ("截图.png", PNG, "png"),
        ("用工计划.docx", office("word/document.xml"), "docx"),
        ("明细.xlsx", office("xl/workbook.xml"), "xlsx"),
    ],
)
def test_accepted_kinds(world, clock, data_dir, name, content, kind):
    case = file(world)
    row = actions.add_attachment(case, world.firm, name, io.BytesIO(content))
    assert (row.content_type, row.size, row.original_name) == (kind, len(content), name)
    stored = Path(settings.DATA_DIR) / "casework" / row.file.name
    assert stored.read_bytes() == content
    # a generated name, the checked kind's extension, nothing of the uploader's name
    assert Path(row.file.name).suffix == f".{kind}"
    assert name.rsplit(".", 1)[0] not in row.file.name
    assert case.events.last().kind == "attachment"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("script.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("noextension", PDF, "不支持的文件类型"),
        ("report.html", b"<html></html>", "不支持的文件类型"),
        ("invoice.pdf", b"MZ\x90\x00 not a pdf", "不符"),  # spoofed extension
        ("photo.png", JPG, "实际为 JPG"),  # a JPEG renamed .png
        ("plan.docx", office("xl/workbook.xml"), "实际为 XLSX"),
        ("plan.docx", b"PK\x03\x04 broken zip", "不符"),
        ("empty.pdf", b"", "为空"),
    ],
)
def test_refused_kinds(world, clock, name, content, words):
    case = file(world)
    with pytest.raises(actions.InvalidInput) as err:
        actions.add_attachment(case, world.firm, name, io.BytesIO(content))
    assert words in err.value.message
    assert not Attachment.objects.exists()


def test_too_big(world, clock, settings):
    settings.SMELADDER_CASE_ATTACHMENT_MAX_BYTES = 1024
    case = file(world)
    with pytest.raises(actions.InvalidInput) as err:
        actions.add_attachment(case, world.firm, "big.pdf", io.BytesIO(PDF + b"0" * 2000))
    assert "文件过大" in err.value.message
    assert not Attachment.objects.exists()


def test_a_path_in_the_name_is_not_followed(world, clock, data_dir):
    case = file(world)
    row = actions.add_attachment(case, world.firm, "../../etc/passwd.pdf", io.BytesIO(PDF))
    assert row.original_name == "passwd.pdf"
    assert (data_dir / "casework").resolve() in (
        data_dir / "casework" / row.file.name
    ).resolve().parents


def test_one_bad_file_refuses_the_whole_filing(world, clock):
    with pytest.raises(actions.InvalidInput) as err:
        file(world, files=[("a.pdf", io.BytesIO(PDF)), ("b.png", io.BytesIO(PDF))])
    assert "b.png" in err.value.message
    assert not Case.objects.exists()


def test_filing_with_files(world, clock):
    case = file(world, files=[("a.pdf", io.BytesIO(PDF)), ("b.png", io.BytesIO(PNG))])
    assert sorted(case.attachments.values_list("content_type", flat=True)) == ["pdf", "png"]


def test_other_firms_and_departments_cannot_attach(world, clock):
    case = file(world)
    with pytest.raises(actions.OutOfScope):
        actions.add_attachment(case, world.firm2, "a.pdf", io.BytesIO(PDF))
    with pytest.raises(actions.OutOfScope):
        actions.add_attachment(case, world.dev_staff, "a.pdf", io.BytesIO(PDF))
