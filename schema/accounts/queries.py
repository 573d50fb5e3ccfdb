import strawberry
from strawberry.types import Info

from ..context import current_user
from .types import Viewer, viewer_of


@strawberry.type
class AccountQuery:
    @strawberry.field(description="The signed-in user; null for anonymous callers.")
    def viewer(self, info: Info) -> Viewer | None:
        return viewer_of(current_user(info))
