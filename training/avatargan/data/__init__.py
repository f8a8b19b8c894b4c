"""Data building blocks: sources (folder or tar), tag importers, duplicate hashing, the Pack format.

The steps that use them (import, crop, dedupe, pack, ...) live in avatargan/prepare/.
"""
