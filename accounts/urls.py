"""URLs of the accounts pages."""

from django.urls import path

from . import views_tokens

app_name = "accounts"

urlpatterns = [
    path("tokens/", views_tokens.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke_view, name="token_revoke"),
]
