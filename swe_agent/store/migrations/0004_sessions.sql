-- The foreground agent: sessions, their messages (in context or moved to recall storage),
-- recursive summaries, core memory, preferences that outlive sessions, turns and a token ledger.
CREATE TABLE agent_sessions (
    id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,            -- the first question, shortened
    mode VARCHAR NOT NULL,             -- 'offline' or 'claude'
    head VARCHAR,                      -- HEAD when the session started
    core_json VARCHAR,                 -- core memory blocks, JSON
    turns INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE agent_messages (
    session_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,              -- order within the session
    turn INTEGER NOT NULL,
    role VARCHAR NOT NULL,             -- 'user' or 'assistant'
    content_json VARCHAR NOT NULL,     -- Anthropic content blocks
    text VARCHAR NOT NULL,             -- flattened text, for recall search
    tokens INTEGER NOT NULL,
    in_context BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE agent_summaries (
    session_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,              -- messages up to and including this seq are summarised
    text VARCHAR NOT NULL,             -- recursive: each summary folds in the one before
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE agent_preferences (
    label VARCHAR NOT NULL,            -- core memory block that survives sessions
    value VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE agent_turns (
    session_id VARCHAR NOT NULL,
    turn INTEGER NOT NULL,
    kind VARCHAR NOT NULL,             -- 'question' or 'task'
    question VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    result_json VARCHAR NOT NULL,      -- the --json object of the answer
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE agent_ledger (
    session_id VARCHAR NOT NULL,
    turn INTEGER NOT NULL,
    step INTEGER NOT NULL,
    phase VARCHAR NOT NULL,            -- 'test' (foreground); sleep-time lives in notes and sleep_runs
    tools VARCHAR NOT NULL,            -- tool names called in this step, comma-separated
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_input_tokens INTEGER NOT NULL DEFAULT 0,
    cache_creation_input_tokens INTEGER NOT NULL DEFAULT 0,
    context_tokens INTEGER NOT NULL DEFAULT 0,   -- main context size by our own count
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
