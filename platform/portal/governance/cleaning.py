"""The one HTML cleaner of the platform: structure stays, Word's and WPS's formatting goes.

Every site must look the same for the same kind of page (第十一条), so what is stored is structure
only: headings, paragraphs, lists, tables (with merged cells), links and images. Inline fonts,
sizes, colours, classes, styles, `<span>`, `<font>`, Word's `<o:p>` and its conditional comments
are dropped, and so are the empty paragraphs and the space indentation Word uses for layout.
The legacy import and every save of an article run their HTML through `clean_html`.

Wagtail keeps its own references inside rich text (`<a linktype="page" id="3">`,
`<embed embedtype="image" id="5" format="left" alt="…"/>`, `data-block-key` for comments);
those are structure too and survive.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "ul", "ol", "li",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "embed",
}
_BLOCK_KEY = {"data-block-key"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "img": {"src", "alt"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    **dict.fromkeys(("p", "h2", "h3", "h4", "li"), _BLOCK_KEY),
}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed together with their content: scripts, styles and what a Word document's <head> holds.
DROPPED_WITH_CONTENT = {"script", "style", "title", "xml", "head", "noscript", "template"}

_HEADING_UP = re.compile(r"<(/?)h1\b", re.I)
_HEADING_DOWN = re.compile(r"<(/?)h[56]\b", re.I)
# Word's conditional comments, in both their hidden and their "downlevel-revealed" form.
_CONDITIONAL = re.compile(r"<!--\[if[^\]]*\]>.*?<!\[endif\]-->", re.S | re.I)
_REVEALED = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.I)
_SPACE_CHARS = "\\s\u00a0\u3000"
_EMPTY_BLOCK = re.compile(rf"<(p|h2|h3|h4|li)(?:\s[^>]*)?>(?:[{_SPACE_CHARS}]|&nbsp;|<br\s*/?>)*</\1>", re.I)
_LEADING_SPACE = re.compile(rf"(<(?:p|h2|h3|h4|li|td|th)(?:\s[^>]*)?>)(?:[{_SPACE_CHARS}]|&nbsp;)+", re.I)
_TRAILING_SPACE = re.compile(rf"(?:[{_SPACE_CHARS}]|&nbsp;)+(</(?:p|h2|h3|h4|li|td|th)>)", re.I)
_EMBED = re.compile(r"<embed\b([^>]*?)\s*/?>", re.I)
# Wagtail's editor reads stored rich text with an XML-minded parser: void elements must be closed.
_VOID = re.compile(r"<(img|br|hr)\b([^>]*?)\s*/?>", re.I)


def _close_embed(match: re.Match) -> str:
    attributes = match.group(1)
    # Wagtail only expands `<embed …/>` written that way, and an embed that is not one of its
    # own references (old Flash and the like) has no place in an article.
    if "embedtype=" not in attributes:
        return ""
    return f"<embed{attributes}/>"


def clean_html(html: str) -> str:
    """Structure-only HTML; safe to store in a rich-text block and to render."""
    if not html:
        return ""
    html = _CONDITIONAL.sub("", html)
    html = _REVEALED.sub("", html)
    html = _HEADING_UP.sub(r"<\1h2", html)
    html = _HEADING_DOWN.sub(r"<\1h4", html)
    cleaned = nh3.clean(
        html, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
    )
    cleaned = cleaned.replace("&nbsp;", " ").replace("\u00a0", " ")
    cleaned = _LEADING_SPACE.sub(r"\1", cleaned)
    cleaned = _TRAILING_SPACE.sub(r"\1", cleaned)
    previous = None
    while previous != cleaned:  # a list that only held empty items is empty after one pass
        previous = cleaned
        cleaned = _EMPTY_BLOCK.sub("", cleaned)
        cleaned = re.sub(r"<(ul|ol)>\s*</\1>", "", cleaned)
    cleaned = _EMBED.sub(_close_embed, cleaned)
    cleaned = _VOID.sub(r"<\1\2/>", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    cleaned = re.sub(r"\n\s*\n+", "\n", cleaned)
    return cleaned.strip()
