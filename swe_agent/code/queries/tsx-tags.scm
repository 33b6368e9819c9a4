; TSX additions; javascript-tags.scm and typescript-tags.scm are loaded before this file.
; A component used as an element is a call of it; lower-case elements are HTML tags.
([(jsx_opening_element name: (identifier) @name)
  (jsx_self_closing_element name: (identifier) @name)] @reference.call
 (#match? @name "^[A-Z]"))
