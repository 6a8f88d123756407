"""The A市 demo, on top of every product app: ``manage.py load_demo`` and ``demo_totp``."""
