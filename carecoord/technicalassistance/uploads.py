"""What the shared library accepts: PDF, DOCX, XLSX and PPTX files up to 10 MB, recognised by
their content (magic bytes, and for the Office formats the parts inside the ZIP package), not
by the name alone. A file whose content and extension disagree is refused."""

import zipfile

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024

# Office Open XML: a ZIP package with [Content_Types].xml and the main part of its kind.
_OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
                 "pptx": "ppt/presentation.xml"}
ACCEPTED = ("pdf", *_OFFICE_PARTS)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff(upload) -> str | None:
    """The kind the file's content shows (pdf, docx, xlsx, pptx), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in _OFFICE_PARTS.items() if part in names), None)


def check(upload) -> str:
    """The accepted kind of `upload`, or a ValidationError on the field `file`."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        raise ValidationError({"file": "Upload a PDF, Word (.docx), Excel (.xlsx) or "
                                       "PowerPoint (.pptx) file."})
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": f"The file is {upload.size / 1024 / 1024:.1f} MB: the "
                                       "library takes files up to 10 MB."})
    kind = sniff(upload)
    if kind != extension:
        raise ValidationError({"file": f"This file is not a real .{extension} file (its "
                                       "content does not match its name). Save it again as "
                                       "PDF, DOCX, XLSX or PPTX and upload that."})
    return kind
