"""The single-source rule on a Word copy: every number and address in it comes from the registry, and
no template text is left in it.

Read back from the .docx itself (python-docx), so whatever reaches the file is checked, wherever it
came from: a page that switched the Markdown rule off, a snippet, a macro. Allowed are the registry's
numbers and addresses, the district's own phone, email and website, and the site's own address.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...htmlcheck import LEFTOVERS, normalize
from ...links import TYPED_PHONE, TYPED_VANITY, dials
from ...registry import Registry

# An address as printed: with a scheme, from www., or a bare host ending in a common top-level domain.
ADDRESS = re.compile(r"(?:https?://|\bwww\.)[^\s)\]]+|\b(?:[a-z0-9-]+\.)+(?:org|gov|com|net|edu|us|info|io|uk|ca)"
                     r"\b(?:/[^\s)\]]*)?", re.I)


def _host(address: str) -> str:
    if "://" not in address:
        address = "//" + address
    return (urlsplit(address).hostname or "").lower().removeprefix("www.")


def _dials(shown: str, phone: str) -> bool:
    """Whether a printed number dials ``phone``: as written ("(555) 555-0142"), or as a display with
    the dialed number in brackets ("1-800-THE-LOST (1-800-843-5678)")."""
    digits, want = re.sub(r"\D", "", shown), phone.removeprefix("+")
    return digits in (want, want.removeprefix("1")) or dials(shown, phone)


@dataclass(frozen=True)
class Allowed:
    urls: frozenset[str]                 # normalized web addresses
    hosts: frozenset[str]
    dial: frozenset[str]                 # tel: and sms: links
    phones: tuple[str, ...]              # E.164 numbers and short codes
    extra: frozenset[str] = field(default_factory=frozenset)    # mailto: and other exact links

    @classmethod
    def of(cls, registry: Registry, site_url: str = "", district_phone: str = "", district_email: str = "",
           district_website: str = "") -> Allowed:
        urls = {normalize(u) for u in registry.urls} | {normalize(u) for u in (district_website,) if u}
        hosts = {_host(u) for u in urls} | {_host(u) for u in (site_url, district_website) if u}
        hosts |= {district_email.rsplit("@", 1)[1].lower()} if "@" in district_email else set()
        dial = {r.href for r in registry.resources.values()} | ({f"tel:{district_phone}"} if district_phone else set())
        phones = tuple(p for r in registry.resources.values() for p in (r.phone, r.text) if p)
        phones += (district_phone,) if district_phone else ()
        extra = {f"mailto:{district_email}"} if district_email else set()
        return cls(frozenset(urls), frozenset(h for h in hosts if h), frozenset(dial), phones, frozenset(extra))


def docx_text(data: bytes) -> tuple[list[str], list[str]]:
    """(paragraph texts, including tables and content controls; external link targets) of a .docx."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]
    return paragraphs, targets


def problems_in(paragraphs: Iterable[str], targets: Iterable[str], allowed: Allowed, site_url: str = "") -> list[str]:
    """What is not from the registry (and any template text left unrendered), one line each."""
    found: list[str] = []
    base = site_url.rstrip("/")
    for target in targets:
        scheme = target.split(":", 1)[0].lower()
        if scheme in ("http", "https"):
            ok = normalize(target) in allowed.urls or (base and (target == base or target.startswith(base + "/")))
        else:
            ok = target in allowed.dial or target in allowed.extra
        if not ok:
            found.append(f"a link that is not in the registry: {target!r}")
    for text in paragraphs:
        found += [f"left-over template text {marker!r}" for marker in LEFTOVERS if marker in text]
        for pattern in (TYPED_PHONE, TYPED_VANITY):
            for match in pattern.finditer(text):
                if not any(_dials(match.group(0), phone) for phone in allowed.phones):
                    found.append(f"a phone number that is not in the registry: {match.group(0).strip()!r}")
        for match in ADDRESS.finditer(text):
            address = match.group(0).rstrip(".,;:")
            if _host(address) not in allowed.hosts:
                found.append(f"a web address that is not in the registry: {address!r}")
    return list(dict.fromkeys(found))
