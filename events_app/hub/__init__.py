"""The good-practice hub (/resources): a public library of resources and case studies, searchable by words."""
