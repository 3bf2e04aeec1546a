"""The one Chinese font for every PDF the platform writes (demo attachments, reports).

No font file is shipped: reportlab's built-in CID font STSong-Light names glyphs the PDF reader
supplies, and pypdf extracts the text back, so tests can read what a report says.
"""

from functools import cache

PDF_FONT = "STSong-Light"


@cache
def chinese_font() -> str:
    """Register the CID font with reportlab once and return its name for `setFont`/styles."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT
