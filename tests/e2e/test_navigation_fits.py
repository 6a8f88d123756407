"""The main navigation fits one row for every demo role, from 1280 to 1920 px wide.

Each role set of the demo accounts (demo.management.commands.load_demo.DEMO_USERS) signs in to
the home page; the list of top-level entries must be exactly as tall as one entry, and the
page shows the role's "My work" section. Before the
menus, the approvers', coordinators' and administrators' links wrapped to two rows at 1920 px.
"""

from __future__ import annotations

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from accounts.models import Role
from demo.management.commands.load_demo import DEMO_USERS

from .. import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 1440, 1920)


def test_the_navigation_is_one_row_for_every_demo_role(page, shot, login):
    department = builders.department("市测试局")
    role_sets = {(roles, clearance) for _u, _k, clearance, roles, _n in DEMO_USERS}
    for roles, clearance in sorted(role_sets):
        user = builders.user(department, clearance=clearance, roles=roles)
        page.context.clear_cookies()
        login(page, user)
        # One load per role: the layout follows the viewport as the window is resized.
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto("/")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            nav = page.locator("#portal-main-nav > ul.navbar-nav")
            first = nav.locator(":scope > li.nav-item").first
            nav_box, item_box = nav.bounding_box(), first.bounding_box()
            assert nav_box and item_box
            if width == 1440:
                shot("-".join(r for r in roles))
            assert nav_box["height"] <= item_box["height"] + 1, (roles, width, nav_box, item_box)
        # The home page lists the role's work under the search (portal.work).
        with override("zh-hans"):
            my_work = gettext("My work")
        expect(page.get_by_role("heading", name=my_work, exact=True)).to_be_visible()
        if Role.APPROVER in roles:  # the menus open: the inbox is one click away
            with override("zh-hans"):
                work, inbox = gettext("My work"), gettext("Requests awaiting me")
            page.get_by_role("button", name=work).click()
            expect(page.get_by_role("link", name=inbox)).to_be_visible()
