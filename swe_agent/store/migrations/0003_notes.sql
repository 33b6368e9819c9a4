-- Sleep-time notes, each tied to the content hash of the file it speaks of.
CREATE TABLE notes (
    id BIGINT NOT NULL,                -- also the chunk id of the note in the 'note' search space
    kind VARCHAR NOT NULL,             -- summary | question | history | cochange | overview
    path VARCHAR NOT NULL,             -- '' for repository-wide notes
    symbol VARCHAR,                    -- qualified name, NULL for a file-level note
    code_hash VARCHAR,                 -- files.hash of path when the note was written
    title VARCHAR NOT NULL,            -- the question, or the summary's headline
    body VARCHAR NOT NULL,             -- the answer or the summary
    evidence VARCHAR,                  -- JSON list of {path, symbol, start_line, end_line}
    model VARCHAR NOT NULL,            -- 'offline' or the model name
    tokens INTEGER NOT NULL DEFAULT 0, -- sleep-time tokens spent on it
    priority DOUBLE NOT NULL DEFAULT 0,
    stale BOOLEAN NOT NULL DEFAULT false,
    used_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE sleep_runs (
    id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    finished_at TIMESTAMP,
    head VARCHAR,
    level INTEGER,
    budget INTEGER,
    notes_written INTEGER NOT NULL DEFAULT 0,
    tokens_spent INTEGER NOT NULL DEFAULT 0,
    model VARCHAR
);
