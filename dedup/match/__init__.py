"""dedup/match"""
