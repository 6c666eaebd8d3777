"""The confidentiality pledge (保密承诺) every member signs before opening anything of the group."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xuncha.rounds.models import InspectionGroup


def pledge_text(group: InspectionGroup) -> str:
    """The words signed, with the group and round named, stored verbatim with the signature."""
    return _(
        "As a member of %(group)s in %(round)s I pledge: to keep secret everything I learn in the inspection, "
        "including reports and the identity of those who report, talks, clues and the group's deliberations; "
        "not to copy, photograph, take away or pass on the group's documents and data; not to ask about or "
        "intervene in matters outside the inspection; to avoid every matter in which I have a tie; to take no "
        "gift, meal or favour from the inspected unit; and to accept the discipline of the party for any breach."
    ) % {"group": group.name, "round": group.round}
