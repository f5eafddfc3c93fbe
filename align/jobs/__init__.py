"""Jobs over the store: fetched items become documents; documents become sentences, alignments and units."""
