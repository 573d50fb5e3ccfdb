"""Unexpected exceptions reach clients as "Unexpected error." (the details go to the log)."""

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

# Library errors that describe the client's own input, safe and useful to show as they are.
CLIENT_ERROR_PREFIXES = ("Invalid cursor", "Argument ", "Cannot resolve. GlobalID")


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False  # syntax, validation and our own limits
    return not (isinstance(original, ValueError) and str(original).startswith(CLIENT_ERROR_PREFIXES))


def masked_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=should_mask, error_message="Unexpected error.")
