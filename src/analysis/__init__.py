"""Analyse German-language news coverage."""
