"""Pages of the grants app, by sub-domain: ``competitions``, ``offers`` (with offerors and the grantee's
templates, G10), ``committee`` (declarations and cards), ``results`` (opinion and decision) and ``public`` (no
login); ``grants.urls`` maps each page. Every view checks permission on the server through grants.permissions;
records the user may not see answer 404. A view calls a service through ``mopr.forms.run_service`` (a refusal
next to the form's field), or ``mopr.forms.run_or_message`` for a button."""
