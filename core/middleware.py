"""Guards at the edge of every request, before any view or database query sees it."""

from django.http import JsonResponse
from django.views.defaults import bad_request

API_PREFIX = "/api/"
DOCS_PATH = "/api/v1/docs/"  # Swagger UI loads its own script as `?script=`
NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectHostileInputMiddleware:
    """A NUL byte in the path, a query value or a form value is a 400 on every route (PostgreSQL
    refuses NUL in text, so it reached the database as a 500). Under /api/, an empty query value
    (`?page=`) is a 400 naming the parameter too: the schema allows no empty value. API answers
    use the JSON error envelope; pages get the site's 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is None:
            return self.get_response(request)
        field, message = refusal
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": f"{field}: {message}" if field != "path" else message,
                                 "errors": {field: [message]}}, status=400)
        return bad_request(request, ValueError(message))

    @staticmethod
    def _refusal(request) -> tuple[str, str] | None:
        if NUL in request.path_info:
            return "path", "A NUL character is not allowed in the address."
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, ""), "A NUL character is not allowed in the address."
        if request.content_type in FORM_TYPES:  # JSON bodies are checked by their serializers
            for name, values in request.POST.lists():
                if NUL in name or any(NUL in value for value in values):
                    return name.replace(NUL, ""), "A NUL character is not allowed in a form."
        if request.path_info.startswith(API_PREFIX) and request.path_info != DOCS_PATH:
            for name, values in request.GET.lists():
                if any(value == "" for value in values):
                    return name, "This parameter cannot be empty; leave it out instead."
        return None
