"""presslens.web"""
