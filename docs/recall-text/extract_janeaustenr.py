#!/usr/bin/env python3
"""Writes Pride and Prejudice out of Debian's r-cran-janeaustenr (its R lazy-load data base), as the recall check ships it.

    apt-get download r-cran-janeaustenr && dpkg-deb -x r-cran-janeaustenr_1.0.0-1_all.deb x
    python3 extract_janeaustenr.py x/usr/lib/R/site-library/janeaustenr/data/Rdata prideprejudice > pride-and-prejudice.txt
    gzip -9 -n pride-and-prejudice.txt   # -> app/src/main/resources/dev/goldfinch/app/recall/

Reads only what that package holds: R's XDR serialization of a character vector (one string per line of the novel).
"""
import gzip, struct, sys, zlib


class Unserialize:
    def __init__(self, data):
        self.b, self.p = data, 0
        self.symbols = []  # a symbol met again is a reference to the first

    def int(self):
        v = struct.unpack(">i", self.b[self.p:self.p + 4])[0]
        self.p += 4
        return v

    def top(self):
        if self.b[:2] != b"X\n":
            raise ValueError("not R's XDR serialization")
        self.p = 2
        version = self.int()
        self.int(), self.int()
        if version == 3:
            n = self.int()  # the native encoding's name, skipped
            self.p += n
        return self.item()

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in (254, 242, 251):  # NULL, empty environment, missing argument
            return None
        if kind == 255:  # reference to a symbol met before
            return self.symbols[(flags >> 8) - 1]
        if kind == 1:  # symbol
            self.symbols.append(self.item())
            return self.symbols[-1]
        if kind == 9:  # CHARSXP: one string
            n = self.int()
            if n == -1:
                return None
            s = self.b[self.p:self.p + n].decode("utf-8")
            self.p += n
            return s
        if kind == 2:  # pairlist (attributes)
            out = []
            while True:
                if has_attr:
                    self.item()
                tag = self.item() if has_tag else None
                out.append((tag, self.item()))
                flags = self.int()
                kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
                if kind == 254:
                    return out
        if kind in (16, 19):  # character vector, list
            n = self.int()
            v = [self.item() for _ in range(n)]
        elif kind in (10, 13):  # logical, integer
            v = [self.int() for _ in range(self.int())]
        elif kind == 14:  # double
            n = self.int()
            v = list(struct.unpack(">%dd" % n, self.b[self.p:self.p + 8 * n]))
            self.p += 8 * n
        else:
            raise ValueError("R type %d is not read here" % kind)
        if has_attr:
            return v, dict(self.item())
        return v, {}


def main(base, name):
    index, _ = Unserialize(gzip.decompress(open(base + ".rdx", "rb").read())).top()
    offsets, attributes = index[0]  # "variables": one (offset, length) per data set, named
    names, _ = attributes["names"]
    offset, length = (int(x) for x in offsets[names.index(name)][0])
    blob = open(base + ".rdb", "rb").read()[offset:offset + length]
    lines, _ = Unserialize(zlib.decompress(blob[4:])).top()  # 4 bytes of length, then zlib
    sys.stdout.write("\n".join(line or "" for line in lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
