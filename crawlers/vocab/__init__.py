"""Controlled vocabularies kept as data files (specialty names, synonyms, abbreviations)."""
