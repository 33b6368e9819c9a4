; Definitions and references for Java. Started from tree-sitter-java's queries/tags.scm.
(class_declaration name: (identifier) @name) @definition.class

(interface_declaration name: (identifier) @name) @definition.interface

(enum_declaration name: (identifier) @name) @definition.enum

(annotation_type_declaration name: (identifier) @name) @definition.interface

(record_declaration name: (identifier) @name) @definition.class

(method_declaration name: (identifier) @name) @definition.method

(constructor_declaration name: (identifier) @name) @definition.method

(method_invocation name: (identifier) @name) @reference.call

(object_creation_expression type: (type_identifier) @name) @reference.class

(superclass (type_identifier) @name) @reference.class

(super_interfaces (type_list (type_identifier) @name)) @reference.implementation

(import_declaration (scoped_identifier name: (identifier) @name)) @reference.import
