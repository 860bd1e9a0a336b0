"""presslens.models"""
