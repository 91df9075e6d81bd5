"""Sign up and get an API token."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.serializers import (
    AccountSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from core.api import NoBody


class AnonymousWriteView(APIView):
    """Open to anyone, throttled per address; a stale session or token must not get in the way."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class TokenView(AnonymousWriteView):
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer},
                   summary="Get the API token of a username and password", tags=["auth"])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = services.issue_token(request=request, **serializer.validated_data)
        return Response(TokenSerializer(token).data)


class TokenRevokeView(APIView):
    """Revoke one's own token (any authentication: token or session)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=NoBody, responses={204: None},
                   summary="Revoke my API token; the next sign-in gets a new one", tags=["auth"])
    def post(self, request):
        serializer = NoBody(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.revoke_token(user=request.user)
        return Response(status=204)


class RegisterView(AnonymousWriteView):
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: AccountSerializer},
                   summary="Sign up", tags=["auth"])
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.register_user(**serializer.validated_data)
        return Response(AccountSerializer(user).data, status=201)
