"""Forms of the account administration, two-factor and API token pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kernel.forms import LookupChoiceField

from .middleware import service_account_message
from .models import ApiToken, Department, Level, Role, User
from .policies import may_sign_in_on_web


class SignInForm(AuthenticationForm):
    """The sign-in form: refuses a service account, with a message that says why."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not may_sign_in_on_web(user):
            raise forms.ValidationError(service_account_message(), code="service_account")


def department_field(queryset: Any = None, **kwargs: Any) -> LookupChoiceField:
    """A department typed by its full name or credit code, not picked from every department.

    Without ``queryset`` the form sets it: the departments the user may choose.
    """
    return LookupChoiceField(
        queryset=Department.objects.none() if queryset is None else queryset,
        lookups=("name", "uscc"),
        help_text=_("The department’s full name or its unified social credit code."),
        error_messages={"invalid_choice": _("No department has this name or code.")},
        **kwargs,
    )


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department = department_field(label=_("Department"), required=False)

    def __init__(self, *args, departments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    department = department_field(label=_("Department"))
    kind = forms.TypedChoiceField(
        label=_("Kind of account"),
        choices=User.Kind.choices,
        initial=User.Kind.PERSON,
        empty_value=User.Kind.PERSON,
        required=False,
        help_text=_(
            "A service account is an information system: it never signs in on the portal, holds "
            "no approving or administrating role, and calls the API with tokens its department "
            "administrator issues. It needs no password."
        ),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
        help_text=_("At least 12 characters; not common, not only digits."),
    )

    def __init__(self, *args, departments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if password:
            validate_password(password)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("kind") == User.Kind.PERSON
        if person and not data.get("password") and "password" not in self.errors:
            self.add_error("password", _("A person needs an initial password."))
        return data


class DepartmentCreateForm(forms.ModelForm):
    # Typed, not picked: a select would hold every department of the city.
    parent = department_field(label=capfirst(_("parent department")), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Department.objects.all()  # type: ignore[attr-defined]

    class Meta:
        model = Department
        fields = [
            "name",
            "short_name",
            "name_en",
            "uscc",
            "region_code",
            "parent",
            "admin_level",
            "vertically_managed",
            "clearance",
            "uscc_exception_reason",
        ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ClearanceForm(forms.Form):
    clearance = forms.TypedChoiceField(label=_("Clearance"), choices=Level.choices, coerce=int)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_(
            "The six-digit code from your authenticator app, or one of your recovery codes."
        ),
    )


class AuthenticatorCodeForm(forms.Form):
    """A current code from the authenticator app itself (a recovery code does not do here)."""

    token = forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("A fresh six-digit code from your authenticator app."),
    )


class MemberCreateForm(UserCreateForm):
    """A department administrator's new account: always in their own department."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["department"]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class DepartmentRoleForm(forms.Form):
    """The roles a department administrator may hand out inside their department."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.STAFF, Role.EDITOR, Role.APPROVER)],
    )


class TokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        help_text=_("The token acts as this person, with their roles and clearance."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Which system uses the token, e.g. its name.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiToken.Scope.choices,
        initial=[ApiToken.Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Write lets the system register and change records; it includes read."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)
    allowed_networks = forms.CharField(
        label=_("Allowed networks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "10.0.0.0/8"}),
        help_text=_(
            "The client networks the token works from, as CIDR (10.12.0.0/16), one per line; "
            "at most 20. Empty: from any address."
        ),
    )

    def __init__(self, *args: Any, holders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = holders
        days_field = self.fields["days"]
        assert isinstance(days_field, forms.IntegerField)
        # The service enforces the maximum; the attribute only helps the browser say so early.
        days_field.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        days_field.initial = settings.API_TOKEN_DEFAULT_DAYS


class PasswordChangeForm(forms.Form):
    """The holder's own password change; the code field only for roles that need it."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters; not common, not only digits, not like your name or username."
        ),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    otp_token = forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("A fresh six-digit code from your authenticator app."),
    )

    def __init__(self, *args: Any, needs_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_code:
            del self.fields["otp_token"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class PasswordResetForm(forms.Form):
    """An administrator's password reset: only after confirming who asked for it."""

    confirm = forms.BooleanField(
        label=_("I have confirmed the identity of the person who asked for the reset."),
        required=True,
    )
