; Definitions and references for Rust. Started from tree-sitter-rust's queries/tags.scm.
(struct_item name: (type_identifier) @name) @definition.class

(enum_item name: (type_identifier) @name) @definition.enum

(union_item name: (type_identifier) @name) @definition.class

(type_item name: (type_identifier) @name) @definition.type

(function_item name: (identifier) @name) @definition.function

(function_signature_item name: (identifier) @name) @definition.function

(trait_item name: (type_identifier) @name) @definition.interface

(mod_item name: (identifier) @name) @definition.module

(macro_definition name: (identifier) @name) @definition.macro

(const_item name: (identifier) @name) @definition.constant

(static_item name: (identifier) @name) @definition.constant

(impl_item type: [(type_identifier) @name (generic_type type: (type_identifier) @name)]) @definition.impl

(call_expression
  function: [(identifier) @name
             (field_expression field: (field_identifier) @name)
             (scoped_identifier name: (identifier) @name)]) @reference.call

(macro_invocation macro: (identifier) @name) @reference.call

(impl_item trait: (type_identifier) @name) @reference.implementation

(use_declaration
  argument: [(identifier) @name
             (scoped_identifier name: (identifier) @name)
             (use_as_clause path: (scoped_identifier name: (identifier) @name))]) @reference.import

(use_list [(identifier) @name (scoped_identifier name: (identifier) @name)]) @reference.import
