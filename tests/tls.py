"""TLS for the tests' real servers on 127.0.0.1: a throwaway authority, a certificate it issues
for one name, a server context that records the server names asked for, and a resolver that
makes test-only names answer 127.0.0.1 (so the name a certificate is for is never a real one)."""

from __future__ import annotations

import socket
import ssl
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from socketserver import BaseServer
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NAME = "hooks.dept.example"  # the servers' certificate is issued for this name only
OTHER = "other.dept.example"  # resolves to the same address; not in the certificate


@dataclass
class Pki:
    ca: Path  # the test authority's certificate: what the portal is told to trust
    chain: Path  # the server's certificate, issued by the authority for NAME
    key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_pki(folder: Path, name: str = NAME) -> Pki:
    """Write an authority's certificate and a server certificate for ``name`` it issued."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("测试政务根证书"))
        .issuer_name(_name("测试政务根证书"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(ca=folder / "ca.pem", chain=folder / "server.pem", key=folder / "server.key")
    pki.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    pki.chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pki


@dataclass
class Handshakes:
    """The server names clients asked for, and the handshakes or requests that failed."""

    server_names: list[str | None] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.server_names.clear()
        self.failed.clear()


def serve_tls(server: BaseServer, pki: Pki) -> Handshakes:
    """Make a started-or-not socketserver speak TLS with ``pki``'s certificate; return its log.

    Each accepted connection is wrapped, its handshake run in the connection's own thread on
    its first read, so a client that refuses the certificate fails only that connection.
    """
    seen = Handshakes()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.chain, pki.key)
    context.sni_callback = lambda _sock, name, _ctx: seen.server_names.append(name)
    accept = server.get_request  # type: ignore[attr-defined]

    def get_request() -> tuple[Any, Any]:
        sock, address = accept()
        return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(request: Any, client_address: Any) -> None:
        seen.failed.append(repr(sys.exc_info()[1]))

    server.get_request = get_request  # type: ignore[attr-defined]
    server.handle_error = handle_error  # type: ignore[method-assign]
    return seen


def resolve_test_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make NAME and OTHER resolve to 127.0.0.1; return the lookups of them, in order."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in (NAME, OTHER):
            lookups.append(host)
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups
