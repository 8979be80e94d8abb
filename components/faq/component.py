"""The faq component of a library's refdesk: FAQ groups, the policy page and scripts."""

from __future__ import annotations

from components.coopfollowing import CoopFollowingComponent
from components.faq import policy, scripts
from components.faq.askers import Askers
from components.faq.faq_requests import FaqRequests
from components.faq.faq_text import USAGE, WORD, FaqText
from components.faq.faq_transfer import FaqTransfer
from components.faq.search_command import SearchCommand
from components.faq.searches import Searches
from components.faq.stanzas import NS, register_stanzas
from components.textcommands import TextCommands
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.registry import CoopRecord


class FaqComponent(CoopFollowingComponent):
    """Answers FAQ searches and serves the library's policy page and scripts to whoever
    covers its patrons, as the co-ops' registries say who that is."""

    name = "faq"
    description = "FAQ and policies"
    features = (NS,)
    plugins = ("xep_0004",)
    serves = "the FAQs"
    unknown_coops = ("some co-ops' registries have not answered yet; their staff read only "
                     "public FAQs until they do")

    def register_handlers(self) -> None:
        register_stanzas()
        self.engine = create_engine(self.settings.database.url)
        self.sessions = create_sessionmaker(self.engine)
        self.askers = Askers()
        self.follow_coops(self.sessions, self.askers)
        self._register_requests()

    def _register_requests(self) -> None:
        """One line per module that answers a part of urn:refdesk:faq:0; the text commands
        typed to faq.<library> share one handler, so every line gets one answer."""
        texts = TextCommands(self)
        searches = Searches(self.askers, self.sessions)
        FaqRequests(self, searches).register()
        FaqTransfer(self, self.askers, self.sessions).register()
        SearchCommand(self, searches).register()
        texts.add(WORD, USAGE, FaqText(searches).answer)
        policy.register(self, self.askers, self.sessions, texts)
        scripts.register(self, self.askers, self.sessions, texts)
        texts.register()

    def _coop_published(self, coop: CoopRecord) -> None:
        super()._coop_published(coop)
        self.event("faq_coop_published", coop)
