"""A client library for accessing A市 government information resource catalog and sharing API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
