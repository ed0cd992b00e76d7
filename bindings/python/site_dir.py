"""Print the site directory `meson install` should use for the Python binding.

argv: PREFIX DEFAULT_DIR. Prints nothing when DEFAULT_DIR (Meson's choice) is
on this interpreter's sys.path; otherwise the first sys.path entry under
PREFIX that is a site directory (Debian's Python reads
/usr/local/lib/python3.X/dist-packages, not Meson's
/usr/local/lib/python3/dist-packages), or nothing when there is none.
"""
import os
import sys

prefix, default = (os.path.normpath(a) for a in sys.argv[1:3])
paths = [os.path.normpath(p) for p in sys.path if p]
if default not in paths:
    for p in paths:
        if p.startswith(prefix + os.sep) and os.path.basename(p) in ("dist-packages",
                                                                      "site-packages"):
            print(p)
            break
