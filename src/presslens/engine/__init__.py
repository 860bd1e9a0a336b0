"""presslens.engine"""
