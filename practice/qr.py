"""The invitation link as a QR code, drawn on the server as inline SVG (segno)."""

import io

import segno


def svg(url: str, title: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title, svgclass="qr"
    )
    return buffer.getvalue().decode()
