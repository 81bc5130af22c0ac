"""A strict local emulator of the LINE Messaging API, validated against LINE's OpenAPI spec."""

from .schema import Problem, validate, validate_request, validate_webhook_body
from .server import Delivery, LineEmulator, RecordedRequest

__all__ = ["Delivery", "LineEmulator", "Problem", "RecordedRequest", "validate",
           "validate_request", "validate_webhook_body"]
