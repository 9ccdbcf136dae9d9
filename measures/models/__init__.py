"""The measures app's models; import them from here."""

from measures.models.imports import MeasureImport
from measures.models.page import ContactMessage, MeasureLink
from measures.models.participation import (
    Comment,
    Feedback,
    Follow,
    FollowEvent,
    FollowKind,
    Frequency,
    Moderation,
    NetiquetteAcceptance,
    ParticipationPhase,
    Pledge,
    PledgeReport,
    Proposal,
    ProposalState,
    ProposalSupport,
)
from measures.models.roadmap import (
    LICENCE_URLS,
    MARKABLE_INTERNAL,
    Licence,
    Measure,
    MeasureUpdate,
    Milestone,
    Roadmap,
    Sector,
)

__all__ = [
    "LICENCE_URLS",
    "MARKABLE_INTERNAL",
    "Comment",
    "Feedback",
    "Follow",
    "FollowEvent",
    "FollowKind",
    "Frequency",
    "ContactMessage",
    "Licence",
    "Measure",
    "MeasureImport",
    "MeasureLink",
    "MeasureUpdate",
    "Milestone",
    "Moderation",
    "NetiquetteAcceptance",
    "ParticipationPhase",
    "Pledge",
    "PledgeReport",
    "Proposal",
    "ProposalState",
    "ProposalSupport",
    "Roadmap",
    "Sector",
]
