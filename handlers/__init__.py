"""Conversation handlers: they read and write models and return LINE messages.

Handlers never import Flask or the HTTP client; `bot` translates webhooks into the events of
`handlers.events` and sends whatever messages the handlers return.
"""
