"""Sources of mentions. Every source yields the same normalized :class:`~bot.core.mention.Mention`."""
