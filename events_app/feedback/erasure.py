"""Feedback's part in erasing a delegate (registration/erasure.py): every response of theirs is detached from
their registrations (and its key replaced by a random one), and a free-text answer that names them, by their
name or address, in anyone's response, is blanked and marked removed. Ratings and choices stay, counted under
the group the registration was made as."""

from __future__ import annotations

import secrets

from events_app.core.timezones import utc_now
from events_app.feedback.tables import FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from events_app.registration.erasure import DelegateErased

# A name shorter than this would blank answers that merely contain those letters ("Al" in "all").
SHORTEST_NAME = 3


async def forget_delegate(erased: DelegateErased) -> None:
    if erased.registration_ids:
        theirs = await FeedbackResponse.select(FeedbackResponse.id).where(
            FeedbackResponse.registration.is_in(list(erased.registration_ids))
        )
        for response in theirs:
            await FeedbackResponse.update(
                {FeedbackResponse.registration: None, FeedbackResponse.respondent_key: secrets.token_hex(32)}
            ).where(FeedbackResponse.id == response["id"])
    words = [w.strip().casefold() for w in (erased.email, *erased.names) if len(w.strip()) >= SHORTEST_NAME]
    if not words:
        return
    # Read in Python, not by LIKE: SQLite's LIKE ignores the case of ASCII letters only ("ZOË" would escape it).
    texts = await FeedbackAnswer.select(FeedbackAnswer.id, FeedbackAnswer.text).where(
        FeedbackAnswer.question.is_in(
            FeedbackQuestion.select(FeedbackQuestion.id).where(FeedbackQuestion.kind == "text")
        )
        & (FeedbackAnswer.text != "")
    )
    naming = [t["id"] for t in texts if any(w in t["text"].casefold() for w in words)]
    if naming:
        await FeedbackAnswer.update({FeedbackAnswer.text: "", FeedbackAnswer.removed_at: utc_now()}).where(
            FeedbackAnswer.id.is_in(naming)
        )
