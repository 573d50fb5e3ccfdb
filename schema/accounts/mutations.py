"""Sign-in with a session cookie, and the viewer's bearer API tokens."""

import strawberry
from django.core.exceptions import PermissionDenied, ValidationError
from strawberry import relay
from strawberry.types import Info

from backend.accounts.models import ApiToken
from backend.accounts.services import create_token, revoke_token, sign_in, sign_out
from backend.accounts.throttle import client_address, record_attempt
from backend.common.errors import CommonErrorCode, NotFound

from ..errors import UserError, run_mutation
from ..inputs import actor
from ..payloads import payload
from .inputs import ApiTokenCreateInput, ApiTokenRevokeInput, SessionLoginInput
from .types import ApiTokenType, Viewer, viewer_of

SessionLoginPayload = payload("SessionLoginPayload", "viewer", Viewer)
ApiTokenRevokePayload = payload("ApiTokenRevokePayload", "api_token", ApiTokenType)


@strawberry.type(description="The result of SessionLogout.")
class SessionLogoutPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="The result of ApiTokenCreate: the plaintext token is shown here only.")
class ApiTokenCreatePayload:
    api_token: ApiTokenType | None = None
    token: str | None = strawberry.field(
        default=None, description="Send as `Authorization: Bearer <token>`. Not retrievable later."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


def _own_token(info: Info, global_id: str, user) -> ApiToken:
    try:
        gid = relay.GlobalID.from_id(global_id)
        pk = int(gid.node_id)
    except Exception:
        raise ValidationError(
            {"id": ValidationError("Not a valid id.", code=CommonErrorCode.INVALID_ID)}
        ) from None
    if gid.type_name != "ApiToken":
        raise ValidationError(
            {
                "id": ValidationError(
                    f"Expected the id of an ApiToken, got a {gid.type_name} id.",
                    code=CommonErrorCode.WRONG_TYPE,
                )
            }
        )
    token = ApiTokenType.get_queryset(ApiToken.objects.filter(user_id=user.pk), info).filter(pk=pk).first()
    if token is None:
        raise NotFound(f"No ApiToken with id {global_id}.", field="id")
    return token


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Sign in; sets the session cookie and a new CSRF token cookie.")
    def session_login(self, info: Info, input: SessionLoginInput) -> SessionLoginPayload:  # type: ignore[valid-type]
        request = info.context.request
        user, errors = run_mutation(
            lambda: sign_in(request, username=input.username, password=input.password)
        )
        retry_after = getattr(request, "sign_in_retry_after", None)
        if retry_after is not None:
            info.context.response.headers["Retry-After"] = str(retry_after)
        else:  # outside the sign-in's transaction, so a refusal is counted
            record_attempt(input.username, client_address(request), succeeded=not errors)
        return SessionLoginPayload(viewer=viewer_of(user), errors=errors)

    @strawberry.mutation(description="Sign out: ends the session.")
    def session_logout(self, info: Info) -> SessionLogoutPayload:
        request = info.context.request
        _, errors = run_mutation(lambda: sign_out(request))
        return SessionLogoutPayload(ok=not errors, errors=errors)

    @strawberry.mutation(description="Create a bearer token for the viewer (from a signed-in session).")
    def api_token_create(self, info: Info, input: ApiTokenCreateInput) -> ApiTokenCreatePayload:
        def act():
            user = actor(info)
            if getattr(info.context.request, "api_token", None) is not None:
                raise PermissionDenied("Create API tokens from a signed-in session, not with another token.")
            return create_token(user=user, name=input.name, expires_at=input.expires_at)

        created, errors = run_mutation(act, model=ApiToken)
        token, plaintext = created or (None, None)
        return ApiTokenCreatePayload(api_token=token, token=plaintext, errors=errors)

    @strawberry.mutation(description="Revoke one of the viewer's tokens; it stops working at once.")
    def api_token_revoke(self, info: Info, input: ApiTokenRevokeInput) -> ApiTokenRevokePayload:  # type: ignore[valid-type]
        def act():
            user = actor(info)
            return revoke_token(token=_own_token(info, input.id, user), actor=user)

        token, errors = run_mutation(act, model=ApiToken)
        return ApiTokenRevokePayload(api_token=token, errors=errors)
