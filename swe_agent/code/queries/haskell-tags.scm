; Definitions and references for Haskell. The grammar ships no tags query; written for this project.
; A type signature and the equations after it are one definition (CLAUSES in extract.py).
; Only top-level, class and instance bindings: `where` and `let` helpers stay inside theirs.
(declarations (signature name: (variable) @name) @definition.function)

(declarations (function name: (variable) @name) @definition.function)

(declarations (bind name: (variable) @name) @definition.function)

(data_type name: (name) @name) @definition.class

(newtype name: (name) @name) @definition.class

(type_synonym name: (name) @name) @definition.type

(type_family name: (name) @name) @definition.type

(class name: (name) @name) @definition.interface

(class_declarations (signature name: (variable) @name) @definition.method)

(class_declarations (function name: (variable) @name) @definition.method)

(class_declarations (bind name: (variable) @name) @definition.method)

; `instance ToJSON Value where ...`: its methods belong to Value, as a Rust impl's do.
(instance
  patterns: (type_patterns
    .
    [(name) @name
     (qualified id: (name) @name)
     (parens (apply constructor: [(name) @name (qualified id: (name) @name)]))
     (parens (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name)])))
     (parens (apply constructor: (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name)]))))])) @definition.impl

(instance_declarations (function name: (variable) @name) @definition.method)

(instance_declarations (bind name: (variable) @name) @definition.method)

(apply function: [(variable) @name (qualified id: (variable) @name)]) @reference.call

(infix operator: (infix_id [(variable) @name (qualified id: (variable) @name)])) @reference.call

(import module: (module (module_id) @name .)) @reference.import

(instance name: [(name) @name (qualified id: (name) @name)]) @reference.implementation
