"""Putting an edit action's problems (named by facts path) onto a form's fields."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms


def add_problems(form: forms.Form, errors: Mapping[str, list[str]], fields: Mapping[str, str]):
    """`fields`: facts path → form field name. A problem on a path the form has no field for
    (or on the record as a whole) becomes a form-wide error, so none is lost."""
    for path, messages in errors.items():
        name = fields.get(path)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
