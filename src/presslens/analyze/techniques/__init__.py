"""presslens.analyze.techniques"""
