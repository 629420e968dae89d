"""Search: analysis, the index, document sets, ranking, the query language, highlighting.

Returns data (keys, anchors, spans), never URLs or requests."""
