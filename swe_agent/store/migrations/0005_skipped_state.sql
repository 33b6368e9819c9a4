-- Skipped files remember their size and mtime, so an unchanged binary is not read again.
ALTER TABLE skipped ADD COLUMN size BIGINT;
ALTER TABLE skipped ADD COLUMN mtime_ns BIGINT;
