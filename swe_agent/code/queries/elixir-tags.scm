; Definitions and references for Elixir. Started from tree-sitter-elixir's queries/tags.scm.
; Everything is a call: `defmodule`, `def` and friends are told apart by their target.
; A dotted module name (`defmodule Shop.Cart`) is split into its parent and its name in code.
(call
  target: (identifier) @_keyword
  (arguments . (alias) @name)
  (#any-of? @_keyword "defmodule" "defexception")) @definition.module

(call
  target: (identifier) @_keyword
  (arguments . (alias) @name)
  (#eq? @_keyword "defprotocol")) @definition.interface

; `defimpl Proto, for: Type`: its functions belong to Type, as a Rust impl's do.
(call
  target: (identifier) @_keyword
  (arguments
    (alias)
    (keywords (pair key: (keyword) @_for value: (alias) @name)))
  (#eq? @_keyword "defimpl")
  (#match? @_for "^for:")) @definition.impl

(call
  target: (identifier) @_keyword
  (arguments .
    [(identifier) @name
     (call target: (identifier) @name)
     (binary_operator left: (call target: (identifier) @name) operator: "when")
     (binary_operator left: (identifier) @name operator: "when")])
  (#any-of? @_keyword "def" "defp" "defdelegate" "defguard" "defguardp" "defn" "defnp")) @definition.function

(call
  target: (identifier) @_keyword
  (arguments .
    [(identifier) @name
     (call target: (identifier) @name)
     (binary_operator left: (call target: (identifier) @name) operator: "when")])
  (#any-of? @_keyword "defmacro" "defmacrop")) @definition.macro

; `@callback init(opts) :: result` declares a function of a behaviour.
(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attribute
    (arguments (binary_operator left: (call target: (identifier) @name) operator: "::")))
  (#any-of? @_attribute "callback" "macrocallback")) @definition.function

(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attribute
    (arguments (binary_operator left: [(identifier) @name (call target: (identifier) @name)] operator: "::")))
  (#any-of? @_attribute "type" "typep" "opaque")) @definition.type

; A module attribute set to a value is the module's constant; reading one (`@max`) has no arguments.
(unary_operator
  operator: "@"
  operand: (call target: (identifier) @name (arguments))
  (#not-match? @name "^(doc|moduledoc|typedoc|spec|type|typep|opaque|callback|macrocallback|impl|behaviour|derive|enforce_keys|optional_callbacks|dialyzer|compile|deprecated|since|external_resource|on_load|on_definition|before_compile|after_compile|after_verify|vsn|file|nifs|fallback_to_any|protocol)$")) @definition.constant

(call
  target: (identifier) @_keyword
  (arguments . (alias) @name)
  (#any-of? @_keyword "alias" "import" "require" "use")) @reference.import

; Calls, except the special forms, the definitions themselves and module attributes
; (`@doc "..."` is a call of doc under an @).
(call
  target: (identifier) @name
  (#not-match? @name "^(doc|moduledoc|typedoc|spec|type|typep|opaque|callback|macrocallback|impl|behaviour|derive|def|defp|defmodule|defprotocol|defimpl|defmacro|defmacrop|defdelegate|defguard|defguardp|defstruct|defexception|defoverridable|defn|defnp|alias|import|require|use|if|unless|case|cond|with|for|try|receive|quote|unquote|unquote_splicing|fn|raise|reraise|throw|super|__MODULE__|__aliases__)$")) @reference.call

; `Pricing.price(sku)`; `cart.items`, without arguments, reads a field.
(call target: (dot right: (identifier) @name) (arguments)) @reference.call
