; TypeScript additions; javascript-tags.scm is loaded before this file.
; Started from tree-sitter-typescript's queries/tags.scm.
(function_signature name: (identifier) @name) @definition.function

(method_signature name: (property_identifier) @name) @definition.method

(abstract_method_signature name: (property_identifier) @name) @definition.method

(abstract_class_declaration name: (type_identifier) @name) @definition.class

(module name: (identifier) @name) @definition.module

(internal_module name: [(identifier) (nested_identifier)] @name) @definition.module

(interface_declaration name: (type_identifier) @name) @definition.interface

(type_alias_declaration name: (type_identifier) @name) @definition.type

(enum_declaration name: (identifier) @name) @definition.enum

(type_annotation (type_identifier) @name) @reference.type

(implements_clause (type_identifier) @name) @reference.implementation

(extends_clause value: (identifier) @name) @reference.class
