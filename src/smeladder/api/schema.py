"""The OpenAPI schema documents every error an operation can answer with, in the one shape
errors.py gives them, so clients (and schemathesis) can check error bodies too."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的错误代码 / stable error code, e.g. not_found")
    message = serializers.CharField(help_text="说明（中文 / English）")

    def get_fields(self) -> dict[str, serializers.Field]:
        # "fields" is a Serializer attribute, so the member of that name is added here
        fields = super().get_fields()
        fields["fields"] = serializers.DictField(
            child=serializers.JSONField(),
            required=False,
            help_text="出错的字段及原因 / the fields at fault and why",
        )
        fields["problems"] = serializers.ListField(
            child=serializers.DictField(child=serializers.JSONField()),
            required=False,
            help_text="逐项问题 / each problem (bad facts)",
        )
        return fields


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


#: every operation can be refused for these reasons
ALWAYS = ("400", "401", "403", "404")
#: writing operations may also answer these
WRITES = ("409", "413", "415")


class ApiSchema(AutoSchema):
    """AutoSchema that adds the documented error responses to each operation; `extra`
    names codes only some views answer (429 from the token view's lockout)."""

    def __init__(self, *, extra: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.extra = extra

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = ALWAYS + (WRITES if self.method in ("POST", "PUT", "PATCH", "DELETE") else ())
        codes += self.extra
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses
