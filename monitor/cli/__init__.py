"""The command-line interface: a thin shell over the library functions in `monitor`."""
