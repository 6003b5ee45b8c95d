"""The one error extraction raises: an input that is not a readable page."""


class ExtractError(Exception):
    """A page that cannot be turned into text (empty, binary, PDF without text); str is one line."""
