"""The outgoing allowlist: only addresses inside networks the coordinator listed are targets."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from audit.models import AuditEvent
from exchange.egress import check_target
from exchange.models import EgressNetwork
from kernel.errors import RuleViolation
from tests import builders
from tests.catalog.maintenance_helpers import login

pytestmark = pytest.mark.django_db


def allow(*cidrs: str) -> None:
    for cidr in cidrs:
        EgressNetwork.objects.create(cidr=cidr, note="测试")


def refused(url: str, language: str = "en") -> str:
    with translation.override(language), pytest.raises(RuleViolation) as caught:
        check_target(url)
    return " ".join(caught.value.message_dict["url"])


@pytest.fixture
def fake_dns(monkeypatch):
    """Answer chosen names with chosen addresses; everything else as the system does."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (a, port, 0, 0) if ":" in a else (a, port),
                )
                for a in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_an_address_in_a_listed_network_is_a_target_and_its_addresses_are_returned():
    allow("10.12.0.0/16")
    assert check_target("http://10.12.3.4:8080/query?x=1") == [ipaddress.ip_address("10.12.3.4")]
    assert check_target("HTTPS://10.12.0.9/") == [ipaddress.ip_address("10.12.0.9")]


def test_nothing_is_a_target_while_the_list_is_empty():
    assert "10.12.3.4" in refused("http://10.12.3.4/")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",  # decimal
        "http://0177.0.0.1/",  # octal
        "http://0x7f.1/",  # hexadecimal, short form
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ],
)
def test_loopback_link_local_unspecified_and_multicast_are_refused_even_under_any(url):
    allow("0.0.0.0/0", "::/0")
    message = refused(url)
    assert "not in a network the coordinator allows" in message


def test_a_name_resolving_to_loopback_is_refused(fake_dns):
    allow("0.0.0.0/0")
    fake_dns["127.0.0.1.nip.io"] = ["127.0.0.1"]
    assert "127.0.0.1" in refused("http://127.0.0.1.nip.io/")


def test_every_resolved_address_must_be_allowed(fake_dns):
    allow("10.0.0.0/8")
    fake_dns["api.dept.example"] = ["10.1.1.1", "192.168.1.1"]
    assert "192.168.1.1" in refused("http://api.dept.example/")
    fake_dns["api.dept.example"] = ["10.1.1.1", "10.2.2.2"]
    assert [str(a) for a in check_target("http://api.dept.example/")] == ["10.1.1.1", "10.2.2.2"]


def test_a_listed_loopback_network_admits_loopback_and_the_mapped_form():
    allow("127.0.0.0/8")
    assert check_target("http://127.0.0.1:9000/") == [ipaddress.ip_address("127.0.0.1")]
    assert check_target("http://[::ffff:127.0.0.1]/")
    assert "::1" in refused("http://[::1]/")  # the IPv6 loopback is not in an IPv4 network


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://10.1.1.1/", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://10.1.1.1/", "Only http and https"),
        ("http://user:pw@10.1.1.1/", "user name or password"),
        ("http://10.1.1.1@127.0.0.1/", "user name or password"),
        ("http:///path", "names no host"),
        ("http://10.1.1.1:99999/", "not a valid URL"),
        ("http://no-such-host.invalid/", "cannot be resolved"),
    ],
)
def test_malformed_and_credentialed_urls_are_refused_with_a_clear_reason(url, words):
    allow("0.0.0.0/0")
    assert words in refused(url)


def test_the_refusal_is_in_the_portals_language():
    message = refused("http://127.0.0.1/", "zh-hans")
    assert "127.0.0.1" in message and "不在" in message and "允许" in message


def test_a_network_must_be_cidr_with_host_bits_clear():
    from django.core.exceptions import ValidationError

    for bad in ("10.0.0.1/8", "10.0.0.0/33", "example.org", ""):
        with pytest.raises(ValidationError):
            EgressNetwork(cidr=bad).full_clean()
    EgressNetwork(cidr="10.0.0.0/8").full_clean()


# --- the admin site -------------------------------------------------------------------------


@pytest.fixture
def people(db):
    bureau = builders.department("出网测试数据局")
    dept = builders.department("出网测试部门")
    coordinator = builders.user(bureau, clearance=4, roles=(Role.STAFF, Role.COORDINATOR))
    editor = builders.user(dept, clearance=3, roles=(Role.STAFF, Role.EDITOR))
    User.objects.filter(pk__in=[coordinator.pk, editor.pk]).update(is_staff=True)
    return {"coordinator": coordinator, "editor": editor}


def test_the_coordinator_keeps_the_allowlist_in_the_admin_and_each_change_is_audited(
    client, people
):
    login(client, people["coordinator"])
    response = client.post(
        reverse("admin:exchange_egressnetwork_add"), {"cidr": "10.20.0.0/16", "note": "政务外网"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    network = EgressNetwork.objects.get(cidr="10.20.0.0/16")
    assert network.created_by_id == people["coordinator"].pk
    event = AuditEvent.objects.get(action="egress.create")
    assert event.details["cidr"] == "10.20.0.0/16"
    assert event.actor_id == people["coordinator"].pk
    response = client.post(
        reverse("admin:exchange_egressnetwork_add"), {"cidr": "10.20.0.1/16", "note": ""}
    )
    assert response.status_code == 200  # the form again, with its error
    assert EgressNetwork.objects.count() == 1
    response = client.post(
        reverse("admin:exchange_egressnetwork_delete", args=[network.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not EgressNetwork.objects.exists()
    assert AuditEvent.objects.filter(action="egress.delete").count() == 1


def test_an_editor_with_admin_access_cannot_see_or_change_the_allowlist(client, people):
    allow("10.30.0.0/16")
    login(client, people["editor"])
    assert client.get(reverse("admin:exchange_egressnetwork_changelist")).status_code == 403
    response = client.post(
        reverse("admin:exchange_egressnetwork_add"), {"cidr": "0.0.0.0/0", "note": ""}
    )
    assert response.status_code == 403
    assert list(EgressNetwork.objects.values_list("cidr", flat=True)) == ["10.30.0.0/16"]
    assert not AuditEvent.objects.filter(action__startswith="egress.").exists()
