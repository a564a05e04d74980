#!/usr/bin/env python3
"""The classroom exercises (exercises/NAME/): list them, and cut a starter from its solution.

Each exercise keeps its reference solution in exercises/NAME/solution.rs. The lines a student
must write sit between `// EXERCISE: <pointer>` and `// END EXERCISE`; the starter
(exercises/NAME/src/main.rs) is the solution with each such block replaced by
`todo!("<pointer>")`, so the starter always matches the chapter code it was cut from.

  scripts/exercises.py list          one line per exercise: name, chapter, task
  scripts/exercises.py cut NAME      (re)write NAME's starter from its solution
  scripts/exercises.py cut --all     the same for every exercise
  scripts/exercises.py check-cut     fail if a committed starter differs from its cut
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
# The starter leaves some names unused until the student writes the missing lines.
ALLOW = (
    "\n// A starter: until you write the missing lines, some imports and parameters are unused.\n"
    "#![allow(unused_imports, unused_variables, unused_assignments, unreachable_code, dead_code)]\n"
)


# The one list of the exercises, in the order of the chapters: EXERCISES in
# crates/mq-class/src/exercises.rs, which the checker, `just watch`, `just progress`, `just hint`
# and the class board read too.
LIST = ROOT / "crates/mq-class/src/exercises.rs"


def names():
    listed = re.search(r"pub const EXERCISES: \[&str; \d+\] = \[(.*?)\];", LIST.read_text(), re.S)
    if not listed:
        die(f"{LIST}: no `pub const EXERCISES` list")
    order = re.findall(r'"([^"]+)"', listed.group(1))
    found = [p.name for p in EXERCISES.iterdir() if (p / "solution.rs").exists()]
    unlisted = sorted(set(found) - set(order))
    if unlisted:
        die(f"exercises/{unlisted[0]} is not in EXERCISES ({LIST.relative_to(ROOT)})")
    return [n for n in order if n in found]


def die(text):
    print(f"error: {text}", file=sys.stderr)
    sys.exit(1)


def cut(text, name):
    out, inside, pointer, indent = [], False, "", ""
    for line in text.splitlines(keepends=True):
        start = re.match(r"^(\s*)// EXERCISE: (.*)$", line)
        if start and not inside:
            inside, indent, pointer = True, start.group(1), start.group(2).strip()
            continue
        if inside:
            if line.strip() == "// END EXERCISE":
                escaped = pointer.replace("\\", "\\\\").replace('"', '\\"')
                out.append(f'{indent}todo!("{escaped}")\n')
                inside = False
            continue
        out.append(line)
    if inside:
        die(f"exercises/{name}/solution.rs: `// EXERCISE:` without `// END EXERCISE`")
    text = "".join(out)
    # The allow goes right after the module's doc comment.
    at = re.search(r"^(?!//!).*$", text, re.M)
    head, tail = text[: at.start()], text[at.start():]
    return head + ALLOW + tail


def rustfmt(text):
    """The text as `cargo fmt` leaves it (a long todo!() pointer gets its own line)."""
    result = subprocess.run(["rustfmt", "--edition", "2024", "--emit", "stdout", "-q"],
                            input=text, capture_output=True, text=True)
    if result.returncode != 0:
        die(f"rustfmt failed: {result.stderr.strip()}")
    return result.stdout


def starter_of(name):
    folder = EXERCISES / name
    if not (folder / "solution.rs").exists():
        die(f"no exercise '{name}'; `just exercises` lists them")
    return rustfmt(cut((folder / "solution.rs").read_text(), name))


def cut_one(name):
    folder = EXERCISES / name
    starter = starter_of(name)
    (folder / "src").mkdir(exist_ok=True)
    (folder / "src" / "main.rs").write_text(starter)
    return starter


def main():
    args = sys.argv[1:]
    if args == ["list"]:
        rows = []
        for name in names():
            package = tomllib.loads((EXERCISES / name / "Cargo.toml").read_text())["package"]
            chapter = package.get("metadata", {}).get("exercise", {}).get("chapter", "")
            rows.append((name, chapter, package.get("description", "")))
        width = max(len(r[0]) for r in rows)
        cw = max(len(r[1]) for r in rows)
        for name, chapter, task in rows:
            print(f"{name:<{width}}  {chapter:<{cw}}  {task}")
    elif len(args) == 2 and args[0] == "cut":
        for name in names() if args[1] == "--all" else [args[1]]:
            cut_one(name)
            print(f"exercises/{name}/src/main.rs: the starter, cut from solution.rs")
    elif args == ["check-cut"]:
        stale = [n for n in names() if starter_of(n) != (EXERCISES / n / "src/main.rs").read_text()]
        if stale:
            die(f"starters differ from their solutions' cut: {', '.join(stale)}; run: scripts/exercises.py cut --all")
    else:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
