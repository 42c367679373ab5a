"""Model fields for private free text, sealed at rest with :mod:`twofold.lib.crypto`."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields import AutoFieldMixin
from django.db.models.query_utils import DeferredAttribute

from twofold.lib import crypto


class Sealed:
    """A value as read from the database, opened on first access through the model."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed>"

    def __str__(self) -> str:
        return "<Sealed>"


class _OpeningAttribute(DeferredAttribute):
    def __get__(self, instance: Any, cls: Any = None) -> Any:
        value = super().__get__(instance, cls)
        if instance is None or not isinstance(value, Sealed):
            return value
        field = cast("EncryptedTextField", self.field)
        plaintext = crypto.open_sealed(value.token, field.associated_data(instance))
        instance.__dict__[field.attname] = plaintext
        return plaintext

    # Defining __set__ makes this a data descriptor, so reads go through __get__ even once
    # the value sits in the instance __dict__ (otherwise the Sealed value is returned).
    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text sealed with AES-GCM; the associated data binds it to model, field and row.

    The model's primary key must be known before saving (use a UUID default), because
    it is part of the binding. The field cannot be filtered on or ordered by.
    """

    descriptor_class = _OpeningAttribute

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            pk = cls._meta.pk
            if pk is not None and isinstance(pk, AutoFieldMixin):
                raise ImproperlyConfigured(
                    f"{cls.__name__}.{name}: encrypted fields need a primary key "
                    "known before saving (a UUIDField with a default)"
                )

    def associated_data(self, instance: models.Model) -> bytes:
        meta = self.model._meta  # the model holding the column, even via a proxy
        return f"{meta.app_label}.{meta.model_name}.{self.name}.{instance.pk}".encode()

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return Sealed(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        plaintext = getattr(model_instance, self.attname)
        if plaintext is None or plaintext == "":
            return plaintext
        return crypto.seal(str(plaintext), self.associated_data(model_instance))

    # Pattern lookups (contains, startswith, regex, iexact...) skip get_prep_value and
    # would silently search ciphertext, so only these are allowed (given a sealed token).
    _ALLOWED_LOOKUPS = frozenset({"exact", "in", "isnull"})

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in self._ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Sealed):
            return value.token
        if value is None or value == "" or (isinstance(value, str) and value.startswith("tf1:")):
            return value
        raise TypeError("Encrypted fields cannot be used in lookups")

    def to_python(self, value: Any) -> Any:
        return value
