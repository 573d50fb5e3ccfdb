from strawberry.types import Info


def current_user(info: Info):
    """The real request user (never guardian's database AnonymousUser)."""
    request = info.context.request
    return getattr(request, "user", None)
