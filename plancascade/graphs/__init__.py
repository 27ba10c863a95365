"""The cascade graph: its state, configuration (context schema), stage presets and builder."""
