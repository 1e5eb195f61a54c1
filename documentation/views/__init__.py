"""The documentation pages: a model's documentation, MDF versions, training summaries and
third-party compute estimates."""
