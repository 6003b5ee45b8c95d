"""One module per family of phrasing; each finds one or a few fields with the sentence it came from."""
