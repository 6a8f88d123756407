"""URLs of the accounts pages."""

from django.urls import path

from . import views
from .views import department as views_department
from .views import passwords as views_passwords
from .views import tokens as views_tokens

app_name = "accounts"

urlpatterns = [
    path("me/", views_passwords.account, name="account"),
    path("me/password/", views_passwords.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/roles/", views.user_role_change, name="user_role_change"),
    path("users/<int:pk>/clearance/", views.user_clearance_change, name="user_clearance_change"),
    path(
        "users/<int:pk>/second-factor/reset/",
        views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path(
        "users/<int:pk>/password/reset/",
        views_passwords.user_password_reset,
        name="user_password_reset",
    ),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path(
        "departments/<int:pk>/active/",
        views.department_set_active,
        name="department_set_active",
    ),
    path("department/users/", views_department.member_list, name="member_list"),
    path("department/users/new/", views_department.member_create, name="member_create"),
    path("department/users/<int:pk>/", views_department.member_detail, name="member_detail"),
    path(
        "department/users/<int:pk>/active/",
        views_department.member_set_active,
        name="member_set_active",
    ),
    path(
        "department/users/<int:pk>/roles/",
        views_department.member_role_change,
        name="member_role_change",
    ),
    path(
        "department/users/<int:pk>/password/reset/",
        views_passwords.member_password_reset,
        name="member_password_reset",
    ),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("tokens/", views_tokens.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke_view, name="token_revoke"),
]
