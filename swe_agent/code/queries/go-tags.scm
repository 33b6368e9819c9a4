; Definitions and references for Go. Started from tree-sitter-go's queries/tags.scm.
(function_declaration name: (identifier) @name) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @receiver
             (pointer_type (type_identifier) @receiver)
             (generic_type type: (type_identifier) @receiver)
             (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @name) @definition.method

(type_spec name: (type_identifier) @name type: (struct_type)) @definition.class

(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface

(type_spec name: (type_identifier) @name) @definition.type

(const_spec name: (identifier) @name) @definition.constant

(call_expression
  function: [(identifier) @name
             (selector_expression field: (field_identifier) @name)
             (parenthesized_expression (identifier) @name)]) @reference.call

(composite_literal type: (type_identifier) @name) @reference.class

(import_spec path: (interpreted_string_literal) @name) @reference.import
