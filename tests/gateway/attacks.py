"""Hostile XML documents, shared by the parser's unit tests and the gateway's integration tests."""

from __future__ import annotations

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
               for i in range(1, 10))
    + b']><message xmlns="jabber:client"><body>&lol9;</body></message>'
)
EXTERNAL_ENTITY = (b'<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b'<message xmlns="jabber:client"><body>&xxe;</body></message>')
