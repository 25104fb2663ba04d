#!/usr/bin/env python3
"""Reads an RTT up channel out of memory images, as an external RTT reader
(OpenOCD, probe-rs, J-Link, pyOCD) reads it from a running target.

    rtt_image_read.py CHANNEL OUT ADDRESS:IMAGE...

Each IMAGE is a raw dump of target memory starting at ADDRESS (hex). The
control block is found by its id "SEGGER RTT"; then, from the standard
32-bit little-endian layout (id[16], up count, down count, then 24-byte
channel descriptors: name pointer, buffer pointer, size, write offset, read
offset, flags), the up channel whose name is CHANNEL is located and its
unread bytes, from the read offset to the write offset (wrapping), are
written to OUT. Written from the RTT layout alone, not from poolheap's sink.
Exits 1 with a message if anything is missing or inconsistent.
"""
import struct
import sys

ID = b"SEGGER RTT\0"
DESCRIPTOR = struct.Struct("<IIIIII")
MAX_CHANNELS = 32  # sanity bound on the counts read from the target


class Memory:
    def __init__(self, images):
        self.images = images  # [(address, bytes)]

    def read(self, address, length):
        for base, data in self.images:
            if base <= address and address + length <= base + len(data):
                return data[address - base:address - base + length]
        raise ValueError(f"{length} bytes at {address:#x} are not in any image")

    def c_string(self, address, limit=64):
        for base, data in self.images:
            if base <= address < base + len(data):
                end = data.find(b"\0", address - base, address - base + limit)
                if end >= 0:
                    return data[address - base:end].decode("ascii", "replace")
        raise ValueError(f"no string at {address:#x}")

    def find(self, needle):
        for base, data in self.images:
            at = data.find(needle)
            if at >= 0:
                return base + at
        raise ValueError("no RTT control block (id \"SEGGER RTT\") in the images")


def read_channel(memory, name):
    block = memory.find(ID)
    up_count, down_count = struct.unpack("<ii", memory.read(block + 16, 8))
    if not (0 < up_count <= MAX_CHANNELS and 0 <= down_count <= MAX_CHANNELS):
        raise ValueError(f"control block at {block:#x}: implausible counts {up_count} up, {down_count} down")
    for index in range(up_count):
        at = block + 24 + index * DESCRIPTOR.size
        name_at, buffer, size, write, read, flags = DESCRIPTOR.unpack(memory.read(at, DESCRIPTOR.size))
        if name_at == 0 or memory.c_string(name_at) != name:
            continue
        if size < 2 or write >= size or read >= size:
            raise ValueError(f"up channel {index}: size {size}, write {write}, read {read} are inconsistent")
        data = memory.read(buffer, size)
        return data[read:write] if read <= write else data[read:] + data[:write]
    raise ValueError(f"no up channel named {name!r} in the control block at {block:#x}")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    name, out = sys.argv[1], sys.argv[2]
    images = []
    for argument in sys.argv[3:]:
        address, _, path = argument.partition(":")
        with open(path, "rb") as f:
            images.append((int(address, 16), f.read()))
    try:
        data = read_channel(Memory(images), name)
    except ValueError as error:
        sys.exit(f"rtt_image_read: {error}")
    with open(out, "wb") as f:
        f.write(data)
    print(f"rtt_image_read: {len(data)} unread bytes in up channel {name!r}")


if __name__ == "__main__":
    main()
