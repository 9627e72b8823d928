"""Evidence beyond photos arriving during the intake conversation (pure).

Like photos, an item is kept in whatever step it arrives and the open question is
asked again; while the story is told (DESCRIPTION) a voice note is welcomed, and the
resident is still asked for a few written words, since routing reads text. An item
over a limit is refused with the limit stated, and nothing else changes. Stickers, GIFs
and music files are answered with what can be kept.
"""

from __future__ import annotations

from flows import evidence_texts
from flows.answers import append_description
from flows.effects import Effect, Reply
from flows.events import Media
from flows.evidence import EvidenceKind, refusal
from flows.navigation import Advance, Ask, Outcome, reprompt, with_draft
from flows.prompts import description_ok, start_button
from flows.rules import Rules
from flows.state import Conversation, Step
from flows.validation import clean_text

__all__ = ["on_media", "on_unsupported_media"]


def on_media(conv: Conversation, media: Media, rules: Rules) -> Outcome:
    """Keep a voice note, video, video note or file as evidence of the open draft."""
    draft = conv.draft
    if draft is None:
        text = evidence_texts.not_relayed() if conv.messaging else evidence_texts.idle_evidence()
        return conv, [Reply(text, () if conv.messaging else start_button())]
    item, limits = media.item, rules.evidence
    why = refusal(item, len(draft.evidence), limits)
    if why is not None:
        return conv, [Reply(evidence_texts.refused(item, why, limits)), *reprompt(conv)]
    conv = with_draft(conv, evidence=(*draft.evidence, item))
    effects: list[Effect | Ask | Advance] = []
    caption = clean_text(media.caption)
    if caption:
        conv, error = append_description(conv, caption, rules)
        effects += [error] if error else []
    assert conv.draft is not None
    count = len(conv.draft.evidence)
    # The limits are stated with the first item kept.
    stated = "\n" + evidence_texts.limits_text(limits) if count == 1 else ""
    if conv.step is Step.DESCRIPTION and not description_ok(conv.draft.description, rules):
        if item.kind is EvidenceKind.VOICE:
            return conv, [*effects, Reply(evidence_texts.voice_needs_text() + stated)]
        return conv, [*effects, Reply(evidence_texts.media_needs_text() + stated)]
    kept = evidence_texts.evidence_kept(item, count, limits) + stated
    return conv, [*effects, Reply(kept), *reprompt(conv)]


def on_unsupported_media(conv: Conversation, kind: str) -> Outcome:
    """A sticker, GIF or music file: say what can be kept; the draft is untouched."""
    return conv, [Reply(evidence_texts.not_evidence(kind)), *reprompt(conv)]
