"""The committed SDL is the API contract: any change to the schema must show up in it."""

from pathlib import Path

from strawberry.printer import print_schema

from schema.schema import schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_sdl_matches_the_code():
    assert SDL.read_text().strip() == print_schema(schema).strip(), (
        "schema/schema.graphql is out of date; run `make schema` and commit the result."
    )
