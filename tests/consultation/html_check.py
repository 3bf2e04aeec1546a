"""A strict reading of a page's markup: what the W3C Nu checker reports most often in templates
(unclosed or misnested elements, duplicate ids, labels pointing nowhere, empty id/for values,
block elements inside a paragraph)."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets a page leave out.
OPTIONAL_END = {"li", "p", "dt", "dd", "tr", "td", "th", "thead", "tbody", "option"}
BLOCK_IN_P = {"div", "p", "ul", "ol", "table", "form", "section", "fieldset", "h1", "h2", "h3", "h4", "dl"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.label_targets, self.errors = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "for"):
            if name in attrs and not (attrs[name] or "").strip():
                self.errors.append(f"<{tag}> 的 {name} 属性为空")
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])
        if tag in BLOCK_IN_P and self.stack and self.stack[-1] == "p":
            self.errors.append(f"<p> 中不能出现 <{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"多余或错位的 </{tag}>（当前打开的是 {self.stack[-1:]}）")
            return
        self.stack.pop()


def markup_errors(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    errors = list(checker.errors)
    unclosed = [tag for tag in checker.stack if tag not in OPTIONAL_END]
    if unclosed:
        errors.append(f"未关闭的元素：{unclosed}")
    duplicates = sorted({value for value in checker.ids if checker.ids.count(value) > 1})
    if duplicates:
        errors.append(f"重复的 id：{duplicates}")
    errors += [f"label 指向不存在的 id：{target}" for target in checker.label_targets if target not in checker.ids]
    if not html.lstrip().lower().startswith("<!doctype html>"):
        errors.append("缺少 <!doctype html>")
    return errors
