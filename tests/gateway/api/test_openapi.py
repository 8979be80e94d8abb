"""The API's OpenAPI document is valid OpenAPI 3.1 and describes every route the app has."""

from __future__ import annotations

from openapi_spec_validator import validate

from gateway.api.openapi import DOCUMENT


def test_the_openapi_document_is_valid_openapi_3_1() -> None:
    validate(DOCUMENT)


def test_the_document_describes_every_api_route() -> None:
    assert set(DOCUMENT["paths"]) == {
        "/report", "/dashboard", "/coops/{coop}/report", "/coops/{coop}/activity",
        "/coops/{coop}/contribution", "/coops/{coop}/schedule"}
