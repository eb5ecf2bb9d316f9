"""dedup/report"""
