import datetime

import strawberry


@strawberry.input(description="Sign in with a username and password; starts a session cookie.")
class SessionLoginInput:
    username: str
    password: str


@strawberry.input(description="A new bearer token for the viewer.")
class ApiTokenCreateInput:
    name: str = strawberry.field(description="What the token is for, e.g. the app that uses it.")
    expires_at: datetime.datetime | None = strawberry.field(
        default=None, description="When the token stops working (with a time zone); never when null."
    )


@strawberry.input(description="Which of the viewer's tokens to revoke.")
class ApiTokenRevokeInput:
    id: strawberry.ID
