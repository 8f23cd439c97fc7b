"""Where the triage heads come from: one rule, used by triage, `train`, `eval` and `model status`.

In order: ``triage.model.heads_dir`` in the config, then ``$MENTIONDESK_MODEL_DIR``, then
``models/heads`` when `mentiondesk train` has written heads there, and otherwise the heads the
package ships (``bot/triage/model/shipped``). A folder named explicitly (config or environment)
is used as named, even when it holds nothing: the model is then not used, and the log says why,
rather than silently falling back to other heads than the ones asked for.
"""

from __future__ import annotations

from pathlib import Path

LOCAL_HEADS = Path("models/heads")
MANIFEST = "manifest.json"  # beside the heads: their files' SHA-256 and how they were trained


def shipped_heads_dir() -> Path:
    """The heads inside the package, trained on the project's own corpus (see MODEL_CARD.md)."""
    return Path(__file__).resolve().parent / "shipped"


def heads_dir_for(configured: str | None, from_environment: str | None) -> Path:
    if configured:
        return Path(configured)
    if from_environment:
        return Path(from_environment)
    if (LOCAL_HEADS / MANIFEST).is_file():
        return LOCAL_HEADS
    return shipped_heads_dir()


def describe(heads_dir: Path) -> str:
    """'shipped' or 'trained here', for logs and `model status`."""
    try:
        same = heads_dir.resolve() == shipped_heads_dir()
    except OSError:
        same = False
    return "the shipped heads" if same else f"heads in {heads_dir}"
