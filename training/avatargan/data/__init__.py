"""Data: import tagged images, filter tags, crop faces, deduplicate, pack training sets."""
