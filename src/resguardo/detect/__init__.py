"""The scanner: find sensitive personal information in text.

Pure functions of text: no I/O beyond reading the package's own data files.
"""

from resguardo.detect.finding import Finding
from resguardo.detect.scanner import Scanner, default_scanner, scan_text

__all__ = ["Finding", "Scanner", "default_scanner", "scan_text"]
