"""The one place that says which domains react to programme changes (see events_app.programme.reactions).

`create_app` and `events-app worker` call `register_reactions`; no module registers by being imported.
Materials (hub) react to an event or a session being deleted: their stored files go once the deletion commits.
Feedback has no reactions to programme changes today; it takes part in a delegate's erasure (its responses are
detached and any free text naming them is blanked: registration/erasure.py)."""

from __future__ import annotations

from events_app.feedback import erasure as feedback_erasure
from events_app.hub.materials import reactions as material_reactions
from events_app.programme.reactions import Reactions
from events_app.registration import erasure
from events_app.registration import reactions as registration_reactions


def register_reactions(registry: Reactions) -> None:
    registration_reactions.register(registry)
    material_reactions.register(registry)  # a deleted event's or session's stored files go after the commit
    erasure.registry.on(feedback_erasure.forget_delegate)
