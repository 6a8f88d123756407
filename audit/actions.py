"""Readable names of the audit trail's action codes, in the reader's language.

The trail stores a stable code (``share_request.settle_approve``); the screens show this name
first and the code beside it. ``actions_matching`` lets a search in words (“登录”) find codes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Actions that read a resource's data, as datasets records them (``datasets.selectors.rows``
# and ``datasets.exports``): a page of rows, a file download, a verification. The provider's
# "who read our data" page and each resource's "who used this data" page list these (the
# former's index, ``audit_data_reads``, is declared for exactly these).
DATA_READ_ACTIONS = ("data.read", "data.download", "data.verify")

ACTION_LABELS = {
    "login.success": _("Signed in"),
    "login.failure": _("Failed sign-in"),
    "logout": _("Signed out"),
    "otp.verify": _("Two-factor code checked"),
    "otp.enrol": _("Authenticator enrolled"),
    "otp.device_create": _("Authenticator added"),
    "otp.reset": _("Two-factor sign-in reset"),
    "otp.recovery_codes": _("Recovery codes issued"),
    "user.create": _("Account created"),
    "user.clearance": _("Account clearance changed"),
    "user.activate": _("Account enabled"),
    "user.password_reset": _("Password reset by an administrator"),
    "password.change": _("Password changed"),
    "user.deactivate": _("Account disabled"),
    "role.assign": _("Role assigned"),
    "role.revoke": _("Role revoked"),
    "department.create": _("Department created"),
    "department.update": _("Department changed"),
    "department.uscc_exception": _("Department credit code exception recorded"),
    "department.activate": _("Department enabled"),
    "department.deactivate": _("Department disabled"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "token.revoked": _("API token revoked by the second-factor rule"),
    "api_token.authenticate": _("API token used"),
    "system.register": _("Information system registered"),
    "system.update": _("Information system changed"),
    "system.retire": _("Information system retired"),
    "system.file": _("Information system filed for approval"),
    "system.approve": _("Information system filing approved, code assigned"),
    "system.return": _("Information system filing returned"),
    "system.reconfirm": _("Information system re-confirmed for the year"),
    "category.create": _("Category created"),
    "synonyms.create": _("Synonym group added"),
    "synonyms.update": _("Synonym group changed"),
    "synonyms.delete": _("Synonym group deleted"),
    "code_list.create": _("Code list added"),
    "code_list.update": _("Code list changed"),
    "code_list.delete": _("Code list deleted"),
    "catalog.import": _("Catalog imported from Excel"),
    "catalog.import_queue": _("Catalog import from Excel queued"),
    "catalog.import_abandon": _("Catalog import failed: its task worker stopped"),
    "catalog.import_expire": _("Catalog import upload removed: never confirmed"),
    "service_item.import": _("Service items imported"),
    "resource.create": _("Resource created"),
    "resource.update": _("Resource changed"),
    "resource.submit": _("Resource submitted for review"),
    "resource.return": _("Resource returned for changes"),
    "resource.publish": _("Resource published"),
    "resource.retire": _("Resource retired"),
    "resource.scope": _("Resource catalog scope changed"),
    "item.personal_confirm": _("Data item confirmed as not personal data"),
    "resource.delegate": _("Resource maintenance delegated"),
    "resource.delegate_revoke": _("Resource delegation withdrawn"),
    "share_request.submit": _("Share request submitted"),
    "share_request.resubmit": _("Share request changed and submitted again"),
    "share_request.signoff": _("Share request signed off by the requester"),
    "share_request.return": _("Share request returned by the requester"),
    "share_request.ask_changes": _("Share request: changes asked by the provider"),
    "share_request.approve": _("Share request approved"),
    "share_request.reject": _("Share request rejected"),
    "share_request.escalate": _("Share request sent to the coordinator"),
    "share_request.settle_approve": _("Share request approved by the coordinator"),
    "share_request.settle_refuse": _("Share request refused by the coordinator"),
    "share_request.withdraw": _("Share request withdrawn"),
    "grant.create": _("Grant created"),
    "grant.revoke": _("Grant revoked"),
    "grant.expire": _("Grant expired"),
    "correction.file": _("Correction filed"),
    "correction.answer": _("Correction answered"),
    "need.file": _("Data need filed"),
    "need.route": _("Data need routed"),
    "need.claim": _("Data need claimed by a provider"),
    "need.link": _("Data need answered with a resource"),
    "need.register": _("Data need answered: a new resource is registered"),
    "need.refuse": _("Data need refused"),
    "need.request": _("Share request made from a data need"),
    "webhook.create": _("Webhook subscription created"),
    "webhook.delete": _("Webhook subscription deleted"),
    "webhook.rotate_secret": _("Webhook signing secret rotated"),
    "webhook.enable": _("Webhook subscription enabled again"),
    "webhook.disable": _("Webhook subscription disabled after repeated failures"),
    "webhook.replay": _("Webhook delivery replayed"),
    "data.read": _("Data read"),
    "data.download": _("Data downloaded"),
    "data.verify": _("Data verified"),
    "data.upload": _("Data uploaded"),
    "data.personal_unflagged": _(
        "Uploaded values look like personal data in items tagged not personal"
    ),
    "data.push": _("Data pushed through the API"),
    "data.import_queue": _("Data import queued"),
    "data.quality_profile": _("Data quality profiled"),
    "data.quality_drop": _("Data quality fell below the previous version"),
    "item_link.create": _("Items linked as the same data"),
    "item_link.delete": _("Item link removed"),
    "item_link.compare": _("Comparison of linked items requested"),
    "item_link.compared": _("Linked items compared"),
    "item_link.conflicts_view": _("Conflicting values viewed"),
    "item_link.correction": _("Correction opened from a conflict"),
    "data.import_abandon": _("Data import failed: its task worker stopped"),
    "data.import_discard": _("Queued data import discarded unrun"),
    "interface.register": _("Interface registered"),
    "interface.submit": _("Interface submitted for review"),
    "interface.return": _("Interface returned for changes"),
    "interface.publish": _("Interface published"),
    "interface.retire": _("Interface retired"),
    "interface.call": _("Interface called through the broker"),
    "interface.test_call": _("Interface test-called by its provider"),
    "interface.down": _("Interface found failing"),
    "interface.up": _("Interface answering again"),
    "egress.create": _("Allowed outgoing network added"),
    "egress.update": _("Allowed outgoing network changed"),
    "egress.delete": _("Allowed outgoing network removed"),
    "deadline.recompute": _("Deadlines recomputed"),
    "calendar.enter": _("Working calendar entered"),
    "calendar.import": _("Working calendar imported"),
    "calendar.official": _("Working calendar made official"),
    "calendar.reopen": _("Working calendar reopened"),
    "audit.verify": _("Audit chain verified"),
    "audit.export": _("Audit log exported"),
    "audit.purge": _("Old audit events purged"),
    "audit.anchor": _("Audit chain head signed (anchor)"),
}


def action_label(code: str) -> str:
    """Return the readable name of an action code in the active language (the code if unknown)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def actions_matching(text: str) -> list[str]:
    """Return the action codes whose readable name (active language) contains ``text``."""
    needle = text.strip().casefold()
    if not needle:
        return []
    return [code for code, label in ACTION_LABELS.items() if needle in str(label).casefold()]
