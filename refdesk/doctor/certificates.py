"""The certificate and key Prosody presents: readable, in date, a pair, and naming every host."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID

from refdesk.doctor.result import Result

CHECK = "certificate"
WARN_BEFORE = datetime.timedelta(days=14)
SHOWN_NAMES = 4
_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


class CertificateProblem(Exception):
    """A certificate or key file that cannot be used; the message says why and what to do."""


def covers(pattern: str, name: str) -> bool:
    """Whether a certificate name covers a host name (RFC 6125: `*` only as a whole leftmost
    label, matching exactly one label)."""
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if not pattern.startswith("*."):
        return pattern == name
    head, _, rest = name.partition(".")
    return bool(head) and rest == pattern[2:]


def uncovered(certificate_names: Iterable[str], needed: Iterable[str]) -> list[str]:
    """The needed host names no certificate name covers, in order."""
    names = list(certificate_names)
    return [host for host in needed if not any(covers(name, host) for name in names)]


def certificate_names(certificate: x509.Certificate) -> list[str]:
    """Its subjectAltName DNS names; its common name only when it has no subjectAltName."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return [str(attribute.value)
                for attribute in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    return extension.value.get_values_for_type(x509.DNSName)


def shorten(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + ", …" if len(names) > SHOWN_NAMES else shown


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CertificateProblem(f"{what} {path} does not exist") from None
    except PermissionError:
        raise CertificateProblem(
            f"{what} {path} is not readable by this user (run doctor as root); Prosody's "
            "user must read it too (chgrp prosody, chmod 640)") from None
    except OSError as error:
        raise CertificateProblem(f"{what} {path}: {error.strerror or error}") from None


def load_certificate(path: Path) -> x509.Certificate:
    """The first certificate of a PEM file (a fullchain.pem starts with the server's)."""
    try:
        return x509.load_pem_x509_certificates(_read(path, "certificate"))[0]
    except ValueError:
        raise CertificateProblem(f"{path} holds no PEM certificate") from None


def load_key(path: Path) -> PrivateKeyTypes:
    try:
        return serialization.load_pem_private_key(_read(path, "key"), password=None)
    except TypeError:
        raise CertificateProblem(f"key {path} is encrypted; Prosody needs it without a "
                                 "passphrase") from None
    except ValueError:
        raise CertificateProblem(f"{path} holds no PEM private key") from None


def key_matches(certificate: x509.Certificate, key: PrivateKeyTypes) -> bool:
    return certificate.public_key().public_bytes(*_SPKI) == key.public_key().public_bytes(*_SPKI)


def check_dates(certificate: x509.Certificate, path: Path,
                now: datetime.datetime) -> Result:
    """Fails outside its validity period; warns within WARN_BEFORE of its end."""
    until = certificate.not_valid_after_utc
    renew = "renew it (e.g. certbot renew) and reload Prosody (prosodyctl reload)"
    if now < certificate.not_valid_before_utc:
        return Result.fail(CHECK, f"{path} is not valid before "
                           f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
                           "check this machine's clock, or the certificate's issue")
    if now >= until:
        return Result.fail(CHECK, f"{path} expired on {until:%Y-%m-%d}", renew)
    if until - now < WARN_BEFORE:
        return Result.warn(CHECK, f"{path} expires on {until:%Y-%m-%d}, in "
                           f"{(until - now).days} days", renew)
    return Result.ok(CHECK, f"{path} valid until {until:%Y-%m-%d}")


def check_names(certificate: x509.Certificate, path: Path, needed: Sequence[str]) -> Result:
    names = certificate_names(certificate)
    missing = uncovered(names, needed)
    if missing:
        return Result.fail(
            CHECK, f"{path} does not cover {shorten(missing)} (it names "
            f"{shorten(names) or 'nothing'})",
            "get a certificate naming the domain and every subdomain "
            f"(e.g. certbot -d {' -d '.join(needed)}) and name it in Prosody's ssl option")
    return Result.ok(CHECK, f"{path} covers {shorten(needed)}")


def check_pair(certificate: x509.Certificate, key: PrivateKeyTypes, certificate_path: Path,
               key_path: Path) -> Result:
    if key_matches(certificate, key):
        return Result.ok(CHECK, f"key {key_path} matches the certificate")
    return Result.fail(CHECK, f"key {key_path} is not the key of {certificate_path}",
                       "name the key issued with this certificate (e.g. privkey.pem beside "
                       "fullchain.pem) in Prosody's ssl option")


def check_certificate(certificate_path: Path, key_path: Path, needed: Sequence[str],
                      now: datetime.datetime | None = None) -> list[Result]:
    """Every certificate finding for the pair of files and the host names they must cover."""
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        certificate = load_certificate(certificate_path)
    except CertificateProblem as problem:
        return [Result.fail(CHECK, str(problem), "name the certificate in Prosody's ssl "
                            "option (or doctor's --certificate)")]
    results = [check_dates(certificate, certificate_path, now),
               check_names(certificate, certificate_path, needed)]
    try:
        key = load_key(key_path)
    except CertificateProblem as problem:
        return [*results, Result.fail(CHECK, str(problem), "name the key in Prosody's ssl "
                                      "option (or doctor's --key)")]
    return [*results, check_pair(certificate, key, certificate_path, key_path)]
