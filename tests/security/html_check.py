"""Does a page of ours run anything it was not written to run?

`script_risks(html)` parses with the standard library's HTMLParser (entities in attributes are
decoded, as a browser decodes them) and lists every way the page could run script or load
something active: an element our templates and the Markdown allowlist never make, an on*
attribute (or htmx's hx-on), a style attribute, a script that is not one of our static files, a
javascript:/vbscript:/data: URL (control characters and whitespace inside the scheme removed
first, as browsers do), an iframe/object/embed/base/meta refresh, and htmx attributes pointing
anywhere but our own paths. An empty list means the page is clean.

HTMLParser is stricter than a browser where it matters here: it parses the inside of <textarea>
and <title> as markup, so text escaping out of either shows up as elements.
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static

from journal.markdown import ALLOWED_TAGS as MARKDOWN_TAGS

# Never ours, whatever a template says: each can run script or load a document.
FORBIDDEN_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "svg", "math",
    "noscript", "isindex", "keygen", "bgsound", "xml", "animate", "set", "portal", "xmp",
    "plaintext", "listing", "noembed", "noframes",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "data", "cite", "background", "ping",
    "srcset", "xlink:href", "lowsrc", "dynsrc", "codebase", "manifest", "icon",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "formaction", "dynsrc", "lowsrc", "xlink:href"}
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
HTMX_URL_ATTRIBUTES = {f"{prefix}hx-{verb}" for prefix in ("", "data-")
                       for verb in ("get", "post", "put", "patch", "delete")}  # fmt: skip
# ASCII whitespace and C0 controls: browsers drop them around and inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_TAG_IN_SOURCE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
# Python files that build HTML themselves (each escapes its text; checked here all the same).
HTML_BUILDERS = [
    "journal/heatmap.py",
    "journal/day_rows.py",
    "weekly/timeline.py",
    "weekly/week_rows.py",
    "archive/highlight.py",
    "archive/views.py",
]


@cache
def our_tags() -> frozenset[str]:
    """Every element our templates, our HTML-building Python and the Markdown allowlist make."""
    base = Path(settings.BASE_DIR)
    sources = [*base.joinpath("templates").rglob("*.html")]
    sources += [base / name for name in HTML_BUILDERS if (base / name).exists()]
    tags = {tag.lower() for path in sources for tag in _TAG_IN_SOURCE.findall(path.read_text())}
    return frozenset((tags | set(MARKDOWN_TAGS) | {"html", "head", "body"}) - FORBIDDEN_TAGS)


def active_url(value: str) -> bool:
    bare = _IGNORED_IN_SCHEME.sub("", value).lower()
    return bare.startswith(ACTIVE_SCHEMES)


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.risks: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        shown = self.get_starttag_text()[:160]
        if tag in FORBIDDEN_TAGS or tag not in our_tags():
            self.risks.append(f"element <{tag}>: {shown}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.risks.append(f"handler attribute {name}: {shown}")
            if name in FORBIDDEN_ATTRIBUTES:
                self.risks.append(f"attribute {name}: {shown}")
            if name in URL_ATTRIBUTES and active_url(value):
                self.risks.append(f"{name} with an active scheme: {shown}")
            if name in HTMX_URL_ATTRIBUTES and not value.startswith("/"):
                self.risks.append(f"{name} off our paths: {shown}")
            if name in {"hx-vals", "hx-headers", "data-hx-vals"} and value.lstrip().startswith(
                ("js:", "javascript:")
            ):
                self.risks.append(f"{name} evaluates script: {shown}")
        if tag == "script":
            ours = (attributes.get("src") or "").startswith(static(""))
            if not ours and attributes.get("type") != "application/json":
                self.risks.append(f"script not from our static files: {shown}")
            self.in_script = True
        if tag == "meta" and "http-equiv" in attributes:
            self.risks.append(f"meta http-equiv: {shown}")
        if tag == "link" and not (attributes.get("href") or "").startswith("/"):
            self.risks.append(f"link to elsewhere: {shown}")
        if tag in {"form", "button", "input"} and active_url(attributes.get("action") or ""):
            self.risks.append(f"form posting to script: {shown}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.risks.append(f"inline script: {data[:80]!r}")


def script_risks(html: str | bytes) -> list[str]:
    if isinstance(html, bytes):
        html = html.decode()
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.risks


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts += [value for _name, value in attrs if value]

    def handle_data(self, data):
        self.parts.append(data)


def shown_text(html: str | bytes) -> str:
    """The page's text and attribute values, entities decoded: what a reader could see."""
    parser = _Text()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return "\n".join(parser.parts)
