"""The one place that says which domains react to programme changes (see events_app.programme.reactions).

`create_app` and `events-app worker` call `register_reactions`; no module registers by being imported.
Feedback has no reactions to programme changes today; it takes part in a delegate's erasure (its responses are
detached and any free text naming them is blanked: registration/erasure.py)."""

from __future__ import annotations

from events_app.feedback import erasure as feedback_erasure
from events_app.programme.reactions import Reactions
from events_app.registration import erasure
from events_app.registration import reactions as registration_reactions


def register_reactions(registry: Reactions) -> None:
    registration_reactions.register(registry)
    erasure.registry.on(feedback_erasure.forget_delegate)
