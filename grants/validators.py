"""Polish register numbers of an offeror: NIP and REGON with their checksums (django-localflavor's
algorithms), KRS as ten digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from localflavor.pl.forms import PLNIPField, PLREGONField


def normalize_number(value: str) -> str:
    """Digits only: "123-456-32-18" -> "1234563218"."""
    return re.sub(r"[\s-]", "", value or "")


def validate_nip(value: str) -> None:
    number = normalize_number(value)
    if not number:
        return
    if not re.fullmatch(r"\d{10}", number):
        raise ValidationError(_("NIP składa się z 10 cyfr."), code="invalid")
    if not PLNIPField().has_valid_checksum(number):
        raise ValidationError(_("Nieprawidłowa cyfra kontrolna NIP."), code="checksum")


def validate_regon(value: str) -> None:
    number = normalize_number(value)
    if not number:
        return
    if not re.fullmatch(r"\d{9}|\d{14}", number):
        raise ValidationError(_("REGON składa się z 9 albo 14 cyfr."), code="invalid")
    if not PLREGONField().has_valid_checksum(number):
        raise ValidationError(_("Nieprawidłowa cyfra kontrolna REGON."), code="checksum")


def validate_krs(value: str) -> None:
    number = normalize_number(value)
    if number and number.isdigit() and len(number) != 10:
        raise ValidationError(_("Numer KRS składa się z 10 cyfr."), code="invalid")
