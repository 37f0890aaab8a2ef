"""PDF documents built from plain values (badges, certificates of attendance): pure builders with reportlab.
They take names, titles and codes, never tables, so any domain above them may use them."""
