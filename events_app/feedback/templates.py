"""Ready-made forms for the network's kinds of events, with the questions on collaboration that the
collaboration view reads (topic `collaboration`)."""

from __future__ import annotations

from events_app.feedback.schemas import QuestionIn

COLLABORATION = [
    QuestionIn(
        kind="yes_no",
        label="Did you meet someone from another sector you will work with?",
        help_text="Another sector: a university, a charity or community group, a school or college, a funder ...",
        required=True,
        topic="collaboration",
    ),
    QuestionIn(
        kind="rating",
        label="How much did hearing from other sectors add to your understanding?",
        help_text="1 = nothing, 5 = a great deal",
        required=True,
        topic="collaboration",
    ),
    QuestionIn(
        kind="text",
        label="What will you do together, or differently, because of this event?",
        topic="collaboration",
    ),
]

OVERALL = QuestionIn(
    kind="rating",
    label="Overall, how useful was the event for your work?",
    help_text="1 = not at all, 5 = very",
    required=True,
)
IMPROVE = QuestionIn(kind="text", label="What should we do differently next time?")

TEMPLATES: dict[str, tuple[str, list[QuestionIn]]] = {
    "conference": (
        "Conference feedback",
        [
            OVERALL,
            QuestionIn(
                kind="multiple",
                label="Which parts were most useful?",
                options=["Keynotes", "Parallel sessions", "Workshops", "Networking", "Exhibition"],
            ),
            QuestionIn(
                kind="rating",
                label="How accessible was the venue and the programme?",
                help_text="1 = not at all, 5 = fully",
                required=True,
            ),
            *COLLABORATION,
            IMPROVE,
        ],
    ),
    "seminar": (
        "Seminar feedback",
        [
            OVERALL,
            QuestionIn(
                kind="single",
                label="Was the level right?",
                options=["Too introductory", "About right", "Too advanced"],
                required=True,
            ),
            *COLLABORATION,
            IMPROVE,
        ],
    ),
    "forum_meeting": (
        "Forum meeting feedback",
        [
            OVERALL,
            QuestionIn(kind="yes_no", label="Did the meeting reach decisions you can act on?", required=True),
            *COLLABORATION,
            IMPROVE,
        ],
    ),
}
