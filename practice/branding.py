"""An organisation's branding (§6): its shown name and accent colour, for invitations and briefs.

The accent colour is used in two ways only, both in static/css/relcap.css through one custom
property set by a generated stylesheet (`practice:accent_css`), never an inline style (the CSP
allows styles from 'self' only):
- as the colour of text on the white page (the organisation's name), and
- as the background of a band and of white text (the "from" strip on an invitation).
Both need a contrast ratio of at least 4.5:1 with white (WCAG 2.2 AA 1.4.3 for normal text), and
the ratio of a colour against white is the same either way round, so one check covers both.
"""

import re
from dataclasses import dataclass

from practice.models import Membership, PractitionerProfile

HEX = re.compile(r"^#[0-9a-f]{6}$")
AA_NORMAL_TEXT = 4.5
WHITE_LUMINANCE = 1.0


@dataclass(frozen=True)
class Branding:
    name: str
    accent: str  # "#rrggbb", or "" for relcap's own colour

    @property
    def accent_hex(self) -> str:
        """The six digits without "#", as the stylesheet URL takes them."""
        return self.accent.removeprefix("#")


def normalised(colour: str) -> str:
    """ "#1A5C8E", "1a5c8e" → "#1a5c8e"; anything else unchanged (then refused by is_hex)."""
    value = colour.strip().lower()
    if re.fullmatch(r"[0-9a-f]{6}", value):
        value = "#" + value
    return value


def is_hex(colour: str) -> bool:
    return bool(HEX.match(colour))


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of "#rrggbb" (sRGB, 0.04045 threshold as in the spec text)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return (WHITE_LUMINANCE + 0.05) / (relative_luminance(colour) + 0.05)


def accent_problem(colour: str) -> str:
    """Why `colour` cannot be an accent, in plain words ("" when it can). Expects normalised."""
    if not is_hex(colour):
        return "Write the colour as # and six hexadecimal digits, for example #1a5c8e."
    ratio = contrast_with_white(colour)
    if ratio < AA_NORMAL_TEXT:
        return (
            f"This colour has a contrast of {ratio:.2f}:1 with white; it needs at least 4.5:1 "
            "to be readable as text on white and behind white text. Try a darker shade."
        )
    return ""


def branding_for(practitioner: PractitionerProfile | None) -> Branding | None:
    """The branding of the practitioner's organisation while they belong to one, else None.

    Read live, so removing a practitioner takes their organisation's branding off every
    invitation and brief of theirs from the next request (docs/privacy.md)."""
    if practitioner is None:
        return None
    membership = (
        Membership.objects.filter(practitioner=practitioner).select_related("organisation").first()
    )
    if membership is None:
        return None
    return membership_branding(membership)


def membership_branding(membership: Membership | None) -> Branding | None:
    """The branding a membership brings (None: no organisation), for callers that read the
    membership and its organisation with their own query (the brief)."""
    if membership is None:
        return None
    organisation = membership.organisation
    return Branding(name=organisation.shown_name, accent=organisation.accent)
