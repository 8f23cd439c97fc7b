"""The outbox relay: delivers queued replies (and likes, reposts) to the customer's platform, once.

``outbox.py`` is the platform-neutral state machine and worker; each platform brings a
:class:`~bot.relay.outbox.Sender` (``x.py`` for X, ``mastodon.py`` for Mastodon) that knows how to send and how to look for a
post that may already have gone out before a crash.
"""
