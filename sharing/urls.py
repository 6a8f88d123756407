"""URLs of the sharing pages."""

from django.urls import path

from .views import corrections, follows, grants, notifications, requests

app_name = "sharing"

urlpatterns = [
    path("basket/", requests.basket, name="basket"),
    path("basket/add/", requests.basket_add, name="basket_add"),
    path("basket/remove/", requests.basket_remove, name="basket_remove"),
    path("resources/<int:pk>/follow/", follows.resource_follow, name="resource_follow"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/", requests.request_list, name="request_list"),
    path("inbox/", requests.request_inbox, name="inbox"),
    path("negotiations/", requests.negotiation_list, name="negotiation_list"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/decide/", requests.request_decide, name="request_decide"),
    path("requests/<int:pk>/settle/", requests.request_settle, name="request_settle"),
    path("requests/<int:pk>/signoff/", requests.request_signoff, name="request_signoff"),
    path("requests/<int:pk>/escalate/", requests.request_escalate, name="request_escalate"),
    path("requests/<int:pk>/withdraw/", requests.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("grants/", grants.grant_list, name="grant_list"),
    path("grants/<int:pk>/", grants.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/revoke/", grants.grant_revoke, name="grant_revoke"),
    path("corrections/", corrections.correction_list, name="correction_list"),
    path("corrections/new/", corrections.correction_new, name="correction_new"),
    path("corrections/<int:pk>/", corrections.correction_detail, name="correction_detail"),
    path("corrections/<int:pk>/answer/", corrections.correction_answer, name="correction_answer"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
]
