"""Policy import and export: the JSON format (format.py), its checks (validate.py), JSON files
(json_io.py) and the Excel template (excel.py); ``import_policies`` writes a file all-or-nothing.

Names are imported lazily: the workflow uses format/validate, and the importer uses the
workflow, so an eager import here would be circular."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ImportReport": "importer",
    "ReportRow": "importer",
    "import_policies": "importer",
    "export_json": "json_io",
    "export_xlsx": "excel",
    "template_xlsx": "excel",
    "validate_document": "validate",
    "document_to_data": "format",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
