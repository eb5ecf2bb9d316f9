"""Report: the in-memory report and its schema-1 form (``model``), its assembly in report
order for every driver (``assemble``), and the formats (``render``, ``html``).
"""
