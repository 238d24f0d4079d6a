"""Shared factories. Domain factories live in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

PASSWORD = "Haslo-Testowe-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"osoba{n}")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Testowy{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@mopr.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
