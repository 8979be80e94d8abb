"""The API's shared state in the gateway app."""

from __future__ import annotations

from aiohttp import web

from gateway.api.access import ApiAccess
from refdesk.db.stores.coopregistries import CoopRegistryStore

API = web.AppKey("api", ApiAccess)
API_COOPS = web.AppKey("api_coops", CoopRegistryStore)
