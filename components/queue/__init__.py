"""The queue component: routing, timed fallback, claims, relay and transfers of patron chats."""
