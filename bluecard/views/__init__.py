"""Pages of the Team and the Blue Card procedure, by sub-domain: ``team``, ``meetings``, ``cards`` and ``reports``
(statistics, breaches, access log); ``bluecard.urls`` maps each page. Every view checks permission on the
server; a card the user may not see is a 404; every read of a card (page, scan, PDF, history) is written to the
access log. Page titles and URLs carry no card data (ids only). A view calls a service through
``mopr.forms.run_service`` (a refusal next to the form's field), or ``common.run_or_message`` for a button."""
