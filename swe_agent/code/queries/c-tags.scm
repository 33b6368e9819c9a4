; Definitions and references for C (also loaded for C++). Started from tree-sitter-c's queries/tags.scm.
(function_definition declarator: (function_declarator declarator: (identifier) @name)) @definition.function

(function_definition
  declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function

(function_definition
  declarator: (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name)))) @definition.function

(declaration declarator: (function_declarator declarator: (identifier) @name)) @definition.function

(declaration
  declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @definition.function

(struct_specifier name: (type_identifier) @name body: (_)) @definition.class

(union_specifier name: (type_identifier) @name body: (_)) @definition.class

(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum

(type_definition declarator: (type_identifier) @name) @definition.type

(preproc_function_def name: (identifier) @name) @definition.macro

(preproc_def name: (identifier) @name value: (_)) @definition.constant

(call_expression function: (identifier) @name) @reference.call

(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call

(preproc_include path: [(string_literal) (system_lib_string)] @name) @reference.import
