; Definitions and references for JavaScript (also loaded for TypeScript and TSX).
; Started from tree-sitter-javascript's queries/tags.scm; doc comments are read in code.
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method

(class_declaration name: (_) @name) @definition.class

(class name: (_) @name) @definition.class

(function_declaration name: (identifier) @name) @definition.function

(generator_function_declaration name: (identifier) @name) @definition.function

(lexical_declaration
  (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @definition.function)

(variable_declaration
  (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @definition.function)

; an object literal bound to a name at the top of a module: a table of functions or data
; (`const locale = { ordinal: n => ... }`), whose functions are its members
(program
  [(lexical_declaration (variable_declarator name: (identifier) @name value: (object)) @definition.constant)
   (variable_declaration (variable_declarator name: (identifier) @name value: (object)) @definition.constant)
   (export_statement declaration: (lexical_declaration
     (variable_declarator name: (identifier) @name value: (object)) @definition.constant))])

; a module's anonymous default export, `export default (dayjs, c) => { ... }` (a plugin): the
; definition whose body holds the module's code, named `default`
(export_statement "default" @name value: [(arrow_function) (function_expression)]) @definition.function

(assignment_expression
  left: (member_expression property: (property_identifier) @name)
  right: [(arrow_function) (function_expression)]) @definition.function

(assignment_expression
  left: (identifier) @name
  right: [(arrow_function) (function_expression)]) @definition.function

(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.function

; a named function passed to a call: `defineGetter(req, 'ip', function ip() {...})`, `app.get('/', function home() {...})`
(arguments (function_expression name: (identifier) @name) @definition.function)

(call_expression function: (identifier) @name) @reference.call

(call_expression function: (member_expression property: (property_identifier) @name)) @reference.call

(new_expression constructor: (identifier) @name) @reference.class

(import_specifier name: (identifier) @name) @reference.import

(import_clause (identifier) @name) @reference.import

(import_statement source: (string (string_fragment) @name)) @reference.import

(call_expression
  function: (identifier) @_require
  arguments: (arguments (string (string_fragment) @name))
  (#eq? @_require "require")) @reference.import
