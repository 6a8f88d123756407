"""The ground floor every app builds on: compiled queries, the API's base classes, form helpers,
admin mixins, ``require()`` and the security headers. It imports no app of the portal.
"""
