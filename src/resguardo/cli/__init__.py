"""The ``resguardo`` command line: an imperative shell around the pure core."""
