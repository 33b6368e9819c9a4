-- Every model call, sleep-time or foreground, with its usage. Never the API key.
CREATE TABLE model_calls (
    id VARCHAR NOT NULL,
    purpose VARCHAR NOT NULL,          -- 'sleep' or 'foreground'
    model VARCHAR NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_creation_input_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_input_tokens INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    request_json VARCHAR,
    response_json VARCHAR,
    error VARCHAR,
    session_id VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
