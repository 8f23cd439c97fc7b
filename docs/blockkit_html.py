"""A minimal Block Kit → HTML renderer, for pictures of our Slack cards (docs/screenshots.py).

It draws what ``handlers/slack/cards.py`` uses: ``section`` (text, fields), ``context``,
``actions`` (buttons), ``divider`` and ``header``, with mrkdwn's ``*bold*``, ``_italic_``,
``~strike~``, ``` `code` ```, ``> quotes``, links ``<url|label>``, user mentions ``<@U…>`` and
line breaks, in Slack's look. It is not Slack: it exists so a README reader sees a card before
installing anything. Text is escaped first (our cards already send ``&lt;`` for a literal ``<``,
as Slack wants; anything else is escaped here), so a post's own markup is shown, never run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

_TOKEN = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_STYLES = [(re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])"), r"<b>\1</b>"),
           (re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])"), r"<i>\1</i>"),
           (re.compile(r"(?<![\w~])~([^~\n]+)~(?![\w~])"), r"<s>\1</s>"),
           (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>")]

CSS = """
body { margin: 0; background: #fff; font: 15px/1.46 -apple-system, "Segoe UI", Lato, "Noto Sans", Arial, sans-serif;
       color: #1d1c1d; }
.channel { border-bottom: 1px solid #ddd; padding: 10px 20px; font-weight: 700; }
.message { display: flex; gap: 10px; padding: 12px 20px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #2f6fe4; color: #fff; font-weight: 700;
          display: flex; align-items: center; justify-content: center; flex: none; }
.who { font-weight: 900; } .who .app { background: #ddd; color: #555; font-size: 10px; padding: 1px 3px;
       border-radius: 2px; margin-left: 4px; font-weight: 700; } .who time { color: #616061; font-weight: 400;
       font-size: 12px; margin-left: 6px; }
.block { margin: 4px 0; max-width: 640px; }
.context { color: #616061; font-size: 13px; display: flex; gap: 10px; flex-wrap: wrap; }
blockquote { margin: 0; padding-left: 10px; border-left: 4px solid #ddd; }
a { color: #1264a3; text-decoration: none; } .mention { background: #e8f5fa; color: #1264a3; padding: 0 2px;
    border-radius: 3px; }
code { font-size: 12px; background: #f6f6f6; border: 1px solid #e1e1e1; padding: 1px 3px; border-radius: 3px; color: #e01e5a; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; }
.button { border: 1px solid #bbb; border-radius: 4px; padding: 3px 12px; font-weight: 700; font-size: 14px; background: #fff; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
hr { border: 0; border-top: 1px solid #ddd; }
h3 { margin: 4px 0; font-size: 18px; }
"""


def mrkdwn(text: str, user_name: Callable[[str], str] = lambda uid: uid) -> str:
    """One mrkdwn string as HTML."""
    out, last = [], 0
    for match in _TOKEN.finditer(text):
        out.append(_styled(text[last:match.start()]))
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            out.append(f'<span class="mention">@{html.escape(user_name(target[1:]))}</span>')
        elif target.startswith("!"):
            out.append(f'<span class="mention">@{html.escape(target[1:].split("^")[0])}</span>')
        elif target.startswith("#"):
            out.append(f'<span class="mention">#{html.escape(label or target[1:])}</span>')
        else:
            out.append(f'<a href="{html.escape(html.unescape(target), quote=True)}">{_styled(label or target)}</a>')
        last = match.end()
    out.append(_styled(text[last:]))
    lines = "".join(out).split("\n")
    rendered = []
    for line in lines:
        rendered.append(f"<blockquote>{line[5:]}</blockquote>" if line.startswith("&gt; ") else line + "<br>")
    return "".join(rendered).removesuffix("<br>")


def _styled(text: str) -> str:
    # Our cards escape &, < and > already; escaping again must not double them.
    text = html.escape(html.unescape(text), quote=False)
    for pattern, replacement in _STYLES:
        text = pattern.sub(replacement, text)
    return text


def _text(obj: dict, user_name) -> str:
    if obj.get("type") == "plain_text":
        return html.escape(obj.get("text", ""))
    return mrkdwn(obj.get("text", ""), user_name)


def blocks_html(blocks: Iterable[dict], user_name: Callable[[str], str] = lambda uid: uid) -> str:
    parts = []
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            inner = _text(block["text"], user_name) if block.get("text") else ""
            if block.get("fields"):
                inner += '<div class="fields">' + "".join(f"<div>{_text(f, user_name)}</div>"
                                                          for f in block["fields"]) + "</div>"
            parts.append(f'<div class="block section">{inner}</div>')
        elif kind == "context":
            parts.append('<div class="block context">' + "".join(
                f"<span>{_text(e, user_name)}</span>" for e in block.get("elements", []) if "text" in e) + "</div>")
        elif kind == "actions":
            buttons = [f'<span class="button {html.escape(e.get("style", ""))}">{_text(e["text"], user_name)}</span>'
                       for e in block.get("elements", []) if e.get("type") == "button"]
            parts.append(f'<div class="block actions">{"".join(buttons)}</div>')
        elif kind == "divider":
            parts.append("<hr>")
        elif kind == "header":
            parts.append(f'<h3 class="block">{_text(block["text"], user_name)}</h3>')
    return "".join(parts)


def message_page(blocks: Iterable[dict], *, channel: str, app_name: str, time: str,
                 user_name: Callable[[str], str] = lambda uid: uid) -> str:
    """A whole page: one bot message in a channel, for a screenshot."""
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{CSS}</style></head><body>'
            f'<div class="channel"># {html.escape(channel)}</div><div class="message">'
            f'<div class="avatar">{html.escape(app_name[:1].upper())}</div><div>'
            f'<div class="who">{html.escape(app_name)}<span class="app">APP</span><time>{html.escape(time)}</time></div>'
            f'{blocks_html(blocks, user_name)}</div></div></body></html>')
