-- Sleep-time notes sent through the Message Batches API: each batch, and each request of it
-- with the file and content hash it speaks of, so that a restarted daemon collects it.
CREATE TABLE batches (
    id VARCHAR NOT NULL,               -- the API's msgbatch_ id
    model VARCHAR NOT NULL,
    level INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    state VARCHAR NOT NULL DEFAULT 'in_progress',  -- in_progress | ended | lost
    submitted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    polled_at TIMESTAMP,
    ended_at TIMESTAMP,
    outcome_json VARCHAR               -- counts of written / offline / stale requests once ended
);

CREATE TABLE batch_requests (
    batch_id VARCHAR NOT NULL,
    custom_id VARCHAR NOT NULL,        -- unique within its batch
    path VARCHAR NOT NULL,
    code_hash VARCHAR NOT NULL,        -- files.hash of path when it was sent
    definitions_json VARCHAR NOT NULL, -- the definitions asked about: qualname, kind, lines, priority
    params_json VARCHAR NOT NULL,      -- the Messages request, logged in model_calls when collected
    result VARCHAR                     -- succeeded | errored | canceled | expired | stale, once collected
);

-- Batch calls in the call log: their batch, and the price of every call (half for a batch).
ALTER TABLE model_calls ADD COLUMN batch_id VARCHAR;
ALTER TABLE model_calls ADD COLUMN cost_usd DOUBLE;
