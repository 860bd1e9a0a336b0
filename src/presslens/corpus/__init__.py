"""presslens.corpus"""
