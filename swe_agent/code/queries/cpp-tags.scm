; C++ additions; c-tags.scm is loaded before this file. Started from tree-sitter-cpp's queries/tags.scm.
(function_definition
  declarator: (function_declarator
    declarator: [(field_identifier) @name
                 (qualified_identifier scope: (_) @receiver name: (identifier) @name)
                 (qualified_identifier scope: (_) @receiver name: (destructor_name) @name)])) @definition.function

(field_declaration declarator: (function_declarator declarator: (field_identifier) @name)) @definition.method

(class_specifier name: (type_identifier) @name body: (_)) @definition.class

(namespace_definition name: (namespace_identifier) @name) @definition.module

(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call

(new_expression type: (type_identifier) @name) @reference.class

(base_class_clause (type_identifier) @name) @reference.class
