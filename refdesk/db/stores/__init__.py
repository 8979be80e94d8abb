"""Stores: small async methods over the models, each in its own session and transaction."""
