"""Certificates made in memory for doctor's tests: quick EC keys, chosen names and dates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Pair:
    certificate: Path
    key: Path


def write_pair(directory: Path, stem: str, names: tuple[str, ...], *,
               common_name: str = "", days_left: float = 90, days_old: float = 1,
               key: ec.EllipticCurvePrivateKey | None = None) -> Pair:
    """A self-signed certificate for names (subjectAltName; none when names is empty)."""
    own_key = key or ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name or "doctor")])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
               .public_key(own_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - datetime.timedelta(days=days_old))
               .not_valid_after(NOW + datetime.timedelta(days=days_left)))
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in names]), critical=False)
    certificate = builder.sign(own_key, hashes.SHA256())
    pair = Pair(directory / f"{stem}.pem", directory / f"{stem}.key")
    pair.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    pair.key.write_bytes(own_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return pair
