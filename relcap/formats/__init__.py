"""Date and number formats per interface language (settings.FORMAT_MODULE_PATH).

Interface templates name a format (`|date:"DATE_FORMAT"`) instead of spelling one out, so that a
date reads "14 March 2026" in English and "14. März 2026" in German. Reports, their PDFs and
comparisons keep their own spelled-out formats: their text is versioned with the report copy.
"""
