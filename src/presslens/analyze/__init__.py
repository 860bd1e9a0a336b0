"""presslens.analyze"""
