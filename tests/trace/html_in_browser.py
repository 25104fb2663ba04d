#!/usr/bin/env python3
"""`poolheap report --html` in a real browser: writes a small trace with
callers and a layout, renders the report in headless chromium, and checks
that the page logs no console error and that its screenshot is not blank.
The checker is checked too: a page with a script error must be caught.

    html_in_browser.py POOLHEAP_TOOL WORK_DIR

Exit 77 (skipped) when chromium is not installed."""
import pathlib
import shutil
import struct
import subprocess
import sys
import zlib

HAS_CALLERS = 0x02
ALLOC, REALLOC, FREE = 1, 4, 5


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def record(op, *fields, caller=None):
    """One record; allocations end with a caller section of one frame."""
    data = bytes([op]) + b"".join(varint(f) for f in fields)
    if caller is not None:
        data += varint(1) + varint(caller)
    return data


def write_trace(path):
    trace = bytearray(b"PHTR" + bytes([2, 8, HAS_CALLERS, 0]))
    for i in range(40):
        trace += record(ALLOC, 24 + i % 3 * 40, 0x10000 + i * 0x100, caller=0x401000 + i % 4 * 0x10)
    for i in range(0, 40, 2):
        trace += record(FREE, 0x10000 + i * 0x100)
    trace += record(REALLOC, 0x10100, 300, 0x90000, caller=0x401100)
    path.write_bytes(trace)


LAYOUT = """[heap.main]
size = "3840"
pools = [ { block = "32", capacity = 16 }, { block = "64", capacity = 16 },
  { block = "128", capacity = 16 }, { block = "256", capacity = 1 } ]
"""


def console_errors(log):
    """Lines where the page logged an error or threw."""
    return [line for line in log.splitlines() if "CONSOLE" in line and ("Uncaught" in line or "rror" in line)]


def render(chromium, page, screenshot):
    """Renders `page`; returns what chromium logged."""
    result = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                             "--v=0", "--window-size=1100,1400", "--virtual-time-budget=2000",
                             f"--screenshot={screenshot}", page.resolve().as_uri()],
                            capture_output=True, text=True, timeout=120)
    return result.stderr + result.stdout


def png_pixels(path):
    """The decompressed scanlines of a PNG (filter bytes included)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            idat += data[at + 8:at + 8 + length]
        at += 12 + length
    return zlib.decompress(idat)


def main():
    tool, work = sys.argv[1], pathlib.Path(sys.argv[2])
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("html_in_browser: SKIPPED: no chromium on PATH (Debian package chromium)")
        return 77
    work.mkdir(parents=True, exist_ok=True)
    write_trace(work / "page.trace")
    (work / "page.toml").write_text(LAYOUT)
    page = work / "report.html"
    subprocess.run([tool, "report", str(work / "page.trace"), "--config", str(work / "page.toml"), "--sites",
                    "--html", str(page)], check=True, stdout=subprocess.DEVNULL)
    html = page.read_text()
    failures = []
    tuned = work / "tuned.html"  # no --config: the page shows a layout tuned for the trace
    subprocess.run([tool, "report", str(work / "page.trace"), "--html", str(tuned)], check=True,
                   stdout=subprocess.DEVNULL)
    if "heap tuned (poolheap tune --pools 8)" not in tuned.read_text():
        failures.append("a page without --config does not show a tuned layout")
    for forbidden in ("http://", "https://", "<link", "src="):
        if forbidden in html.replace('xmlns="http://www.w3.org/2000/svg"', ""):
            failures.append(f"the page refers outside itself: {forbidden}")
    errors = console_errors(render(chromium, page, work / "report.png"))
    failures += [f"console: {line}" for line in errors]
    pixels = png_pixels(work / "report.png")
    if len(set(pixels)) < 16:
        failures.append(f"the screenshot is blank ({len(set(pixels))} distinct byte values)")
    broken = work / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>")
    if not console_errors(render(chromium, broken, work / "broken.png")):
        failures.append("a page with a script error was not caught: the console check does not work")
    for failure in failures:
        print("html_in_browser:", failure)
    print(f"html_in_browser: {len(html)} bytes of HTML, {len(pixels)} bytes of pixels, "
          f"{'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
