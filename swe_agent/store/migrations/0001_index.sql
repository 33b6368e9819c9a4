-- The repository index: files, definitions, references, and BM25 postings over chunks.
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE files (
    path VARCHAR NOT NULL,
    language VARCHAR,
    hash VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    mtime_ns BIGINT,
    lines INTEGER NOT NULL,
    commit_sha VARCHAR,
    parse_errors INTEGER NOT NULL DEFAULT 0,
    indexed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE definitions (
    id BIGINT NOT NULL,
    path VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    qualname VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    signature VARCHAR,
    doc VARCHAR,
    parent VARCHAR
);

CREATE TABLE refs (
    path VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    line INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    enclosing VARCHAR
);

-- A chunk is a unit of full-text search: a definition's body, a window of a file, or a note.
CREATE TABLE chunks (
    id BIGINT NOT NULL,
    space VARCHAR NOT NULL,          -- 'code' or 'note'
    path VARCHAR NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    symbol VARCHAR,
    length INTEGER NOT NULL          -- number of term occurrences
);

CREATE TABLE postings (
    term VARCHAR NOT NULL,
    chunk_id BIGINT NOT NULL,
    tf INTEGER NOT NULL
);

CREATE TABLE skipped (
    path VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);
