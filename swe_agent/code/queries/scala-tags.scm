; Definitions and references for Scala 2 and 3. Started from tree-sitter-scala's queries/tags.scm.
; Labelled method: a method in a class, trait or object, a function at the top or inside a function.
(class_definition name: (identifier) @name) @definition.class

(trait_definition name: (identifier) @name) @definition.interface

(object_definition name: (identifier) @name) @definition.module

(enum_definition name: (identifier) @name) @definition.enum

(type_definition name: (type_identifier) @name) @definition.type

(function_definition name: (identifier) @name) @definition.method

(function_declaration name: (identifier) @name) @definition.method

; `extension (c: Cart) def total`: its methods belong to Cart, as a Rust impl's do.
(extension_definition
  parameters: (parameters . (parameter type: [(type_identifier) @name
                                              (generic_type type: (type_identifier) @name)]))) @definition.impl

; Scala names its constants in UpperCamelCase.
(val_definition pattern: (identifier) @name (#match? @name "^[A-Z]")) @definition.constant

(call_expression function: [(identifier) @name (field_expression field: (identifier) @name)]) @reference.call

(call_expression function: (generic_function function: [(identifier) @name (field_expression field: (identifier) @name)])) @reference.call

(instance_expression [(type_identifier) @name (generic_type type: (type_identifier) @name)]) @reference.class

(extends_clause type: [(type_identifier) @name (generic_type type: (type_identifier) @name)]) @reference.class

(import_declaration (identifier) @name .) @reference.import

(import_declaration (namespace_selectors [(identifier) @name (arrow_renamed_identifier name: (identifier) @name)])) @reference.import
