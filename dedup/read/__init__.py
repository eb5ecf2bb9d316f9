"""dedup/read"""
