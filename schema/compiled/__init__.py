"""Nested reads of the hierarchy answered by one SQL statement that returns the response's `data`.

`run.answer` is tried by the GraphQL view for every query when `GRAPHQL_COMPILED_READS` is on; it
answers only what it can answer exactly as the general path would (catalog.py says which fields) and
otherwise returns None, and the general path answers the whole operation.
"""
