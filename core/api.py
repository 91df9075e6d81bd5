"""What every REST endpoint shares: the error envelope, strict input, base views, the schema.

Every error leaves as `{"detail": "...", "errors": {field: [messages]}}`, whatever raised it: a
domain error from a service, a DRF error, a Django ValidationError, a 404, or (as a safety net for a
race the services did not foresee) an IntegrityError, which is a conflict of state.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, NotAllowed

NON_FIELD = "non_field_errors"


# Errors ----------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The error envelope of every 4xx answer."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested dicts and lists) as {"field" or "parent.field": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for field, value in detail.items():
            name = NON_FIELD if field in ("__all__", api_settings.NON_FIELD_ERRORS_KEY) else field
            for key, messages in _flatten(value, f"{prefix}{name}.").items():
                flat.setdefault(key, []).extend(messages)
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            for key, messages in _flatten(item, f"{prefix}{index}.").items():
                flat.setdefault(key, []).extend(messages)
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix.rstrip(".") or NON_FIELD: [str(m) for m in messages]}


def _envelope(status_code: int, detail: str, errors: dict | None = None, headers=None) -> Response:
    return Response({"detail": detail, "errors": errors or {}}, status=status_code, headers=headers)


def _is_anonymous(context) -> bool:
    request = context.get("request")
    return request is not None and not getattr(request.user, "is_authenticated", False)


def _unauthenticated() -> Response:
    detail = str(exceptions.NotAuthenticated.default_detail)
    return _envelope(401, detail, headers={"WWW-Authenticate": TokenAuthentication.keyword})


def _from_domain(exc: DomainError, context) -> Response:
    if isinstance(exc, NotAllowed) and _is_anonymous(context):
        return _unauthenticated()
    response = _envelope(exc.status_code, exc.message, exc.as_errors())
    response.data.update({k: v for k, v in exc.details.items() if k not in response.data})
    return response


def _from_drf(exc: exceptions.APIException, context) -> Response:
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        errors = {field: messages for field, messages in _flatten(exc.detail).items() if messages}
        first = next(iter(errors), None)
        detail = f"{first}: {errors[first][0]}" if first else "Invalid input."
    else:
        detail, errors = str(exc.detail), {}
    response.data = {"detail": detail, "errors": errors}
    return response


def api_exception_handler(exc, context):
    """Map every exception a view can meet to the JSON error envelope; never a 500 for bad input."""
    if isinstance(exc, DomainError):
        return _from_domain(exc, context)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        )
    elif isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, IntegrityError):
        return _envelope(409, "This conflicts with the current state; reload and try again.")
    if isinstance(exc, exceptions.APIException):
        return _from_drf(exc, context)
    return None


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer in JSON too, whatever the method: exempt from CSRF,
    which would otherwise answer a write with its HTML 403 page before this 404."""
    return JsonResponse({"detail": "Not found.", "errors": {}}, status=status.HTTP_404_NOT_FOUND)


# Input -----------------------------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses keys it does not know, naming each of them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


class NoBody(StrictSerializer):
    """An action that takes no input: any key sent is refused."""


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# Schema ----------------------------------------------------------------------------------------

ERROR_CODES = {
    "400": "Invalid input; `errors` names each field at fault.",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "Signed in, but without the role this needs.",
    "404": "No such object.",
    "409": "Conflicts with the current state (a closed draft, a published clause, a duplicate).",
    "429": "Too many requests; retry later.",
}


def operation(summary: str, *, tags, request=None, responses=None, **kwargs):
    """The OpenAPI description of one endpoint method (drf-spectacular's `extend_schema`)."""
    return extend_schema(summary=summary, request=request, responses=responses, tags=list(tags),
                         **kwargs)


class ConcordAutoSchema(AutoSchema):
    """Attach the error envelope to every operation, for every error status the API can answer."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code] = {**response, "description": description}
        return responses


# Views -----------------------------------------------------------------------------------------


class ApiView(GenericAPIView):
    # Parse with a serializer, call one service or selector, render with a serializer.

    pagination_class = None
    # Who may call each method and in which state, checked before the body or the query is read,
    # so that the answer comes in the order permission (401/403), state (409), input (400):
    # {"post": (check, ...)}, each check a function of the view that raises a domain error. The
    # service checks again; this only decides which refusal is given first.
    checks: dict = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        checks = self.checks.get(request.method.lower(), ())
        if checks:
            self.resolve_path()  # what the path names must exist for this viewer: 404 comes first
        for check in checks:
            check(self)

    def resolve_path(self) -> None:
        """Look up the objects the path names (raising NotFound); views under a path override."""

    def parse(self, serializer_class, *, partial: bool = False, data=None) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def parse_query(self, serializer_class) -> dict:
        return self.parse(serializer_class, data=self.request.query_params)

    def render(self, serializer_class, instance, *, status: int = 200) -> Response:
        context = self.get_serializer_context()
        return Response(serializer_class(instance, context=context).data, status=status)

    def render_page(self, serializer_class, items) -> Response:
        page = self.paginator.paginate_queryset(items, self.request, view=self)
        context = self.get_serializer_context()
        return self.paginator.get_paginated_response(
            serializer_class(page, many=True, context=context).data
        )


class ListView(ApiView):
    # Paginated by `?page=`: answers `count`, `next`, `previous`, `results`.

    pagination_class = PageNumberPagination
