"""The request body at the door: UTF-8 JSON, an object, nested no deeper than the limits allow.

Python's JSON parser and GraphQL's parser both recurse once per level of nesting, so a body or a
document nested 100,000 deep would end in RecursionError (an HTTP 500). Nesting is measured first on
the raw text, counting only brackets outside strings, and refused cheaply.
"""

import json
import re

from django.conf import settings

JSON_TYPES = ("application/json", "application/graphql-response+json")

# Strings first (their brackets do not count), then brackets.
JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', re.DOTALL)
# GraphQL: block strings, strings, comments, then brackets; parentheses nest too.
_DOCUMENT_TOKENS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*|[\[{(]|[\]})]')
_OPENING = frozenset("[{(")


class Refusal(Exception):
    """A request refused before anything parses it: HTTP 400 with a code."""

    def __init__(self, message: str, code: str = "BAD_REQUEST"):
        super().__init__(message)
        self.message, self.code = message, code


def nesting(text: str, tokens: re.Pattern, limit: int) -> bool:
    """Whether `text` nests brackets more than `limit` deep (stops at the first level over it)."""
    if sum(text.count(bracket) for bracket in _OPENING) <= limit:
        return False  # too few brackets to nest that deep (most requests): no scan
    depth = 0
    for match in tokens.finditer(text):
        token = match.group()
        if len(token) != 1:
            continue  # a string or a comment
        if token in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def document_limit() -> int:
    # Selections nest up to the depth limit and each argument's value up to the input limit; inline
    # fragments and the operation's own braces add a few. Validation then checks each exactly.
    return 2 * (settings.GRAPHQL_MAX_DEPTH + settings.GRAPHQL_MAX_INPUT_DEPTH)


def too_deep_message(what: str, limit: int) -> str:
    return f"{what} is nested more than {limit} levels deep (GRAPHQL_MAX_INPUT_DEPTH)."


def check_document(query) -> None:
    if isinstance(query, str) and nesting(query, _DOCUMENT_TOKENS, document_limit()):
        raise Refusal(too_deep_message("The query document", document_limit()), "INPUT_TOO_DEEP")


def check_variables_text(text: str) -> None:
    if nesting(text, JSON_TOKENS, settings.GRAPHQL_MAX_INPUT_DEPTH + 1):
        raise Refusal(too_deep_message("A variable", settings.GRAPHQL_MAX_INPUT_DEPTH), "INPUT_TOO_DEEP")


def check_json_body(raw: bytes) -> dict | list:
    """The parsed body of a JSON POST, or a Refusal saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal("The request body is not UTF-8.") from None
    # The body object and its `variables` object wrap each variable's value.
    if nesting(text, JSON_TOKENS, settings.GRAPHQL_MAX_INPUT_DEPTH + 2):
        raise Refusal(
            too_deep_message("The request body", settings.GRAPHQL_MAX_INPUT_DEPTH), "INPUT_TOO_DEEP"
        )
    try:
        body = json.loads(text)
    except ValueError:
        raise Refusal("The request body is not valid JSON.") from None
    if isinstance(body, list):
        return body  # a batch: strawberry refuses it with its own reason
    if not isinstance(body, dict):
        raise Refusal('The request body must be a JSON object: {"query": ..., "variables": {...}}.')
    check_members(body)
    return body


def check_members(body: dict) -> None:
    query, variables, name = body.get("query"), body.get("variables"), body.get("operationName")
    if query is not None and not isinstance(query, str):
        raise Refusal("`query` must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise Refusal("`variables` must be a JSON object.")
    if name is not None and not isinstance(name, str):
        raise Refusal("`operationName` must be a string.")
    check_document(query)


def check_request(request) -> None:
    """Refuses a POST body or GET parameters that strawberry could not parse safely."""
    if request.method == "POST" and request.content_type in JSON_TYPES:
        check_json_body(request.body)
    elif request.method == "GET":
        variables = request.GET.get("variables")
        if variables:
            check_variables_text(variables)
            try:
                parsed = json.loads(variables)
            except ValueError:
                raise Refusal("`variables` is not valid JSON.") from None
            if not isinstance(parsed, dict | None):
                raise Refusal("`variables` must be a JSON object.")
        check_document(request.GET.get("query"))
