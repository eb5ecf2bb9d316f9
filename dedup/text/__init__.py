"""dedup/text"""
