"""Every write of the sharing app: grants, requests, corrections, notifications, the sweep."""

from .corrections import correction_answer, correction_file
from .follows import resource_follow, resource_unfollow
from .grants import READ_DATA_PERM, grant_create, grant_revoke, grants_expire
from .notifications import notifications_mark_read, notify, resource_new_data_notify
from .periodic import sharing_sweep
from .requests import (
    basket_add,
    basket_remove,
    share_request_decide,
    share_request_escalate,
    share_request_resubmit,
    share_request_settle,
    share_request_signoff,
    share_request_withdraw,
    share_requests_submit,
)

__all__ = [
    "READ_DATA_PERM",
    "basket_add",
    "basket_remove",
    "correction_answer",
    "correction_file",
    "grant_create",
    "grant_revoke",
    "grants_expire",
    "notifications_mark_read",
    "notify",
    "resource_follow",
    "resource_new_data_notify",
    "resource_unfollow",
    "share_request_decide",
    "share_request_escalate",
    "share_request_resubmit",
    "share_request_settle",
    "share_request_signoff",
    "share_request_withdraw",
    "share_requests_submit",
    "sharing_sweep",
]
