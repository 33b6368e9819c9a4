; C++ additions; c-tags.scm is loaded before this file. Started from tree-sitter-cpp's queries/tags.scm.
; a function or method, by its name wherever the declarator puts it: `T& get()`, `T* M::ptr()`,
; `char **f()`, `Column::const_iterator::calcLength()`, `operator[]`, `~M()`. A qualified name
; is split at its last `::` in code: what comes before is the receiver.
(function_definition
  declarator: [
    (function_declarator declarator: [(field_identifier) (qualified_identifier) (operator_name) (destructor_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: [(field_identifier) (qualified_identifier) (operator_name)] @name))
    (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (qualified_identifier) (operator_name)] @name)))
    (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (qualified_identifier) (operator_name)] @name))
  ]) @definition.function

(field_declaration
  declarator: [
    (function_declarator declarator: [(field_identifier) (operator_name) (destructor_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: [(field_identifier) (operator_name)] @name))
    (reference_declarator (function_declarator declarator: [(field_identifier) (operator_name)] @name))
  ]) @definition.method

; a conversion operator, `operator bool() const`, in its class or out of it (`X<T>::operator T()`)
(function_definition declarator: (operator_cast) @name) @definition.function
(function_definition
  declarator: (qualified_identifier scope: (_) @receiver name: (operator_cast) @name)) @definition.function
([(field_declaration declarator: (operator_cast) @name) (declaration declarator: (operator_cast) @name)]) @definition.method

(class_specifier name: (type_identifier) @name body: (_)) @definition.class

; a specialization, `template <> struct formatter<std::tm, Char> {...}`, is named by its template
([(class_specifier name: (template_type name: (type_identifier) @name) body: (_))
  (struct_specifier name: (template_type name: (type_identifier) @name) body: (_))]) @definition.class

(namespace_definition name: (namespace_identifier) @name) @definition.module

(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call

(new_expression type: (type_identifier) @name) @reference.class

(base_class_clause (type_identifier) @name) @reference.class
