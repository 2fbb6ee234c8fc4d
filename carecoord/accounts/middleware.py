from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Pages anyone may reach: signing in, and the static files the sign-in page needs.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/healthz")


class LoginRequiredMiddleware:
    """Deny by default: every page needs a signed-in user unless listed as public here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.path.startswith("/admin/"):
                return self.get_response(request)  # the admin has its own sign-in page
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
