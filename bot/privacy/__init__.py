"""Data protection: what mentiondesk holds about one customer, on request (export, forget), and
retention (personal data of closed cases erased after ``retention.days``).

Erasing never deletes rows: texts, names, identities and links are blanked and the rows keep
their tier, intent, state and times, so every report still adds up (an erased customer is an
anonymous one). See :mod:`bot.privacy.erase` for exactly what is blanked.
"""
