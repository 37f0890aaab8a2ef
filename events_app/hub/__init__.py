"""The good-practice hub: resources and case studies (/resources), the materials of events, sessions and
resources (materials/), and calls for session proposals and good-practice examples (calls/)."""
