"""dedup/engines"""
