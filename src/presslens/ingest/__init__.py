"""presslens.ingest"""
