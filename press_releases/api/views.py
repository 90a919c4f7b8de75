from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from press_releases.api.serializers import ExtractRequestSerializer, ExtractResponseSerializer
from press_releases.extraction import extract
from twinning.api.errors import ErrorSerializer
from press_releases.services import may_use_assistant
from twinning.permissions import city_ids_of


class ExtractView(APIView):
    """Read a press release and return the proposals the admin assistant would show. Saves nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ExtractRequestSerializer,
        responses={200: ExtractResponseSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer},
        tags=["press releases"],
    )
    def post(self, request):
        if not may_use_assistant(request.user):
            raise PermissionDenied()
        serializer = ExtractRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        own = city_ids_of(request.user)
        proposals = extract(
            serializer.validated_data["text"],
            published_on=serializer.validated_data.get("published_on"),
            home_city=next(iter(own)) if len(own) == 1 else None,
        )
        return Response(proposals.as_dict())
