"""The one place that says which domains react to programme changes (see events_app.programme.reactions).

`create_app` and `events-app worker` call `register_reactions`; no module registers by being imported.
Feedback has no reactions to programme changes today; add them here when it does."""

from __future__ import annotations

from events_app.programme.reactions import Reactions
from events_app.registration import reactions as registration_reactions


def register_reactions(registry: Reactions) -> None:
    registration_reactions.register(registry)
