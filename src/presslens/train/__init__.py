"""presslens.train"""
