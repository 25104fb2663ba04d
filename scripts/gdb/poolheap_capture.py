"""GDB command `poolheap-capture FILE`: the heap trace of a running program,
into FILE, through any GDB server (OpenOCD, pyOCD, J-Link GDB Server, Black
Magic Probe, ST-LINK GDB server, QEMU's gdbstub).

The program traces with the RTT sink in POOLHEAP_TRACE_RTT_BREAKPOINT mode
(include/poolheap/trace.h): whenever its channel is half full, and when
tracing stops, it calls the empty function poolheap_trace_rtt_breakpoint
with the unread bytes in at most two pieces (pointer, length, pointer,
length). This command breaks there, reads the pieces (memory reads only),
appends them to FILE and lets the program go on, until the program stops
for another reason (it exits, another breakpoint, Ctrl-C). Nothing is lost:
the program waits at the breakpoint while the bytes are read.

    (gdb) source scripts/gdb/poolheap_capture.py
    (gdb) target extended-remote :3333        # or however you reach the board
    (gdb) poolheap-capture app.trace
    poolheap-capture: 1329114 bytes in 651 drains into app.trace (...)

Run it when the program is stopped (after `load` and a reset, or at a
breakpoint); it continues the program itself. If the program is stopped at
poolheap_trace_rtt_breakpoint already, that drain is captured first.
"""
import time

import gdb

HOOK = "poolheap_trace_rtt_breakpoint"

# The first four integer argument registers of each architecture's C calling
# convention: the hook's (first, first_length, second, second_length).
ARGUMENT_REGISTERS = (
    ("aarch64", ("x0", "x1", "x2", "x3")),
    ("arm", ("r0", "r1", "r2", "r3")),
    ("i386:x86-64", ("rdi", "rsi", "rdx", "rcx")),
    ("riscv", ("a0", "a1", "a2", "a3")),
)


def argument_registers(frame):
    name = frame.architecture().name()
    for prefix, registers in ARGUMENT_REGISTERS:
        if name.startswith(prefix):
            return registers
    raise gdb.GdbError(f"poolheap-capture: no argument registers known for architecture {name}")


def hook_address():
    try:
        return int(gdb.parse_and_eval(f"(unsigned long)&{HOOK}"))
    except gdb.error:
        raise gdb.GdbError(f"poolheap-capture: the program has no {HOOK}: is it built with "
                           "POOLHEAP_TRACE and the RTT sink?") from None


class Capture:
    """One capture: the output file and what went into it."""

    def __init__(self, path):
        self.path = path
        self.output = open(path, "wb")
        self.bytes = 0
        self.drains = 0

    def drain(self, frame):
        """Appends the two pieces the hook was called with."""
        first, first_length, second, second_length = (
            int(frame.read_register(r)) & 0xFFFFFFFFFFFFFFFF for r in argument_registers(frame))
        inferior = gdb.selected_inferior()
        for address, length in ((first, first_length), (second, second_length)):
            if length:
                self.output.write(inferior.read_memory(address, length))
                self.bytes += length
        self.output.flush()
        self.drains += 1


class DrainBreakpoint(gdb.Breakpoint):
    """At the hook's first instruction: drain, then let the program run on."""

    def __init__(self, address, capture):
        super().__init__(f"*{address:#x}", internal=True)
        self.capture = capture

    def stop(self):
        self.capture.drain(gdb.selected_frame())
        return False


class CaptureCommand(gdb.Command):
    """Capture the poolheap trace into FILE: poolheap-capture FILE

Continues the program and appends every trace chunk it hands to
poolheap_trace_rtt_breakpoint to FILE, until the program exits or stops
for another reason. Prints the bytes, the drains and the time they took."""

    def __init__(self):
        super().__init__("poolheap-capture", gdb.COMMAND_DATA, gdb.COMPLETE_FILENAME)

    def invoke(self, argument, from_tty):
        path = argument.strip()
        if not path:
            raise gdb.GdbError("usage: poolheap-capture FILE")
        address = hook_address()
        try:
            capture = Capture(path)
        except OSError as error:
            raise gdb.GdbError(f"poolheap-capture: {path}: {error.strerror}") from None
        # Breakpoints stay inserted while the program runs: GDB then does not
        # remove and re-insert them at every drain, which halves the time per
        # drain in QEMU (docs/tracing.md).
        always_inserted = gdb.parameter("breakpoint always-inserted")
        gdb.execute("set breakpoint always-inserted on")
        breakpoint = DrainBreakpoint(address, capture)
        start = time.monotonic()
        try:
            frame = gdb.selected_frame() if gdb.selected_inferior().pid != 0 else None
            if frame is not None and frame.pc() == address:
                capture.drain(frame)  # stopped at the hook already: this drain is ours too
            gdb.execute("continue", to_string=not from_tty)
        finally:
            breakpoint.delete()
            gdb.execute(f"set breakpoint always-inserted {'on' if always_inserted else 'off'}")
            capture.output.close()
            seconds = time.monotonic() - start
            per_drain = f", {1000.0 * seconds / capture.drains:.2f} ms per drain" if capture.drains else ""
            print(f"poolheap-capture: {capture.bytes} bytes in {capture.drains} drains into {path} "
                  f"({seconds:.2f} s{per_drain})")


CaptureCommand()
