"""Text: word tokens with offsets into the text as written, normalised for matching only,
sentences, lines, quotations and site chrome (``layout``); lines a corpus repeats
(``chrome``); disguises undone (``evasion``).
"""
