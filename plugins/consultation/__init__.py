"""征集调查 (public consultations and surveys) plugin."""
