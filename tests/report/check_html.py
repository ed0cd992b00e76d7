#!/usr/bin/env python3
"""Render a jql-report HTML page in headless Chromium and check it.

    check_html.py PAGE.html SCREENSHOT.png [CHART_ID=BARS]... [pages<=N | pages=N]

Runs Debian's `chromium` twice (with --dump-dom, then --screenshot), with
console messages logged to stderr, and checks that:
  - the page rendered with no console message at all (it has no script, so
    any message - an error, a blocked resource - is a fault);
  - the rendered DOM has no <script>, no <link>, no external resource;
  - each named chart (<svg id=CHART_ID>) is there with exactly BARS
    <rect class="bar"> elements;
  - the screenshot was written (a PNG of plausible size);
  - with pages<=N or pages=N: printed to PDF (A4, the page's own print CSS,
    no browser header or footer), it has at most / exactly N pages (pages
    counted from the PDF's page objects); the PDF is left next to the
    screenshot.
Prints one line per failure on stderr and exits 1 on any; exits 77 when
chromium is not installed (the caller reports a skip).
"""
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
]


class Dom(html.parser.HTMLParser):
    """Counts bars per chart and notes anything that is not self-contained."""

    def __init__(self):
        super().__init__()
        self.bars = {}
        self.svg_stack = []  # ids of the open <svg> elements
        self.problems = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svg_stack.append(a.get("id"))
            if a.get("id"):
                self.bars.setdefault(a["id"], 0)
        elif tag == "rect" and "bar" in (a.get("class") or "").split():
            chart = next((i for i in reversed(self.svg_stack) if i), None)
            if chart:
                self.bars[chart] = self.bars.get(chart, 0) + 1
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.problems.append("<%s> in the page" % tag)
        for key in ("src", "href"):
            v = a.get(key)
            if v and not v.startswith("#") and not v.startswith("data:"):
                self.problems.append("external %s=%r on <%s>" % (key, v, tag))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.svg_stack.pop()

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_stack:
            self.svg_stack.pop()


def chromium(args, profile):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    cmd = [exe] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + args
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("chromium is not installed", file=sys.stderr)
        return 77
    page, shot = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    pages = None
    charts = []
    for a in argv[3:]:
        if a.startswith("pages<="):
            pages = ("<=", int(a[7:]))
        elif a.startswith("pages="):
            pages = ("=", int(a[6:]))
        else:
            charts.append(a)
    expected = dict((k, int(v)) for k, v in (a.split("=", 1) for a in charts))
    url = "file://" + page
    failures = []
    with tempfile.TemporaryDirectory() as profile:
        dom = chromium(["--dump-dom", url], profile)
    with tempfile.TemporaryDirectory() as profile:
        if os.path.exists(shot):
            os.unlink(shot)
        pic = chromium(["--screenshot=" + shot, "--window-size=1200,2000", url], profile)

    runs = [dom, pic]
    if pages:
        pdf = os.path.splitext(shot)[0] + ".pdf"
        if os.path.exists(pdf):
            os.unlink(pdf)
        with tempfile.TemporaryDirectory() as profile:
            runs.append(chromium(["--no-pdf-header-footer", "--print-to-pdf=" + pdf, url], profile))
        try:
            with open(pdf, "rb") as f:
                n = len(re.findall(rb"/Type\s*/Page(?!s)", f.read()))
        except OSError as e:
            n = None
            failures.append("no PDF: %s" % e)
        if n is not None:
            print("%s: %d A4 pages" % (pdf, n), file=sys.stderr)
            if (pages[0] == "<=" and n > pages[1]) or (pages[0] == "=" and n != pages[1]):
                failures.append("the PDF has %d pages, expected %s %d" % (n, pages[0], pages[1]))
    for run in runs:
        for line in run.stderr.decode("utf-8", "replace").splitlines():
            if ":CONSOLE" in line:
                failures.append("console message: " + line.strip())
    text = dom.stdout.decode("utf-8", "replace")
    if dom.returncode != 0 or "</html>" not in text:
        failures.append("chromium did not render the page (exit %d)" % dom.returncode)
    parser = Dom()
    parser.feed(text)
    failures += parser.problems
    for chart, want in sorted(expected.items()):
        got = parser.bars.get(chart)
        if got is None:
            failures.append("chart #%s is missing" % chart)
        elif got != want:
            failures.append("chart #%s has %d bars, expected %d" % (chart, got, want))
    try:
        with open(shot, "rb") as f:
            head = f.read(8)
        if head != b"\x89PNG\r\n\x1a\n" or os.path.getsize(shot) < 10000:
            failures.append("screenshot %s is not a plausible PNG" % shot)
    except OSError as e:
        failures.append("no screenshot: %s" % e)
    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
