"""paperarchive: Hugging Face Daily Papers listings into a static, searchable MkDocs site."""

__version__ = "0.1.0"
