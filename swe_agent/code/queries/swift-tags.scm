; Definitions and references for Swift. Started from tree-sitter-swift's queries/tags.scm.
; Classes, structs, actors, enums and extensions are all class_declarations, told apart by their keyword.
(class_declaration declaration_kind: ["class" "struct" "actor"] name: (type_identifier) @name) @definition.class

(class_declaration declaration_kind: "enum" name: (type_identifier) @name) @definition.enum

; `extension Cart { ... }`: its methods belong to Cart, as a Rust impl's do.
(class_declaration declaration_kind: "extension" name: (user_type (type_identifier) @name .)) @definition.impl

(protocol_declaration name: (type_identifier) @name) @definition.interface

; Labelled method: a method in a type, a function at the top or inside a function.
; The name right after `func`: a function's return type is a `name` field too. (Written
; `name: (simple_identifier)`, this one pattern took 0.3 s to compile.)
(function_declaration "func" . name: _ @name) @definition.method

(protocol_function_declaration "func" . name: _ @name) @definition.method

(init_declaration "init" @name) @definition.method

; A computed property (`var price: Int { ... }`) is a getter.
(property_declaration
  name: (pattern bound_identifier: (simple_identifier) @name)
  computed_value: (computed_property)) @definition.method

(typealias_declaration name: (type_identifier) @name) @definition.type

(source_file
  (property_declaration
    (value_binding_pattern) @_let
    name: (pattern bound_identifier: (simple_identifier) @name)) @definition.constant
  (#eq? @_let "let"))

; A call has parentheses or a trailing closure; `items[sku]` is a subscript.
(call_expression
  .
  [(simple_identifier) @name
   (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @name))]
  .
  (call_suffix [(value_arguments "(") (lambda_literal)])) @reference.call

(inheritance_specifier inherits_from: (user_type (type_identifier) @name .)) @reference.class

(import_declaration (identifier (simple_identifier) @name .)) @reference.import
