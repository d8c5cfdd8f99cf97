"""e-Cont.md responses in the shapes public records show. Typed by hand; values are ours.

e-Cont.md publishes no response (open question 5); ``specs/econt.yaml`` borrows its envelopes from the sibling
Open.e-Cont.md API, whose source documents them with OpenAPI annotations and raises Yii2 HTTP exceptions:

- SIBLING: github.com/open-e-cont-md/yii2-payment-api (Dec 2023), modules/payment/controllers/v1/InvoiceController.php:
  the ``result_error`` example ``{"status": "FAIL", "data": {"name", "message": {field: text}, "code": 0, "status":
  400, "type": "yii\\web\\BadRequestHttpException"}}``, and ``HttpException(401, '<text>', -1)`` for an unknown
  invoice (a string message, code -1).
- YII: a Yii2 error array carries ``type`` (the exception class) only with ``YII_DEBUG`` on; in production it is
  ``{name, message, code, status}`` (yii\\web\\ErrorHandler::convertExceptionToArray, yiisoft/yii2).
"""

from __future__ import annotations

from typing import Any

from tests.specs.real_payloads import RealPayload

__all__ = ["PAYLOADS"]

SIBLING = "github:open-e-cont-md/yii2-payment-api@13cf206d579a modules/payment/controllers/v1/InvoiceController.php"
YII = "github:yiisoft/yii2 framework/web/ErrorHandler.php convertExceptionToArray (type only with YII_DEBUG)"
PUT = "/facturare/v1/put/invoice"


def _fail(status: int, data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "FAIL", "data": data}


PAYLOADS = [
    RealPayload(
        "validation-error-debug",
        "econt",
        "POST",
        PUT,
        400,
        "EcontError",
        SIBLING,
        _fail(
            400,
            {
                "name": "Bad Request",
                "message": {"connect": "Connect cannot be blank."},  # a field-to-text map
                "code": 0,
                "status": 400,
                "type": "yii\\web\\BadRequestHttpException",
            },
        ),
    ),
    RealPayload(
        "unauthorized-production",
        "econt",
        "POST",
        PUT,
        401,
        "EcontError",
        YII,
        _fail(401, {"name": "Unauthorized", "message": "Invalid client or token.", "code": -1, "status": 401}),
    ),
    RealPayload(
        "server-error-production",
        "econt",
        "POST",
        PUT,
        500,
        "EcontError",
        YII,
        _fail(
            500,
            {
                "name": "Internal Server Error",
                "message": "An internal server error occurred.",
                "code": 0,
                "status": 500,
            },
        ),
    ),
]
