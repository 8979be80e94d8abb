"""Reports on chats, computed by the database: the three kinds of schemas/stats.xsd
(distributions, sources, staff) over a library's chats or a co-op's chat summaries."""
