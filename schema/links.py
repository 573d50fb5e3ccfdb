"""Every link that returns records passes them through the viewer's visibility, whatever holds it:
a type's up-link, a plain foreign key, a union, a list, a mutation's payload. Applied to the built
schema, so a field added later cannot forget it."""

import inspect

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    default_field_resolver,
    get_named_type,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from .scoping import Scoped, only_seen

GUARDED = "only_seen"


def is_scoped(graphql_type, schema: GraphQLSchema) -> bool:
    """Whether a field of this (named) type returns records of a Scoped type."""
    if isinstance(graphql_type, GraphQLObjectType):
        definition = graphql_type.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        origin = getattr(definition, "origin", None)
        return isinstance(origin, type) and issubclass(origin, Scoped)
    if isinstance(graphql_type, GraphQLUnionType | GraphQLInterfaceType):
        return any(is_scoped(member, schema) for member in schema.get_possible_types(graphql_type))
    return False


def _only_seen(resolve):
    def resolve_seen(source, info, **kwargs):
        result = resolve(source, info, **kwargs)
        if inspect.isawaitable(result):
            return _seen_later(result, info)
        return only_seen(result, info)

    setattr(resolve_seen, GUARDED, True)
    return resolve_seen


async def _seen_later(result, info):
    return only_seen(await result, info)


def guard_links(schema: GraphQLSchema) -> None:
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            if is_scoped(get_named_type(field.type), schema):
                field.resolve = _only_seen(field.resolve or default_field_resolver)
