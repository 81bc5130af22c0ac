"""Validate JSON against LINE's official OpenAPI 3.0 descriptions (see spec/PROVENANCE.md).

OpenAPI 3.0 is not JSON Schema, so each spec is converted once: OpenAPI-only keywords are
dropped, `nullable` becomes a type union, and every `discriminator` becomes an explicit
dispatch on the property value. Without that dispatch a `flex` message would only be checked
against the generic Message base and nearly anything would pass.

Each converted schema is compiled twice: by jsonschema_rs, which answers "valid?" in microseconds
and so judges every request, and by jsonschema, which runs only on what jsonschema_rs did not
accept and words the problems (LINE-style property paths). tests/test_line_emulator_fast.py
holds the two to the same verdicts.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from jsonschema import Draft202012Validator, ValidationError

SPEC_DIR = Path(__file__).parent / "spec"
SPEC_FILES = {"messaging-api": "messaging-api.yml", "webhook": "webhook.yml"}
JSON_TYPE = "application/json"
IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
# Suffix of the discriminator-free copy of a base schema, referenced from its subtypes'
# allOf so that subtype -> base -> dispatch -> subtype cannot recurse.
BASE_SUFFIX = "__base"

_DROPPED = {"discriminator", "example", "examples", "externalDocs", "xml", "readOnly",
            "writeOnly", "deprecated", "nullable", "description", "default"}
_SCHEMA_MAPS = {"properties", "patternProperties"}  # name -> schema; the names are data
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf"}
_SCHEMA_ONE = {"items", "not", "additionalProperties"}
_JSON_CONTAINERS = frozenset({dict, list})
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


class Problem(str):
    """One error, printable as "property: detail"; also keeps LINE's `details[]` fields apart."""

    property: str
    detail: str

    def __new__(cls, prop: str, detail: str) -> Problem:
        obj = super().__new__(cls, f"{prop or '(root)'}: {detail}")
        obj.property = prop
        obj.detail = detail
        return obj


def json_path(parts: Iterable[str | int]) -> str:
    """Render a path the way LINE's error `property` does: messages[0].contents.body."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@functools.cache
def load_spec(spec_name: str) -> dict[str, Any]:
    with open(SPEC_DIR / SPEC_FILES[spec_name], encoding="utf-8") as fh:
        spec: dict[str, Any] = yaml.safe_load(fh)
    return spec


def _convert(node: Any, bases: set[str], in_all_of: bool = False) -> Any:
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED or key.startswith("x-"):
            continue
        if key == "$ref":
            name = value.rsplit("/", 1)[-1]
            suffix = BASE_SUFFIX if in_all_of and name in bases else ""
            out[key] = f"#/$defs/{name}{suffix}"
        elif key in _SCHEMA_MAPS:
            out[key] = {prop: _convert(sub, bases) for prop, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [_convert(sub, bases, key == "allOf") for sub in value]
        elif key in _SCHEMA_ONE and isinstance(value, dict):
            out[key] = _convert(value, bases)
        else:
            out[key] = value
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def _dispatch(discriminator: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema for a discriminated base: the value must be mapped, then the subtype applies."""
    prop = discriminator["propertyName"]
    mapping = {value: ref.rsplit("/", 1)[-1] for value, ref in discriminator["mapping"].items()}
    return {
        "type": "object",
        "required": [prop],
        "properties": {prop: {"enum": sorted(mapping)}},
        "allOf": [
            {"if": {"properties": {prop: {"const": value}}, "required": [prop]},
             "then": {"$ref": f"#/$defs/{sub}"}}
            for value, sub in mapping.items()
        ],
    }


@functools.cache
def definitions(spec_name: str) -> dict[str, Any]:
    """All component schemas of one spec as JSON Schema `$defs`."""
    schemas = load_spec(spec_name)["components"]["schemas"]
    bases = {name for name, schema in schemas.items() if "discriminator" in schema}
    defs = {name: _convert(schema, bases) for name, schema in schemas.items()}
    for name in bases:
        defs[name + BASE_SUFFIX] = defs[name]
        defs[name] = _dispatch(schemas[name]["discriminator"])
    return defs


@functools.cache
def _schema(spec_name: str, schema_name: str) -> dict[str, Any]:
    defs = definitions(spec_name)
    if schema_name not in defs:
        raise KeyError(f"{spec_name} has no component schema {schema_name!r}")
    return {"$defs": defs, "$ref": f"#/$defs/{schema_name}"}


@functools.cache
def _validator(spec_name: str, schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(spec_name, schema_name))


@functools.cache
def _fast_validator(spec_name: str, schema_name: str) -> jsonschema_rs.Validator:
    # Formats stay annotations, as they are for _validator (built without a format checker).
    return jsonschema_rs.Draft202012Validator(_schema(spec_name, schema_name), validate_formats=False)


def _plain_json(instance: Any) -> bool:
    """True when the tree holds only dicts, lists, strings, numbers, booleans and None.

    jsonschema_rs reads some other Python values as JSON (a tuple as an array, a Decimal as a
    number) where jsonschema rejects them; such a tree is left to jsonschema. Exact types only
    (a subclass goes to jsonschema too): this walk runs on every request, so it must be cheap."""
    if type(instance) not in _JSON_CONTAINERS:
        return type(instance) in _JSON_SCALARS
    stack = [instance]
    while stack:
        item = stack.pop()
        for value in item.values() if type(item) is dict else item:
            kind = type(value)
            if kind in _JSON_CONTAINERS:
                stack.append(value)
            elif kind not in _JSON_SCALARS:
                return False
    return True


def fast_accepts(spec_name: str, schema_name: str, instance: Any) -> bool:
    """True when jsonschema_rs finds `instance` valid; False sends it to jsonschema for the verdict."""
    try:
        return _fast_validator(spec_name, schema_name).is_valid(instance) and _plain_json(instance)
    except ValueError:  # a key or value JSON has no form for, e.g. an int key: jsonschema judges it
        return False


def _describe(err: ValidationError) -> str:
    """jsonschema's message, without echoing a 5,000-character value back."""
    if err.validator in ("maxLength", "minLength", "maxItems", "minItems"):
        size = len(err.instance) if isinstance(err.instance, str | list | dict) else "?"
        return f"{err.validator} is {err.validator_value}, got {size}"
    message = str(err.message)
    return message if len(message) <= 200 else message[:200] + "..."


def validate(spec_name: str, schema_name: str, instance: Any) -> list[Problem]:
    """Errors of `instance` against a component schema; an empty list means valid."""
    if fast_accepts(spec_name, schema_name, instance):
        return []
    return problems(spec_name, schema_name, instance)


def problems(spec_name: str, schema_name: str, instance: Any) -> list[Problem]:
    """jsonschema's errors of `instance`, as `validate` reports them, without the fast path."""
    found: dict[str, Problem] = {}  # allOf repeats some checks (e.g. `required: [type]`)
    for err in _validator(spec_name, schema_name).iter_errors(instance):
        path = list(err.absolute_path)
        if err.validator == "required":
            for missing in (n for n in err.validator_value if n not in err.instance):
                problem = Problem(json_path([*path, missing]), "must be specified")
                found.setdefault(problem, problem)
        else:
            problem = Problem(json_path(path), _describe(err))
            found.setdefault(problem, problem)
    return sorted(found.values())


def validate_webhook_body(body: Any) -> list[Problem]:
    """Errors of a whole webhook request body against webhook.yml's CallbackRequest."""
    return validate("webhook", "CallbackRequest", body)


@dataclass(frozen=True)
class Operation:
    method: str
    template: str  # e.g. /v2/bot/profile/{userId}
    operation_id: str
    body_schema: str | None  # component schema name of an application/json body
    binary_body: bool  # the only binary upload in the spec is the rich menu image
    body_required: bool
    data_api: bool  # served by api-data.line.me rather than api.line.me

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        return re.compile(regex + "$")

    @property
    def specificity(self) -> int:
        """Literal segments win over templates: /richmenu/list before /richmenu/{richMenuId}."""
        return sum(1 for seg in self.template.split("/") if seg and "{" not in seg)

    def match(self, path: str) -> dict[str, str] | None:
        found = self._pattern.match(path)
        return found.groupdict() if found else None


@functools.cache
def operations(spec_name: str = "messaging-api") -> tuple[Operation, ...]:
    spec = load_spec(spec_name)
    default_host = spec["servers"][0]["url"]
    ops = []
    for template, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            servers = op.get("servers") or item.get("servers") or spec["servers"]
            body = op.get("requestBody") or {}
            content = body.get("content", {})
            ref = (content.get(JSON_TYPE, {}).get("schema") or {}).get("$ref")
            binary = any(c.get("schema", {}).get("format") == "binary" for c in content.values())
            ops.append(Operation(
                method=method.upper(), template=template, operation_id=op["operationId"],
                body_schema=ref.rsplit("/", 1)[-1] if ref else None, binary_body=binary,
                body_required=bool(body.get("required")),
                data_api=servers[0]["url"] != default_host,
            ))
    return tuple(sorted(ops, key=lambda o: -o.specificity))


@functools.cache
def _literal_operations() -> dict[tuple[str, str], Operation]:
    """Operations whose path has no parameter, by (method, path): the sends, which most requests are.

    A literal path outranks every template that matches it (see Operation.specificity), so a hit
    here is what the ordered scan in find_operation would find, without matching ~100 patterns."""
    return {(op.method, op.template): op for op in operations() if "{" not in op.template}


def find_operation(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    path = path.split("?", 1)[0]
    method = method.upper()
    literal = _literal_operations().get((method, path))
    if literal is not None:
        return literal, {}
    for op in operations():
        if op.method == method and (params := op.match(path)) is not None:
            return op, params
    return None


def path_exists(path: str) -> bool:
    """True when some method is defined for the path (so a wrong method is 405, not 404)."""
    return any(op.match(path.split("?", 1)[0]) is not None for op in operations())


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def validate_request(method: str, path: str, body: Any,
                     content_type: str | None = JSON_TYPE) -> list[Problem]:
    """Errors of a request body against the messaging-api operation at method + path.

    `body` may be parsed JSON, or raw bytes/str (JSON is parsed, images are checked as bytes).
    """
    found = find_operation(method, path)
    if found is None:
        return [Problem("", f"{method.upper()} {path} is not an operation of the Messaging API")]
    return validate_body(found[0], body, content_type)


def validate_body(op: Operation, body: Any, content_type: str | None = JSON_TYPE) -> list[Problem]:
    """Errors of a request body against operation `op` (found with find_operation), as validate_request."""
    if op.body_schema is None and not op.binary_body:
        return []
    if body is None or body == b"" or body == "":
        return [Problem("", "request body must be specified")] if op.body_required else []
    media = _media_type(content_type)
    if op.binary_body:
        if media not in IMAGE_MAGIC:
            return [Problem("", f"content type must be image/png or image/jpeg, not {media!r}")]
        if not isinstance(body, bytes) or not body.startswith(IMAGE_MAGIC[media]):
            return [Problem("", f"body is not {media} data")]
        return []
    if media != JSON_TYPE:
        return [Problem("", f"content type must be {JSON_TYPE}, not {media!r}")]
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError as exc:
            return [Problem("", f"request body is not valid JSON: {exc}")]
    assert op.body_schema is not None
    return validate("messaging-api", op.body_schema, body)
