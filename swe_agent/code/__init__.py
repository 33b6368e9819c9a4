"""Tree-sitter parsing: languages, tag queries as data files, pure extraction, chunking, tokens."""
