"""The bench scripts' table output (imported by their embedded Python)."""


def print_table(header, rows):
    """Prints `header` and `rows` (tuples of strings) aligned: the first column
    left-justified, the others right-justified, a rule under the header."""
    lines = [tuple(header)] + [tuple(row) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
