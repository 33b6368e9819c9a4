; Definitions and references for C#. Started from tree-sitter-c-sharp's queries/tags.scm.
; Namespaces are left out, as Java's packages are: `SqlMapper.Query`, whether the file
; uses a block namespace or a file-scoped one.
(class_declaration name: (identifier) @name) @definition.class

(record_declaration name: (identifier) @name) @definition.class

(struct_declaration name: (identifier) @name) @definition.class

(interface_declaration name: (identifier) @name) @definition.interface

(enum_declaration name: (identifier) @name) @definition.enum

(delegate_declaration name: (identifier) @name) @definition.type

(method_declaration name: (identifier) @name) @definition.method

(constructor_declaration name: (identifier) @name) @definition.method

(local_function_statement name: (identifier) @name) @definition.function

(field_declaration
  (modifier) @_const
  (variable_declaration (variable_declarator name: (identifier) @name))
  (#eq? @_const "const")) @definition.constant

(invocation_expression
  function: [(identifier) @name
             (generic_name (identifier) @name)
             (member_access_expression name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.call

(object_creation_expression
  type: [(identifier) @name
         (generic_name (identifier) @name)
         (qualified_name name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.class

(base_list [(identifier) @name (generic_name (identifier) @name) (qualified_name name: (identifier) @name)]) @reference.implementation

(using_directive [(identifier) @name (qualified_name name: (identifier) @name)] .) @reference.import
