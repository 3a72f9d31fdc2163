"""QR codes for printed handouts: paper cannot be clicked, a phone camera can open a QR code."""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """An SVG QR code for ``url`` as a data: URI (embedded in the PDF, nothing is fetched).

    Error correction level M survives a crease or a coffee ring; dark on white prints on any printer.
    """
    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(scale=4, border=2, dark="#000", light="#fff")


def display_url(url: str) -> str:
    """The short form people read and type: no https://, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")
