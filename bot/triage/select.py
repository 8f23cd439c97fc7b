"""Which classifier triage uses: the model cascade when it can run here, else rules + VADER.

Always says which one, and why, in the log: a team must know whether its queue is ranked by
the model or by the fallback.
"""

from __future__ import annotations

import logging
from bot.core.config import Config
from bot.core.settings import Settings
from bot.triage.classifier import Classifier, RulesClassifier
from bot.triage.model.location import describe, heads_dir_for

log = logging.getLogger(__name__)


def build_classifier(config: Config, settings: Settings) -> tuple[Classifier, str]:
    """The classifier and a one-line description of the choice, for logs and the CLI."""
    model = config.triage.model
    if model.use == "rules":
        note = "classifier: rules + VADER (triage.model.use is 'rules')"
        log.info(note)
        return RulesClassifier(config.triage), note
    heads_dir = heads_dir_for(model.heads_dir, settings.model_dir)
    try:
        from bot.triage.model.classifier import load_model_classifier
    except ImportError as exc:  # numpy/scikit-learn missing: the model extra is not installed
        classifier, why = None, f"model dependencies missing ({exc.name})"
    else:
        classifier, why = load_model_classifier(config.triage, heads_dir, model.topic_map)
    if classifier is None:
        note = f"classifier: rules + VADER (model not used: {why})"
        log.info(note)
        return RulesClassifier(config.triage), note
    note = f"classifier: {classifier.name} ({describe(heads_dir)})"
    log.info(note)
    return classifier, note
