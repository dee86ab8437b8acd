"""NER backends: spaCy (embedded default) and pluggable others."""
