; Definitions and references for Ruby. Started from tree-sitter-ruby's queries/tags.scm.
(method name: (_) @name) @definition.method

(singleton_method name: (_) @name) @definition.method

(class name: [(constant) @name (scope_resolution name: (_) @name)]) @definition.class

(module name: [(constant) @name (scope_resolution name: (_) @name)]) @definition.module

(assignment left: (constant) @name) @definition.constant

(call
  method: (identifier) @_require
  arguments: (argument_list (string (string_content) @name))
  (#any-of? @_require "require" "require_relative")) @reference.import

(call method: (identifier) @name) @reference.call

(superclass (constant) @name) @reference.class
