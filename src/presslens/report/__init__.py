"""presslens.report"""
