"""R3: the care district shown next to an address anywhere in the product:
``{% load units_districts %}{% district_of institution address %}`` (optionally ``on=date``)."""

from django import template

from units.districts import district_for

register = template.Library()


@register.inclusion_tag("units/district_match.html")
def district_of(institution, address, on=None):
    return {"match": district_for(institution, address, on=on), "address": address}
