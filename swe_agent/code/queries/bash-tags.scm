; Definitions and references for bash. The grammar ships no tags query; written for this project.
(function_definition name: (word) @name) @definition.function

; `readonly NAME=...` and `declare -r NAME=...` at the top of a script.
(program
  (declaration_command
    . ["readonly" "declare"] @_keyword
    (variable_assignment name: (variable_name) @name)) @definition.constant)

; `source "${DIR}/lib/helpers.bash"`; a path that is all one variable names nothing.
(command
  name: (command_name (word) @_source)
  argument: [(word) (string) (raw_string) (concatenation)] @name
  (#any-of? @_source "source" ".")
  (#not-match? @name "^[\"']?\\$[^/]*$")) @reference.import

; A command is a call, except the builtins every script uses. (#not-any-of? is not
; supported by the Python binding: it matches everything.)
(command
  name: (command_name (word) @name)
  (#not-match? @name "^(echo|printf|local|export|return|exit|set|unset|shift|cd|pwd|test|true|false|:|read|source|\\.|eval|exec|command|builtin|type|shopt|alias|unalias|break|continue|trap|wait|complete|compgen|compopt|getopts|let|pushd|popd|umask|ulimit)$")) @reference.call
