"""Writing to the registry: one module per kind of change, each recording an audit event.

`imports` — files and API records (all-or-nothing per file); later modules hold edits made
through forms and pool membership."""

from .imports import CHUNK, ImportResult, import_enterprises

__all__ = ["CHUNK", "ImportResult", "import_enterprises"]
