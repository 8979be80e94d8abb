"""refdesk XMPP components (XEP-0114), one package each."""
