; Definitions and references for Kotlin (tree-sitter-grammars' grammar, which names few fields).
; Interfaces and enums are class_declarations told apart by a keyword; the earliest pattern wins.
(class_declaration "interface" name: (identifier) @name) @definition.interface

(class_declaration
  (modifiers (class_modifier) @_enum)
  name: (identifier) @name
  (#eq? @_enum "enum")) @definition.enum

(class_declaration name: (identifier) @name) @definition.class

(object_declaration name: (identifier) @name) @definition.module

; An extension function `fun Inventory.isEmpty()` belongs to its receiver type.
(function_declaration
  (user_type . (identifier) @receiver)
  .
  "."
  .
  name: (identifier) @name) @definition.method

; Labelled method: a method in a class or object, a function at the top or inside a function.
(function_declaration name: (identifier) @name) @definition.method

(type_alias type: (identifier) @name) @definition.type

(property_declaration
  (modifiers (property_modifier) @_const)
  (variable_declaration (identifier) @name)
  (#eq? @_const "const")) @definition.constant

; A top-level `val` named like a type is an object the module exports (`val HttpTimeout = createClientPlugin(...)`).
(source_file
  (property_declaration "val" (variable_declaration (identifier) @name)) @definition.constant
  (#match? @name "^[A-Z]"))

(call_expression . (identifier) @name) @reference.call

(call_expression . (navigation_expression (identifier) @name .)) @reference.call

(delegation_specifier [(user_type (identifier) @name .) (constructor_invocation (user_type (identifier) @name .))]) @reference.class

(import (qualified_identifier (identifier) @name .)) @reference.import
