"""crawlers"""
