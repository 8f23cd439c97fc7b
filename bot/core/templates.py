"""Reply templates: the grammar of canned responses and typed replies.

Two kinds of placeholder:

* a **variable** ``{customer.name}``, ``{customer.handle}``, ``{case.id}``, ``{agent.first_name}``,
  ``{brand.name}``: the desk fills it in from the case when the reply is queued;
* a **fill-in prompt** ``{{booking reference}}``: the agent replaces it with the real value in the
  Reply dialog; a reply that still contains one is refused, naming it.

Any other ``{word}`` is an unknown variable: a config error (with its line) in a canned response,
a refusal in a typed reply, so a misspelt variable never reaches a customer verbatim.
Substitution is one pass: a customer named ``{{x}}`` or ``{case.id}`` stays literal text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: The variables a template may use, and what each becomes.
VARIABLES: dict[str, str] = {
    "customer.name": "the customer's name (their handle when no name is known)",
    "customer.handle": "the customer's handle, e.g. @traveller",
    "case.id": "the case number",
    "agent.first_name": "the first name of the agent sending the reply",
    "brand.name": "the brand the customer wrote to",
}

PROMPT = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# A single-braced word that is not half of a ``{{prompt}}``.
VARIABLE = re.compile(r"(?<!\{)\{\s*([^{}\s]*)\s*\}(?!\})")


def prompts(text: str) -> list[str]:
    """The fill-in prompts still in ``text``, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in PROMPT.finditer(text)))


def unknown_variables(text: str) -> list[str]:
    """The ``{words}`` in ``text`` that are not known variables, each once."""
    without_prompts = PROMPT.sub("", text)
    return list(dict.fromkeys(m.group(1) for m in VARIABLE.finditer(without_prompts)
                              if m.group(1) not in VARIABLES))


def variables(text: str) -> set[str]:
    """The known variables ``text`` uses."""
    return {m.group(1) for m in VARIABLE.finditer(PROMPT.sub("", text)) if m.group(1) in VARIABLES}


def template_problems(text: str) -> list[str]:
    """Why ``text`` is not a valid template (empty list: it is)."""
    known = ", ".join("{" + name + "}" for name in VARIABLES)
    out = [f"unknown variable {{{name}}} (known: {known}; a fill-in prompt is written {{{{like this}}}})"
           for name in unknown_variables(text)]
    out += ["an empty fill-in prompt {{}}: say what the agent must fill in" for p in prompts(text) if not p][:1]
    return out


def send_problems(text: str) -> list[str]:
    """Why ``text`` cannot be sent yet: unfilled prompts and unknown variables."""
    out = [f"fill in {{{{{p}}}}} before sending" for p in prompts(text)]
    return out + [p for p in template_problems(text) if not p.startswith("an empty fill-in")]


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every known variable replaced by ``values`` (one pass; prompts untouched)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    # Variables are filled between prompts only, so a prompt's own words are never touched.
    out, last = [], 0
    for prompt in PROMPT.finditer(text):
        out += [VARIABLE.sub(fill, text[last:prompt.start()]), prompt.group(0)]
        last = prompt.end()
    out.append(VARIABLE.sub(fill, text[last:]))
    return "".join(out)
