"""Validate Messaging API requests and responses against LINE's official OpenAPI spec.

The operation is found from the spec's paths; its required header parameters and its request
body are checked with openapi-schema-validator (the OpenAPI 3.0 schema dialect). LINE's spec
models messages and actions as a base schema with a `discriminator` and subtypes that `allOf`
the base; neither openapi-core nor openapi-schema-validator follows such a discriminator outside
`oneOf`/`anyOf` (a text message with `"text": 123` passes openapi-core), so one keyword is added
that follows the discriminator's mapping to the concrete subtype. openapi-core's full request
validation was measured at 0.8 ms a request on top of this, for nothing this check misses, so it
is not used on the hot path.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import ValidationError
from jsonschema.validators import extend
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).parent / "spec" / "messaging-api.yml"
SPEC_URI = "urn:line:messaging-api"

_in_progress = threading.local()
_valid_subtrees: set[tuple[str, str]] = set()  # (subtype ref, instance JSON) known to be valid
_VALID_SUBTREES_KEPT = 50_000


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
    # The same component (a label, a separator, a button) recurs in card after card: remember
    # which ones were valid, by shape (see `_shape`). Only valid results are kept, so every
    # error is still reported fresh, with its own path.
    known = (ref, json.dumps(_shape(instance), sort_keys=True, ensure_ascii=False))
    if known in _valid_subtrees:
        return
    active.add(key)
    try:
        errors = list(validator.descend(instance, {"$ref": ref}))
    finally:
        active.discard(key)
    if not errors:
        if len(_valid_subtrees) >= _VALID_SUBTREES_KEPT:
            _valid_subtrees.clear()
        _valid_subtrees.add(known)
    yield from errors


# Properties whose strings the spec limits by length alone (no pattern, format or enum), so a
# component differing from a known-valid one only in what these say, not in their length, is
# valid too: "45 จาก 60 ราย" on one card and "12 จาก 30 ราย" on the next.
_FREE_TEXT = frozenset({"text", "altText", "label", "displayText", "data"})


def _shape(instance: Any) -> Any:
    """The instance with each free-text string replaced by a placeholder of the same length."""
    if isinstance(instance, dict):
        return {k: "\0" * len(v) if k in _FREE_TEXT and isinstance(v, str) else _shape(v)
                for k, v in instance.items()}
    if isinstance(instance, list):
        return [_shape(v) for v in instance]
    return instance


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


class MessagingApiSpec:
    """The loaded spec: operation lookup and the two validators."""

    def __init__(self, spec_path: Path = SPEC_PATH) -> None:
        with open(spec_path, encoding="utf-8") as f:
            self.document: dict[str, Any] = yaml.load(
                f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, Resource.from_contents(self.document, default_specification=DRAFT4))
        self._registry = registry
        self._routes = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"), template)
                        for template in self.document["paths"]]
        self._validators: dict[str, Any] = {}
        self._build_envelopes()

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """The spec's operation for this request; a literal path wins over a template, as
        OpenAPI says (`/v2/bot/richmenu/list` is not `/v2/bot/richmenu/{richMenuId}`)."""
        literal = self.document["paths"].get(path, {}).get(method.lower())
        if literal is not None:
            return path, literal
        for pattern, template in self._routes:
            op = self.document["paths"][template].get(method.lower())
            if op is not None and pattern.match(path):
                return template, op
        return None

    def validate_request(self, method: str, path: str, headers: Mapping[str, str],
                         body: bytes) -> tuple[str, Any]:
        """Return (path template, parsed JSON body) or raise SpecProblem with LINE's answer."""
        found = self.operation(method, path)
        if found is None:
            raise SpecProblem(404, "Not found")
        template, op = found
        missing = [p["name"] for p in op.get("parameters", [])
                   if p.get("in") == "header" and p.get("required") and p["name"] not in headers]
        if missing:
            raise SpecProblem(400, "Missing required header(s): " + ", ".join(missing))
        parsed: Any = None
        schema = (op.get("requestBody", {}).get("content", {})
                  .get("application/json", {}).get("schema"))
        if schema is not None:
            if not headers.get("Content-Type", "").startswith("application/json"):
                raise SpecProblem(415, "Content-Type must be application/json")
            try:
                parsed = json.loads(body)
            except ValueError:
                raise SpecProblem(400, "The request body is not valid JSON") from None
            self._check(schema, parsed)
            _check_flex_sizes(parsed)
        return template, parsed

    def check_response(self, template: str, method: str, status: int, body: Any) -> None:
        """Raise AssertionError if the fake's own answer is not what the spec promises."""
        op = self.document["paths"][template][method.lower()]
        response = (op.get("responses", {}).get(str(status))
                    or op.get("responses", {}).get("default"))
        schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return
        try:
            self._check(schema, body)
        except SpecProblem as problem:
            raise AssertionError(f"fake LINE answer breaks the spec: {problem.details}") from None

    def _check(self, schema: Mapping[str, Any], instance: Any) -> None:
        details = self._errors(schema.get("$ref", ""), schema, instance)
        if details:
            raise SpecProblem(400, f"The request body has {len(details)} error(s)", details[:10])

    def _errors(self, ref: str, schema: Mapping[str, Any], instance: Any) -> list[dict[str, str]]:
        """Every problem with `instance`, as LINE's error details.

        A body with a `messages` array is checked as its envelope plus each message, and each
        message's result is remembered by its JSON: the same validation, done once per distinct
        message (the bot sends the same menus and cards many times).
        """
        messages = instance.get("messages") if isinstance(instance, dict) else None
        if ref in self._envelopes and isinstance(messages, list):
            details = self._run(self._envelopes[ref], instance)
            for index, message in enumerate(messages):
                for detail in self._message_errors(json.dumps(message, sort_keys=True)):
                    prop = f"messages.{index}" + (f".{detail['property']}"
                                                  if detail["property"] else "")
                    details.append({"message": detail["message"], "property": prop})
            return details
        validator = self._validators.get(ref)
        if validator is None:
            root = {"$ref": SPEC_URI + ref} if ref else dict(schema)
            validator = self._validators.setdefault(
                ref, SpecValidator(root, registry=self._registry))
        return self._run(validator, instance)

    @staticmethod
    def _run(validator: Any, instance: Any) -> list[dict[str, str]]:
        details: list[dict[str, str]] = []
        for error in validator.iter_errors(instance):
            detail = {"message": error.message[:300],
                      "property": ".".join(str(p) for p in error.absolute_path)}
            if detail not in details:  # the base and the subtype may report the same error
                details.append(detail)
        return details

    def _message_errors(self, message_json: str) -> tuple[dict[str, str], ...]:
        return self._cached_message_errors(message_json)

    def _build_envelopes(self) -> None:
        """For each schema whose `messages` are Message objects: the schema less those items."""
        self._envelopes: dict[str, Any] = {}
        for name, component in self.document["components"]["schemas"].items():
            items = component.get("properties", {}).get("messages", {}).get("items", {})
            if items.get("$ref") != "#/components/schemas/Message":
                continue
            envelope = json.loads(json.dumps(component))
            envelope["properties"]["messages"]["items"] = {}
            envelope["components"] = self.document["components"]
            self._envelopes[f"#/components/schemas/{name}"] = SpecValidator(
                envelope, registry=self._registry)
        message_validator = SpecValidator({"$ref": SPEC_URI + "#/components/schemas/Message"},
                                          registry=self._registry)
        self._cached_message_errors = lru_cache(maxsize=4096)(
            lambda message_json: tuple(self._run(message_validator, json.loads(message_json))))


@cache
def load_spec() -> MessagingApiSpec:
    """The spec, parsed once per process."""
    return MessagingApiSpec()


# LINE's size limits on Flex JSON, which its OpenAPI spec does not express (a bubble at most
# 30 KB, a carousel at most 50 KB); the real API answers 400.
FLEX_BUBBLE_BYTES, FLEX_CAROUSEL_BYTES = 30_000, 50_000


def _check_flex_sizes(body: Any) -> None:
    messages = body.get("messages") if isinstance(body, dict) else None
    for index, message in enumerate(messages or []):
        container = message.get("contents") if isinstance(message, dict) else None
        if not isinstance(container, dict) or message.get("type") != "flex":
            continue
        carousel = container.get("type") == "carousel"
        parts = [(container, FLEX_CAROUSEL_BYTES)] if carousel else []
        parts += [(b, FLEX_BUBBLE_BYTES) for b in (container.get("contents", []) if carousel
                                                   else [container])]
        for part, limit in parts:
            size = len(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
            if size > limit:
                raise SpecProblem(400, "The request body has 1 error(s)", [
                    {"message": f"Size must be at most {limit // 1000}KB",
                     "property": f"messages[{index}].contents"}])
