"""Triage: decide for each mention whether it is spam, noise, tier 2 or tier 1, and how urgent.

The cascade runs cheapest first (see :mod:`bot.triage.pipeline`): brand relevance, the
brand's own posts and retweets, spam rules, then the classifier (sentiment, intent, topic)
behind the :class:`~bot.triage.classifier.Classifier` interface, then the priority score.
"""
