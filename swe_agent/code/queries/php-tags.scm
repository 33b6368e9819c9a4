; Definitions and references for PHP. Started from tree-sitter-php's queries/tags.scm.
; Namespaces are left out, as Java's packages are: `Cart::add` comes out as `Cart.add`.
(class_declaration name: (name) @name) @definition.class

(interface_declaration name: (name) @name) @definition.interface

(trait_declaration name: (name) @name) @definition.class

(enum_declaration name: (name) @name) @definition.enum

(method_declaration name: (name) @name) @definition.method

(function_definition name: (name) @name) @definition.function

(const_declaration (const_element (name) @name)) @definition.constant

(function_call_expression function: [(name) @name (qualified_name (name) @name .)]) @reference.call

(member_call_expression name: (name) @name) @reference.call

(nullsafe_member_call_expression name: (name) @name) @reference.call

(scoped_call_expression name: (name) @name) @reference.call

(object_creation_expression
  [(name) @name (qualified_name (name) @name .)]
  (#not-match? @name "^(self|static|parent)$")) @reference.class

(base_clause [(name) @name (qualified_name (name) @name .)]) @reference.class

(class_interface_clause [(name) @name (qualified_name (name) @name .)]) @reference.implementation

(use_declaration [(name) @name (qualified_name (name) @name .)]) @reference.class

(namespace_use_clause [(name) @name (qualified_name (name) @name .)] .) @reference.import
