"""presslens.anatomy"""
