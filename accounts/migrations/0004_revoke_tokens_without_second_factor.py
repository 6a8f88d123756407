"""Revoke the API tokens that let someone act as a privileged account without its second factor.

Before the second-factor rule a department administrator or an operator could issue a token for
an approver, a coordinator or an administrator; whoever held that token acted as them without
the authenticator the web asks for. Every such unrevoked token (a privileged holder, created by
someone else or by the system) is revoked, with a ``token.revoked`` audit event per token
(reason "second-factor rule"); the holder sees the token as revoked, with the reason, on their
token page and creates a new one themself.

The revocation is the service ``accounts.services.tokens.tokens_revoke_second_factor_breaches``
(it writes the chained audit events, which historical models cannot). It runs only when the
historical models find a token to revoke, so a new database never loads today's models here.
"""

from django.db import migrations
from django.db.models import F, Q


def _privileged_roles():
    from accounts.policies import second_factor_roles

    return sorted(second_factor_roles())


def revoke(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    breaking = ApiToken.objects.filter(
        Q(revoked_at__isnull=True)
        & Q(user__role_assignments__role__in=_privileged_roles())
        & (Q(created_by__isnull=True) | ~Q(created_by=F("user")))
    )
    if not breaking.exists():
        return
    from accounts.services.tokens import tokens_revoke_second_factor_breaches

    tokens_revoke_second_factor_breaches(actor=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_kind_token_networks"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
