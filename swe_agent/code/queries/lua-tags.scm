; Definitions and references for Lua. Started from tree-sitter-lua's queries/tags.scm.
; `function M.setup()` and `function Cart:add()` are named under their table (@receiver).
(function_declaration name: (identifier) @name) @definition.function

(function_declaration
  name: [(dot_index_expression table: (_) @receiver field: (identifier) @name)
         (method_index_expression table: (_) @receiver method: (identifier) @name)]) @definition.function

(assignment_statement
  (variable_list . name: [(identifier) @name
                          (dot_index_expression table: (_) @receiver field: (identifier) @name)])
  (expression_list . value: (function_definition))) @definition.function

(variable_declaration
  (assignment_statement
    (variable_list . name: (identifier) @name)
    (expression_list . value: (function_definition)))) @definition.function

; UPPER_CASE assignments at the top of a file are its constants.
(chunk
  (assignment_statement
    (variable_list . name: [(identifier) @name (dot_index_expression table: (_) @receiver field: (identifier) @name)])) @definition.constant
  (#match? @name "^[A-Z][A-Z0-9_]*$"))

(function_call
  name: (identifier) @_require
  arguments: (arguments . (string content: (string_content) @name))
  (#eq? @_require "require")) @reference.import

(function_call
  name: [(identifier) @name
         (dot_index_expression field: (identifier) @name)
         (method_index_expression method: (identifier) @name)]
  (#not-eq? @name "require")) @reference.call
