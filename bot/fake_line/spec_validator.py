"""Validate Messaging API requests and responses against LINE's official OpenAPI spec.

openapi-core matches the operation and checks the path, query, headers and the body's top
level. LINE's spec models messages and actions as a base schema with a `discriminator` and
subtypes that `allOf` the base; neither openapi-core nor openapi-schema-validator follows such a
discriminator outside `oneOf`/`anyOf`, so a text message with `"text": 123` would pass. The body
is therefore also checked by openapi-schema-validator with one added keyword that follows the
discriminator's mapping to the concrete subtype.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import ValidationError
from jsonschema.validators import extend
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).parent / "spec" / "messaging-api.yml"
SPEC_URI = "urn:line:messaging-api"
API_HOST = "https://api.line.me"
DATA_HOST = "https://api-data.line.me"

_in_progress = threading.local()


def _discriminator(validator: Any, discriminator: Mapping[str, Any], instance: Any,
                   schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    """Validate an object against the subtype its discriminator property names."""
    if not validator.is_type(instance, "object"):
        return
    prop = discriminator["propertyName"]
    value = instance.get(prop)
    mapping = discriminator.get("mapping", {})
    ref = mapping.get(value) if isinstance(value, str) else None
    if ref is None:
        yield ValidationError(f"{prop}={value!r} is not one of {sorted(mapping)}")
        return
    # A subtype's allOf includes the base again; do not follow the same mapping twice.
    active: set[tuple[int, str]] = _in_progress.__dict__.setdefault("active", set())
    key = (id(instance), ref)
    if key in active:
        return
    active.add(key)
    try:
        errors = list(validator.descend(instance, {"$ref": ref}))
    finally:
        active.discard(key)
    yield from errors


SpecValidator = extend(OAS30Validator, {"discriminator": _discriminator})


@dataclass
class SpecProblem(Exception):
    """A request the real API would refuse: status and LINE's error body."""

    status: int
    message: str
    details: list[dict[str, str]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message}
        if self.details:
            out["details"] = self.details
        return out


@dataclass
class _Request:
    """What openapi-core needs to know of a request (its `Request` protocol)."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path


class MessagingApiSpec:
    """The loaded spec: operation lookup and the two validators."""

    def __init__(self, spec_path: Path = SPEC_PATH) -> None:
        with open(spec_path, encoding="utf-8") as f:
            self.document: dict[str, Any] = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.openapi = OpenAPI.from_dict(self.document)
        registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, Resource.from_contents(self.document, default_specification=DRAFT4))
        self._registry = registry
        self._routes = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"), template)
                        for template in self.document["paths"]]
        self._validators: dict[str, Any] = {}

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, template in self._routes:
            if pattern.match(path):
                op = self.document["paths"][template].get(method.lower())
                return (template, op) if op else None
        return None

    def host_for(self, template: str) -> str:
        servers = self.document["paths"][template].get("servers")
        return servers[0]["url"] if servers else API_HOST

    def validate_request(self, method: str, path: str, headers: Mapping[str, str],
                         query: Mapping[str, str], body: bytes) -> tuple[str, Any]:
        """Return (path template, parsed JSON body) or raise SpecProblem with LINE's answer."""
        found = self.operation(method, path)
        if found is None:
            raise SpecProblem(404, "Not found")
        template, op = found
        content_type = headers.get("Content-Type", "")
        request = _Request(
            host_url=self.host_for(template), path=path, method=method.lower(),
            parameters=RequestParameters(query=ImmutableMultiDict(list(query.items())),
                                         header=Headers(list(headers.items())),
                                         cookie=ImmutableMultiDict()),
            content_type=content_type.split(";")[0].strip(), body=body or None)
        try:
            self.openapi.validate_request(request)
        except Exception as exc:  # openapi-core raises a family of OpenAPIError subclasses
            cause = exc.__cause__ or exc
            detail = [{"message": str(e.message), "property": ".".join(map(str, e.path))}
                      for e in getattr(cause, "schema_errors", [])][:10]
            raise SpecProblem(400, f"The request body has {len(detail) or 1} error(s)",
                              detail or [{"message": str(cause)[:300], "property": ""}]) from exc
        parsed: Any = None
        schema = (op.get("requestBody", {}).get("content", {})
                  .get("application/json", {}).get("schema"))
        if schema is not None:
            parsed = json.loads(body)
            self._check(schema, parsed)
        return template, parsed

    def check_response(self, template: str, method: str, status: int, body: Any) -> None:
        """Raise AssertionError if the fake's own answer is not what the spec promises."""
        op = self.document["paths"][template][method.lower()]
        response = op.get("responses", {}).get(str(status)) or op.get("responses", {}).get("default")
        schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return
        try:
            self._check(schema, body)
        except SpecProblem as problem:
            raise AssertionError(f"fake LINE answer breaks the spec: {problem.details}") from None

    def _check(self, schema: Mapping[str, Any], instance: Any) -> None:
        ref = schema.get("$ref", "")
        validator = self._validators.get(ref)
        if validator is None:
            root = {"$ref": SPEC_URI + ref} if ref else dict(schema)
            validator = SpecValidator(root, registry=self._registry)
            self._validators[ref] = validator
        details: list[dict[str, str]] = []
        for error in validator.iter_errors(instance):
            detail = {"message": error.message[:300],
                      "property": ".".join(str(p) for p in error.absolute_path)}
            if detail not in details:  # the base and the subtype may report the same error
                details.append(detail)
        if details:
            raise SpecProblem(400, f"The request body has {len(details)} error(s)", details[:10])


@cache
def load_spec() -> MessagingApiSpec:
    """The spec, parsed once per process."""
    return MessagingApiSpec()
