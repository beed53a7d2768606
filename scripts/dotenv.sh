#!/bin/sh
# Usage: scripts/dotenv.sh NAME [FILE]
# Prints NAME's value from FILE (default ./.env), read the way valkite-server
# reads .env: KEY=VALUE lines, '#' comment lines, optional "export ", a value in
# single or double quotes taken as is, otherwise cut at " #". The last
# assignment wins. Prints nothing if the file or the variable is missing.
name=$1
file=${2:-.env}
[ -n "$name" ] && [ -f "$file" ] || exit 0
awk -v name="$name" '
{
    line = $0
    sub(/\r$/, "", line)
    sub(/^[ \t]+/, "", line)
    if (line == "" || substr(line, 1, 1) == "#") next
    sub(/^export[ \t]+/, "", line)
    eq = index(line, "=")
    if (eq == 0) next
    key = substr(line, 1, eq - 1)
    sub(/[ \t]+$/, "", key)
    if (key != name) next
    value = substr(line, eq + 1)
    sub(/^[ \t]+/, "", value)
    sub(/[ \t]+$/, "", value)
    first = substr(value, 1, 1)
    if (length(value) >= 2 && (first == "\"" || first == "\047") && substr(value, length(value), 1) == first) {
        value = substr(value, 2, length(value) - 2)
    } else {
        cut = index(value, " #")
        if (cut > 0) {
            value = substr(value, 1, cut - 1)
            sub(/[ \t]+$/, "", value)
        }
    }
    found = value
    have = 1
}
END { if (have) printf "%s", found }
' "$file"
