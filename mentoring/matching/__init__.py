"""Matching: the engine and HR's draft-review-publish workflow."""
