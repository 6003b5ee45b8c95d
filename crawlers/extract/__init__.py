"""crawlers/extract"""
