"""The lab's own certificate authority and one certificate per site (openssl, no network)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CertPair:
    certificate: Path
    key: Path


def _openssl(*args: str) -> None:
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def make_ca(directory: Path) -> CertPair:
    """A self-signed CA that the lab's clients trust, valid for a year."""
    directory.mkdir(parents=True, exist_ok=True)
    pair = CertPair(directory / "ca.pem", directory / "ca.key")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
        "-subj", "/CN=refdesk lab CA", "-keyout", str(pair.key), "-out", str(pair.certificate),
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )
    return pair


def make_site_certificate(ca: CertPair, directory: Path, domain: str,
                          subdomains: tuple[str, ...]) -> CertPair:
    """A certificate for domain with every subdomain in subjectAltName, signed by the lab CA."""
    pair = CertPair(directory / f"{domain}.crt", directory / f"{domain}.key")
    request = directory / f"{domain}.csr"
    names = ",".join(f"DNS:{name}" for name in (domain, *subdomains))
    extensions = directory / f"{domain}.ext"
    extensions.write_text(
        f"subjectAltName={names}\nextendedKeyUsage=serverAuth,clientAuth\n"
        "basicConstraints=CA:FALSE\n"
    )
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={domain}",
             "-keyout", str(pair.key), "-out", str(request))
    _openssl("x509", "-req", "-in", str(request), "-CA", str(ca.certificate),
             "-CAkey", str(ca.key), "-CAcreateserial", "-days", "365",
             "-extfile", str(extensions), "-out", str(pair.certificate))
    request.unlink()
    extensions.unlink()
    return pair
