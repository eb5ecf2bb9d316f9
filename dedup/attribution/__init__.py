"""Attribution: citations of outlets and URLs (``citations``), publication dates (``dates``),
and who took from whom (``attribute``).
"""
