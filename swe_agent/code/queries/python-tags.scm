; Definitions and references for Python. Started from tree-sitter-python's queries/tags.scm.
(class_definition name: (identifier) @name) @definition.class

(function_definition name: (identifier) @name) @definition.function

; Module-level UPPER_CASE assignments are constants.
(module
  (expression_statement (assignment left: (identifier) @name) @definition.constant)
  (#match? @name "^_*[A-Z][A-Z0-9_]*$"))

(call function: [(identifier) @name (attribute attribute: (identifier) @name)]) @reference.call

(class_definition
  superclasses: (argument_list [(identifier) @name (attribute attribute: (identifier) @name)])) @reference.class

(import_statement name: [(dotted_name (identifier) @name .) (aliased_import name: (dotted_name (identifier) @name .))]) @reference.import

(import_from_statement name: [(dotted_name (identifier) @name .) (aliased_import name: (dotted_name (identifier) @name .))]) @reference.import

(except_clause [(identifier) @name (attribute attribute: (identifier) @name) (as_pattern (identifier) @name)]) @reference.class
