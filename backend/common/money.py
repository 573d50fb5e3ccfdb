"""Currencies and money arithmetic: Decimal only, rounded half-up to the currency's minor unit."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from .errors import CommonErrorCode

# ISO 4217 codes this system accepts, with their minor units (digits after the point).
CURRENCY_MINOR_UNITS: dict[str, int] = {
    "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2,
    "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "INR": 2, "JOD": 3, "JPY": 0, "KRW": 0,
    "KWD": 3, "MXN": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PLN": 2, "SEK": 2, "SGD": 2,
    "TND": 3, "TRY": 2, "USD": 2, "ZAR": 2,
}  # fmt: skip

# Column shapes (digits, decimal places) shared by every app.
TOTAL = {"max_digits": 24, "decimal_places": 4}
UNIT_PRICE = {"max_digits": 25, "decimal_places": 5}
QUANTITY = {"max_digits": 26, "decimal_places": 6}


def validate_currency(code: str) -> None:
    if code not in CURRENCY_MINOR_UNITS:
        raise ValidationError(
            f"Unknown currency {code!r}; use an ISO 4217 code such as USD or EUR.",
            code=CommonErrorCode.UNKNOWN_CURRENCY,
        )


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-CURRENCY_MINOR_UNITS[currency])


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def validate_amount(amount: Decimal, currency: str) -> None:
    """Refuse amounts with more decimals than the currency allows (no silent rounding)."""
    if currency in CURRENCY_MINOR_UNITS and amount != round_money(amount, currency):
        raise ValidationError(
            f"{currency} amounts have at most {CURRENCY_MINOR_UNITS[currency]} decimal places.",
            code=CommonErrorCode.TOO_MANY_DECIMALS,
        )


def validate_non_negative(value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise ValidationError("Must not be negative.", code=CommonErrorCode.NEGATIVE)
