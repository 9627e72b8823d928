"""The knobs of the intake conversation, with their defaults.

One `Rules` value is built from the configuration at start-up and passed to every
`step`; nothing here reads files or the clock by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from flows.catalogue import Catalogue, load_catalogue
from flows.city import City, CityPack
from flows.city_pack import load_city_pack
from flows.classify import Classifier
from flows.evidence import EvidenceLimits
from flows.learned_model import Trainer, train
from flows.places import Places, load_places
from flows.relays import DEFAULT_MAX_RELAYS, DEFAULT_RELAY_WINDOW

DEFAULT_DRAFT_TTL = timedelta(hours=72)
DEFAULT_MAX_DESCRIPTION = 3000
DEFAULT_MIN_DESCRIPTION = 10
DEFAULT_MAX_PHOTOS = 10
DEFAULT_MAX_ADDRESS = 300
DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_SIMILAR_WINDOW = timedelta(days=30)
DEFAULT_MAX_REPORTS_PER_DAY = 5


@dataclass(frozen=True)
class Rules:
    """Limits and local facts of one deployment (the defaults: the built-in Cilegon pack).

    >>> rules = Rules(draft_ttl=timedelta(hours=24))
    """

    places: Places = field(default_factory=load_places)
    draft_ttl: timedelta = DEFAULT_DRAFT_TTL
    max_description: int = DEFAULT_MAX_DESCRIPTION
    min_description: int = DEFAULT_MIN_DESCRIPTION
    max_photos: int = DEFAULT_MAX_PHOTOS
    evidence: EvidenceLimits = field(default_factory=EvidenceLimits)  # beyond photos
    max_address: int = DEFAULT_MAX_ADDRESS
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    classifier: Classifier = field(default_factory=lambda: Classifier(load_catalogue()))
    similar_window: timedelta = DEFAULT_SIMILAR_WINDOW
    max_reports_per_day: int = DEFAULT_MAX_REPORTS_PER_DAY
    max_relays: int = DEFAULT_MAX_RELAYS  # a resident's messages to a group per window
    relay_window: timedelta = DEFAULT_RELAY_WINDOW
    city: City = field(default_factory=lambda: load_city_pack().city)

    @classmethod
    def for_city(cls, pack: CityPack, trainer: Trainer = train) -> Rules:
        """The default limits with the places, catalogue, lexicon, labelled complaints and
        time zone of `pack`; `trainer` trains the routing's learned layer."""
        return cls(
            places=pack.places,
            timezone=ZoneInfo(pack.city.timezone),
            classifier=Classifier(
                pack.catalogue, lexicon=pack.lexicon, labelled=pack.examples, trainer=trainer
            ),
            city=pack.city,
        )

    @property
    def catalogue(self) -> Catalogue:
        """The bodies and kinds reports are routed to."""
        return self.classifier.catalogue
