"""Shared infrastructure of the integrator API: authentication, permissions, errors, paging."""
