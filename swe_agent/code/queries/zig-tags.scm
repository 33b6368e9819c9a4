; Definitions and references for Zig. The grammar ships no tags query; written for this project.
; A type is a constant bound to a container: `const Cart = struct { ... };`.
(variable_declaration (identifier) @name [(struct_declaration) (union_declaration) (opaque_declaration)]) @definition.class

(variable_declaration (identifier) @name [(enum_declaration) (error_set_declaration)]) @definition.enum

(function_declaration name: (identifier) @name) @definition.function

; A constant of a container (file or type) set to a literal; imports and aliases are not.
([(source_file (variable_declaration "const" (identifier) @name [(integer) (float) (string) (multiline_string) (character) (boolean)]) @definition.constant)
  (struct_declaration (variable_declaration "const" (identifier) @name [(integer) (float) (string) (multiline_string) (character) (boolean)]) @definition.constant)])

(call_expression function: [(identifier) @name (field_expression member: (identifier) @name)]) @reference.call

(builtin_function
  (builtin_identifier) @_import
  (arguments (string (string_content) @name))
  (#eq? @_import "@import")) @reference.import
