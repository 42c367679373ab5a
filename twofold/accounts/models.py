"""People who sign in to Twofold. Roles come from relationships, not flags."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


def default_time_zone() -> str:
    return settings.TWOFOLD_DEFAULT_USER_TIME_ZONE


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


# Names are shown in lists and e-mails; a first name is all anyone needs.
DISPLAY_NAME_MAX_LENGTH = 60


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("name to show"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("How Twofold and the people you invite will see you. A first name is fine."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    quiet_hours_start = models.TimeField(
        _("quiet from"),
        default=datetime.time(21, 0),
        help_text=_("No reminders between these times, in your own time zone."),
    )
    quiet_hours_end = models.TimeField(_("quiet until"), default=datetime.time(8, 0))
    reminders_enabled = models.BooleanField(
        _("send me gentle reminders by e-mail"),
        default=True,
        help_text=_("Reminders never say anything about what they are for."),
    )
    # The kinds of reminder this person turned off (twofold.accounts.reminder_kinds);
    # a kind not listed is on, while reminders_enabled is.
    reminders_off = models.JSONField(_("reminders you turned off"), default=list, blank=True)
    # Turned on and off on the privacy lock page, with the password (accounts.views).
    privacy_lock = models.BooleanField(
        _("privacy lock"),
        default=False,
        help_text=_(
            "Your journal, boundaries and private check-in answers ask for your password "
            "before they open."
        ),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name or self.email

    def in_quiet_hours(self, moment: datetime.datetime) -> bool:
        """True when ``moment`` (aware) falls in this person's quiet hours, locally."""
        local = moment.astimezone(zoneinfo.ZoneInfo(self.time_zone)).time()
        start, end = self.quiet_hours_start, self.quiet_hours_end
        if start == end:
            return False
        if start < end:
            return start <= local < end
        return local >= start or local < end

    def after_quiet_hours(self, moment: datetime.datetime) -> datetime.datetime:
        """``moment`` when it is outside quiet hours, else the moment they end, locally.

        The end is found on the local calendar, so it stays at the chosen time of day
        across a change to or from summer time.
        """
        if not self.in_quiet_hours(moment):
            return moment
        tz = zoneinfo.ZoneInfo(self.time_zone)
        local = moment.astimezone(tz)
        day = local.date()
        if local.time() >= self.quiet_hours_end:
            day += datetime.timedelta(days=1)
        end = datetime.datetime.combine(day, self.quiet_hours_end, tzinfo=tz)
        return end.astimezone(datetime.UTC)

    def wants_reminder(self, kind: str) -> bool:
        """True when this person would like e-mail reminders of ``kind``."""
        return self.reminders_enabled and kind not in (self.reminders_off or [])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        super().save(*args, **kwargs)
