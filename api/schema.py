"""The schema's answers include the errors every operation can give, in the API's one error
shape (api.errors): a client generated from the schema, and schemathesis, know them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from . import serializers as s

# status → when; every operation can answer these (the set's own 409/413 are on the view).
ERRORS = {
    "400": "parameter atau kiriman tidak sah",
    "401": "tanpa token, atau token ditolak",
    "403": "token baca saja untuk menulis, atau di luar cakupan",
    "404": "halaman di luar jangkauan",
    "429": "terlalu banyak permintaan dengan token ini",
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        for code, text in ERRORS.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(
                    OpenApiResponse(s.ErrorSerializer, description=text), code
                )
        return bodies
