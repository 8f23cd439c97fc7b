"""The ``{name:id}`` path convertor: a row id in a console URL is 1 to 18 digits.

Starlette's ``int`` convertor takes any number of digits; an id past 64 bits then failed in the
database driver (SQLite: "Python int too large to convert to SQLite INTEGER") with a 500. With
this convertor such a URL matches no route: 404, like any other case that does not exist.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[int]):
    regex = "[0-9]{1,18}"  # below 2**63: every database's integer ids

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("id", IdConvertor())
