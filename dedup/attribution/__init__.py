"""dedup/attribution"""
