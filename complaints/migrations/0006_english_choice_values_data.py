"""English values in the database, Polish labels on screen: the Polish literals the registers stored as choice
values become English enum values (the Polish stays as the label). Rows of the registers and of their
simple-history tables are rewritten; the migration runs backwards too."""

from django.db import migrations

COMPLAINT = {
    "kind": {"skarga": "complaint", "wniosek": "motion"},
    "channel": {"pismo": "letter", "elektronicznie": "electronic", "osobiscie": "in_person", "ustnie": "oral"},
    "status": {
        "zarejestrowana": "registered", "uzupelnienie": "completion_requested", "wyjasnianie": "explaining",
        "do_odpowiedzi": "ready", "w_obiegu": "in_approval", "podpisana": "signed", "wyslana": "sent",
        "zakonczona": "closed",
    },
    "outcome": {
        "zasadna": "founded", "czesciowo_zasadna": "partly_founded", "bezzasadna": "unfounded",
        "przekazana": "forwarded", "bez_rozpoznania": "not_considered", "ponowna_c8": "repeated",
    },
    "leave_reason": {"anonim": "anonymous", "nieuzupelniona": "not_completed"},
}
COMPLAINT["response_outcome"] = COMPLAINT["outcome"]

ATTACHMENT = {
    "kind": {"pismo": "letter", "protokol": "protocol_scan", "wyjasnienie": "explanation",
             "uzupelnienie": "completion", "inny": "other"},
}

WHISTLEBLOWER = {
    "status": {"przyjete": "received", "potwierdzone": "acknowledged", "postepowanie": "proceedings",
               "informacja": "feedback_given", "zamkniete": "closed"},
    "channel": {"pisemnie": "written", "elektronicznie": "electronic", "ustnie": "oral"},
}

TABLES = {
    "Complaint": COMPLAINT, "HistoricalComplaint": COMPLAINT,
    "Attachment": ATTACHMENT, "HistoricalAttachment": ATTACHMENT,
    "WhistleblowerReport": WHISTLEBLOWER, "HistoricalWhistleblowerReport": WHISTLEBLOWER,
}


def _rewrite(apps, backwards: bool) -> None:
    # QuerySet.update on purpose: a change of stored codes is not a change of the record, so it writes no
    # history row (the historical tables are rewritten alongside).
    for model_name, fields in TABLES.items():
        model = apps.get_model("complaints", model_name)
        for field, mapping in fields.items():
            for old, new in mapping.items():
                source, target = (new, old) if backwards else (old, new)
                model.objects.filter(**{field: source}).update(**{field: target})


def forwards(apps, schema_editor):
    _rewrite(apps, backwards=False)


def backwards(apps, schema_editor):
    _rewrite(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_english_choice_values")]

    operations = [migrations.RunPython(forwards, backwards)]
