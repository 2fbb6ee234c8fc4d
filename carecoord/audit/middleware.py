from .context import Actor, acting_as
from .services import client_ip


class AuditContextMiddleware:
    """Attributes everything a request reads or writes to its user and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        actor = Actor(
            user_id=user.pk if signed_in else None,
            username=user.get_username() if signed_in else "anonymous",
            ip_address=client_ip(request),
            path=request.get_full_path()[:300],
        )
        with acting_as(actor):
            return self.get_response(request)
