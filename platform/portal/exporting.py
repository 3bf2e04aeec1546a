"""Writing what people typed into exported files without letting the file interpret it.

Titles, names and texts in exports come from editors and the public. A spreadsheet program runs
a cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` leaks data on a
click), and reportlab reads a `Paragraph`'s text as markup (a `<` breaks the build, an `<img>`
tag embeds a file from the server's disk). Every export writes cells and PDF text through the
helpers here, so no export has its own copy of the rule.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

# A cell starting with these is a formula (or is turned into one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def xlsx_row(sheet, values, *, font=None) -> list:
    """Append one row to an openpyxl sheet (normal or write-only); text is always written as an
    explicit string cell, never as a formula. Returns the row's cells."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    if isinstance(sheet, WriteOnlyWorksheet):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            _as_text(cell, value, font)
            cells.append(cell)
        sheet.append(cells)
        return cells
    sheet.append(list(values))
    cells = list(sheet[sheet.max_row])[: len(values)]
    for cell, value in zip(cells, values, strict=True):
        _as_text(cell, value, font)
    return cells


def _as_text(cell, value, font) -> None:
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl marks text starting with "=" as a formula
    if font is not None:
        cell.font = font


def pdf_text(value) -> str:
    """Text for a reportlab `Paragraph`: shown literally, never read as markup; line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def pdf_paragraph(value, style):
    """A reportlab `Paragraph` showing `value` as plain text."""
    from reportlab.platypus import Paragraph

    return Paragraph(pdf_text(value), style)
