"""Replaces one benchmark's section of docs/PERFORMANCE.md, between <!-- NAME:BEGIN --> and
<!-- NAME:END -->; appends the section under `title` when the markers are not there yet.

    python3 bench/section.py DOC NAME TITLE SECTION_FILE
"""
import sys


def main():
    doc, name, title, section_file = sys.argv[1:5]
    section = open(section_file).read()
    text = open(doc).read()
    begin, end = f"<!-- {name}:BEGIN -->", f"<!-- {name}:END -->"
    if begin not in text:
        text += f"\n## {title}\n\n{begin}\n{end}\n"
    a, b = text.index(begin) + len(begin), text.index(end)
    open(doc, "w").write(text[:a] + "\n" + section + text[b:])


if __name__ == "__main__":
    main()
