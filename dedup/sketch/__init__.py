"""dedup/sketch"""
