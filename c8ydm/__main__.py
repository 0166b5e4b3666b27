"""`python -m c8ydm` runs the command line."""

from c8ydm.cli.main import entry

if __name__ == "__main__":
    entry()
