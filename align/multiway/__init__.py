"""Multi-way units: every language of an item grouped into units through a pivot, checked by pairwise consensus."""
