-- A file whose first lines say a tool wrote it (a Bison parser, protoc's output): ranked below
-- hand-written code (code/paths.is_generated_text decides, at index time).
ALTER TABLE files ADD COLUMN generated BOOLEAN DEFAULT false;
