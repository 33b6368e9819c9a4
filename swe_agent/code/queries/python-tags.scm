; Definitions and references for Python. Started from tree-sitter-python's queries/tags.scm.
(class_definition name: (identifier) @name) @definition.class

(function_definition name: (identifier) @name) @definition.function

(module (expression_statement (assignment left: (identifier) @name) @definition.constant))

(call function: [(identifier) @name (attribute attribute: (identifier) @name)]) @reference.call

(class_definition
  superclasses: (argument_list [(identifier) @name (attribute attribute: (identifier) @name)])) @reference.class

(import_statement name: [(dotted_name (identifier) @name .) (aliased_import name: (dotted_name (identifier) @name .))]) @reference.import

(import_from_statement name: [(dotted_name (identifier) @name .) (aliased_import name: (dotted_name (identifier) @name .))]) @reference.import

(raise_statement [(call function: [(identifier) @name (attribute attribute: (identifier) @name)]) (identifier) @name]) @reference.raise

(except_clause [(identifier) @name (attribute attribute: (identifier) @name) (as_pattern (identifier) @name)]) @reference.class
